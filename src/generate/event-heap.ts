import type { PendingEvent } from './event-builder.js';

/**
 * A binary min-heap of pending events by time; ties keep insertion order, so the output
 * is reproducible. Holds about a day and a half of traffic at a time.
 */
export class EventHeap {
  private readonly items: PendingEvent[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(event: PendingEvent): void {
    const items = this.items;
    event.order = this.seq++;
    items.push(event);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pushAll(events: Iterable<PendingEvent>): void {
    for (const event of events) this.push(event);
  }

  peekTime(): number | undefined {
    return this.items[0]?.timeMs;
  }

  pop(): PendingEvent | undefined {
    const items = this.items;
    const top = items[0];
    if (!top) return undefined;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && before(items[left]!, items[smallest]!)) smallest = left;
        if (right < items.length && before(items[right]!, items[smallest]!)) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest]!, items[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

function before(a: PendingEvent, b: PendingEvent): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.order! < b.order!);
}
