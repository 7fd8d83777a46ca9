import { createReadStream } from 'node:fs';
import { LayoutChooser } from './layout-chooser.js';
import { MIB } from './parse-record.js';
import type { ReadRecordsOptions, RecordError, RecordItem } from './record-types.js';

export type { ReadRecordsOptions, RecordError, RecordItem } from './record-types.js';

export const STDIN_SOURCE = '-';
export { DEFAULT_MAX_RECORD_BYTES } from './layout-chooser.js';

function openSource(source: string): AsyncIterable<Buffer> {
  if (source === STDIN_SOURCE) return process.stdin;
  return createReadStream(source, { highWaterMark: MIB });
}

/**
 * Streams the JSON records of a file ('-' for stdin), NDJSON, one JSON array, pretty-printed
 * objects one after another, or arrays inside wrapper objects, with the line each starts on. Never throws for bad input: every problem is an item with
 * `ok: false`, and the records around it are still read. Memory stays flat: the file is
 * read in chunks and no record over `maxRecordBytes` is ever held.
 */
export function readRecords(source: string, options: ReadRecordsOptions = {}): AsyncGenerator<RecordItem> {
  return readRecordChunks(openSource(source), source, options);
}

/** readRecords over bytes that are already a stream of chunks (cut anywhere); `source` names them in errors. */
export async function* readRecordChunks(
  byteChunks: AsyncIterable<Buffer>,
  source: string,
  options: ReadRecordsOptions = {},
): AsyncGenerator<RecordItem> {
  const layout = new LayoutChooser(source, options);
  let bytesRead = 0;
  const chunks = byteChunks[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch (err) {
        const line = bytesRead === 0 ? 0 : layout.line;
        const what = source === STDIN_SOURCE ? 'stdin' : 'file';
        yield { ok: false, error: { source, line, message: `cannot read ${what}: ${(err as Error).message}` } };
        return;
      }
      if (next.done) break;
      bytesRead += next.value.length;
      for (const item of layout.push(next.value)) yield item;
    }
    for (const item of layout.end()) yield item;
  } finally {
    // stops the file stream when the consumer leaves early
    await chunks.return?.();
  }
}

/** "file:line: field: message" ("file:line: message" without a field); stdin shows as "<stdin>". */
export function formatRecordError(error: RecordError): string {
  const source = error.source === STDIN_SOURCE ? '<stdin>' : error.source;
  const field = error.field ? `${error.field}: ` : '';
  return `${source}:${error.line}: ${field}${error.message}`;
}
