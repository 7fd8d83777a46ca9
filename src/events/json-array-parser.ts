import { isJsonWhitespace, overLimitError, parseRecordBytes } from './parse-record.js';
import type { RecordItem, RecordParser } from './record-types.js';

const LF = 0x0a;
const COMMA = 0x2c;
const COLON = 0x3a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

// Where the scanner stands in `[ element , element ]`.
const OPEN = 0; // before the '['
const BEFORE_ELEMENT = 1; // after '[' or ','
const IN_ELEMENT = 2;
const AFTER_ELEMENT = 3; // expecting ',' or ']'
const GARBAGE = 4; // after something unexpected: skipping to the next ',', '{' or ']'
const CLOSED = 5; // after the final ']'
const STOPPED = 6; // nothing more will be read

function describeByte(b: number): string {
  return b > 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `byte 0x${b.toString(16).padStart(2, '0')}`;
}

/**
 * Streams the elements of one top-level JSON array. The scanner only tracks what it
 * needs to find where an element ends (strings, escapes, bracket nesting) and leaves
 * the real parsing of each element to JSON.parse. `line` of an element is the line of
 * its first byte.
 */
export class JsonArrayParser implements RecordParser {
  private currentLine: number;
  private phase = OPEN;

  // the element being cut
  private elementLine = 0;
  private segmentStart = 0; // where the element starts in the current chunk (0 if it began earlier)
  private pieces: Buffer[] = [];
  private elementBytes = 0; // bytes of the element in earlier chunks
  private overLimit = false; // too long: its bytes are counted, not kept
  private depth = 0;
  private closers: number[] = []; // expected closing brackets, innermost last (not kept when overLimit)
  private inString = false;
  private escaped = false;
  private consumed: number; // source offset of the current chunk's first byte
  private lastByteWasLf = false; // the byte before the current chunk (for the column-0 rule)
  private rest: { bytes: Buffer; offset: number; line: number } | undefined;
  private repaired = false; // the last element's brackets did not match
  private elementOffset = 0;

  /**
   * `layout`: 'array', the whole source is one JSON array; 'embedded', the array is a member
   * of a wrapper object (`{"value": [...]}`) and what follows its ']' is the rest of the
   * wrapper, not an error; 'concatenated', no array at all but JSON values one after the
   * other, as `jq '.[]'` prints them (pretty-printed objects, one after another).
   */
  constructor(
    private readonly source: string,
    private readonly maxRecordBytes: number,
    firstLine = 1,
    baseOffset = 0,
    private readonly layout: 'array' | 'embedded' | 'concatenated' = 'array',
  ) {
    this.currentLine = firstLine;
    this.consumed = baseOffset;
    if (layout === 'concatenated') this.phase = BEFORE_ELEMENT;
  }

  get line(): number {
    return this.currentLine;
  }

  push(chunk: Buffer): RecordItem[] {
    const items: RecordItem[] = [];
    this.segmentStart = 0;
    let i = 0;
    while (i < chunk.length && this.phase !== STOPPED) {
      if (this.phase === IN_ELEMENT) {
        i = this.scanElement(chunk, i, items);
      } else {
        i = this.stepBetweenElements(chunk, i, items);
      }
    }
    if (this.phase === IN_ELEMENT) this.keepElementPart(chunk.subarray(this.segmentStart));
    this.consumed += chunk.length;
    return items;
  }

  /** 'embedded': the bytes after the array (the rest of its wrapper, and whatever follows), once it has closed. */
  takeRest(): { bytes: Buffer; offset: number; line: number } | undefined {
    const rest = this.rest;
    this.rest = undefined;
    return rest;
  }

