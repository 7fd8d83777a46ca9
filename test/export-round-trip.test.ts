import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Detector } from '../src/checks/detector.js';
import type { IdentityEvent } from '../src/events/schema.js';
import { selectAttacks } from '../src/generate/attacks/catalog.js';
import { ENCODERS } from '../src/generate/formats/registry.js';
import { writeNdjson } from '../src/generate/ndjson-writer.js';
import { TrafficGenerator } from '../src/generate/traffic-generator.js';
import { runReplay, type ReplaySummary } from '../src/replay/run-replay.js';

/**
 * The round trip: generated traffic written in each provider's export shape and
 * replayed through that provider's adapter gives the same findings as the native replay,
 * on 100,000 events.
 */
const EVENTS = 100_000;
const RULES_DIR = resolve('rules');

let dir: string;
let nativeFile: string;

function generatedEvents(): Iterable<IdentityEvent> {
  return new TrafficGenerator({ events: EVENTS, seed: 5, attacks: selectAttacks('all') }).events();
}

async function writeFile(path: string, records: Iterable<unknown>): Promise<void> {
  const out = createWriteStream(path);
  await writeNdjson(records, out);
  out.end();
  await finished(out);
}

function* mapped<T, U>(items: Iterable<T>, map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}

async function replayFindings(file: string): Promise<{ summary: ReplaySummary; findings: string[] }> {
  const detector = await Detector.create({ rulesDir: RULES_DIR });
  const findings: string[] = [];
  const summary = await runReplay(detector, { sources: [file] }, { onFinding: (f) => void findings.push(`${f.id} ${f.checkId} ${f.event.id} ${f.user.login} ${Date.parse(f.time)}`) });
  return { summary, findings: findings.sort() };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigfire-round-trip-'));
  nativeFile = join(dir, 'native.ndjson');
  await writeFile(nativeFile, generatedEvents());
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe(`export round trip on ${EVENTS.toLocaleString('en')} generated events`, () => {
  let native: { summary: ReplaySummary; findings: string[] };
  beforeAll(async () => {
    native = await replayFindings(nativeFile);
  }, 120_000);

  it('has a finding of every threat kind to compare', () => {
    expect(native.summary.events).toBe(EVENTS);
    expect(native.findings.length).toBeGreaterThan(100);
    expect(Object.keys(native.summary.byCheck).length).toBeGreaterThanOrEqual(15);
  });

  it.each(ENCODERS.map((encoder) => [encoder.format, encoder] as const))(
    'generate --format %s -> adapter -> the same findings as the native replay',
    async (format, encoder) => {
      const file = join(dir, `${format}.ndjson`);
      await writeFile(file, mapped(generatedEvents(), (event) => encoder.encode(event)));
      const replayed = await replayFindings(file);
      expect(replayed.summary.sources[0]).toMatchObject({ format, detected: true, errors: 0, ignored: 0, late: 0 });
      expect(replayed.summary.events).toBe(EVENTS);
      expect(replayed.summary.skipped).toBe(0);
      expect(replayed.summary.byCheck).toEqual(native.summary.byCheck);
      expect(replayed.findings).toEqual(native.findings);
    },
    180_000,
  );
});
