import { once } from 'node:events';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  formatRecordError,
  readRecordChunks,
  readRecords,
  type ReadRecordsOptions,
  type RecordError,
  type RecordItem,
} from '../src/events/records.js';
import { collect, tempFiles } from './support/temp-files.js';

const BAD = fileURLToPath(new URL('../fixtures/bad/', import.meta.url));
const fixture = (name: string) => join(BAD, name);

const temp = tempFiles('records');
const tempDir = temp.dir;
const tempFile = temp.file;

const read = (path: string, options?: ReadRecordsOptions) => collect(readRecords(path, options));

/** [line, id] of every good record */
function goods(items: RecordItem[]): Array<[number, unknown]> {
  return items.flatMap((item) => (item.ok ? [[item.line, (item.value as { id?: unknown }).id] as [number, unknown]] : []));
}

/** [line, message] of every error */
function errors(items: RecordItem[]): Array<[number, string]> {
  return items.flatMap((item) => (item.ok ? [] : [[item.error.line, item.error.message] as [number, string]]));
}

const goodEvent = (n: number) =>
  JSON.stringify({
    id: `evt-${n}`,
    time: '2026-11-02T09:15:00Z',
    provider: 'OKTA',
    type: 'login',
    user: { login: `user${n}@acme.example` },
    login: { result: 'SUCCESS', ip: '198.51.100.7', geo: { country: 'US' }, factor: 'push' },
  });

describe('readRecords: NDJSON fixtures', () => {
  it('reads nothing and reports nothing for an empty file', async () => {
    expect(await read(fixture('empty.ndjson'))).toEqual([]);
  });

  it('strips the BOM, accepts CRLF and skips blank lines', async () => {
    const items = await read(fixture('bom-crlf.ndjson'));
    expect(errors(items)).toEqual([]);
    expect(goods(items)).toEqual([[1, 'evt-1'], [2, 'evt-2'], [4, 'evt-4']]);
    expect(items[0]).toMatchObject({ ok: true, source: fixture('bom-crlf.ndjson') });
  });

  it('reports values that are not objects, and keeps the records around them', async () => {
    const items = await read(fixture('wrong-types.ndjson'));
    expect(errors(items)).toEqual([
      [2, 'expected a JSON object, got number'],
      [3, 'expected a JSON object, got string'],
      [4, 'expected a JSON object, got array'],
      [5, 'expected a JSON object, got null'],
    ]);
    // lines 6-8 are objects: wrong field types are the validator's business
    expect(goods(items)).toEqual([[1, 'evt-1'], [6, 6], [7, 'evt-7'], [8, 'evt-8'], [9, 'evt-9']]);
  });

  it('reports binary garbage without crashing', async () => {
    const items = await read(fixture('binary-garbage.ndjson'));
    expect(errors(items)).toEqual([
      [2, 'not valid UTF-8 text'],
      [4, 'not text: contains NUL bytes (binary data?)'],
      [5, 'not valid UTF-8 text'],
    ]);
    expect(goods(items)).toEqual([[1, 'evt-1'], [3, 'evt-3'], [6, 'evt-6']]);
  });

  it('reports broken JSON with the parser message, one error per line of a pretty-printed object', async () => {
    const items = await read(fixture('mixed.ndjson'));
    const errs = errors(items);
    expect(errs.map(([line]) => line)).toEqual([2, 8, 10, 11, 12]);
    for (const [, message] of errs) expect(message).toMatch(/^invalid JSON: \S/);
    expect(errs[0]![1]).toBe('invalid JSON: Unexpected end of JSON input');
    expect(goods(items)).toEqual([[1, 'evt-1'], [3, 'evt-3'], [5, 'evt-5'], [6, 'evt-6'], [7, 'evt-7'], [9, 'evt-9'], [13, 'evt-13']]);
  });

  it('gives every item the source it came from', async () => {
    const path = fixture('mixed.ndjson');
    for (const item of await read(path)) expect(item.ok ? item.source : item.error.source).toBe(path);
  });
});

