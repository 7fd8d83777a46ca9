import { Engine, type Operator } from 'json-rules-engine';
import { getPath } from '../util/object-path.js';
import type { Check } from './check-schema.js';
import { PLAIN_FACTS } from './facts/registry.js';

/** The plain facts of one event, as the engine is given them. */
export type PlainFacts = Record<(typeof PLAIN_FACTS)[number], unknown>;

/** json-rules-engine's Operator at run time (its typings omit `evaluate`). */
interface EvaluatingOperator {
  evaluate(factValue: unknown, compareTo: unknown): boolean;
}

interface NecessaryCondition {
  fact: string;
  path?: string;
  operator: EvaluatingOperator;
  value: unknown;
}

type OperatorLookup = { get(name: string): EvaluatingOperator | null | undefined };

/**
 * A check's top-level `all` conditions on plain facts (no params, a literal value) must all
 * hold for it to fire. Testing them here, with the engine's own operator objects so the
 * meaning is exactly json-rules-engine's, lets the detector hand the engine only the checks
 * that can still fire for an event. The engine then evaluates the whole rule as written:
 * this only ever removes checks that could not fire.
 */
export class CheckPrefilter {
  private readonly necessary: NecessaryCondition[];

  constructor(
    readonly check: Check,
    operators: OperatorLookup,
  ) {
    const plain = new Set<string>(PLAIN_FACTS);
    const all = (check.rule.conditions as { all?: unknown }).all;
    this.necessary = [];
    if (!Array.isArray(all)) return;
    for (const condition of all as Array<Record<string, unknown>>) {
      if (typeof condition.fact !== 'string' || !plain.has(condition.fact) || condition.params !== undefined) continue;
      if (condition.value !== null && typeof condition.value === 'object' && !Array.isArray(condition.value)) continue; // { fact: ... } reference
      const operator = typeof condition.operator === 'string' ? operators.get(condition.operator) : undefined;
      if (!operator) continue;
      this.necessary.push({ fact: condition.fact, path: typeof condition.path === 'string' ? condition.path : undefined, operator, value: condition.value });
    }
  }

  admits(facts: PlainFacts): boolean {
    for (const condition of this.necessary) {
      const factValue = facts[condition.fact as keyof PlainFacts];
      const value = condition.path ? getPath(factValue, condition.path) : factValue;
      if (!condition.operator.evaluate(value, condition.value)) return false;
    }
    return true;
  }
}

/** The operator objects an engine with these custom operators uses (built-ins included). */
export function engineOperators(custom: Operator[]): OperatorLookup {
  const engine = new Engine();
  for (const operator of custom) engine.addOperator(operator);
  return (engine as unknown as { operators: OperatorLookup }).operators;
}
