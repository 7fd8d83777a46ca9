import type { RawRecord, SourceAdapter, SourceFormat } from './adapters/adapter-types.js';
import { sigfireAdapter } from './adapters/sigfire.js';
import type { RecordItem } from './record-types.js';
import type { SourceReport } from './source-report.js';
import { validateEvent, type EventItem } from './validate-event.js';

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
  if (adapter) report.formatName = adapter.name;
  for await (const item of records) {
    if (!item.ok) {
      report.errors++;
      yield item;
      continue;
    }
    report.records++;
    const record = item.value as RawRecord;
    if (!adapter) {
      adapter = options.adapters.find((candidate) => candidate.recognizes(record));
      if (!adapter) {
        report.errors++;
        yield { ok: false, error: { source: item.source, line: item.line, message: unrecognisedMessage(options.adapters) } };
        return;
      }
      report.format = adapter.format;
      report.formatName = adapter.name;
      report.detected = true;
    }
    if (adapter === sigfireAdapter) {
      const event = validateEvent(record, item.source, item.line);
      if (event.ok) report.events++;
      else report.errors++;
      yield event;
      continue;
    }
    const result = adapter.adapt(record);
    if (result.kind === 'ignored') {
      report.ignored++;
      continue;
    }
    if (result.kind === 'error') {
      report.errors++;
      const error = { source: item.source, line: item.line, message: result.message };
      yield { ok: false, error: result.field ? { ...error, field: result.field } : error };
      continue;
    }
    for (const candidate of result.events) {
      const event = validateEvent(candidate, item.source, item.line);
      if (event.ok) {
        report.events++;
        // one look for every provider's times ("2025-03-10T14:20:41.265540+00:00" -> "...41.265Z")
        event.event.time = new Date(event.timeMs).toISOString();
      } else {
        report.errors++;
        event.error.message = `mapped ${adapter.name} event: ${event.error.message}`;
      }
      yield event;
    }
  }
}

function unrecognisedMessage(adapters: readonly SourceAdapter[]): string {
  const expected = adapters.map((a) => `${a.name} (${a.expects})`).join('; ');
  return `not a format sigfire knows: expected ${expected}; or name it with --format ${adapters.map((a) => a.format).join('|')}`;
}
