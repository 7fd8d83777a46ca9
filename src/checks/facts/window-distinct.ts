import { z } from 'zod';
import { parseDuration } from '../../util/duration.js';
import type { EvaluationContext, Tracker } from './context.js';
import { DurationSchema } from './duration-schema.js';
import { TimeQueue } from './time-queue.js';
import { compileKey, compileWhere, PathsSchema, WhereSchema } from './where.js';

export const WindowDistinctParams = z.strictObject({
  key: PathsSchema,
  distinct: PathsSchema,
  window: DurationSchema,
  where: WhereSchema.optional(),
  excludeCurrent: z.boolean().optional(),
});

/** Per key: each distinct value with the last time it was seen, plus a queue to expire them. */
class DistinctWindow {
  readonly lastSeen = new Map<string, number>();
  readonly queue = new TimeQueue<string>();

  expire(cutoff: number): void {
    this.queue.dropUntil(cutoff, (time, value) => {
      if (this.lastSeen.get(value) === time) this.lastSeen.delete(value);
    });
  }
}

/** Distinct values of `distinct` seen with this event's key within `window` (Sigma's value_count). */
export function createWindowDistinct(params: z.infer<typeof WindowDistinctParams>): Tracker {
  const windowMs = parseDuration(params.window);
  const keyOf = compileKey(params.key);
  const distinctOf = compileKey(params.distinct);
  const matches = compileWhere(params.where);
  const windows = new Map<string, DistinctWindow>();

  return {
    value(ctx: EvaluationContext) {
      const key = keyOf(ctx.event);
      if (key === undefined) return 0;
      const window = windows.get(key);
      window?.expire(ctx.time - windowMs);
      const current = distinctOf(ctx.event);
      let count = window?.lastSeen.size ?? 0;
      const currentCounted = current !== undefined && window?.lastSeen.has(current) === true;
      if (params.excludeCurrent) return currentCounted ? count - 1 : count;
      if (!currentCounted && current !== undefined && matches(ctx.event)) count += 1;
      return count;
    },
    observe(ctx) {
      if (!matches(ctx.event)) return;
      const key = keyOf(ctx.event);
      const value = distinctOf(ctx.event);
      if (key === undefined || value === undefined) return;
      let window = windows.get(key);
      if (!window) windows.set(key, (window = new DistinctWindow()));
      window.lastSeen.set(value, ctx.time);
      window.queue.push(ctx.time, value);
    },
    sweep(now) {
      for (const [key, window] of windows) {
        window.expire(now - windowMs);
        if (window.lastSeen.size === 0) windows.delete(key);
      }
    },
    size() {
      let total = 0;
      for (const window of windows.values()) total += window.queue.length;
      return total;
    },
  };
}
