import { createHash } from 'node:crypto';
import type { EventUser, IdentityEvent } from '../events/schema.js';
import type { Check } from './check-schema.js';

/** One condition that held when a check fired: the fact, what it was compared to, and its value. */
export interface FiredCondition {
  fact: string;
  path?: string;
  params?: Record<string, unknown>;
  operator: string;
  expected: unknown;
  actual: unknown;
}

/** A failed check for one event (CII's "signature match"). */
export interface Finding {
  /** Deterministic: the same check on the same event always gives the same id. */
  id: string;
  checkId: string;
  checkName: string;
  severity: Check['severity'];
  category: Check['category'];
  description: string;
  recommendedActions: string[];
  mitre: string[];
  /** The triggering event's time (event time, not wall-clock). */
  time: string;
  /** The user as the directory knew them at that event. */
  user: EventUser;
  event: IdentityEvent;
  why: FiredCondition[];
}

export function findingId(checkId: string, eventId: string): string {
  return createHash('sha256').update(`${checkId}\u0000${eventId}`).digest('hex').slice(0, 32);
}

/** "login.result=SUCCESS, travel.speedKmh=4210.5 > 900, login.ip=203.0.113.9 inList threat-ips": the human form of `why`. */
export function describeWhy(why: FiredCondition[]): string {
  return why
    .map((c) => {
      const name = c.path ? `${c.fact}.${c.path.replace(/^\$\.?/, '')}` : c.fact;
      const shown = `${name}=${formatValue(c.actual)}`;
      if (c.operator === 'equal' || c.operator === 'in' || c.operator === 'exists') return shown;
      return `${shown} ${OPERATOR_SYMBOLS[c.operator] ?? c.operator} ${formatValue(c.expected)}`;
    })
    .join(', ');
}

const OPERATOR_SYMBOLS: Record<string, string> = {
  notEqual: '!=', greaterThan: '>', greaterThanInclusive: '>=', lessThan: '<', lessThanInclusive: '<=',
};

function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(1);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
