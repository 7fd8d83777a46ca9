import type { EventUser, IdentityEvent } from '../../events/schema.js';
import type { ListStore } from '../lists.js';

/** What every fact sees for the event being evaluated. */
export interface EvaluationContext {
  event: IdentityEvent;
  /** Event time in ms since the epoch. */
  time: number;
  /** The user as the directory knows them, merged with this event's user block. */
  user: EventUser;
}

/**
 * Per-fact state over event time. `value` answers for the current event (state before it,
 * plus the event itself where the fact counts it); `observe` then records the event.
 */
export interface Tracker {
  value(ctx: EvaluationContext): unknown;
  observe(ctx: EvaluationContext): void;
  /** Drops state that can no longer matter at event time `now`. */
  sweep(now: number): void;
  /** Entries held, for memory accounting in tests and benchmarks. */
  size(): number;
}

export interface TrackerDeps {
  lists: ListStore;
}
