import { createReadStream } from 'node:fs';
import { FormatSniffer, type RecordFormat } from './format-sniffer.js';
import { JsonArrayParser } from './json-array-parser.js';
import { NdjsonParser } from './ndjson-parser.js';
import { MIB } from './parse-record.js';
import type { ReadRecordsOptions, RecordError, RecordItem, RecordParser } from './record-types.js';

export type { ReadRecordsOptions, RecordError, RecordItem } from './record-types.js';

export const STDIN_SOURCE = '-';
export const DEFAULT_MAX_RECORD_BYTES = MIB;

function openSource(source: string): AsyncIterable<Buffer> {
  if (source === STDIN_SOURCE) return process.stdin;
  return createReadStream(source, { highWaterMark: MIB });
}

function createParser(format: RecordFormat, source: string, maxRecordBytes: number, firstLine: number): RecordParser {
  return format === 'json-array'
    ? new JsonArrayParser(source, maxRecordBytes, firstLine)
    : new NdjsonParser(source, maxRecordBytes, firstLine);
}

/**
 * Streams the JSON records of a file ('-' for stdin), NDJSON or one JSON array, with the
 * line each starts on. Never throws for bad input: every problem is an item with
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
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const sniffer = new FormatSniffer(options.format ?? 'auto');
  let parser: RecordParser | undefined;
  let bytesRead = 0;
  const chunks = byteChunks[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch (err) {
        const line = bytesRead === 0 ? 0 : (parser?.line ?? 1);
        const what = source === STDIN_SOURCE ? 'stdin' : 'file';
        yield { ok: false, error: { source, line, message: `cannot read ${what}: ${(err as Error).message}` } };
        return;
      }
      if (next.done) break;
      const chunk = next.value;
      bytesRead += chunk.length;
      if (parser) {
        for (const item of parser.push(chunk)) yield item;
        continue;
      }
      const start = sniffer.feed(chunk);
      if (start) {
        parser = createParser(start.format, source, maxRecordBytes, start.firstLine);
        for (const item of parser.push(start.rest)) yield item;
      }
    }
    if (!parser) {
      const start = sniffer.finish();
      if (!start) return; // empty, or only blank space
      parser = createParser(start.format, source, maxRecordBytes, start.firstLine);
      for (const item of parser.push(start.rest)) yield item;
    }
    for (const item of parser.end()) yield item;
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
