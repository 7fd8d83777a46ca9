/**
 * Plain dot paths ("login.geo.country", optionally "$."-prefixed as in json-rules-engine
 * rules). Split once and cached: these run for every event on the hot path.
 */
const splitCache = new Map<string, string[]>();

export function splitPath(path: string): string[] {
  let parts = splitCache.get(path);
  if (!parts) {
    const bare = path.startsWith('$.') ? path.slice(2) : path.startsWith('$') ? path.slice(1) : path;
    parts = bare === '' ? [] : bare.split('.');
    splitCache.set(path, parts);
  }
  return parts;
}

export function getPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const part of splitPath(path)) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
