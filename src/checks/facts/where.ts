import { z } from 'zod';
import { getPath } from '../../util/object-path.js';

/** `where`: dot path -> value (equal) or array of values (any of). */
export const WhereSchema = z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))]));
export type Where = z.infer<typeof WhereSchema>;

export type EventPredicate = (event: unknown) => boolean;

export function compileWhere(where: Where | undefined): EventPredicate {
  if (!where || Object.keys(where).length === 0) return () => true;
  const tests = Object.entries(where).map(([path, expected]) => {
    if (Array.isArray(expected)) {
      const allowed = new Set<unknown>(expected);
      return (event: unknown) => allowed.has(getPath(event, path) ?? null);
    }
    return (event: unknown) => (getPath(event, path) ?? null) === expected;
  });
  return (event) => tests.every((test) => test(event));
}

/** `key` / `distinct`: one dot path or several combined; undefined when any part is missing. */
export const PathsSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
export type Paths = z.infer<typeof PathsSchema>;

export type KeyExtractor = (event: unknown) => string | undefined;

export function compileKey(paths: Paths): KeyExtractor {
  const list = Array.isArray(paths) ? paths : [paths];
  if (list.length === 1) {
    const path = list[0]!;
    return (event) => {
      const value = getPath(event, path);
      return value === undefined || value === null || value === '' ? undefined : String(value);
    };
  }
  return (event) => {
    const parts: string[] = [];
    for (const path of list) {
      const value = getPath(event, path);
      if (value === undefined || value === null || value === '') return undefined;
      parts.push(String(value));
    }
    return parts.join('\u0001');
  };
}
