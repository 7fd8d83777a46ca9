import { z } from 'zod';
import type { Tracker } from './context.js';

export const DaysSinceLastSuccessParams = z.strictObject({}).optional();

/** Days from the user's previous successful login (the directory's lastSuccessAt) to this event. */
export function createDaysSinceLastSuccess(): Tracker {
  return {
    value(ctx) {
      const last = ctx.user.lastSuccessAt;
      if (!last) return undefined;
      const days = (ctx.time - Date.parse(last)) / 86_400_000;
      return Math.floor(days * 10) / 10;
    },
    observe() {},
    sweep() {},
    size: () => 0,
  };
}
