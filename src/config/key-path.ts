/** A path to a value inside the config: ["targets", 1, "auth", "type"]. */
export type KeyPath = ReadonlyArray<string | number>;

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** ["targets", 1, "auth", "type"] -> "targets[1].auth.type"; odd keys are quoted: params["a.b"]. */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (PLAIN_KEY.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** The same path with array indexes erased ("targets[].auth.type"), as CONFIG_KEYS names keys. */
export function genericKeyPath(path: KeyPath): string {
  return formatKeyPath(path).replace(/\[\d+\]/g, '[]');
}

export function valueAtPath(root: unknown, path: KeyPath): unknown {
  let current = root;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}
