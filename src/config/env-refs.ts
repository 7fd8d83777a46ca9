import type { KeyPath } from './key-path.js';

/**
 * `${NAME}` and `${NAME:-default}` references in config strings. `$${` is a literal `${`.
 * `${NAME}` needs NAME to be set (an empty value is kept); `${NAME:-default}` uses the
 * default when NAME is unset or empty, as a shell does.
 */
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export type Env = Readonly<Record<string, string | undefined>>;

export interface EnvRefProblem {
  path: KeyPath;
  message: string;
}

export interface ExpandedString {
  value: string;
  /** true when at least one ${...} reference was substituted */
  usedEnv: boolean;
  problems: string[];
}

export function expandEnvRefsInString(text: string, env: Env): ExpandedString {
  let usedEnv = false;
  const problems: string[] = [];
  const value = text.replace(REFERENCE, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${';
    usedEnv = true;
    const fromEnv = env[name!];
    if (fallback !== undefined) return fromEnv === undefined || fromEnv === '' ? fallback : fromEnv;
    if (fromEnv === undefined) {
      problems.push(`environment variable ${name} is not set (write \${${name}:-default} to give a default)`);
      return '';
    }
    return fromEnv;
  });
  const leftover = text.replace(REFERENCE, '').indexOf('${');
  if (leftover !== -1) {
    problems.push(`malformed reference ${JSON.stringify(text.replace(REFERENCE, '').slice(leftover, leftover + 30))}: expected \${NAME} or \${NAME:-default} (write $\${ for a literal \${)`);
  }
  return { value, usedEnv, problems };
}

export interface ExpandedConfigData {
  data: unknown;
  /** key paths whose value came (at least partly) from the environment */
  envPaths: KeyPath[];
  problems: EnvRefProblem[];
}

/** Expands references in every string value of a parsed YAML tree (keys are left alone). */
export function expandEnvRefs(data: unknown, env: Env): ExpandedConfigData {
  const envPaths: KeyPath[] = [];
  const problems: EnvRefProblem[] = [];
  const walk = (value: unknown, path: Array<string | number>): unknown => {
    if (typeof value === 'string') {
      const expanded = expandEnvRefsInString(value, env);
      if (expanded.usedEnv) envPaths.push([...path]);
      for (const message of expanded.problems) problems.push({ path: [...path], message });
      return expanded.value;
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index]));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key])]));
    }
    return value;
  };
  return { data: walk(data, []), envPaths, problems };
}
