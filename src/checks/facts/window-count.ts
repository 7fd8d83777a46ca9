import { z } from 'zod';
import { parseDuration } from '../../util/duration.js';
import type { EvaluationContext, Tracker } from './context.js';
import { TimeQueue } from './time-queue.js';
import { compileKey, compileWhere, PathsSchema, WhereSchema } from './where.js';
import { DurationSchema } from './duration-schema.js';

export const WindowCountParams = z.strictObject({
  key: PathsSchema,
  window: DurationSchema,
  where: WhereSchema.optional(),
});

/** Number of events matching `where` with this event's key within `window`, this one included. */
export function createWindowCount(params: z.infer<typeof WindowCountParams>): Tracker {
  const windowMs = parseDuration(params.window);
  const keyOf = compileKey(params.key);
  const matches = compileWhere(params.where);
  const queues = new Map<string, TimeQueue>();

  return {
    value(ctx: EvaluationContext) {
      const key = keyOf(ctx.event);
      if (key === undefined) return 0;
      const queue = queues.get(key);
      queue?.dropUntil(ctx.time - windowMs);
      return (queue?.length ?? 0) + (matches(ctx.event) ? 1 : 0);
    },
    observe(ctx) {
      if (!matches(ctx.event)) return;
      const key = keyOf(ctx.event);
      if (key === undefined) return;
      let queue = queues.get(key);
      if (!queue) queues.set(key, (queue = new TimeQueue()));
      queue.push(ctx.time);
    },
    sweep(now) {
      for (const [key, queue] of queues) {
        queue.dropUntil(now - windowMs);
        if (queue.length === 0) queues.delete(key);
      }
    },
    size() {
      let total = 0;
      for (const queue of queues.values()) total += queue.length;
      return total;
    },
  };
}
