import type { z } from 'zod';
import { childKeysOf } from './config-keys.js';
import type { ConfigIssue } from './config-error.js';
import { genericKeyPath, valueAtPath, type KeyPath } from './key-path.js';

type ZodIssue = z.ZodError['issues'][number];

/** Turns zod's issues into short, path-located sentences ("expected one of a|b", "unknown key"). */
export function describeZodIssues(issues: readonly ZodIssue[], data: unknown): ConfigIssue[] {
  return issues.flatMap((issue) => describeIssue(issue, [], data));
}

function describeIssue(issue: ZodIssue, basePath: KeyPath, data: unknown): ConfigIssue[] {
  const path = [...basePath, ...(issue.path as Array<string | number>)];
  const actual = valueAtPath(data, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: [...path, key], message: unknownKeyMessage(path, key) }));
    case 'invalid_type':
      if (actual === undefined) return [{ path, message: 'is required' }];
      return [{ path, message: `expected ${issue.expected}, got ${typeName(actual)}` }];
    case 'invalid_value':
      return [{ path, message: `expected ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.join('|')}`}${got(actual)}` }];
    case 'invalid_union': {
      if (issue.discriminator !== undefined && 'options' in issue && issue.options) {
        const options = issue.options.join('|');
        return [{ path, message: actual === undefined ? `is required (one of ${options})` : `expected one of ${options}${got(actual)}` }];
      }
      const branch = deepestBranch(issue.errors);
      if (branch) return branch.flatMap((inner) => describeIssue(inner, path, data));
      return [{ path, message: issue.message }];
    }
    case 'too_small':
      return [{ path, message: tooSmallMessage(issue) }];
    case 'too_big':
      return [{ path, message: `expected at most ${issue.maximum}${issue.origin === 'array' ? ' items' : ''}` }];
    default:
      return [{ path, message: issue.message }];
  }
}

/** When one alternative of a union failed deeper inside the value, its errors are the useful ones. */
function deepestBranch(branches: ZodIssue[][]): ZodIssue[] | undefined {
  let best: ZodIssue[] | undefined;
  let bestDepth = 0;
  for (const branch of branches) {
    const depth = Math.max(0, ...branch.map((inner) => inner.path.length));
    if (depth > bestDepth) {
      best = branch;
      bestDepth = depth;
    }
  }
  return best;
}

function tooSmallMessage(issue: Extract<ZodIssue, { code: 'too_small' }>): string {
  if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
  if (issue.origin === 'array') return `expected at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`;
  return `expected a number ${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
}

function unknownKeyMessage(parentPath: KeyPath, key: string): string {
  const allowed = childKeysOf(genericKeyPath(parentPath));
  const suggestion = closest(key, allowed);
  if (suggestion) return `unknown key (did you mean "${suggestion}"?)`;
  return allowed.length > 0 ? `unknown key (expected one of ${allowed.join(', ')})` : 'unknown key';
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function got(actual: unknown): string {
  if (actual === undefined) return '';
  return typeof actual === 'string' ? `, got ${JSON.stringify(actual)}` : `, got ${typeName(actual)}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? `string ${JSON.stringify(value)}` : `${typeof value} ${String(value)}`;
}
