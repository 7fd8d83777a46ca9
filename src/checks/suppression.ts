import { getPath } from '../util/object-path.js';
import type { IdentityEvent } from '../events/schema.js';
import type { Check } from './check-schema.js';

/** A check fires at most once per key (default the user) within its suppress window, on event time. */
export class Suppression {
  private readonly lastFired = new Map<string, number>();
  private sinceSweep = 0;
  private longestWindow = 0;

  /** True when the check may fire for this event; records the firing if so. */
  admit(check: Check, event: IdentityEvent, time: number): boolean {
    if (check.suppressMs <= 0) return true;
    this.longestWindow = Math.max(this.longestWindow, check.suppressMs);
    const keyValue = getPath(event, check.suppressKey);
    // An event without the key's value is suppressed per user, never in one shared bucket.
    const scope = keyValue === undefined || keyValue === null || keyValue === '' ? `user:${event.user.login}` : `key:${String(keyValue)}`;
    const key = `${check.id}\u0000${scope}`;
    const last = this.lastFired.get(key);
    if (last !== undefined && time - last < check.suppressMs && time >= last) return false;
    this.lastFired.set(key, time);
    if (++this.sinceSweep >= 10_000) this.sweep(time);
    return true;
  }

  private sweep(now: number): void {
    this.sinceSweep = 0;
    for (const [key, last] of this.lastFired) if (now - last >= this.longestWindow) this.lastFired.delete(key);
  }

  get size(): number {
    return this.lastFired.size;
  }
}
