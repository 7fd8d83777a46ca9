import { Operator } from 'json-rules-engine';
import { cidrContains, parseCidr, parseIp, type Cidr } from '../util/ip.js';
import type { ListStore } from './lists.js';

/** json-rules-engine's own operators; anything else must be registered below. */
export const BUILTIN_OPERATORS = [
  'equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain',
  'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive',
] as const;

/** Operators whose `value` names a list in rules/lists/. */
export const LIST_OPERATORS = ['inList', 'notInList', 'emailDomainInList'] as const;

export const CUSTOM_OPERATORS = [...LIST_OPERATORS, 'cidr', 'regex', 'exists'] as const;

export const KNOWN_OPERATORS: ReadonlySet<string> = new Set<string>([...BUILTIN_OPERATORS, ...CUSTOM_OPERATORS]);

const regexCache = new Map<string, RegExp>();
const cidrCache = new Map<string, Cidr | undefined>();

export function compileRegex(spec: string): RegExp {
  let regex = regexCache.get(spec);
  if (!regex) {
    const slashed = /^\/(.*)\/([a-z]*)$/s.exec(spec);
    regex = slashed ? new RegExp(slashed[1]!, slashed[2]) : new RegExp(spec);
    regexCache.set(spec, regex);
  }
  return regex;
}

function cachedCidr(text: string): Cidr | undefined {
  if (!cidrCache.has(text)) cidrCache.set(text, parseCidr(text));
  return cidrCache.get(text);
}

function emailDomain(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const at = value.lastIndexOf('@');
  return at >= 0 ? value.slice(at + 1) : undefined;
}

/** The custom operators, bound to one list store. Registered once per engine. */
export function createOperators(lists: ListStore): Operator[] {
  const isPresent = (value: unknown) => value !== undefined && value !== null;
  return [
    new Operator('inList', (value: unknown, listName: string) => lists.has(listName, value), isPresent),
    new Operator('notInList', (value: unknown, listName: string) => !lists.has(listName, value), isPresent),
    new Operator('emailDomainInList', (value: unknown, listName: string) => {
      const domain = emailDomain(value);
      return domain !== undefined && lists.has(listName, domain);
    }, isPresent),
    new Operator('cidr', (value: unknown, ranges: string | string[]) => {
      const ip = typeof value === 'string' ? parseIp(value) : undefined;
      if (!ip) return false;
      return (Array.isArray(ranges) ? ranges : [ranges]).some((range) => {
        const cidr = cachedCidr(range);
        return cidr !== undefined && cidrContains(cidr, ip);
      });
    }, isPresent),
    new Operator('regex', (value: unknown, pattern: string) => {
      if (typeof value !== 'string') return false;
      const regex = compileRegex(pattern);
      // the RegExp is cached and shared: a "g" or "y" flag would otherwise carry lastIndex over to the next event
      regex.lastIndex = 0;
      return regex.test(value);
    }),
    new Operator('exists', (value: unknown, expected: boolean) => (value !== undefined && value !== null) === (expected !== false)),
  ];
}
