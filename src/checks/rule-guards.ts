import type { IdentityEvent } from '../events/schema.js';
import { getPath } from '../util/object-path.js';
import type { Check } from './check-schema.js';

/**
 * Event fields that many checks pin in their top-level `all` (login.result = SUCCESS,
 * login.factor = push, action = role_assigned). Reading those conditions up front lets the
 * detector hand json-rules-engine only the checks that can still fire for an event, instead
 * of every check of the event type.
 */
const GUARD_FIELDS = {
  'login.result': { fact: 'login', path: 'result' },
  'login.factor': { fact: 'login', path: 'factor' },
  action: { fact: 'action', path: '' },
} as const;

type GuardField = keyof typeof GUARD_FIELDS;
const FIELDS = Object.keys(GUARD_FIELDS) as GuardField[];

/** Per field, the values a check accepts (undefined: any). */
export type RuleGuard = Partial<Record<GuardField, ReadonlySet<unknown>>>;

function conditionPath(condition: Record<string, unknown>): string {
  const path = typeof condition.path === 'string' ? condition.path.replace(/^\$\.?/, '') : '';
  return path;
}

export function guardOf(check: Check): RuleGuard {
  const guard: RuleGuard = {};
  const all = (check.rule.conditions as { all?: unknown }).all;
  if (!Array.isArray(all)) return guard;
  for (const condition of all as Array<Record<string, unknown>>) {
    if (condition.params !== undefined) continue;
    for (const field of FIELDS) {
      const spec = GUARD_FIELDS[field];
      if (condition.fact !== spec.fact && !(condition.fact === 'event' && conditionPath(condition) === field)) continue;
      if (condition.fact === spec.fact && conditionPath(condition) !== spec.path) continue;
      const allowed =
        condition.operator === 'equal' ? [condition.value] : condition.operator === 'in' && Array.isArray(condition.value) ? condition.value : undefined;
      if (!allowed) continue;
      const previous = guard[field];
      guard[field] = new Set(previous ? allowed.filter((value) => previous.has(value)) : allowed);
    }
  }
  return guard;
}

export function guardKey(event: IdentityEvent): string {
  let key = event.type;
  for (const field of FIELDS) key += `|${String(getPath(event, field) ?? '')}`;
  return key;
}

/** Whether a check with this guard can fire on an event with these field values. */
export function guardAdmits(guard: RuleGuard, event: IdentityEvent): boolean {
  for (const field of FIELDS) {
    const allowed = guard[field];
    if (allowed && !allowed.has(getPath(event, field) ?? undefined)) return false;
  }
  return true;
}
