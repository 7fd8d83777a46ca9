import { Engine, type Operator, type RuleProperties, type RuleResult } from 'json-rules-engine';
import type { IdentityEvent } from '../events/schema.js';
import { getPath } from '../util/object-path.js';
import { loadCatalog, type Catalog } from './catalog.js';
import type { Check } from './check-schema.js';
import { visitLeaves } from './conditions.js';
import type { EvaluationContext, Tracker } from './facts/context.js';
import { DERIVED_FACTS } from './facts/registry.js';
import { TrackerSet } from './facts/tracker-set.js';
import { findingId, type FiredCondition, type Finding } from './finding.js';
import { createOperators } from './operators.js';
import { CheckPrefilter, engineOperators, type PlainFacts } from './prefilter.js';
import { Suppression } from './suppression.js';
import { UserDirectory } from './user-directory.js';

export interface DetectorStats {
  events: number;
  findings: number;
  suppressed: number;
  trackers: number;
  stateEntries: number;
  users: number;
}

/**
 * Runs every enabled check on each event, in event order: json-rules-engine Engines holding
 * only the checks that can still fire for the event (its type, then the prefilter), derived
 * facts answered by trackers, then suppression. State lives here, so one Detector is one replay.
 */
export class Detector {
  /** Engines keyed by the set of checks they hold; few distinct sets occur in practice. */
  private readonly engines = new Map<string, Engine>();
  private readonly prefiltersByType = new Map<string, CheckPrefilter[]>();
  private readonly operators: Operator[];
  private readonly engineRules = new Map<string, RuleProperties>();
  private readonly aliases = new Map<string, { fact: string; params?: Record<string, unknown>; tracker: Tracker }>();
  private readonly aliasByTracker = new Map<Tracker, string>();
  private readonly checksById = new Map<string, Check>();
  private readonly trackers: TrackerSet;
  private readonly directory = new UserDirectory();
  private readonly suppression = new Suppression();
  private context: EvaluationContext | undefined;
  private readonly memo = new Map<Tracker, unknown>();
  private counters = { events: 0, findings: 0, suppressed: 0 };

  static async create(options: { rulesDir: string; only?: (check: Check) => boolean }): Promise<Detector> {
    return new Detector(await loadCatalog(options.rulesDir), options.only);
  }

  constructor(readonly catalog: Catalog, only: (check: Check) => boolean = () => true) {
    this.trackers = new TrackerSet({ lists: catalog.lists });
    this.operators = createOperators(catalog.lists);
    for (const check of catalog.checks) {
      if (!check.enabled || !only(check)) continue;
      this.checksById.set(check.id, check);
      this.engineRules.set(check.id, this.withFactAliases(check));
    }
    const lookup = engineOperators(this.operators);
    for (const check of this.checksById.values()) {
      for (const type of check.eventTypes) {
        const list = this.prefiltersByType.get(type) ?? [];
        list.push(new CheckPrefilter(check, lookup));
        this.prefiltersByType.set(type, list);
      }
    }
  }

  /** The engine holding exactly the checks that can still fire for these facts, if any. */
  private engineFor(type: string, facts: PlainFacts): Engine | undefined {
    const admitted: Check[] = [];
    for (const prefilter of this.prefiltersByType.get(type) ?? []) if (prefilter.admits(facts)) admitted.push(prefilter.check);
    if (admitted.length === 0) return undefined;
    const key = admitted.map((check) => check.id).join(',');
    let engine = this.engines.get(key);
    if (!engine) {
      engine = new Engine([], { allowUndefinedFacts: true, pathResolver: getPath });
      for (const operator of this.operators) engine.addOperator(operator);
      for (const [alias, use] of this.aliases) engine.addFact(alias, () => this.derivedValue(use.tracker), { cache: false });
      for (const check of admitted) engine.addRule(this.engineRules.get(check.id)!);
      this.engines.set(key, engine);
    }
    return engine;
  }

  get checks(): Check[] {
    return [...this.checksById.values()];
  }

  /** Evaluates one event; returns the findings that survive suppression. */
  async process(event: IdentityEvent): Promise<Finding[]> {
    const time = Date.parse(event.time);
    const user = this.directory.view(event);
    const ctx: EvaluationContext = { event, time, user };
    this.context = ctx;
    this.memo.clear();
    this.counters.events++;

    const findings: Finding[] = [];
    const facts: PlainFacts = { event, type: event.type, action: event.action, user, login: event.login ?? {} };
    const engine = this.engineFor(event.type, facts);
    if (engine) {
      const { results } = await engine.run(facts);
      for (const result of results) {
        const check = this.checksById.get(result.name as string)!;
        if (!this.suppression.admit(check, event, time)) {
          this.counters.suppressed++;
          continue;
        }
        findings.push(this.toFinding(check, ctx, result));
      }
    }
    this.trackers.observe(ctx);
    this.directory.apply(event, user);
    this.context = undefined;
    this.counters.findings += findings.length;
    return findings;
  }

  stats(): DetectorStats {
    return {
      ...this.counters,
      trackers: this.trackers.count,
      stateEntries: this.trackers.entries() + this.suppression.size,
      users: this.directory.size,
    };
  }

  /**
   * The rule as the engine gets it: each derived-fact condition (fact + params) points at a
   * fact alias bound to its tracker (registered here, once per distinct params), so evaluating
   * it needs no params lookup or hashing.
   * `why` maps the aliases back to the rule as written.
   */
  private withFactAliases(check: Check): RuleProperties {
    const conditions = structuredClone(check.rule.conditions);
    visitLeaves(conditions, '', (leaf) => {
      if (!DERIVED_FACTS[leaf.fact]) return;
      const tracker = this.trackers.register(leaf.fact, leaf.params);
      let alias = this.aliasByTracker.get(tracker);
      if (!alias) {
        alias = `${leaf.fact}#${this.aliases.size + 1}`;
        this.aliasByTracker.set(tracker, alias);
        this.aliases.set(alias, { fact: leaf.fact, params: leaf.params, tracker });
      }
      leaf.fact = alias;
      delete leaf.params;
    });
    return { ...check.rule, conditions, name: check.id } as unknown as RuleProperties;
  }

  private derivedValue(tracker: Tracker): unknown {
    const ctx = this.context;
    if (!ctx) throw new Error('a derived fact was evaluated outside Detector.process');
    if (this.memo.has(tracker)) return this.memo.get(tracker);
    const value = tracker.value(ctx);
    this.memo.set(tracker, value);
    return value;
  }

  private toFinding(check: Check, ctx: EvaluationContext, result: RuleResult): Finding {
    const why: FiredCondition[] = [];
    visitLeaves(result.conditions, '', (leaf) => {
      if (leaf.result !== true) return;
      const alias = this.aliases.get(leaf.fact);
      why.push({
        fact: alias?.fact ?? leaf.fact,
        ...(leaf.path ? { path: leaf.path } : {}),
        ...(alias?.params ? { params: alias.params } : {}),
        operator: leaf.operator,
        expected: leaf.value,
        // json-rules-engine stores the value after `path` was applied
        actual: leaf.factResult,
      });
    });
    return {
      id: findingId(check.id, ctx.event.id),
      checkId: check.id,
      checkName: check.name,
      severity: check.severity,
      category: check.category,
      description: check.description,
      recommendedActions: check.recommendedActions,
      mitre: check.mitre,
      time: ctx.event.time,
      user: ctx.user,
      event: ctx.event,
      why,
    };
  }
}
