import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Rule, type RuleProperties } from 'json-rules-engine';
import type { z } from 'zod';
import { parseDuration } from '../util/duration.js';
import { parseCidr } from '../util/ip.js';
import { CheckFileSchema, type Check } from './check-schema.js';
import { visitLeaves, type LeafCondition } from './conditions.js';
import { DERIVED_FACTS, KNOWN_FACTS } from './facts/registry.js';
import { loadLists, type ListStore } from './lists.js';
import { compileRegex, KNOWN_OPERATORS, LIST_OPERATORS } from './operators.js';

export interface CatalogProblem {
  file: string;
  /** RFC 6901 JSON pointer into the file ("" for the whole file), or `:line` for list files. */
  pointer: string;
  message: string;
  level: 'error' | 'warning';
}

export interface Catalog {
  dir: string;
  checks: Check[];
  lists: ListStore;
  problems: CatalogProblem[];
}

export function formatProblem(problem: CatalogProblem): string {
  const where = problem.pointer.startsWith(':') ? `${problem.file}${problem.pointer}` : `${problem.file}#${problem.pointer || '/'}`;
  return `${where}: ${problem.level === 'warning' ? 'warning: ' : ''}${problem.message}`;
}

export function zodPathToPointer(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map(String).join('|')}`;
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) return 'required';
  return issue.message;
}

/**
 * Loads rules/*.json and rules/lists/*.txt. A file with an error is reported and left out;
 * the good checks beside it still load. `problems` is what `sigfire checks lint` prints.
 */
export async function loadCatalog(dir: string): Promise<Catalog> {
  const problems: CatalogProblem[] = [];
  const lists = await loadLists(join(dir, 'lists'));
  for (const name of lists.names()) {
    const list = lists.get(name)!;
    const file = relative(process.cwd(), list.file) || list.file;
    for (const error of list.errors) problems.push({ file, pointer: `:${error.line}`, message: error.message, level: 'error' });
    if (list.size === 0) problems.push({ file, pointer: '', message: 'the list is empty', level: 'warning' });
  }

  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    throw new Error(`cannot read the check catalog ${dir}: ${(error as Error).message}`);
  }

  const checks: Check[] = [];
  const seenIds = new Map<string, string>();
  for (const name of names) {
    const path = join(dir, name);
    const file = relative(process.cwd(), path) || path;
    const fileProblems = checkFileProblems(file, await readFile(path, 'utf8'), lists);
    const parsed = fileProblems.check;
    problems.push(...fileProblems.problems);
    if (!parsed) continue;
    const duplicateOf = seenIds.get(parsed.id);
    if (duplicateOf) {
      problems.push({ file, pointer: '/id', message: `duplicate check id ${JSON.stringify(parsed.id)} (also in ${duplicateOf})`, level: 'error' });
      continue;
    }
    seenIds.set(parsed.id, file);
    checks.push(parsed);
  }
  return { dir, checks, lists, problems };
}

function checkFileProblems(file: string, text: string, lists: ListStore): { check?: Check; problems: CatalogProblem[] } {
  const problems: CatalogProblem[] = [];
  const error = (pointer: string, message: string) => problems.push({ file, pointer, message, level: 'error' });
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    error('', `not valid JSON: ${(e as Error).message}`);
    return { problems };
  }
  const result = CheckFileSchema.safeParse(json);
  if (!result.success) {
    for (const issue of result.error.issues) error(zodPathToPointer(issue.path), describeZodIssue(issue));
    return { problems };
  }
  const data = result.data;
  if (data.rule.event.type !== data.id) error('/rule/event/type', `must equal the check id ${JSON.stringify(data.id)}`);

  checkConditionShape(data.rule.conditions, '/rule/conditions', error);
  visitLeaves(data.rule.conditions, '/rule/conditions', (leaf, pointer) => {
    checkOperatorValue(leaf, pointer, error);
    if (!KNOWN_FACTS.has(leaf.fact)) error(`${pointer}/fact`, `unknown fact ${JSON.stringify(leaf.fact)} (known: ${[...KNOWN_FACTS].join(', ')})`);
    if (!KNOWN_OPERATORS.has(leaf.operator)) error(`${pointer}/operator`, `unknown operator ${JSON.stringify(leaf.operator)} (known: ${[...KNOWN_OPERATORS].join(', ')})`);
    if ((LIST_OPERATORS as readonly string[]).includes(leaf.operator)) {
      if (typeof leaf.value !== 'string') error(`${pointer}/value`, `${leaf.operator} takes a list name`);
      else if (!lists.get(leaf.value)) error(`${pointer}/value`, `unknown list ${JSON.stringify(leaf.value)} (no rules/lists/${leaf.value}.txt)`);
    }
    const derived = DERIVED_FACTS[leaf.fact];
    if (derived) {
      const parsed = derived.params.safeParse(leaf.params ?? {});
      if (!parsed.success) {
        for (const issue of parsed.error.issues) error(`${pointer}/params${zodPathToPointer(issue.path)}`, describeZodIssue(issue));
      } else {
        const field = leaf.path?.replace(/^\$\.?/, '');
        if (derived.fields && field && !derived.fields.includes(field)) {
          error(`${pointer}/path`, `${leaf.fact} has no field ${JSON.stringify(field)} (fields: ${derived.fields.join(', ')})`);
        }
        for (const list of derived.lists?.(parsed.data) ?? []) {
          if (!lists.get(list)) error(`${pointer}/params/list`, `unknown list ${JSON.stringify(list)} (no rules/lists/${list}.txt)`);
        }
      }
    } else if (leaf.params !== undefined) {
      error(`${pointer}/params`, `fact ${JSON.stringify(leaf.fact)} takes no params`);
    }
  });
  if (JSON.stringify(data.rule.conditions).includes('"condition":')) {
    error('/rule/conditions', 'shared named conditions ("condition": name) are not supported; inline the condition');
  }
  const rootKeys = Object.keys(data.rule.conditions);
  if (!rootKeys.some((key) => key === 'all' || key === 'any' || key === 'not')) {
    error('/rule/conditions', 'the top level must be "all", "any" or "not"');
  }
  if (problems.length === 0) {
    // whatever else json-rules-engine rejects would otherwise surface only when the Detector is built
    try {
      new Rule({ ...data.rule, name: data.id } as unknown as RuleProperties);
    } catch (e) {
      error('/rule', (e as Error).message);
    }
  }
  if (problems.length > 0) return { problems };
  return {
    check: {
      ...data,
      file,
      suppressMs: data.suppress ? parseDuration(data.suppress.window) : 0,
      suppressKey: data.suppress?.key ?? 'user.login',
    },
    problems,
  };
}

type ReportError = (pointer: string, message: string) => void;

/** Condition shapes json-rules-engine refuses: `all`/`any` that are not arrays, a leaf without `fact` or `value`. */
function checkConditionShape(node: unknown, pointer: string, error: ReportError): void {
  if (!node || typeof node !== 'object' || Array.isArray(node)) {
    error(pointer, 'expected a condition object');
    return;
  }
  const record = node as Record<string, unknown>;
  let isBoolean = false;
  for (const key of ['all', 'any'] as const) {
    const children = record[key];
    if (children === undefined) continue;
    isBoolean = true;
    if (Array.isArray(children)) children.forEach((child, index) => checkConditionShape(child, `${pointer}/${key}/${index}`, error));
    else error(`${pointer}/${key}`, `"${key}" must be an array of conditions`);
  }
  if (record.not !== undefined) {
    isBoolean = true;
    if (Array.isArray(record.not)) error(`${pointer}/not`, '"not" takes one condition, not an array');
    else checkConditionShape(record.not, `${pointer}/not`, error);
  }
  if (isBoolean || record.condition !== undefined) return;
  if (typeof record.fact !== 'string') error(`${pointer}/fact`, 'required: the name of a fact');
  if (!('value' in record)) error(`${pointer}/value`, 'required');
}

/** Values of the regex, exists and cidr operators that would fail, or mislead, only at evaluation time. */
function checkOperatorValue(leaf: LeafCondition, pointer: string, error: ReportError): void {
  if (leaf.operator === 'regex') {
    if (typeof leaf.value !== 'string') {
      error(`${pointer}/value`, 'regex takes a pattern string, or "/pattern/flags"');
      return;
    }
    try {
      compileRegex(leaf.value);
    } catch (e) {
      error(`${pointer}/value`, `invalid regular expression: ${(e as Error).message}`);
    }
  } else if (leaf.operator === 'exists') {
    // a string "false" would otherwise mean true
    if ('value' in leaf && typeof leaf.value !== 'boolean') error(`${pointer}/value`, 'exists takes true or false');
  } else if (leaf.operator === 'cidr') {
    const ranges = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
    ranges.forEach((range, index) => {
      if (typeof range !== 'string' || !parseCidr(range)) {
        error(Array.isArray(leaf.value) ? `${pointer}/value/${index}` : `${pointer}/value`, `invalid CIDR ${JSON.stringify(range)}`);
      }
    });
  }
}
