import type { z } from 'zod';
import { describeJsonType, oneLine } from './parse-record.js';
import type { RecordError } from './record-types.js';
import { IdentityEventSchema, type IdentityEvent } from './schema.js';

export type EventItem =
  | {
      ok: true;
      event: IdentityEvent;
      /** event.time as epoch ms */
      timeMs: number;
      source: string;
      line: number;
      /** insertion order, written by the time-ordering heaps */
      order?: number;
    }
  | { ok: false; error: RecordError };

const MAX_SHOWN_VALUE = 60;

function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE)}...` : text;
}

/** The value at a zod issue path; found by hand because zod's `reportInput` halves the speed of every parse. */
function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** zod's messages ("Invalid option: expected one of \"A\"|\"B\"") rewritten for a one-line report. */
function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined ? 'required' : `expected ${issue.expected}, got ${describeJsonType(input)}`;
    case 'invalid_value': {
      const allowed = issue.values.map((v) => (typeof v === 'string' ? v : showValue(v)));
      const expected = allowed.length === 1 ? allowed[0] : `one of ${allowed.join('|')}`;
      return `expected ${expected} got ${showValue(input)}`;
    }
    case 'too_small':
      if (issue.origin === 'string' && issue.minimum === 1) return 'must not be empty';
      return issue.message;
    default:
      return issue.message;
  }
}

/** Checks one record against the identity event schema; the first problem is reported. */
export function validateEvent(value: unknown, source: string, line: number): EventItem {
  const result = IdentityEventSchema.safeParse(value);
  if (result.success) return { ok: true, event: result.data, timeMs: Date.parse(result.data.time), source, line };
  const issue = result.error.issues[0];
  if (!issue) return { ok: false, error: { source, line, message: 'not a valid event' } };
  const field = issue.path.map(String).join('.');
  const error: RecordError = { source, line, message: oneLine(describeIssue(issue, valueAt(value, issue.path))) };
  if (field) error.field = field;
  return { ok: false, error };
}
