/** What a TimeHeap orders: `order` is written by the heap (insertion order, the tie-break). */
export interface Timed {
  timeMs: number;
  order?: number;
}

/**
 * A binary min-heap by time; ties keep insertion order, so the output is reproducible.
 * Used by the generator (pending events) and the replay (reorder window, merge of sources).
 */
export class TimeHeap<T extends Timed> {
  private readonly items: T[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(event: T): void {
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

  pushAll(events: Iterable<T>): void {
    for (const event of events) this.push(event);
  }

  peek(): T | undefined {
    return this.items[0];
  }

  peekTime(): number | undefined {
    return this.items[0]?.timeMs;
  }

  pop(): T | undefined {
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

function before(a: Timed, b: Timed): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.order! < b.order!);
}
