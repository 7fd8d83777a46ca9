import { stat } from 'node:fs/promises';
import { adaptRecords } from './adapt-records.js';
import type { SourceAdapter, SourceFormat } from './adapters/adapter-types.js';
import { ADAPTERS } from './adapters/registry.js';
import { readRecordsBackwards } from './read-backwards.js';
import { readRecords, STDIN_SOURCE } from './records.js';
import type { ReadRecordsOptions } from './record-types.js';
import { newSourceReport, resetCounts, type SourceReport } from './source-report.js';
import { looksDescending, mergeByTime, reorderWithin } from './time-order.js';
import type { EventItem } from './validate-event.js';

export const DEFAULT_REORDER_WINDOW_MS = 5 * 60_000;
/** events looked at to tell a newest-first source */
const ORDER_SAMPLE = 64;
/** ...and records of any kind, at most */
const ORDER_SAMPLE_ITEMS = 256;

export interface ReadEventsOptions extends Pick<ReadRecordsOptions, 'maxRecordBytes'> {
  /** the formats sources may be in (default: all sigfire knows) */
  adapters?: readonly SourceAdapter[];
  /** every source is in this format (`--format`); default: detected per source */
  sourceFormat?: SourceFormat;
  /** disorder fixed within each source, in ms of event time (default 5 minutes) */
  reorderWindowMs?: number;
  /** hold no event back past a bad record (for --strict, which stops there) */
  flushBeforeErrors?: boolean;
  /** one report per source, in the order given, updated while reading */
  reports?: SourceReport[];
  /** a source's format and order are known (its first events have been read) */
  onSourceReady?(report: SourceReport): void;
}

/**
 * Reads, adapts and validates the events of every source and yields them as ONE stream in
 * event-time order: each source is put in order (a newest-first file is read from its
 * end; small disorder is fixed within the reorder window) and the sources are merged
 * while streaming. Bad records come out as error items where they are met.
 */
export function readEvents(sources: string[], options: ReadEventsOptions = {}): AsyncGenerator<EventItem> {
  const windowMs = options.reorderWindowMs ?? DEFAULT_REORDER_WINDOW_MS;
  const streams = sources.map((source) => {
    const report = newSourceReport(source);
    options.reports?.push(report);
    return reorderWithin(readSource(source, options, report), windowMs, report, options.flushBeforeErrors);
  });
  return mergeByTime(streams);
}

async function* readSource(source: string, options: ReadEventsOptions, report: SourceReport): AsyncGenerator<EventItem> {
  const adapters = options.adapters ?? ADAPTERS;
  const recordOptions: ReadRecordsOptions = { maxRecordBytes: options.maxRecordBytes, onLayout: (layout) => (report.layout = layout) };
  const forward = adaptRecords(readRecords(source, recordOptions), { adapters, format: options.sourceFormat }, report);

  try {
    const sample: EventItem[] = [];
    const times: number[] = [];
    // errors count too: a file of bad records must not be held whole while looking for good ones
    while (times.length < ORDER_SAMPLE && sample.length < ORDER_SAMPLE_ITEMS) {
      const next = await forward.next();
      if (next.done) break;
      sample.push(next.value);
      if (next.value.ok) times.push(next.value.timeMs);
    }
    if (looksDescending(times)) {
      const unreadable = await whyNotReadableBackwards(source);
      if (unreadable) {
        report.warning = `runs newest-first and ${unreadable} cannot be read from its end: save it to a file and replay the file`;
      } else {
        await forward.return(undefined);
        report.order = 'descending';
        resetCounts(report);
        options.onSourceReady?.(report);
        yield* adaptRecords(readRecordsBackwards(source, recordOptions), { adapters, format: report.format }, report);
        return;
      }
    }
    options.onSourceReady?.(report);
    yield* sample;
    yield* forward;
  } finally {
    // a consumer that stops early (--strict) must not leave the file open
    await forward.return(undefined);
  }
}

/** Why a source cannot be read a second time from its end (stdin, a pipe, a FIFO), or undefined for a regular file. */
async function whyNotReadableBackwards(source: string): Promise<string | undefined> {
  if (source === STDIN_SOURCE) return 'stdin';
  try {
    return (await stat(source)).isFile() ? undefined : 'a pipe';
  } catch {
    return 'it';
  }
}
