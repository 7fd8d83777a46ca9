import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from './paths.js';

/**
 * `node dist/bench/profile-top.js FILE.cpuprofile [N]`: the N functions with the most self
 * time in a V8 CPU profile (as written by `node --cpu-prof`), idle time left out.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  share: number;
}

export function topSelfTime(profile: CpuProfile, count: number): { busyMs: number; top: SelfTime[] } {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, { name: string; where: string; us: number }>();
  let busyUs = 0;
  profile.samples.forEach((nodeId, index) => {
    const frame = byNode.get(nodeId)?.callFrame;
    const delta = profile.timeDeltas[index] ?? 0;
    if (!frame || frame.functionName === '(idle)') return;
    busyUs += delta;
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName}@${where}`;
    const entry = selfUs.get(key) ?? { name: frame.functionName || '(anonymous)', where, us: 0 };
    entry.us += delta;
    selfUs.set(key, entry);
  });
  const top = [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, count)
    .map((entry) => ({ name: entry.name, where: entry.where, ms: entry.us / 1000, share: busyUs > 0 ? entry.us / busyUs : 0 }));
  return { busyMs: busyUs / 1000, top };
}

/**
 * Inclusive time (the function and everything it called) of the functions in sigfire's own
 * code (dist/src/), each counted once per sample however deep the recursion.
 */
export function topInclusiveOwnCode(profile: CpuProfile, count: number): SelfTime[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const totals = new Map<string, { name: string; where: string; us: number }>();
  let busyUs = 0;
  profile.samples.forEach((nodeId, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    if (byNode.get(nodeId)?.callFrame.functionName === '(idle)') return;
    busyUs += delta;
    const counted = new Set<string>();
    for (let id: number | undefined = nodeId; id !== undefined; id = parentOf.get(id)) {
      const frame = byNode.get(id)!.callFrame;
      if (!frame.url.includes('/dist/src/')) continue;
      const where = `${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
      const key = `${frame.functionName}@${where}`;
      if (counted.has(key)) continue;
      counted.add(key);
      const entry = totals.get(key) ?? { name: frame.functionName || '(anonymous)', where, us: 0 };
      entry.us += delta;
      totals.set(key, entry);
    }
  });
  return [...totals.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, count)
    .map((entry) => ({ name: entry.name, where: entry.where, ms: entry.us / 1000, share: busyUs > 0 ? entry.us / busyUs : 0 }));
}

function shortUrl(url: string): string {
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return path.startsWith(PROJECT_ROOT) ? relative(PROJECT_ROOT, path) : path;
}

async function main(): Promise<void> {
  const [file, countText] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node dist/bench/profile-top.js FILE.cpuprofile [N]\n');
    process.exitCode = 2;
    return;
  }
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const count = Number(countText ?? 10);
  const { busyMs, top } = topSelfTime(profile, count);
  const line = (entry: SelfTime) => `${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.ms.toFixed(0).padStart(7)} ms  ${entry.name}  ${entry.where}\n`;
  process.stdout.write(`${file}: ${(busyMs / 1000).toFixed(1)} s busy\nself time:\n`);
  for (const entry of top) process.stdout.write(line(entry));
  process.stdout.write(`inclusive time, sigfire's own functions:\n`);
  for (const entry of topInclusiveOwnCode(profile, count)) process.stdout.write(line(entry));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
