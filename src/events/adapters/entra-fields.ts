import { describeJsonType } from '../parse-record.js';

/**
 * Typed reads of an Entra record. A diagnostic-settings record nests the sign-in under
 * `properties`, so a view carries the prefix that error paths need ("properties.status.errorCode").
 * Entra writes null or "" for many fields it has no value for: both read as undefined. A value of
 * the wrong type raises EntraFieldError naming the source path; the adapter turns it into an error.
 */
export class EntraFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isInteger = (value: unknown): value is number => Number.isInteger(value);
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isArray = (value: unknown): value is unknown[] => Array.isArray(value);

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export class FieldView {
  constructor(
    readonly object: JsonObject,
    /** the path of `object` in the source record, "" for the record itself */
    readonly prefix = '',
  ) {}

  pathOf(path: string): string {
    return this.prefix ? `${this.prefix}.${path}` : path;
  }

  /** The value at a dot path; undefined when a step is null or absent, an error when a step is not an object. */
  value(path: string): unknown {
    let current: unknown = this.object;
    let walked = '';
    for (const key of path.split('.')) {
      if (current === null || current === undefined) return undefined;
      if (!isObject(current)) throw new EntraFieldError(this.pathOf(walked), `expected an object, got ${describeJsonType(current)}`);
      current = current[key];
      walked = walked ? `${walked}.${key}` : key;
    }
    return current ?? undefined;
  }

  private typed<T>(path: string, expected: string, is: (value: unknown) => value is T): T | undefined {
    const value = this.value(path);
    if (value === undefined || is(value)) return value;
    throw new EntraFieldError(this.pathOf(path), `expected ${expected}, got ${describeJsonType(value)} ${JSON.stringify(value).slice(0, 40)}`);
  }

  /** A string, with "" read as absent. */
  string(path: string): string | undefined {
    const value = this.typed(path, 'a string', isString);
    return value === '' ? undefined : value;
  }

  requiredString(path: string): string {
    const value = this.string(path);
    if (value === undefined) throw new EntraFieldError(this.pathOf(path), 'required');
    return value;
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

  strings(path: string): string[] {
    const items = this.array(path) ?? [];
    items.forEach((item, i) => {
      if (!isString(item)) throw new EntraFieldError(this.pathOf(`${path}.${i}`), `expected a string, got ${describeJsonType(item)}`);
    });
    return items as string[];
  }

  /** The object at `path` as a view of its own (undefined when absent). */
  child(path: string): FieldView | undefined {
    const value = this.typed(path, 'an object', isObject);
    return value && new FieldView(value, this.pathOf(path));
  }

  /** The objects of the array at `path`, each as a view. */
  children(path: string): FieldView[] {
    return (this.array(path) ?? []).map((item, i) => {
      if (!isObject(item)) throw new EntraFieldError(this.pathOf(`${path}.${i}`), `expected an object, got ${describeJsonType(item)}`);
      return new FieldView(item, this.pathOf(`${path}.${i}`));
    });
  }

  /** An ISO 8601 time with a zone (Entra writes up to 7 fraction digits, "Z" or "+00:00"). */
  time(path: string): string | undefined {
    const value = this.string(path);
    if (value === undefined) return undefined;
    if (!ISO_WITH_ZONE.test(value) || Number.isNaN(Date.parse(value))) {
      throw new EntraFieldError(this.pathOf(path), `not an ISO 8601 time with a zone: ${JSON.stringify(value.slice(0, 40))}`);
    }
    return value;
  }
}

/** Drops undefined members, so adapted events carry only what the record said. */
export function compact<T extends Record<string, unknown>>(object: T): T {
  for (const key of Object.keys(object)) if (object[key] === undefined) delete object[key];
  return object;
}
