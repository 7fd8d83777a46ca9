import type { SourceFormat } from './adapters/adapter-types.js';
import type { RecordLayout } from './record-types.js';

/** What the replay learnt about one source while reading it; updated live (the progress line reads it). */
export interface SourceReport {
  source: string;
  /** undefined until the first record is seen */
  format?: SourceFormat;
  /** true when the format was detected, false when --format named it */
  detected: boolean;
  layout?: RecordLayout;
  /** 'descending': the file runs newest-first and was read from its end */
  order: 'ascending' | 'descending';
  records: number;
  events: number;
  /** well-formed records that carry nothing a check can use */
  ignored: number;
  errors: number;
  /** events that arrived after later ones had been replayed, beyond the reorder window */
  late: number;
  /** something the user should know about how this source was read */
  warning?: string;
}

export function newSourceReport(source: string): SourceReport {
  return { source, detected: false, order: 'ascending', records: 0, events: 0, ignored: 0, errors: 0, late: 0 };
}

/** Starts the counts again (a newest-first file is read a second time, from its end). */
export function resetCounts(report: SourceReport): void {
  report.records = 0;
  report.events = 0;
  report.ignored = 0;
  report.errors = 0;
}
