/**
 * Timestamps (and optional values) in arrival order, pruned from the front. Arrays with a
 * moving head: O(1) amortised, no Array#shift on the hot path.
 */
export class TimeQueue<V = undefined> {
  private times: number[] = [];
  private values: V[] = [];
  private head = 0;

  get length(): number {
    return this.times.length - this.head;
  }

  push(time: number, value?: V): void {
    this.times.push(time);
    this.values.push(value as V);
  }

  /** Removes entries at or before `cutoff`, calling `onDrop` for each. */
  dropUntil(cutoff: number, onDrop?: (time: number, value: V) => void): void {
    while (this.head < this.times.length && this.times[this.head]! <= cutoff) {
      onDrop?.(this.times[this.head]!, this.values[this.head]!);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.values = this.values.slice(this.head);
      this.head = 0;
    }
  }
}
