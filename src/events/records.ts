import { createReadStream } from 'node:fs';
import { FormatSniffer, type RecordFormat, type SniffedStart } from './format-sniffer.js';
import { JsonArrayParser } from './json-array-parser.js';
import { NdjsonParser } from './ndjson-parser.js';
import { MIB } from './parse-record.js';
import type { ReadRecordsOptions, RecordError, RecordItem, RecordParser } from './record-types.js';
import { WrapperProbe, type ProbeDecision } from './wrapper-probe.js';

export type { ReadRecordsOptions, RecordError, RecordItem } from './record-types.js';

export const STDIN_SOURCE = '-';
export const DEFAULT_MAX_RECORD_BYTES = MIB;

function openSource(source: string): AsyncIterable<Buffer> {
  if (source === STDIN_SOURCE) return process.stdin;
  return createReadStream(source, { highWaterMark: MIB });
}

const OPEN_BRACE = 0x7b;

function createParser(format: RecordFormat, source: string, maxRecordBytes: number, firstLine: number, offset: number): RecordParser {
  return format === 'json-array'
    ? new JsonArrayParser(source, maxRecordBytes, firstLine, offset)
    : new NdjsonParser(source, maxRecordBytes, firstLine, offset);
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

/**
 * Decides how a source holds its records (NDJSON, a JSON array, or an array inside a
 * wrapper object) from its first bytes, then hands every chunk to the parser for that.
 */
class LayoutChooser {
  private readonly maxRecordBytes: number;
  private readonly sniffer: FormatSniffer;
  private parser: RecordParser | undefined;
  private probe: { probe: WrapperProbe; start: SniffedStart; held: Buffer[]; bytes: number } | undefined;

  constructor(
    private readonly source: string,
    private readonly options: ReadRecordsOptions,
  ) {
    this.maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    this.sniffer = new FormatSniffer(options.format ?? 'auto');
  }

  get line(): number {
    return this.parser?.line ?? 1;
  }

  push(chunk: Buffer): RecordItem[] {
    if (this.parser) return this.parser.push(chunk);
    if (this.probe) return this.feedProbe(chunk);
    const start = this.sniffer.feed(chunk);
    return start ? this.begin(start) : [];
  }

  end(): RecordItem[] {
    const items: RecordItem[] = [];
    if (!this.parser && !this.probe) {
      const start = this.sniffer.finish();
      if (!start) return items; // empty, or only blank space
      items.push(...this.begin(start));
    }
    if (this.probe) items.push(...this.settleProbe(undefined));
    if (this.parser) items.push(...this.parser.end());
    return items;
  }

  private begin(start: SniffedStart): RecordItem[] {
    const mayBeWrapper = (this.options.format ?? 'auto') === 'auto' && start.rest[0] === OPEN_BRACE;
    if (mayBeWrapper) {
      this.probe = { probe: new WrapperProbe(start.firstLine), start, held: [], bytes: 0 };
      return this.feedProbe(start.rest);
    }
    this.parser = createParser(start.format, this.source, this.maxRecordBytes, start.firstLine, start.offset);
    this.options.onLayout?.({ kind: start.format });
    return this.parser.push(start.rest);
  }

  private feedProbe(chunk: Buffer): RecordItem[] {
    const probe = this.probe!;
    probe.held.push(chunk);
    probe.bytes += chunk.length;
    const decision = probe.probe.feed(chunk);
    // a first record longer than the limit is NDJSON's to report
    if (!decision && probe.bytes <= this.maxRecordBytes + 1) return [];
    return this.settleProbe(decision);
  }

  private settleProbe(decision: ProbeDecision | undefined): RecordItem[] {
    const { start, held } = this.probe!;
    this.probe = undefined;
    const bytes = Buffer.concat(held);
    if (decision?.kind === 'wrapper') {
      this.parser = new JsonArrayParser(this.source, this.maxRecordBytes, decision.line, start.offset + decision.offset, 'embedded');
      this.options.onLayout?.({ kind: 'wrapper', path: decision.path });
      return this.parser.push(bytes.subarray(decision.offset));
    }
    if (decision?.multiline) {
      this.parser = new JsonArrayParser(this.source, this.maxRecordBytes, start.firstLine, start.offset, 'concatenated');
      this.options.onLayout?.({ kind: 'concatenated' });
      return this.parser.push(bytes);
    }
    this.parser = new NdjsonParser(this.source, this.maxRecordBytes, start.firstLine, start.offset);
    this.options.onLayout?.({ kind: 'ndjson' });
    return this.parser.push(bytes);
  }
}

/** "file:line: field: message" ("file:line: message" without a field); stdin shows as "<stdin>". */
export function formatRecordError(error: RecordError): string {
  const source = error.source === STDIN_SOURCE ? '<stdin>' : error.source;
  const field = error.field ? `${error.field}: ` : '';
  return `${source}:${error.line}: ${field}${error.message}`;
}
