import { describeJsonType } from '../parse-record.js';
import type { RawRecord } from './adapter-types.js';

/**
 * Typed reads of a Duo record by dot path. Duo writes null for "not known" (hostname, location
 * parts), so null reads as absent; a value of the wrong type throws SourceFieldError naming the
 * path in the SOURCE record, which the adapter turns into an error result.
 */
export class SourceFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function valueAt(record: RawRecord, path: string): unknown {
  let current: unknown = record;
  let walked = '';
  for (const key of path.split('.')) {
    if (current === undefined || current === null) return undefined;
    if (typeof current !== 'object' || Array.isArray(current)) {
      throw new SourceFieldError(walked, `expected an object, got ${describeJsonType(current)}`);
    }
    current = (current as Record<string, unknown>)[key];
    walked = walked ? `${walked}.${key}` : key;
  }
  return current;
}

/** A trimmed string; undefined for absent, null, empty, or Duo's "-" placeholder. */
export function readString(record: RawRecord, path: string): string | undefined {
  const value = valueAt(record, path);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new SourceFieldError(path, `expected a string, got ${describeJsonType(value)}`);
  const text = value.trim();
  return text === '' || text === '-' ? undefined : text;
}

export function requireString(record: RawRecord, path: string, what: string): string {
  const value = readString(record, path);
  if (value === undefined) throw new SourceFieldError(path, `required: ${what}`);
  return value;
}

export function readObject(record: RawRecord, path: string): RawRecord | undefined {
  const value = valueAt(record, path);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new SourceFieldError(path, `expected an object, got ${describeJsonType(value)}`);
  }
  return value as RawRecord;
}

const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(Z|[+-]\d{2}:?\d{2})$/;
/** Unix times below this are seconds (Duo's authentication and administrator logs), above it milliseconds. */
const MILLISECONDS_FROM = 1e11;

/**
 * The record's time, ISO 8601 with a zone: `isotimestamp` ("2024-09-10T18:57:44.444611+00:00"),
 * else `timestamp` (Unix seconds; milliseconds are recognised by size).
 */
export function readTime(record: RawRecord): string {
  const iso = readString(record, 'isotimestamp');
  const fromIso = iso === undefined ? undefined : normaliseIso(iso);
  if (fromIso) return fromIso;
  const unix = valueAt(record, 'timestamp');
  if (typeof unix === 'number' && Number.isFinite(unix) && unix > 0) {
    return new Date(unix < MILLISECONDS_FROM ? unix * 1000 : unix).toISOString();
  }
  if (iso !== undefined) {
    throw new SourceFieldError('isotimestamp', `not an ISO 8601 timestamp with a zone: ${JSON.stringify(iso.slice(0, 40))}`);
  }
  if (unix === undefined || unix === null) throw new SourceFieldError('isotimestamp', 'required (or timestamp)');
  throw new SourceFieldError('timestamp', `expected Unix seconds, got ${JSON.stringify(unix)}`);
}

/** "2024-09-10 18:57:44+00:00" -> "2024-09-10T18:57:44+00:00"; undefined when not a real instant. */
function normaliseIso(text: string): string | undefined {
  const match = ISO_WITH_ZONE.exec(text);
  if (!match) return undefined;
  const [, y, m, d, clock, zone] = match as unknown as [string, string, string, string, string, string];
  const calendar = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (calendar.getUTCMonth() !== Number(m) - 1 || calendar.getUTCDate() !== Number(d)) return undefined;
  const normalised = `${y}-${m}-${d}T${clock}${zone}`;
  return Number.isNaN(Date.parse(normalised)) ? undefined : normalised;
}

/** Generated files only: `sigfire.user`, directory state Duo's log has no field for (DIRECTORY_STATE_KEYS). */
export function readGeneratedUserState(record: RawRecord, keys: readonly string[]): Record<string, unknown> {
  const state = readObject(record, 'sigfire.user');
  if (!state) return {};
  const picked: Record<string, unknown> = {};
  for (const key of keys) if (state[key] !== undefined) picked[key] = state[key];
  return picked;
}

/** The object without its undefined members (events are compared and printed without them). */
export function definedOnly<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) if (member !== undefined) out[key] = member;
  return out as T;
}