describe('readRecords: NDJSON edge cases', () => {
  it('reads a single object on one line without a final newline', async () => {
    const items = await read(tempFile('{"id":"only","n":1}'));
    expect(items).toEqual([{ ok: true, source: expect.any(String), offset: 0, length: 19, line: 1, value: { id: 'only', n: 1 } }]);
  });

  it('reads nothing from a file of blank lines', async () => {
    expect(await read(tempFile('\n  \r\n\t\n\n'))).toEqual([]);
  });

  it('counts leading blank lines and whitespace-only lines', async () => {
    const items = await read(tempFile('\n\n  {"id":"a"}\n \t \n{"id":"b"}\r\n\r\n'));
    expect(goods(items)).toEqual([[3, 'a'], [5, 'b']]);
  });

  it('measures a record without its line end, and reports the one over the limit', async () => {
    const exactly20 = '{"id":"abcdefghijk"}'; // 20 bytes
    const twentyOne = '{"id":"abcdefghijkl"}';
    const items = await read(tempFile(`${exactly20}\r\n${twentyOne}\n${exactly20}`), { maxRecordBytes: 20 });
    expect(goods(items)).toEqual([[1, 'abcdefghijk'], [3, 'abcdefghijk']]);
    expect(errors(items)).toEqual([[2, 'record is 21 bytes, over the 20 bytes limit']]);
  });

  it('reports an over-long last line that has no newline', async () => {
    const items = await read(tempFile(`{"id":"a"}\n{"id":"${'x'.repeat(5000)}"}`), { maxRecordBytes: 4096 });
    expect(goods(items)).toEqual([[1, 'a']]);
    expect(errors(items)).toEqual([[2, 'record is 5009 bytes, over the 4 KiB limit']]);
  });

  it("reads '[' lines as values when told the format is NDJSON", async () => {
    const items = await read(tempFile('[1]\n{"id":"a"}\n'), { format: 'ndjson' });
    expect(errors(items)).toEqual([[1, 'expected a JSON object, got array']]);
    expect(goods(items)).toEqual([[2, 'a']]);
  });
});

