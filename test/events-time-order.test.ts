import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEvents, type ReadEventsOptions } from '../src/events/read-events.js';
import { newSourceReport, type SourceReport } from '../src/events/source-report.js';
import { looksDescending, mergeByTime, reorderWithin } from '../src/events/time-order.js';
import type { EventItem } from '../src/events/validate-event.js';

const tempDir = mkdtempSync(join(tmpdir(), 'sigfire-order-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));
let count = 0;
function tempFile(content: string, ext = 'ndjson'): string {
  const path = join(tempDir, `case-${++count}.${ext}`);
  writeFileSync(path, content);
  return path;
}

const T0 = Date.parse('2026-11-02T09:00:00Z');
const MIN = 60_000;

function event(id: string, minute: number): Record<string, unknown> {
  return { id, time: new Date(T0 + minute * MIN).toISOString(), provider: 'OKTA', type: 'login', user: { login: 'a@acme.example' } };
}

function item(id: string, minute: number): EventItem {
  return { ok: true, event: event(id, minute) as never, timeMs: T0 + minute * MIN, source: 's', line: 1 };
}

async function* fromArray(items: EventItem[]): AsyncGenerator<EventItem> {
  yield* items;
}

async function collect(items: AsyncIterable<EventItem>): Promise<EventItem[]> {
  const all: EventItem[] = [];
  for await (const one of items) all.push(one);
  return all;
}

const ids = (items: EventItem[]) => items.map((one) => (one.ok ? one.event.id : `error:${one.error.line}`));

async function read(sources: string[], options: ReadEventsOptions = {}): Promise<{ items: EventItem[]; reports: SourceReport[] }> {
  const reports: SourceReport[] = [];
  const items = await collect(readEvents(sources, { ...options, reports }));
  return { items, reports };
}

describe('looksDescending', () => {
  it('tells newest-first from oldest-first and from shuffled', () => {
    expect(looksDescending([5, 4, 4, 3, 1])).toBe(true);
    expect(looksDescending([1, 2, 2, 3, 5])).toBe(false);
    expect(looksDescending([5, 1, 4, 2, 3])).toBe(false);
    expect(looksDescending([7])).toBe(false);
  });
});

describe('reorderWithin', () => {
  it('puts events out of order by less than the window back in order', async () => {
    const report = newSourceReport('s');
    const out = await collect(reorderWithin(fromArray([item('b', 2), item('a', 0), item('d', 4), item('c', 3), item('e', 9)]), 5 * MIN, report));
    expect(ids(out)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(report.late).toBe(0);
  });

  it('passes on an event later than the window at once, and counts it', async () => {
    const report = newSourceReport('s');
    const out = await collect(reorderWithin(fromArray([item('a', 0), item('c', 20), item('d', 30), item('b', 1), item('e', 31)]), 5 * MIN, report));
    expect(ids(out)).toEqual(['a', 'c', 'b', 'd', 'e']);
    expect(report.late).toBe(1);
  });

  it('holds no more than the window: an event is released once one a window later is read', async () => {
    const report = newSourceReport('s');
    const released: string[] = [];
    const source = async function* () {
      yield item('a', 0);
      yield item('b', 3);
      expect(released).toEqual([]);
      yield item('c', 6); // 'a' is now more than 5 minutes older than the newest
      expect(released).toEqual(['a']);
    };
    for await (const one of reorderWithin(source(), 5 * MIN, report)) if (one.ok) released.push(one.event.id);
    expect(released).toEqual(['a', 'b', 'c']);
  });
});

describe('mergeByTime', () => {
  it('merges sorted streams into one sorted stream, errors passing through', async () => {
    const error: EventItem = { ok: false, error: { source: 'x', line: 9, message: 'bad' } };
    const out = await collect(
      mergeByTime([fromArray([item('a1', 0), item('a2', 5), item('a3', 9)]), fromArray([item('b1', 1), error, item('b2', 6)]), fromArray([item('c1', 2)])]),
    );
    expect(ids(out).filter((id) => !id.startsWith('error'))).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
    expect(ids(out)).toContain('error:9');
  });
});

describe('readEvents: time order across files', () => {
  it('reads a newest-first NDJSON file from its end, with the right line numbers and its errors', async () => {
    const lines = [];
    for (let minute = 200; minute >= 0; minute--) lines.push(JSON.stringify(event(`e${minute}`, minute)));
    lines.splice(100, 0, '{"id": broken');
    const path = tempFile(`${lines.join('\n')}\n`);
    const { items, reports } = await read([path]);
    const good = items.filter((one) => one.ok);
    expect(ids(good)).toEqual(Array.from({ length: 201 }, (_, minute) => `e${minute}`));
    expect(good[0]).toMatchObject({ line: 202 });
    expect(good[200]).toMatchObject({ line: 1 });
    expect(items.filter((one) => !one.ok).map((one) => !one.ok && one.error.line)).toEqual([101]);
    expect(reports[0]).toMatchObject({ order: 'descending', format: 'sigfire', records: 201, events: 201, errors: 1 });
  });

  it('reads a newest-first array inside a wrapper object from its end', async () => {
    const records = Array.from({ length: 80 }, (_, i) => JSON.stringify(event(`w${79 - i}`, 79 - i)));
    const path = tempFile(`{"@odata.context": "x",\n "value": [\n${records.join(',\n')}\n]}\n`, 'json');
    const { items, reports } = await read([path]);
    expect(ids(items)).toEqual(Array.from({ length: 80 }, (_, i) => `w${i}`));
    expect(reports[0]).toMatchObject({ order: 'descending', layout: { kind: 'wrapper', path: 'value' } });
  });

  it('merges several files, one of them newest-first, into one event-time stream', async () => {
    const a = tempFile([event('a0', 0), event('a2', 2), event('a4', 4)].map((e) => JSON.stringify(e)).join('\n'));
    const b = tempFile(JSON.stringify([event('b3', 3), event('b1', 1)]), 'json');
    const c = tempFile([event('c1', 1), event('c5', 5)].map((e) => JSON.stringify(e)).join('\n'));
    const { items } = await read([a, b, c]);
    expect(ids(items)).toEqual(['a0', 'b1', 'c1', 'a2', 'b3', 'a4', 'c5']);
  });

  it('turns the reorder window off at 0 and then keeps file order', async () => {
    const path = tempFile([event('x2', 2), event('x1', 1), event('x3', 3), event('x4', 4)].map((e) => JSON.stringify(e)).join('\n'));
    expect(ids((await read([path], { reorderWindowMs: 0 })).items)).toEqual(['x2', 'x1', 'x3', 'x4']);
    expect(ids((await read([path])).items)).toEqual(['x1', 'x2', 'x3', 'x4']);
  });

  it('does not give up a file whose first record is broken: the record gets its field error, the rest are read', async () => {
    const { user: _user, ...withoutUser } = event('first', 0);
    const lines = [JSON.stringify(withoutUser), ...Array.from({ length: 5 }, (_, i) => JSON.stringify(event(`g${i}`, i + 1)))];
    const { items, reports } = await read([tempFile(lines.join('\n'))]);
    expect(ids(items)).toEqual(['error:1', 'g0', 'g1', 'g2', 'g3', 'g4']);
    expect(items[0]).toMatchObject({ ok: false, error: { field: 'user', message: 'required' } });
    expect(reports[0]).toMatchObject({ format: 'sigfire', records: 6, events: 5, errors: 1 });
  });

  it('holds no event back past a bad record when asked to (--strict stops there)', async () => {
    const lines = [event('a', 0), event('b', 0.01), event('c', 0.02)].map((e) => JSON.stringify(e));
    const path = tempFile([...lines, '{broken', JSON.stringify(event('d', 0.03))].join('\n'));
    const seen: string[] = [];
    for await (const one of readEvents([path], { flushBeforeErrors: true })) {
      seen.push(one.ok ? one.event.id : 'error');
      if (!one.ok) break;
    }
    expect(seen).toEqual(['a', 'b', 'c', 'error']);
  });

  it('replays a newest-first pipe as it comes, with a warning, instead of reading it again', async () => {
    const fifo = join(tempDir, 'newest-first.fifo');
    execFileSync('mkfifo', [fifo]);
    const lines = Array.from({ length: 100 }, (_, i) => JSON.stringify(event(`p${99 - i}`, 99 - i)));
    const writing = writeFile(fifo, `${lines.join('\n')}\n`);
    const { items, reports } = await read([fifo], { reorderWindowMs: 0 });
    await writing;
    expect(items).toHaveLength(100);
    expect(reports[0]).toMatchObject({ order: 'ascending', late: 99 });
    expect(reports[0]!.warning).toMatch(/newest-first and a pipe cannot be read from its end: save it to a file/);
  });

  it('gives a file nothing recognises one error line and goes on with the others', async () => {
    const unknown = tempFile('{"hello": "world"}\n{"hello": "again"}\n');
    const good = tempFile(JSON.stringify(event('g1', 1)));
    const { items, reports } = await read([unknown, good]);
    expect(ids(items)).toEqual(['error:1', 'g1']);
    const error = items[0]!;
    expect(!error.ok && error.error.message).toMatch(/^not a format sigfire knows: expected sigfire events \(id, time, provider, type, user\)/);
    expect(!error.ok && error.error.message).toMatch(/--format/);
    expect(reports[0]).toMatchObject({ records: 2, errors: 1 });
    expect(reports[0]!.format).toBeUndefined();
  });
});
