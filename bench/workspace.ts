import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { CLI } from './paths.js';
import { progress } from './progress.js';

/** A temp directory for one bench run; everything in it is removed at the end. */
export class Workspace {
  private constructor(readonly dir: string) {}

  static async create(): Promise<Workspace> {
    return new Workspace(await mkdtemp(join(tmpdir(), 'sigfire-bench-')));
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** `sigfire generate --events N --seed 1 --attacks all > file`, the same traffic a user would replay. */
export async function generateEvents(events: number, file: string): Promise<void> {
  progress(`generating ${events.toLocaleString('en-US')} events (sigfire generate --seed 1 --attacks all)`);
  const out = createWriteStream(file);
  const child = spawn(process.execPath, [CLI, 'generate', '--events', String(events), '--seed', '1', '--attacks', 'all'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.pipe(out);
  const [code] = (await once(child, 'exit')) as [number | null];
  if (!out.writableFinished) await once(out, 'finish');
  if (code !== 0) throw new Error(`sigfire generate exited with ${code}: ${stderr.trim()}`);
}

/** The first `lines` lines of an NDJSON file: a shorter replay of the very same traffic. */
export async function copyFirstLines(source: string, target: string, lines: number): Promise<void> {
  const out = createWriteStream(target);
  const reader = createInterface({ input: createReadStream(source), crlfDelay: Infinity });
  let written = 0;
  for await (const line of reader) {
    if (written >= lines) break;
    if (!out.write(`${line}\n`)) await once(out, 'drain');
    written++;
  }
  reader.close();
  out.end();
  await once(out, 'finish');
  if (written < lines) throw new Error(`${source} has only ${written} lines, ${lines} wanted`);
}
