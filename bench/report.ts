/** One line of the printed table. */
export interface Row {
  section: string;
  figure: string;
  value: string;
  /** the ceiling or comparison it is measured against */
  against?: string;
  ratio?: string;
  target?: string;
  verdict?: 'PASS' | 'MISS';
}

/** What a section hands back: rows for the table, numbers for `--json`. */
export interface SectionResult {
  rows: Row[];
  figures: Record<string, unknown>;
}

export function verdict(pass: boolean): 'PASS' | 'MISS' {
  return pass ? 'PASS' : 'MISS';
}

export function formatRate(perSecond: number, unit: string): string {
  if (!Number.isFinite(perSecond)) return `- ${unit}`;
  return `${Math.round(perSecond).toLocaleString('en-US')} ${unit}`;
}

export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '-';
  return ratio >= 10 ? `${ratio.toFixed(1)}x` : `${ratio.toFixed(2)}x`;
}

export function formatMb(kb: number): string {
  return `${(kb / 1024).toFixed(1)} MB`;
}

/** Rounds floats in a figures object so the JSON line stays readable. */
export function roundFigures(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Math.round(value * 1000) / 1000;
  if (Array.isArray(value)) return value.map(roundFigures);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, roundFigures(inner)]));
  return value;
}

export function renderTable(rows: Row[]): string {
  const headers = ['SECTION', 'FIGURE', 'VALUE', 'AGAINST', 'RATIO', 'TARGET', ''];
  const cells = rows.map((row) => [row.section, row.figure, row.value, row.against ?? '', row.ratio ?? '', row.target ?? '', row.verdict ?? '']);
  const widths = headers.map((header, column) => Math.max(header.length, ...cells.map((line) => line[column]!.length)));
  const format = (line: string[]) => line.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [format(headers), format(widths.map((width) => '-'.repeat(width))), ...cells.map(format)].join('\n');
}
