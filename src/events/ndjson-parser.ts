import { overLimitError, parseRecordBytes } from './parse-record.js';
import type { RecordItem, RecordParser } from './record-types.js';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

function isBlank(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== SPACE && b !== TAB && b !== CR) return false;
  }
  return true;
}

function withoutTrailingCr(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.subarray(0, bytes.length - 1) : bytes;
}

/**
 * One JSON value per line. Lines are cut on the LF byte (Buffer.indexOf is much faster
 * than readline); a line spread over several chunks is kept as pieces, and a line that
 * outgrows the limit is not kept at all: its bytes are only counted until its LF.
 */
export class NdjsonParser implements RecordParser {
  private currentLine: number;
  private pieces: Buffer[] = [];
  private pendingBytes = 0;
  private discarding = false;
  private lastDiscardedByte = -1;
  private consumed: number; // source offset of the next chunk's first byte
  private lineStart: number; // source offset of the current line's first byte

  constructor(
    private readonly source: string,
    private readonly maxRecordBytes: number,
    firstLine = 1,
    baseOffset = 0,
  ) {
    this.currentLine = firstLine;
    this.consumed = baseOffset;
    this.lineStart = baseOffset;
  }

  get line(): number {
    return this.currentLine;
  }

  push(chunk: Buffer): RecordItem[] {
    const items: RecordItem[] = [];
    const chunkBase = this.consumed;
    this.consumed += chunk.length;
    let start = 0;
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      if (lf === -1) {
        this.keepPartialLine(chunk.subarray(start));
        break;
      }
      this.finishLine(chunk.subarray(start, lf), items);
      start = lf + 1;
      this.lineStart = chunkBase + start;
    }
    return items;
  }

  end(): RecordItem[] {
    const items: RecordItem[] = [];
    if (this.discarding || this.pieces.length > 0) this.finishLine(Buffer.alloc(0), items);
    return items;
  }

  private keepPartialLine(part: Buffer): void {
    if (part.length === 0) return;
    this.pendingBytes += part.length;
    if (this.discarding) {
      this.lastDiscardedByte = part[part.length - 1]!;
      return;
    }
    // +1: the line may still turn out to end in CR, which is not part of the record
    if (this.pendingBytes > this.maxRecordBytes + 1) {
      this.discarding = true;
      this.pieces = [];
      this.lastDiscardedByte = part[part.length - 1]!;
      return;
    }
    this.pieces.push(part);
  }

  private finishLine(lastPart: Buffer, items: RecordItem[]): void {
    const line = this.currentLine;
    this.currentLine++;
    if (this.discarding) {
      const lastByte = lastPart.length > 0 ? lastPart[lastPart.length - 1] : this.lastDiscardedByte;
      const size = this.pendingBytes + lastPart.length - (lastByte === CR ? 1 : 0);
      this.resetLine();
      items.push(overLimitError(this.source, line, size, this.maxRecordBytes));
      return;
    }
    let bytes = lastPart;
    if (this.pieces.length > 0) {
      this.pieces.push(lastPart);
      bytes = Buffer.concat(this.pieces);
      this.resetLine();
    }
    bytes = withoutTrailingCr(bytes);
    if (bytes.length > this.maxRecordBytes) {
      items.push(overLimitError(this.source, line, bytes.length, this.maxRecordBytes));
    } else if (!isBlank(bytes)) {
      items.push(parseRecordBytes(bytes, this.source, line, this.lineStart));
    }
  }

  private resetLine(): void {
    this.pieces = [];
    this.pendingBytes = 0;
    this.discarding = false;
    this.lastDiscardedByte = -1;
  }
}
