const LF = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Where API exports keep their records inside one wrapper object:
 * Microsoft Graph `{"value": [...]}`, Azure Event Hub / diagnostic settings `{"records": [...]}`,
 * Duo Admin API v2 `{"response": {"authlogs": [...]}}` (`{"authlogs": [...]}` as Duo's client
 * libraries return it) and v1 `{"response": [...]}`.
 */
export const RECORD_ARRAY_PATHS = ['value', 'records', 'response.authlogs', 'authlogs', 'response'] as const;

const LONGEST_KEY = 64;

export type ProbeDecision =
  /** the records are the elements of the array starting at `offset` (an index into the bytes fed) on `line` */
  | { kind: 'wrapper'; path: string; offset: number; line: number; depth: number }
  /**
   * the first object closed with no record array in it: the source is records one after
   * the other; `multiline` when that first object spans lines (pretty-printed, not NDJSON)
   */
  | { kind: 'records'; multiline: boolean };

interface Frame {
  isObject: boolean;
  /** the member key this container is the value of ('' inside arrays) */
  key: string;
}

/**
 * Looks into a source that starts with '{' to tell a wrapper object (whose record array
 * must be streamed) from NDJSON. Scans the bytes (strings, escapes, nesting) and follows
 * member keys until either a known record array opens or the first object closes.
 */
export class WrapperProbe {
  private readonly stack: Frame[] = [];
  private inString = false;
  private escaped = false;
  private stringBytes: number[] | undefined; // the string being read, when it may be a key
  private lastString: string | undefined;
  private pendingKey: string | undefined; // a key whose ':' was seen: the next value is its
  private fed = 0;
  private line: number;

  constructor(private readonly firstLine: number) {
    this.line = firstLine;
  }

  /** Feeds more bytes; returns the decision once it is known. */
  feed(chunk: Buffer): ProbeDecision | undefined {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === LF) this.line++;
      if (this.inString) {
        this.readStringByte(b);
        continue;
      }
      const decision = this.readStructuralByte(b, this.fed + i);
      if (decision) return decision;
    }
    this.fed += chunk.length;
    return undefined;
  }

  private readStringByte(b: number): void {
    if (this.escaped) {
      this.escaped = false;
      this.stringBytes = undefined; // keys with escapes are never ours
    } else if (b === BACKSLASH) {
      this.escaped = true;
    } else if (b === QUOTE) {
      this.inString = false;
      this.lastString = this.stringBytes ? Buffer.from(this.stringBytes).toString('utf8') : undefined;
    } else if (this.stringBytes) {
      if (this.stringBytes.length < LONGEST_KEY) this.stringBytes.push(b);
      else this.stringBytes = undefined;
    }
  }

  private readStructuralByte(b: number, offset: number): ProbeDecision | undefined {
    const top = this.stack[this.stack.length - 1];
    switch (b) {
      case QUOTE:
        this.inString = true;
        this.stringBytes = top?.isObject && this.pendingKey === undefined ? [] : undefined;
        this.lastString = undefined;
        return undefined;
      case COLON:
        this.pendingKey = this.lastString ?? '';
        return undefined;
      case COMMA:
        this.pendingKey = undefined;
        return undefined;
      case OPEN_BRACKET: {
        const key = this.pendingKey ?? '';
        const path = [...this.stack.slice(1).map((frame) => frame.key), key].join('.');
        if (top?.isObject && (RECORD_ARRAY_PATHS as readonly string[]).includes(path)) {
          return { kind: 'wrapper', path, offset, line: this.line, depth: this.stack.length };
        }
        this.stack.push({ isObject: false, key });
        this.pendingKey = undefined;
        return undefined;
      }
      case OPEN_BRACE:
        this.stack.push({ isObject: true, key: this.pendingKey ?? '' });
        this.pendingKey = undefined;
        return undefined;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        this.stack.pop();
        this.pendingKey = undefined;
        return this.stack.length === 0 ? { kind: 'records', multiline: this.line > this.firstLine } : undefined;
      default:
        return undefined;
    }
  }
}
