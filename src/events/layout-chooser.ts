import { FormatSniffer, type RecordFormat, type SniffedStart } from './format-sniffer.js';
import { JsonArrayParser } from './json-array-parser.js';
import { NdjsonParser } from './ndjson-parser.js';
import { isJsonWhitespace, MIB } from './parse-record.js';
import type { ReadRecordsOptions, RecordItem, RecordParser } from './record-types.js';
import { WrapperProbe, type ProbeDecision } from './wrapper-probe.js';
import { WrapperTail } from './wrapper-tail.js';

export const DEFAULT_MAX_RECORD_BYTES = MIB;

const OPEN_BRACE = 0x7b;
const LF = 0x0a;

function createParser(format: RecordFormat, source: string, maxRecordBytes: number, firstLine: number, offset: number): RecordParser {
  return format === 'json-array'
    ? new JsonArrayParser(source, maxRecordBytes, firstLine, offset)
    : new NdjsonParser(source, maxRecordBytes, firstLine, offset);
}

/** bytes a step did not use, and their source offset: the next mode's to read */
type Rest = { bytes: Buffer; offset: number } | undefined;

type Mode =
  | { kind: 'sniff' }
  | { kind: 'probe'; probe: WrapperProbe; start: SniffedStart; held: Buffer[]; bytes: number }
  | { kind: 'parse'; parser: RecordParser; wrapperDepth?: number }
  | { kind: 'tail'; tail: WrapperTail }
  | { kind: 'between'; line: number }
  | { kind: 'done'; line: number };

/**
 * Decides how a source holds its records from its first bytes, then hands every chunk to
 * the parser for that: NDJSON, one JSON array, pretty-printed objects one after another,
 * or arrays inside wrapper objects (`{"value": [...]}`), several of them in a row (Event
 * Hub captures hold one `{"records": [...]}` a line; saved API pages follow each other).
 */
export class LayoutChooser {
  private readonly maxRecordBytes: number;
  private readonly sniffer: FormatSniffer;
  private mode: Mode = { kind: 'sniff' };
  private pushed = 0; // source offset of the next chunk

  constructor(
    private readonly source: string,
    private readonly options: ReadRecordsOptions,
  ) {
    this.maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    this.sniffer = new FormatSniffer(options.format ?? 'auto');
  }

  /** the line reading has reached */
  get line(): number {
    switch (this.mode.kind) {
      case 'parse':
        return this.mode.parser.line;
      case 'tail':
        return this.mode.tail.line;
      case 'between':
      case 'done':
        return this.mode.line;
      case 'probe':
        return this.mode.start.firstLine;
      default:
        return 1;
    }
  }

  push(chunk: Buffer): RecordItem[] {
    const items: RecordItem[] = [];
    const offset = this.pushed;
    this.pushed += chunk.length;
    // a chunk may hold the end of one wrapper and the start of the next: step until it is used up
    this.run({ bytes: chunk, offset }, items);
    return items;
  }

  private run(rest: Rest, items: RecordItem[]): void {
    while (rest && rest.bytes.length > 0) rest = this.step(rest.bytes, rest.offset, items);
  }

  end(): RecordItem[] {
    const items: RecordItem[] = [];
    if (this.mode.kind === 'sniff') {
      const start = this.sniffer.finish();
      if (start) this.run(this.begin(start, items), items);
    }
    // what the probe holds is all there is: settle it (its rest may hold another wrapper, cut short)
    while (this.mode.kind === 'probe') this.run(this.settleProbe(undefined, items), items);
    if (this.mode.kind === 'parse') items.push(...this.mode.parser.end());
    if (this.mode.kind === 'tail') {
      items.push(this.error(this.mode.tail.line, 'truncated: the file ends inside the wrapper object'));
    }
    return items;
  }

  private step(bytes: Buffer, offset: number, items: RecordItem[]): Rest {
    const mode = this.mode;
    switch (mode.kind) {
      case 'sniff': {
        const start = this.sniffer.feed(bytes);
        return start ? this.begin(start, items) : undefined;
      }
      case 'probe':
        return this.feedProbe(bytes, items);
      case 'parse':
        items.push(...mode.parser.push(bytes));
        return this.takeWrapperRest();
      case 'tail': {
        const end = mode.tail.feed(bytes);
        if (end === undefined) return undefined;
        this.mode = { kind: 'between', line: mode.tail.line };
        return { bytes: bytes.subarray(end), offset: offset + end };
      }
      case 'between':
        return this.stepBetween(mode, bytes, offset, items);
      case 'done':
        return undefined;
    }
  }

