import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRecordChunks, readRecords, type RecordItem } from '../src/events/records.js';
import type { RecordLayout } from '../src/events/record-types.js';
import { collect, tempFiles } from './support/temp-files.js';

const temp = tempFiles('wrappers');
const tempFile = (content: string | Buffer) => temp.file(content, 'json');

async function readWithLayout(path: string): Promise<{ items: RecordItem[]; layout?: RecordLayout }> {
  let layout: RecordLayout | undefined;
  const items = await collect(readRecords(path, { onLayout: (l) => (layout = l) }));
  return { items, layout };
}

/** [line, value] of each good record, and proof that its offset/length cut exactly its bytes. */
function goodsWithOffsets(path: string, items: RecordItem[]): Array<[number, unknown]> {
  const bytes = readFileSync(path);
  return items.map((item) => {
    if (!item.ok) throw new Error(`unexpected error item: ${item.error.message}`);
    const cut = bytes.subarray(item.offset!, item.offset! + item.length!).toString('utf8');
    expect(JSON.parse(cut)).toEqual(item.value);
    return [item.line, item.value];
  });
}

const GRAPH = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns",
  "@odata.nextLink": "https://graph.microsoft.com/v1.0/auditLogs/signIns?$skiptoken=x[1]",
  "value": [
    {"id": "b", "status": {"errorCode": 50126}, "tags": ["[", "]"]},
    {"id": "a", "note": "a \\"quoted\\" {brace"}
  ]
}
`;

describe('readRecords: records inside a wrapper object', () => {
  it('streams Graph value[] with the line each record starts on, skipping the wrapper members', async () => {
    const path = tempFile(GRAPH);
    const { items, layout } = await readWithLayout(path);
    expect(layout).toEqual({ kind: 'wrapper', path: 'value' });
    expect(goodsWithOffsets(path, items)).toEqual([
      [5, { id: 'b', status: { errorCode: 50126 }, tags: ['[', ']'] }],
      [6, { id: 'a', note: 'a "quoted" {brace' }],
    ]);
  });

  it('finds Duo v2 response.authlogs[] even when metadata and stat come around it', async () => {
    const path = tempFile('\ufeff{"stat":"OK","response":{"metadata":{"next_offset":["1","x"]},"authlogs":[{"txid":"1"},{"txid":"2"}]}}');
    const { items, layout } = await readWithLayout(path);
    expect(layout).toEqual({ kind: 'wrapper', path: 'response.authlogs' });
    expect(goodsWithOffsets(path, items)).toEqual([[1, { txid: '1' }], [1, { txid: '2' }]]);
  });

  it("reads Duo's client-library result {authlogs: [...]}", async () => {
    const path = tempFile('{"authlogs": [{"txid": "1"}], "metadata": {"next_offset": null}}');
    expect(await readWithLayout(path)).toMatchObject({ layout: { kind: 'wrapper', path: 'authlogs' }, items: [{ ok: true, value: { txid: '1' } }] });
  });

  it('reads Duo v1 response[] and Event Hub records[]', async () => {
    const v1 = tempFile('{"response": [{"txid": "1"}], "stat": "OK"}');
    expect((await readWithLayout(v1)).layout).toEqual({ kind: 'wrapper', path: 'response' });
    const hub = tempFile('{"records": [\n{"time": "t1", "category": "SignInLogs"},\n{"time": "t2"}\n]}\n');
    const { items, layout } = await readWithLayout(hub);
    expect(layout).toEqual({ kind: 'wrapper', path: 'records' });
    expect(goodsWithOffsets(hub, items).map(([line]) => line)).toEqual([2, 3]);
  });

  it('keeps NDJSON whose records merely contain arrays (or a nested "value") as NDJSON', async () => {
    const path = tempFile('{"id":"1","target":[{"value":[1]}]}\n{"id":"2","response":{"x":[1]}}\n');
    const { items, layout } = await readWithLayout(path);
    expect(layout).toEqual({ kind: 'ndjson' });
    expect(goodsWithOffsets(path, items).map(([line]) => line)).toEqual([1, 2]);
  });

  it("reads pretty-printed objects one after another (jq '.[]' output) by their first line", async () => {
    const path = tempFile('{\n  "id": "1",\n  "n": [1, 2]\n}\n{\n  "id": "2"\n}\n');
    const { items, layout } = await readWithLayout(path);
    expect(layout).toEqual({ kind: 'concatenated' });
    expect(goodsWithOffsets(path, items)).toEqual([[1, { id: '1', n: [1, 2] }], [5, { id: '2' }]]);
  });

  it('reads every wrapper of a source: Event Hub captures (one a line) and API pages saved one after another', async () => {
    const hub = tempFile('{"records":[{"n":1},{"n":2}]}\n{"records":[{"n":3}]}\n');
    expect(goodsWithOffsets(hub, await collect(readRecords(hub)))).toEqual([[1, { n: 1 }], [1, { n: 2 }], [2, { n: 3 }]]);
    const pages = tempFile('{"value": [\n{"n": 1}\n], "@odata.nextLink": "x"}\n{"value": [\n{"n": 2}\n]}');
    expect(goodsWithOffsets(pages, await collect(readRecords(pages)))).toEqual([[2, { n: 1 }], [5, { n: 2 }]]);
  });

  it('says so when something that is not a wrapper follows one', async () => {
    const path = tempFile('{"value": [{"n": 1}]}\n[1]\n');
    const items = await collect(readRecords(path));
    expect(items.map((item) => (item.ok ? item.value : item.error))).toEqual([
      { n: 1 },
      { source: path, line: 2, message: 'unexpected data after the wrapper object: "["' },
    ]);
  });

  it('ends an element with a mistyped bracket where its writer meant to, keeping the elements after it', async () => {
    const good = (n: number) => JSON.stringify({ n });
    for (const bad of ['{"id":"x","user":{"login":"q"]}', '{"a":[1,2}']) {
      for (const text of [`[\n${good(1)},\n${bad},\n${good(2)},\n${good(3)}\n]\n`, `{"value":[\n${good(1)},\n${bad},\n${good(2)},\n${good(3)}\n]}\n`]) {
        const items = await collect(readRecords(tempFile(text)));
        expect(items.map((item) => (item.ok ? item.value : `error ${item.error.line}`))).toEqual([{ n: 1 }, 'error 3', { n: 2 }, { n: 3 }]);
      }
    }
  });

  it('keeps reading pretty-printed records after a stray bracket or a record left unclosed', async () => {
    const pretty = (n: number) => JSON.stringify({ n, nested: { deep: [n] } }, null, 2);
    const stray = tempFile(`${pretty(1)}\n]\n${pretty(2)}\n`);
    const strayItems = await collect(readRecords(stray));
    expect(strayItems.map((item) => (item.ok ? (item.value as { n: number }).n : item.error.message))).toEqual([1, "unexpected ']' between records", 2]);
    const unclosed = tempFile(`${pretty(1)}\n{"n": "half",\n${pretty(2)}\n${pretty(3)}\n`);
    const unclosedItems = await collect(readRecords(unclosed));
    expect(unclosedItems.map((item) => (item.ok ? (item.value as { n: number }).n : `error ${item.error.line}`))).toEqual([1, 'error 9', 2, 3]);
  });

  it('reports a bad element inside the wrapper by line and keeps the others', async () => {
    const path = tempFile('{"value": [\n{"id": 1},\n{"id": },\n{"id": 3}\n]}');
    const items = await collect(readRecords(path));
    expect(items.map((item) => (item.ok ? item.line : `error ${item.error.line}`))).toEqual([2, 'error 3', 4]);
  });

  it('gives the same items however the bytes are cut into chunks', async () => {
    const bytes = Buffer.from(GRAPH);
    const whole = await collect(readRecordChunks(chunksOf(bytes, bytes.length), 'x'));
    for (const size of [1, 2, 3, 7, 13]) {
      expect(await collect(readRecordChunks(chunksOf(bytes, size), 'x'))).toEqual(whole);
    }
  });
});

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
