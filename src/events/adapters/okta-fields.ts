import { describeJsonType } from '../parse-record.js';
import type { LoginDetails } from '../schema.js';
import type { RawRecord } from './adapter-types.js';
import { RISK_LEVELS, type ValueRow } from './okta-tables.js';

/**
 * Typed reads of dot paths in an Okta record. Okta writes `null` for every documented key it has
 * no value for, so null and absent both read as undefined; a value of the wrong type is a
 * malformed record and raises OktaFieldError naming the path, which the adapter turns into an error.
 */
export class OktaFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The value at `path`; undefined when any step is null or absent, an error when a step is not an object. */
export function valueAt(record: RawRecord, path: string): unknown {
  let current: unknown = record;
  let walked = '';
  for (const key of path.split('.')) {
    if (current === null || current === undefined) return undefined;
    if (typeof current !== 'object' || Array.isArray(current)) {
      throw new OktaFieldError(walked, `expected an object, got ${describeJsonType(current)}`);
    }
    current = (current as Record<string, unknown>)[key];
    walked = walked ? `${walked}.${key}` : key;
  }
  return current ?? undefined;
}

function typed<T>(record: RawRecord, path: string, expected: string, is: (value: unknown) => value is T): T | undefined {
  const value = valueAt(record, path);
  if (value === undefined || is(value)) return value;
  throw new OktaFieldError(path, `expected ${expected}, got ${describeJsonType(value)} ${JSON.stringify(value).slice(0, 40)}`);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isInteger = (value: unknown): value is number => Number.isInteger(value);
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isArray = (value: unknown): value is unknown[] => Array.isArray(value);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string, with "" read as absent. */
export function optionalString(record: RawRecord, path: string): string | undefined {
  const value = typed(record, path, 'a string', isString);
  return value === '' ? undefined : value;
}

export function requiredString(record: RawRecord, path: string): string {
  const value = optionalString(record, path);
  if (value === undefined) throw new OktaFieldError(path, 'required');
  return value;
}

export const optionalNumber = (record: RawRecord, path: string) => typed(record, path, 'a number', isNumber);
export const optionalInteger = (record: RawRecord, path: string) => typed(record, path, 'an integer', isInteger);
export const optionalBoolean = (record: RawRecord, path: string) => typed(record, path, 'true or false', isBoolean);
export const optionalArray = (record: RawRecord, path: string) => typed(record, path, 'an array', isArray);
export const optionalObject = (record: RawRecord, path: string) => typed(record, path, 'an object', isObject);

/** published: ISO 8601 with a zone, as Okta writes it ("2026-09-30T02:14:07.418Z"). */
export function publishedTime(record: RawRecord): string {
  const published = requiredString(record, 'published');
  const withZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
  if (!withZone.test(published) || Number.isNaN(Date.parse(published))) {
    throw new OktaFieldError('published', `not an ISO 8601 timestamp with a zone: ${JSON.stringify(published.slice(0, 40))}`);
  }
  return published;
}

/** An Okta actor or target: a principal with a type and an alternateId (a login for users). */
export interface OktaPrincipal {
  type?: string;
  alternateId?: string;
  id?: string;
  displayName?: string;
}

/** The elements of target[] (each checked to be an object), in order. */
export function targetsOf(record: RawRecord): OktaPrincipal[] {
  const targets = optionalArray(record, 'target') ?? [];
  return targets.map((target, i) => {
    const path = `target.${i}`;
    if (!isObject(target)) throw new OktaFieldError(path, `expected an object, got ${describeJsonType(target)}`);
    return principalAt(target, path);
  });
}

export function principalAt(source: RawRecord, path: string): OktaPrincipal {
  const read = (key: string) => optionalString(source, key);
  try {
    return { type: read('type'), alternateId: read('alternateId'), id: read('id'), displayName: read('displayName') };
  } catch (error) {
    if (error instanceof OktaFieldError) throw new OktaFieldError(`${path}.${error.field}`, error.message);
    throw error;
  }
}

/** A case-insensitive lookup from a table's Okta values to its sigfire values (the first row wins). */
export function lookup<T>(rows: readonly ValueRow<T>[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const row of rows) if (!map.has(row.okta.toUpperCase())) map.set(row.okta.toUpperCase(), row.sigfire);
  return map;
}

/** The sigfire value of `value`; an error naming `field` when the table has no row for it. */
export function known<T>(map: Map<string, T>, value: string, field: string): T {
  const mapped = map.get(value.toUpperCase());
  if (mapped === undefined) {
    throw new OktaFieldError(field, `unknown value ${JSON.stringify(value)}; expected one of ${[...map.keys()].join('|')}`);
  }
  return mapped;
}

const riskLookup = lookup(RISK_LEVELS);

/** debugData.risk ("{reasons=..., level=HIGH}"), else the risk in debugData.logOnlySecurityData (JSON). */
export function riskOf(record: RawRecord): NonNullable<LoginDetails['risk']> | undefined {
  const riskPath = 'debugContext.debugData.risk';
  const risk = optionalString(record, riskPath);
  if (risk !== undefined) {
    const level = /(?:^|[{,\s])level=([A-Za-z_]+)/.exec(risk)?.[1];
    if (!level) throw new OktaFieldError(riskPath, `no level= in ${JSON.stringify(risk.slice(0, 60))}`);
    return known(riskLookup, level, riskPath);
  }
  const logOnlyPath = 'debugContext.debugData.logOnlySecurityData';
  const logOnly = optionalString(record, logOnlyPath);
  if (logOnly === undefined) return undefined;
  let level: unknown;
  try {
    level = (JSON.parse(logOnly) as { risk?: { level?: unknown } } | null)?.risk?.level;
  } catch {
    throw new OktaFieldError(logOnlyPath, 'not JSON');
  }
  return typeof level === 'string' ? known(riskLookup, level, logOnlyPath) : undefined;
}

/** "Organization administrator, Application administrator (all)" -> both role names, scopes dropped. */
export function rolesIn(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(',')
    .map((role) => role.replace(/\s*\([^)]*\)\s*$/, '').trim())
    .filter((role) => role !== '');
}
