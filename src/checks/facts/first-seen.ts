import { z } from 'zod';
import { parseDuration } from '../../util/duration.js';
import type { Tracker } from './context.js';
import { DurationSchema } from './duration-schema.js';
import { compileKey, compileWhere, WhereSchema } from './where.js';

export const FirstSeenParams = z.strictObject({
  scope: z.enum(['user', 'tenant']),
  value: z.string().min(1),
  lookback: DurationSchema,
  minHistory: DurationSchema.optional(),
  where: WhereSchema.optional(),
});

interface ScopeHistory {
  since: number;
  lastSeen: Map<string, number>;
}

/** True when the value is new for the scope within `lookback` (new country, new device). */
export function createFirstSeen(params: z.infer<typeof FirstSeenParams>): Tracker {
  const lookbackMs = parseDuration(params.lookback);
  const minHistoryMs = parseDuration(params.minHistory ?? 0);
  const valueOf = compileKey(params.value);
  const matches = compileWhere(params.where);
  const scopes = new Map<string, ScopeHistory>();
  const scopeOf = (login: string) => (params.scope === 'tenant' ? '' : login);

  return {
    value(ctx) {
      const value = valueOf(ctx.event);
      if (value === undefined) return false;
      const history = scopes.get(scopeOf(ctx.event.user.login));
      // A scope's first event has nothing to be new against: it starts the history.
      if (!history || ctx.time - history.since < minHistoryMs) return false;
      const last = history.lastSeen.get(value);
      return last === undefined || last <= ctx.time - lookbackMs;
    },
    observe(ctx) {
      if (!matches(ctx.event)) return;
      const value = valueOf(ctx.event);
      if (value === undefined) return;
      const scope = scopeOf(ctx.event.user.login);
      let history = scopes.get(scope);
      if (!history) scopes.set(scope, (history = { since: ctx.time, lastSeen: new Map() }));
      history.lastSeen.set(value, Math.max(ctx.time, history.lastSeen.get(value) ?? 0));
    },
    sweep(now) {
      for (const history of scopes.values()) {
        for (const [value, last] of history.lastSeen) if (last <= now - lookbackMs) history.lastSeen.delete(value);
      }
    },
    size() {
      let total = 0;
      for (const history of scopes.values()) total += history.lastSeen.size;
      return total;
    },
  };
}