  /** After a wrapper object: blank space, then another wrapper (or record), or the end. */
  private stepBetween(mode: { kind: 'between'; line: number }, bytes: Buffer, offset: number, items: RecordItem[]): Rest {
    let i = 0;
    while (i < bytes.length && isJsonWhitespace(bytes[i]!)) {
      if (bytes[i] === LF) mode.line++;
      i++;
    }
    if (i === bytes.length) return undefined;
    if (bytes[i] === OPEN_BRACE) {
      return this.startProbe({ format: 'ndjson', firstLine: mode.line, rest: bytes.subarray(i), offset: offset + i }, items);
    }
    items.push(this.error(mode.line, `unexpected data after the wrapper object: ${JSON.stringify(String.fromCharCode(bytes[i]!))}`));
    this.mode = { kind: 'done', line: mode.line };
    return undefined;
  }

  /** A wrapper's record array has closed: what follows is the rest of the wrapper. */
  private takeWrapperRest(): Rest {
    const mode = this.mode;
    if (mode.kind !== 'parse' || mode.wrapperDepth === undefined || !(mode.parser instanceof JsonArrayParser)) return undefined;
    const rest = mode.parser.takeRest();
    if (!rest) return undefined;
    this.mode = { kind: 'tail', tail: new WrapperTail(mode.wrapperDepth, rest.line) };
    return { bytes: rest.bytes, offset: rest.offset };
  }

  private begin(start: SniffedStart, items: RecordItem[]): Rest {
    if ((this.options.format ?? 'auto') === 'auto' && start.rest[0] === OPEN_BRACE) return this.startProbe(start, items);
    const parser = createParser(start.format, this.source, this.maxRecordBytes, start.firstLine, start.offset);
    this.mode = { kind: 'parse', parser };
    this.options.onLayout?.({ kind: start.format });
    items.push(...parser.push(start.rest));
    return undefined;
  }

  private startProbe(start: SniffedStart, items: RecordItem[]): Rest {
    this.mode = { kind: 'probe', probe: new WrapperProbe(start.firstLine), start, held: [], bytes: 0 };
    return this.feedProbe(start.rest, items);
  }

  private feedProbe(chunk: Buffer, items: RecordItem[]): Rest {
    const mode = this.mode;
    if (mode.kind !== 'probe') return undefined;
    mode.held.push(chunk);
    mode.bytes += chunk.length;
    const decision = mode.probe.feed(chunk);
    // a first record longer than the limit is NDJSON's to report
    return decision || mode.bytes > this.maxRecordBytes + 1 ? this.settleProbe(decision, items) : undefined;
  }

  private settleProbe(decision: ProbeDecision | undefined, items: RecordItem[]): Rest {
    const mode = this.mode;
    if (mode.kind !== 'probe') return undefined;
    const { start } = mode;
    const bytes = Buffer.concat(mode.held);
    let parser: RecordParser;
    let rest = bytes;
    if (decision?.kind === 'wrapper') {
      parser = new JsonArrayParser(this.source, this.maxRecordBytes, decision.line, start.offset + decision.offset, 'embedded');
      rest = bytes.subarray(decision.offset);
      this.mode = { kind: 'parse', parser, wrapperDepth: decision.depth };
      this.options.onLayout?.({ kind: 'wrapper', path: decision.path });
    } else if (decision?.multiline) {
      parser = new JsonArrayParser(this.source, this.maxRecordBytes, start.firstLine, start.offset, 'concatenated');
      this.mode = { kind: 'parse', parser };
      this.options.onLayout?.({ kind: 'concatenated' });
    } else {
      parser = new NdjsonParser(this.source, this.maxRecordBytes, start.firstLine, start.offset);
      this.mode = { kind: 'parse', parser };
      this.options.onLayout?.({ kind: 'ndjson' });
    }
    items.push(...parser.push(rest));
    return this.takeWrapperRest();
  }

  private error(line: number, message: string): RecordItem {
    return { ok: false, error: { source: this.source, line, message } };
  }
}
