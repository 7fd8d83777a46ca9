import type { EventUser } from '../schema.js';
import { describeJsonType } from '../parse-record.js';
import { timestampProblem } from '../schema.js';
import type { AdaptResult, RawRecord } from './adapter-types.js';

/**
 * Typed reads of dot paths in a raw IdP export record, shared by every adapter. Exports write
 * null (and, per vendor, placeholder strings) for what they do not know: both read as undefined.
 * A value of the wrong type is a malformed record and raises SourceFieldError naming its path in
 * the SOURCE record; withFieldErrors turns that into the adapter's error result.
 */
export class SourceFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export type JsonObject = Record<string, unknown>;

/** How one vendor writes "no value", and where the viewed object sits in its record. */
export interface FieldOptions {
  /** the path of the viewed object in the source record ("properties"); "" for the record itself */
  prefix?: string;
  /** strings that mean "no value" (Duo writes "-"); [""] unless said */
  absentStrings?: readonly string[];
  /** read strings without surrounding white space */
  trimStrings?: boolean;
}

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isInteger = (value: unknown): value is number => Number.isInteger(value);
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isArray = (value: unknown): value is unknown[] => Array.isArray(value);

/** A JSON object of a source record, read by dot path; errors name the path from the record's root. */
export class FieldView {
  readonly prefix: string;

  constructor(
    /** the object viewed: the record itself, or a part of it at `prefix` */
    readonly viewed: JsonObject,
    private readonly options: FieldOptions = {},
  ) {
    this.prefix = options.prefix ?? '';
  }

  pathOf(path: string): string {
    return this.prefix ? `${this.prefix}.${path}` : path;
  }

  /** The value at a dot path; undefined when a step is null or absent, an error when a step is not an object. */
  value(path: string): unknown {
    let current: unknown = this.viewed;
    let walked = '';
    for (const key of path.split('.')) {
      if (current === null || current === undefined) return undefined;
      if (!isObject(current)) throw wrongType(this.pathOf(walked), 'an object', current);
      current = current[key];
      walked = walked ? `${walked}.${key}` : key;
    }
    return current ?? undefined;
  }

  /** A string; the vendor's placeholders for "no value" read as undefined. */
  string(path: string): string | undefined {
    const value = this.typed(path, 'a string', isString);
    const text = this.options.trimStrings ? value?.trim() : value;
    return text !== undefined && (this.options.absentStrings ?? ['']).includes(text) ? undefined : text;
  }

  /** `what` says what the field holds, for the error when it is missing. */
  requiredString(path: string, what?: string): string {
    return this.required(path, this.string(path), what);
  }

  number(path: string): number | undefined {
    return this.typed(path, 'a number', isNumber);
  }

  integer(path: string): number | undefined {
    return this.typed(path, 'an integer', isInteger);
  }

  boolean(path: string): boolean | undefined {
    return this.typed(path, 'true or false', isBoolean);
  }

  array(path: string): unknown[] | undefined {
    return this.typed(path, 'an array', isArray);
  }

  object(path: string): JsonObject | undefined {
    return this.typed(path, 'an object', isObject);
  }

  /** The strings of the array at `path` ([] when absent). */
  strings(path: string): string[] {
    return this.items(path, 'a string', isString);
  }

  /** The object at `path` as a view of its own (undefined when absent). */
  child(path: string): FieldView | undefined {
    const value = this.object(path);
    return value && new FieldView(value, { ...this.options, prefix: this.pathOf(path) });
  }

  /** The objects of the array at `path`, each as a view ([] when absent). */
  children(path: string): FieldView[] {
    return this.items(path, 'an object', isObject).map((item, i) => new FieldView(item, { ...this.options, prefix: this.pathOf(`${path}.${i}`) }));
  }

  /** An ISO 8601 timestamp with a zone, as the event schema accepts it. */
  time(path: string): string | undefined {
    const text = this.string(path);
    const problem = text === undefined ? undefined : timestampProblem(text);
    if (problem !== undefined) throw new SourceFieldError(this.pathOf(path), problem);
    return text;
  }

  requiredTime(path: string, what?: string): string {
    return this.required(path, this.time(path), what);
  }

  private typed<T>(path: string, expected: string, is: (value: unknown) => value is T): T | undefined {
    const value = this.value(path);
    if (value === undefined || is(value)) return value;
    throw wrongType(this.pathOf(path), expected, value);
  }

  private items<T>(path: string, expected: string, is: (value: unknown) => value is T): T[] {
    const items = this.array(path) ?? [];
    items.forEach((item, i) => {
      if (!is(item)) throw wrongType(this.pathOf(`${path}.${i}`), expected, item);
    });
    return items as T[];
  }

  private required<T>(path: string, value: T | undefined, what: string | undefined): T {
    if (value === undefined) throw new SourceFieldError(this.pathOf(path), what ? `required: ${what}` : 'required');
    return value;
  }
}

function wrongType(path: string, expected: string, value: unknown): SourceFieldError {
  const excerpt = value === null ? '' : ` ${JSON.stringify(value).slice(0, 40)}`;
  return new SourceFieldError(path, `expected ${expected}, got ${describeJsonType(value)}${excerpt}`);
}

/**
 * `adapt` that never throws: a SourceFieldError becomes an error naming the source field, any
 * other error an error with its message (after `unexpectedPrefix`).
 */
export function withFieldErrors(adapt: (record: RawRecord) => AdaptResult, unexpectedPrefix = ''): (record: RawRecord) => AdaptResult {
  return (record) => {
    try {
      return adapt(record);
    } catch (error) {
      if (error instanceof SourceFieldError) {
        return error.field ? { kind: 'error', field: error.field, message: error.message } : { kind: 'error', message: error.message };
      }
      return { kind: 'error', message: `${unexpectedPrefix}${error instanceof Error ? error.message : String(error)}` };
    }
  };
}

/**
 * Files written by `sigfire generate --format <vendor>` carry directory state the vendor's record
 * has no field for under a top-level "sigfire": {"user": {...}}; real exports never have it.
 * The members named in GENERATED_USER_STATE_KEYS, as far as present.
 */
/** The directory state generated files may carry in `sigfire.user`: what sign-in logs have no field for. */
export const GENERATED_USER_STATE_KEYS = [
  'status', 'type', 'roles', 'mfaEnabled', 'factors', 'bypassMfa', 'createdAt', 'lastSuccessAt',
] as const satisfies ReadonlyArray<keyof EventUser>;

export function generatedUserState(root: FieldView): JsonObject {
  const state = root.child('sigfire.user');
  const picked: JsonObject = {};
  for (const key of GENERATED_USER_STATE_KEYS) {
    const value = state?.value(key);
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}

/** The object without its undefined members (adapted events carry only what the record said). */
export function definedOnly<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) if (member !== undefined) out[key] = member;
  return out as T;
}
