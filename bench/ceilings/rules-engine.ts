import { Engine, type Operator, type RuleProperties } from 'json-rules-engine';
import type { Catalog } from '../../src/checks/catalog.js';
import { visitLeaves } from '../../src/checks/conditions.js';
import type { EvaluationContext, Tracker } from '../../src/checks/facts/context.js';
import { DERIVED_FACTS } from '../../src/checks/facts/registry.js';
import { TrackerSet } from '../../src/checks/facts/tracker-set.js';
import { createOperators } from '../../src/checks/operators.js';
import { UserDirectory } from '../../src/checks/user-directory.js';
import { readEvents } from '../../src/events/read-events.js';
import { perSecond } from '../stats.js';

/**
 * The evaluation ceiling: plain json-rules-engine, one reused Engine with default options
 * (JSONPath paths), every enabled rule on every event, facts handed in precomputed. No
 * reading, no validation, no state, no suppression: what the rules alone cost.
 */
export interface PrecomputedRun {
  rules: RuleProperties[];
  operators: Operator[];
  /** One almanac's worth of facts per event: the plain facts and every derived fact's value. */
  facts: Array<Record<string, unknown>>;
  derivedFacts: number;
}

/**
 * Each (derived fact, params) use in the rules becomes a static fact named `<fact>#<n>`,
 * whose value per event is what the tracker answers at that event. The trackers, the user
 * directory and their order (value, then observe, then apply) are the Detector's own, so the
 * values are exactly those sigfire's replay sees; they are computed here, before any timing.
 */
export async function precomputeFacts(catalog: Catalog, file: string): Promise<PrecomputedRun> {
  const trackers = new TrackerSet({ lists: catalog.lists });
  const aliases = new Map<Tracker, string>();
  const rules: RuleProperties[] = [];
  for (const check of catalog.checks) {
    if (!check.enabled) continue;
    const conditions = structuredClone(check.rule.conditions);
    visitLeaves(conditions, '', (leaf) => {
      if (!DERIVED_FACTS[leaf.fact]) return;
      const tracker = trackers.register(leaf.fact, leaf.params);
      let alias = aliases.get(tracker);
      if (!alias) aliases.set(tracker, (alias = `${leaf.fact}#${aliases.size + 1}`));
      leaf.fact = alias;
      delete leaf.params;
    });
    rules.push({ ...check.rule, conditions, name: check.id } as unknown as RuleProperties);
  }

  const directory = new UserDirectory();
  const facts: Array<Record<string, unknown>> = [];
  for await (const item of readEvents([file])) {
    if (!item.ok) continue;
    const event = item.event;
    const user = directory.view(event);
    const ctx: EvaluationContext = { event, time: Date.parse(event.time), user };
    const values: Record<string, unknown> = { event, type: event.type, action: event.action, user, login: event.login ?? {} };
    for (const [tracker, alias] of aliases) values[alias] = tracker.value(ctx);
    trackers.observe(ctx);
    directory.apply(event, user);
    facts.push(values);
  }
  return { rules, operators: createOperators(catalog.lists), facts, derivedFacts: aliases.size };
}

export interface CeilingResult {
  eventsPerSecond: number;
  /** rule results that fired, all rules counted on all events (a sanity figure) */
  fired: number;
}

export async function runPlainEngine(run: PrecomputedRun): Promise<CeilingResult> {
  const engine = new Engine(run.rules);
  for (const operator of run.operators) engine.addOperator(operator);
  let fired = 0;
  const started = performance.now();
  for (const facts of run.facts) {
    const { results } = await engine.run(facts);
    fired += results.length;
  }
  return { eventsPerSecond: perSecond(run.facts.length, performance.now() - started), fired };
}
