/** Terminal output helpers shared by the commands: tables, colour on a TTY only, progress lines. */
const useColour = (stream: NodeJS.WriteStream) => stream.isTTY === true && !process.env.NO_COLOR;

const CODES = { red: 31, green: 32, amber: 33, blue: 34, magenta: 35, grey: 90, bold: 1 } as const;
export type Colour = keyof typeof CODES;

export function paint(text: string, colour: Colour, stream: NodeJS.WriteStream = process.stdout): string {
  return useColour(stream) ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text;
}

export const SEVERITY_COLOUR: Record<string, Colour> = { critical: 'magenta', high: 'red', medium: 'amber', low: 'blue' };

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const visibleLength = (text: string) => text.replace(ANSI, '').length;

/** Left-aligned columns; cells may carry colour codes. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(visibleLength(title), ...rows.map((row) => visibleLength(row[column] ?? ''))));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell + ' '.repeat(widths[column]! - visibleLength(cell)))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A progress line redrawn in place on a TTY (stderr); silent otherwise. */
export class ProgressLine {
  private timer: NodeJS.Timeout | undefined;
  private shown = false;

  constructor(
    private readonly render: () => string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    everyMs = 500,
  ) {
    if (stream.isTTY) {
      this.timer = setInterval(() => this.draw(), everyMs);
      this.timer.unref();
    }
  }

  private draw(): void {
    this.stream.write(`\r\u001b[2K${this.render()}`);
    this.shown = true;
  }

  /** Clears the line so normal output can be printed. */
  clear(): void {
    if (this.shown) this.stream.write('\r\u001b[2K');
    this.shown = false;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
  }
}
