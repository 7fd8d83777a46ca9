import { readRecords } from './records.js';
import type { ReadRecordsOptions } from './record-types.js';
import { validateEvent, type EventItem } from './validate-event.js';

export interface ReadEventsOptions extends ReadRecordsOptions {}

/** Reads and validates the events of each source in turn (no time ordering across sources). */
export async function* readEvents(sources: string[], options: ReadEventsOptions = {}): AsyncGenerator<EventItem> {
  for (const source of sources) {
    for await (const item of readRecords(source, options)) {
      yield item.ok ? validateEvent(item.value, item.source, item.line) : item;
    }
  }
}
