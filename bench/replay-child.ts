import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { MAX_RSS_MARKER } from './children/max-rss-marker.js';
import { benchFile, CLI } from './paths.js';
import { readProcMemory } from './proc-status.js';

export interface ChildReplay {
  events: number;
  findings: number;
  /** the replay's own duration (its JSON summary): reading, validation, checks; not process start */
  durationMs: number;
  /** the larger of getrusage maxRSS (reported by the child at exit) and the sampled VmHWM */
  peakRssKb: number;
  /** the last VmHWM sampled from /proc while it ran (a cross-check) */
  sampledHwmKb: number;
}

/** `sigfire replay FILE --dry-run --json` in a child process, as a user runs it. */
export async function replayInChild(file: string, nodeArgs: string[] = []): Promise<ChildReplay> {
  const args = [...nodeArgs, '--import', pathToFileURL(benchFile('children/report-max-rss.js')).href, CLI, 'replay', file, '--dry-run', '--json'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let lastLine = '';
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') lastLine = line;
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-20_000)));

  let sampledHwmKb = 0;
  const sampler = setInterval(() => {
    void readProcMemory(child.pid!).then((memory) => {
      if (memory && memory.hwmKb > sampledHwmKb) sampledHwmKb = memory.hwmKb;
    });
  }, 100);
  const [code] = (await once(child, 'close')) as [number | null];
  clearInterval(sampler);
  if (pending.trim() !== '') lastLine = pending;

  const marker = new RegExp(`${MAX_RSS_MARKER}(\\d+)`).exec(stderr);
  let summary: { events?: number; findings?: number; durationMs?: number };
  try {
    summary = JSON.parse(lastLine) as typeof summary;
  } catch {
    throw new Error(`sigfire replay (exit ${code}) printed no JSON summary: ${stderr.replace(new RegExp(`${MAX_RSS_MARKER}\\d+`), '').trim().slice(-500)}`);
  }
  if (typeof summary.events !== 'number' || typeof summary.durationMs !== 'number') throw new Error(`unexpected replay summary: ${lastLine.slice(0, 200)}`);
  return {
    events: summary.events,
    findings: summary.findings ?? 0,
    durationMs: summary.durationMs,
    // the larger of the two: a sample can land after the child's own last getrusage look
    peakRssKb: Math.max(marker ? Number(marker[1]) : 0, sampledHwmKb),
    sampledHwmKb,
  };
}