describe('readRecords: JSON array', () => {
  it('keeps the elements read before the end of a truncated array and reports the cut one at its line', async () => {
    const items = await read(fixture('truncated.json'));
    expect(goods(items)).toEqual([[2, 'evt-1'], [3, 'evt-2']]);
    expect(errors(items)).toEqual([[6, 'truncated: the file ends inside this array element']]);
  });

  it('resynchronises after garbage between elements', async () => {
    const items = await read(fixture('garbage-array.json'));
    expect(goods(items)).toEqual([[2, 'evt-1'], [3, 'evt-2'], [4, 'evt-3'], [6, 'evt-5'], [8, 'evt-7']]);
    const errs = errors(items);
    expect(errs.map(([line]) => line)).toEqual([3, 5, 7, 10]);
    expect(errs[0]![1]).toBe("expected ',' or ']' after an array element, found 'o'");
    expect(errs[1]![1]).toMatch(/^invalid JSON: /);
    expect(errs[2]![1]).toBe('expected a JSON object, got number');
    expect(errs[3]![1]).toBe("unexpected data after the end of the JSON array: 't'");
  });

  it('reads nothing from an empty array', async () => {
    expect(await read(tempFile('  []\n', 'json'))).toEqual([]);
  });

  it('gives each element the line where it starts, after leading blank lines and a BOM', async () => {
    const text = '\ufeff\n\n[\n  {"id": "a",\n   "n": 1},\n\n  {"id": "b"}, {"id": "c"}\n]\n';
    const items = await read(tempFile(text, 'json'));
    expect(errors(items)).toEqual([]);
    expect(goods(items)).toEqual([[4, 'a'], [7, 'b'], [7, 'c']]);
  });

  it('is not fooled by brackets, quotes and escapes inside strings', async () => {
    const value = { id: 'x', s: 'a]}\\"{[,\\\\', nested: [[{ t: ']' }], []], u: '\u00e9\u4e2d' };
    const items = await read(tempFile(`[${JSON.stringify(value)},{"id":"y"}]`, 'json'));
    expect(items.map((item) => (item.ok ? item.value : item.error))).toEqual([value, { id: 'y' }]);
  });

  it('accepts a trailing comma, and reports an empty element between two commas', async () => {
    const items = await read(tempFile('[{"id":"a"},\n,{"id":"b"},\n]', 'json'));
    expect(goods(items)).toEqual([[1, 'a'], [2, 'b']]);
    expect(errors(items)).toEqual([[2, "empty array element: ',' with no value before it"]]);
  });

  it('reads an element right after garbage when the comma is missing', async () => {
    const items = await read(tempFile('[{"id":"a"} {"id":"b"}]', 'json'));
    expect(goods(items)).toEqual([[1, 'a'], [1, 'b']]);
    expect(errors(items)).toEqual([[1, "expected ',' or ']' after an array element, found '{'"]]);
  });

  it('reports an array that is never closed', async () => {
    const items = await read(tempFile('[\n{"id":"a"},\n{"id":"b"}\n', 'json'));
    expect(goods(items)).toEqual([[2, 'a'], [3, 'b']]);
    expect(errors(items)).toEqual([[4, 'truncated: the file ends before the JSON array is closed']]);
  });

  it('reports scalar elements, including one cut by the end of the file', async () => {
    const items = await read(tempFile('[{"id":"a"}, "text", true,\n 12', 'json'));
    expect(goods(items)).toEqual([[1, 'a']]);
    expect(errors(items)).toEqual([
      [1, 'expected a JSON object, got string'],
      [1, 'expected a JSON object, got boolean'],
      [2, 'expected a JSON object, got number'],
      [2, 'truncated: the file ends before the JSON array is closed'],
    ]);
  });

  it('reports an element over the limit at its line and reads the next one', async () => {
    const items = await read(tempFile(`[\n{"id":"a"},\n{"id":"${'x'.repeat(100)}"},\n{"id":"c"}]`, 'json'), {
      maxRecordBytes: 64,
    });
    expect(goods(items)).toEqual([[2, 'a'], [4, 'c']]);
    expect(errors(items)).toEqual([[3, 'record is 109 bytes, over the 64 bytes limit']]);
  });

  it("reports a file that is not an array when told it is one", async () => {
    const items = await read(tempFile('{"id":"a"}\n', 'json'), { format: 'json-array' });
    expect(errors(items)).toEqual([[1, "expected a JSON array starting with '[', found '{'"]]);
  });
});

describe('readRecords: chunk boundaries', () => {
  async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }

  const files = ['bom-crlf.ndjson', 'binary-garbage.ndjson', 'mixed.ndjson', 'wrong-types.ndjson', 'truncated.json', 'garbage-array.json'];
  for (const name of files) {
    it(`reads ${name} the same whatever the chunk size`, async () => {
      const bytes = readFileSync(fixture(name));
      const whole = await collect(readRecordChunks(chunksOf(bytes, bytes.length), 'x'));
      expect(whole.length).toBeGreaterThan(2);
      for (const size of [1, 2, 3, 7, 64]) {
        expect(await collect(readRecordChunks(chunksOf(bytes, size), 'x'))).toEqual(whole);
      }
    });
  }

  it('measures over-long records the same in tiny chunks', async () => {
    const bytes = Buffer.from(`{"id":"a"}\n{"id":"${'x'.repeat(300)}"}\r\n{"id":"c"}\n`);
    for (const size of [1, 5, 100, bytes.length]) {
      const items = await collect(readRecordChunks(chunksOf(bytes, size), 'x', { maxRecordBytes: 256 }));
      expect(goods(items)).toEqual([[1, 'a'], [3, 'c']]);
      expect(errors(items)).toEqual([[2, 'record is 309 bytes, over the 256 bytes limit']]);
    }
  });

  it('reports a read failure in the middle of a source at the line reached', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"id":"a"}\n{"id":"b"}\n{"id"');
      throw new Error('EIO: i/o error, read');
    }
    const items = await collect(readRecordChunks(failing(), 'disk.ndjson'));
    expect(goods(items)).toEqual([[1, 'a'], [2, 'b']]);
    expect(errors(items)).toEqual([[3, 'cannot read file: EIO: i/o error, read']]);
  });
});