  end(): RecordItem[] {
    const items: RecordItem[] = [];
    if (this.phase === IN_ELEMENT && this.depth === 0 && !this.inString) {
      // a bare value (number, literal) ends where the file ends
      this.finishElement(Buffer.alloc(0), 0, items);
    }
    if (this.phase === IN_ELEMENT) {
      items.push(this.error(this.elementLine, 'truncated: the file ends inside this array element'));
    } else if (this.layout !== 'concatenated' && (this.phase === BEFORE_ELEMENT || this.phase === AFTER_ELEMENT || this.phase === GARBAGE)) {
      items.push(this.error(this.currentLine, 'truncated: the file ends before the JSON array is closed'));
    }
    this.phase = STOPPED;
    return items;
  }

  /** Handles one byte outside any element; returns the index of the next byte to look at. */
  private stepBetweenElements(chunk: Buffer, i: number, items: RecordItem[]): number {
    const b = chunk[i]!;
    if (isJsonWhitespace(b)) {
      if (b === LF) this.currentLine++;
      return i + 1;
    }
    switch (this.phase) {
      case OPEN:
        if (b === OPEN_BRACKET) {
          this.phase = BEFORE_ELEMENT;
        } else {
          items.push(this.error(this.currentLine, `expected a JSON array starting with '[', found ${describeByte(b)}`));
          this.phase = STOPPED;
        }
        return i + 1;
      case BEFORE_ELEMENT:
        if (b === CLOSE_BRACKET && this.layout === 'concatenated') {
          items.push(this.error(this.currentLine, "unexpected ']' between records"));
        } else if (b === CLOSE_BRACKET) {
          this.phase = CLOSED; // also accepts a trailing comma: no record is lost by it
        } else if (b === COMMA) {
          items.push(this.error(this.currentLine, "empty array element: ',' with no value before it"));
        } else if (b === CLOSE_BRACE || b === COLON) {
          items.push(this.error(this.currentLine, `unexpected ${describeByte(b)} where an array element should start`));
          this.phase = GARBAGE;
        } else {
          this.startElement(b, i);
        }
        return i + 1;
      case AFTER_ELEMENT:
        if (this.layout === 'concatenated') {
          this.phase = BEFORE_ELEMENT;
          return i; // the next value starts here
        }
        if (b === COMMA) {
          this.phase = BEFORE_ELEMENT;
          return i + 1;
        }
        if (b === CLOSE_BRACKET) {
          this.phase = CLOSED;
          return i + 1;
        }
        // after an element whose brackets were repaired, its leftover closers are part of the same mistake
        if (!this.repaired) items.push(this.error(this.currentLine, `expected ',' or ']' after an array element, found ${describeByte(b)}`));
        this.phase = GARBAGE;
        return i; // look at it again: a '{' there starts the next element (a missing comma)
      case GARBAGE:
        if (b === COMMA) this.phase = BEFORE_ELEMENT;
        else if (b === CLOSE_BRACKET) this.phase = CLOSED;
        else if (b === OPEN_BRACE) this.startElement(b, i);
        return i + 1;
      case CLOSED:
        if (this.layout === 'embedded') {
          this.phase = STOPPED;
          this.rest = { bytes: chunk.subarray(i), offset: this.consumed + i, line: this.currentLine };
          return chunk.length;
        }
        items.push(this.error(this.currentLine, `unexpected data after the end of the JSON array: ${describeByte(b)}`));
        this.phase = STOPPED;
        return i + 1;
      default:
        return chunk.length;
    }
  }

  private startElement(first: number, i: number): void {
    this.phase = IN_ELEMENT;
    this.repaired = false;
    this.elementLine = this.currentLine;
    this.segmentStart = i;
    this.elementOffset = this.consumed + i;
    this.pieces = [];
    this.elementBytes = 0;
    this.overLimit = false;
    this.closers = [];
    this.escaped = false;
    this.inString = first === QUOTE;
    this.depth = 0;
    if (first === OPEN_BRACE || first === OPEN_BRACKET) {
      this.depth = 1;
      this.closers.push(first === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET);
    }
  }

