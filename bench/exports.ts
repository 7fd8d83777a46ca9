import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import type { IdentityEvent } from '../src/events/schema.js';
import { ENCODERS } from '../src/generate/formats/registry.js';
import type { BenchContext } from './context.js';
import { childNodeArgs } from './options.js';
import { progress } from './progress.js';
import { formatMb, formatRate, formatRatio, verdict, type Row, type SectionResult } from './report.js';
import { replayInChild, type ChildReplay } from './replay-child.js';
import { perSecond } from './stats.js';

/** Peak RSS of a newest-first export over the same export oldest-first; up to this counts as bounded. */
const BOUNDED_TOLERANCE = 1.25;

/** Writes the sigfire NDJSON file again in a provider's export shape, one record a line, streaming. */
async function encodeFile(source: string, target: string, encode: (event: IdentityEvent) => unknown): Promise<void> {
  const out = createWriteStream(target);
  const lines = createInterface({ input: createReadStream(source), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    if (!out.write(`${JSON.stringify(encode(JSON.parse(line) as IdentityEvent))}\n`)) await once(out, 'drain');
  }
  out.end();
  await finished(out);
}

/** The lines of a file last first (`tac`), as an export that runs newest-first. */
async function reverseLines(source: string, target: string): Promise<void> {
  const out = createWriteStream(target);
  const child = spawn('tac', [source], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.pipe(out);
  const [code] = (await once(child, 'close')) as [number | null];
  await finished(out);
  if (code !== 0) throw new Error(`tac ${source} exited ${code}`);
}

/**
 * Replays the same generated events as sigfire NDJSON and as each provider's export (via
 * the adapters), in `sigfire replay` children: the adapters' cost per event against the
 * native read, and the peak RSS of a newest-first export (read from its end) against the
 * same export oldest-first.
 */
export async function benchExports(context: BenchContext): Promise<SectionResult> {
  const events = context.options.sizes.exportEvents;
  const section = 'exports';
  const rows: Row[] = [];
  const figures: Record<string, unknown> = {};
  const nodeArgs = childNodeArgs(context.options);
  const count = events.toLocaleString('en-US');

  const nativeFile = await context.eventsFile(events);
  progress(`exports: replaying ${count} events as sigfire NDJSON`);
  const native = await replayInChild(nativeFile, nodeArgs);
  const nativeRate = perSecond(native.events, native.durationMs);
  rows.push({ section, figure: `sigfire NDJSON, ${count} events`, value: formatRate(nativeRate, 'events/s') });
  figures.native = { eventsPerSecond: nativeRate, peakRssKb: native.peakRssKb, findings: native.findings };

  let entraFile: string | undefined;
  let entraForward: ChildReplay | undefined;
  for (const encoder of ENCODERS) {
    const file = context.workspace.path(`events-${events}.${encoder.format}.ndjson`);
    progress(`exports: writing ${count} events as ${encoder.format} records and replaying them`);
    await encodeFile(nativeFile, file, (event) => encoder.encode(event));
    const replay = await replayInChild(file, nodeArgs);
    const rate = perSecond(replay.events, replay.durationMs);
    const same = replay.events === native.events && replay.findings === native.findings;
    rows.push({
      section,
      figure: `${encoder.format} export (adapter), same events${same ? ', same findings' : ', FINDINGS DIFFER'}`,
      value: formatRate(rate, 'events/s'),
      against: 'sigfire NDJSON',
      ratio: formatRatio(rate / nativeRate),
    });
    figures[encoder.format] = { eventsPerSecond: rate, ratio: rate / nativeRate, peakRssKb: replay.peakRssKb, findings: replay.findings, sameFindings: same };
    if (encoder.format === 'entra') {
      entraFile = file;
      entraForward = replay;
    }
  }

  if (entraFile && entraForward) {
    const newestFirst = context.workspace.path(`events-${events}.entra.newest-first.ndjson`);
    progress('exports: replaying the entra export newest-first (read from its end)');
    await reverseLines(entraFile, newestFirst);
    const reversed = await replayInChild(newestFirst, nodeArgs);
    const ratio = reversed.peakRssKb / entraForward.peakRssKb;
    rows.push({
      section,
      figure: `peak RSS, entra export newest-first (read from its end)`,
      value: formatMb(reversed.peakRssKb),
      against: `oldest-first ${formatMb(entraForward.peakRssKb)}`,
      ratio: formatRatio(ratio),
      target: `<= ${BOUNDED_TOLERANCE}x (bounded)`,
      verdict: verdict(ratio <= BOUNDED_TOLERANCE && reversed.findings === entraForward.findings),
    });
    figures.newestFirst = { peakRssKb: reversed.peakRssKb, oldestFirstPeakRssKb: entraForward.peakRssKb, ratio, eventsPerSecond: perSecond(reversed.events, reversed.durationMs) };
  }
  return { rows, figures };
}
