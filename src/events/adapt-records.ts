import type { RawRecord, SourceAdapter, SourceFormat } from './adapters/adapter-types.js';
import { sigfireAdapter } from './adapters/sigfire.js';
import type { RecordItem } from './record-types.js';
import type { SourceReport } from './source-report.js';
import { validateEvent, type EventItem } from './validate-event.js';

/** records looked at for one a format recognises before a file is given up as unknown */
const DETECTION_ATTEMPTS = 10;

export interface AdaptOptions {
  /** the adapters a source may be in, in detection order */
  adapters: readonly SourceAdapter[];
  /** a format named by the user (`--format`); otherwise detected from the first record */
  format?: SourceFormat;
}

/**
 * Turns a source's records into validated sigfire events through its format's adapter.
 * The format is the one asked for, or the first adapter that recognises the first record;
 * a source nothing recognises gives one error and is not read further. Ignored records
 * (nothing a check can use) are counted in the report, not yielded.
 */
export async function* adaptRecords(
  records: AsyncIterable<RecordItem>,
  options: AdaptOptions,
  report: SourceReport,
): AsyncGenerator<EventItem> {
  let adapter = options.format ? options.adapters.find((a) => a.format === options.format) : undefined;
  if (adapter) report.format = adapter.format;
  // records before the first one a format recognises: adapted (and reported) once the format is known
  let unrecognised: Array<Extract<RecordItem, { ok: true }>> = [];
  for await (const item of records) {
    if (!item.ok) {
      report.errors++;
      yield item;
      continue;
    }
    report.records++;
    if (!adapter) {
      adapter = options.adapters.find((candidate) => candidate.recognizes(item.value as RawRecord));
      if (!adapter) {
        unrecognised.push(item);
        if (unrecognised.length < DETECTION_ATTEMPTS) continue;
        yield giveUp(unrecognised, options.adapters, report);
        return;
      }
      report.format = adapter.format;
      report.detected = true;
      for (const early of unrecognised) yield* adaptOne(adapter, early, report);
      unrecognised = [];
    }
    yield* adaptOne(adapter, item, report);
  }
  if (unrecognised.length > 0) yield giveUp(unrecognised, options.adapters, report);
}

/** Nothing recognised the first records: one line for the file, which is read no further. */
function giveUp(unrecognised: Array<Extract<RecordItem, { ok: true }>>, adapters: readonly SourceAdapter[], report: SourceReport): EventItem {
  report.errors++;
  const first = unrecognised[0]!;
  return { ok: false, error: { source: first.source, line: first.line, message: unrecognisedMessage(adapters) } };
}

/** One record through its format's adapter: the events it holds (validated), an error, or nothing (ignored). */
function adaptOne(adapter: SourceAdapter, item: Extract<RecordItem, { ok: true }>, report: SourceReport): EventItem[] {
  if (adapter === sigfireAdapter) {
    const event = validateEvent(item.value, item.source, item.line);
    if (event.ok) report.events++;
    else report.errors++;
    return [event];
  }
  const result = adapter.adapt(item.value as RawRecord);
  if (result.kind === 'ignored') {
    report.ignored++;
    return [];
  }
  if (result.kind === 'error') {
    report.errors++;
    const error = { source: item.source, line: item.line, message: result.message };
    return [{ ok: false, error: result.field ? { ...error, field: result.field } : error }];
  }
  return result.events.map((candidate) => {
    const event = validateEvent(candidate, item.source, item.line);
    if (event.ok) {
      report.events++;
      // one look for every provider's times ("2025-03-10T14:20:41.265540+00:00" -> "...41.265Z")
      event.event.time = new Date(event.timeMs).toISOString();
    } else {
      report.errors++;
      event.error.message = `mapped ${adapter.name} event: ${event.error.message}`;
    }
    return event;
  });
}

function unrecognisedMessage(adapters: readonly SourceAdapter[]): string {
  const expected = adapters.map((a) => `${a.name} (${a.expects})`).join('; ');
  return `not a format sigfire knows: expected ${expected}; or name it with --format ${adapters.map((a) => a.format).join('|')}`;
}
