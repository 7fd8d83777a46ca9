import { isJsonWhitespace } from './parse-record.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const LF = 0x0a;

export type RecordFormat = 'ndjson' | 'json-array';

export interface SniffedStart {
  format: RecordFormat;
  /** line of the first non-blank byte */
  firstLine: number;
  /** the bytes from the first non-blank one on */
  rest: Buffer;
  /** source offset of rest[0] */
  offset: number;
}

/**
 * Looks at the start of a source: drops a UTF-8 BOM and leading blank space (counting
 * its lines, without keeping it) and decides the format from the first real byte,
 * '[' meaning a JSON array.
 */
export class FormatSniffer {
  private held: Buffer = Buffer.alloc(0); // a start that may still be a BOM cut by the chunking
  private atStart = true;
  private line = 1;
  private offset = 0; // source offset of the first byte of the next chunk fed

  constructor(private readonly format: 'auto' | RecordFormat) {}

  /** Returns the decision once the first non-blank byte is seen, else undefined. */
  feed(chunk: Buffer): SniffedStart | undefined {
    let bytes = chunk;
    if (this.atStart) {
      bytes = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
      if (bytes.length < BOM.length && BOM.subarray(0, bytes.length).equals(bytes)) {
        this.held = bytes;
        this.offset += chunk.length;
        return undefined;
      }
      this.offset -= this.held.length;
      this.held = Buffer.alloc(0);
      this.atStart = false;
      if (bytes.subarray(0, BOM.length).equals(BOM)) {
        bytes = bytes.subarray(BOM.length);
        this.offset += BOM.length;
      }
    }
    let i = 0;
    while (i < bytes.length && isJsonWhitespace(bytes[i]!)) {
      if (bytes[i] === LF) this.line++;
      i++;
    }
    if (i === bytes.length) {
      this.offset += bytes.length;
      return undefined;
    }
    const format = this.format !== 'auto' ? this.format : bytes[i] === 0x5b ? 'json-array' : 'ndjson';
    return { format, firstLine: this.line, rest: bytes.subarray(i), offset: this.offset + i };
  }

  /** The source ended before a decision: bytes held as a possible BOM start are data after all. */
  finish(): SniffedStart | undefined {
    if (this.held.length === 0) return undefined;
    return { format: this.format === 'json-array' ? 'json-array' : 'ndjson', firstLine: this.line, rest: this.held, offset: this.offset - this.held.length };
  }
}
