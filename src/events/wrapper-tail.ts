const LF = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The rest of a wrapper object after its record array (`, "@odata.nextLink": "..."}`):
 * scanned (strings, escapes, nesting) only to find where the wrapper ends, so that another
 * wrapper or record after it in the same source is read too.
 */
export class WrapperTail {
  private inString = false;
  private escaped = false;

  constructor(
    /** containers still open when the record array ended (1 for {"value": [...]}) */
    private depth: number,
    public line: number,
  ) {}

  /** Index just after the wrapper's closing brace, or undefined when the chunk ran out first. */
  feed(chunk: Buffer): number | undefined {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === LF) this.line++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) this.inString = false;
        continue;
      }
      if (b === QUOTE) this.inString = true;
      else if (b === 0x7b || b === 0x5b) this.depth++;
      else if ((b === 0x7d || b === 0x5d) && --this.depth === 0) return i + 1;
    }
    return undefined;
  }
}