  /**
   * Scans element bytes from `from`. At depth 0 outside a string the element is a bare
   * value (number, literal, junk) that ends at the next delimiter.
   * Returns the index of the next byte to look at (chunk.length when the chunk ran out).
   */
  private scanElement(chunk: Buffer, from: number, items: RecordItem[]): number {
    let inString = this.inString;
    let escaped = this.escaped;
    for (let i = from; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) {
          inString = false;
          if (this.depth === 0) return this.completeElement(chunk, i + 1, AFTER_ELEMENT, items);
        } else if (b === LF) this.currentLine++;
        continue;
      }
      if (b === QUOTE) {
        if (this.depth === 0) return this.completeElement(chunk, i, AFTER_ELEMENT, items);
        inString = true;
      } else if (b === OPEN_BRACE && this.layout === 'concatenated' && this.depth > 0 && (i > 0 ? chunk[i - 1] === LF : this.lastByteWasLf)) {
        // pretty-printed records start at column 0 and nested values are indented: a '{' at
        // column 0 inside a record means the record before it was never closed
        return this.completeElement(chunk, i, BEFORE_ELEMENT, items);
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        if (this.depth === 0) return this.completeElement(chunk, i, AFTER_ELEMENT, items);
        this.depth++;
        if (!this.overLimit) this.closers.push(b === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET);
      } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (this.depth === 0) return this.completeElement(chunk, i, AFTER_ELEMENT, items);
        if (!this.overLimit && this.closers[this.closers.length - 1] !== b) {
          // A mismatched bracket. JSON.parse will say what is wrong with the element; the job
          // here is to end it where its writer meant to, so the elements after it survive.
          // One that closes an outer container closes the inner ones left open too; one that
          // matches no open container is taken as a mistyped closer of the innermost.
          const at = this.closers.lastIndexOf(b);
          this.repaired = true;
          if (at !== -1) {
            this.depth -= this.closers.length - 1 - at;
            this.closers.length = at + 1;
          }
        }
        if (!this.overLimit) this.closers.pop();
        this.depth--;
        if (this.depth === 0) return this.completeElement(chunk, i + 1, AFTER_ELEMENT, items);

      } else if (this.depth === 0 && (b === COMMA || b === COLON || isJsonWhitespace(b))) {
        return this.completeElement(chunk, i, AFTER_ELEMENT, items);
      } else if (b === LF) {
        this.currentLine++;
      }
    }
    this.inString = inString;
    this.escaped = escaped;
    this.lastByteWasLf = chunk[chunk.length - 1] === LF;
    return chunk.length;
  }

  private completeElement(chunk: Buffer, end: number, nextPhase: number, items: RecordItem[]): number {
    this.inString = false;
    this.escaped = false;
    this.finishElement(chunk, end, items);
    this.phase = nextPhase;
    return end;
  }

  private finishElement(chunk: Buffer, end: number, items: RecordItem[]): void {
    const lastPart = chunk.subarray(this.segmentStart, end);
    const size = this.elementBytes + lastPart.length;
    if (this.overLimit || size > this.maxRecordBytes) {
      items.push(overLimitError(this.source, this.elementLine, size, this.maxRecordBytes));
    } else {
      const bytes = this.pieces.length > 0 ? Buffer.concat([...this.pieces, lastPart]) : lastPart;
      items.push(parseRecordBytes(bytes, this.source, this.elementLine, this.elementOffset));
    }
    this.pieces = [];
    this.closers = [];
    this.phase = AFTER_ELEMENT;
  }

  /** The chunk ended inside an element: keep its bytes, unless the element is already too long. */
  private keepElementPart(part: Buffer): void {
    this.elementBytes += part.length;
    if (this.overLimit) return;
    if (this.elementBytes > this.maxRecordBytes) {
      this.overLimit = true;
      this.pieces = [];
      this.closers = [];
    } else {
      this.pieces.push(part);
    }
  }

  private error(line: number, message: string): RecordItem {
    return { ok: false, error: { source: this.source, line, message } };
  }
}