describe('readRecords: files that cannot be read', () => {
  it('reports a missing file as one error on line 0', async () => {
    const missing = join(tempDir, 'missing.ndjson');
    const items = await read(missing);
    expect(items).toHaveLength(1);
    expect(items[0]).toEqual({
      ok: false,
      error: { source: missing, line: 0, message: `cannot read file: ENOENT: no such file or directory, open '${missing}'` },
    });
  });

  it('reports a directory as one error on line 0', async () => {
    const items = await read(tempDir);
    expect(errors(items)).toEqual([[0, expect.stringMatching(/^cannot read file: EISDIR/)]]);
  });
});

describe('readRecords: big inputs', () => {
  async function writeLines(path: string, count: number, lineFor: (n: number) => string): Promise<void> {
    const out = createWriteStream(path);
    for (let n = 1; n <= count; n++) {
      if (!out.write(lineFor(n))) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  }

  it('reports a 10 MB line at its line and reads the records after it', async () => {
    const path = join(tempDir, 'ten-mb-line.ndjson');
    const hugeLine = `{"id":"huge","pad":"${'x'.repeat(10 * 1024 * 1024)}"}`;
    writeFileSync(path, [goodEvent(1), goodEvent(2), hugeLine, goodEvent(4), `${hugeLine}\r`, goodEvent(6), ''].join('\n'));
    const items = await read(path);
    const size = Buffer.byteLength(hugeLine);
    expect(errors(items)).toEqual([
      [3, `record is ${size} bytes, over the 1 MiB limit`],
      [5, `record is ${size} bytes, over the 1 MiB limit`],
    ]);
    expect(goods(items)).toEqual([[1, 'evt-1'], [2, 'evt-2'], [4, 'evt-4'], [6, 'evt-6']]);
  });

  it('reports a 10 MB JSON array element at its line and reads the elements after it', async () => {
    const path = join(tempDir, 'ten-mb-element.json');
    const huge = `{"id":"huge","pad":"${'x'.repeat(10 * 1024 * 1024)}"}`;
    writeFileSync(path, `[\n${goodEvent(1)},\n${huge},\n${goodEvent(3)}\n]\n`);
    const items = await read(path);
    expect(errors(items)).toEqual([[3, `record is ${Buffer.byteLength(huge)} bytes, over the 1 MiB limit`]]);
    expect(goods(items)).toEqual([[2, 'evt-1'], [4, 'evt-3']]);
  });

  it('reads every record of a 200,000-line file', async () => {
    const path = join(tempDir, 'many.ndjson');
    await writeLines(path, 200_000, (n) => `${goodEvent(n)}\n`);
    let count = 0;
    let lastLine = 0;
    let lastId: unknown;
    for await (const item of readRecords(path)) {
      if (!item.ok) throw new Error(formatRecordError(item.error));
      count++;
      lastLine = item.line;
      lastId = (item.value as { id: unknown }).id;
    }
    expect(count).toBe(200_000);
    expect(lastLine).toBe(200_000);
    expect(lastId).toBe('evt-200000');
  });

  it('stops reading when the consumer stops early', async () => {
    const path = join(tempDir, 'early-stop.ndjson');
    await writeLines(path, 5000, (n) => `${goodEvent(n)}\n`);
    const seen: unknown[] = [];
    for await (const item of readRecords(path)) {
      seen.push(item.ok && (item.value as { id: unknown }).id);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['evt-1', 'evt-2']);
  });
});

describe('formatRecordError', () => {
  const base: RecordError = { source: 'events.ndjson', line: 12, message: 'required' };

  it('prints file:line: field: message', () => {
    expect(formatRecordError({ ...base, field: 'login.geo.country' })).toBe('events.ndjson:12: login.geo.country: required');
  });

  it('leaves the field out when there is none', () => {
    expect(formatRecordError(base)).toBe('events.ndjson:12: required');
  });

  it('shows stdin as <stdin>', () => {
    expect(formatRecordError({ ...base, source: '-', line: 3 })).toBe('<stdin>:3: required');
  });
});
