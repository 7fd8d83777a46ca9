import { TimeHeap } from '../util/time-heap.js';
import type { SourceReport } from './source-report.js';
import type { EventItem } from './validate-event.js';

type GoodItem = Extract<EventItem, { ok: true }>;

/**
 * True when a source's first event times run newest-first (Entra and Graph exports do):
 * more steps down than up, and the first time later than the last.
 */
export function looksDescending(times: readonly number[]): boolean {
  if (times.length < 2) return false;
  let down = 0;
  let up = 0;
  for (let i = 1; i < times.length; i++) {
    if (times[i]! < times[i - 1]!) down++;
    else if (times[i]! > times[i - 1]!) up++;
  }
  return down > up && times[0]! > times[times.length - 1]!;
}

/**
 * Puts a nearly ordered stream in time order: each event is held until one at least
 * `windowMs` later has been read. Memory is bounded by the window (the events of
 * `windowMs` of event time). An event later than that is passed on at once, out of order,
 * and counted in `report.late`. Errors pass straight through.
 */
export async function* reorderWithin(
  items: AsyncIterable<EventItem>,
  windowMs: number,
  report: SourceReport,
  /** release every held event before an error (--strict stops at the error: what came before it is replayed) */
  flushBeforeErrors = false,
): AsyncGenerator<EventItem> {
  const heap = new TimeHeap<GoodItem>();
  let newest = -Infinity;
  let lastOut = -Infinity;
  for await (const item of items) {
    if (!item.ok) {
      while (flushBeforeErrors && heap.size > 0) {
        const held = heap.pop()!;
        lastOut = held.timeMs;
        yield held;
      }
      yield item;
      continue;
    }
    if (item.timeMs < lastOut) {
      report.late++;
      yield item;
      continue;
    }
    heap.push(item);
    if (item.timeMs > newest) newest = item.timeMs;
    const releaseUpTo = newest - windowMs;
    while (heap.size > 0 && heap.peekTime()! <= releaseUpTo) {
      const next = heap.pop()!;
      lastOut = next.timeMs;
      yield next;
    }
  }
  while (heap.size > 0) yield heap.pop()!;
}

/**
 * One stream in event-time order from several that are each in order, merged while
 * streaming (one event per source is held). Ties go to the source that got there first.
 * Errors pass straight through as they are met.
 */
export async function* mergeByTime(streams: AsyncIterable<EventItem>[]): AsyncGenerator<EventItem> {
  if (streams.length === 1) {
    yield* streams[0]!;
    return;
  }
  const iterators = streams.map((stream) => stream[Symbol.asyncIterator]());
  // one head per source: the item itself is not copied
  const heads = new TimeHeap<{ timeMs: number; item: GoodItem; from: number }>();
  // yields a source's errors as they come, up to its next good item, which joins the heads
  async function* pull(from: number): AsyncGenerator<EventItem> {
    for (;;) {
      const next = await iterators[from]!.next();
      if (next.done) return;
      if (next.value.ok) {
        heads.push({ timeMs: next.value.timeMs, item: next.value, from });
        return;
      }
      yield next.value;
    }
  }
  try {
    for (let i = 0; i < iterators.length; i++) yield* pull(i);
    for (;;) {
      const head = heads.pop();
      if (!head) return;
      yield head.item;
      yield* pull(head.from);
    }
  } finally {
    await Promise.all(iterators.map((it) => it.return?.()));
  }
}
