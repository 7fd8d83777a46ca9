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
import { guardAdmits, guardKey, guardOf, type RuleGuard } from './rule-guards.js';
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
 * only the checks that can apply to the event (type and guards), derived facts answered by
 * trackers, then suppression. State lives here, so one Detector is one replay.
 */
export class Detector {
  private readonly engines = new Map<string, Engine | null>();
  private readonly guards = new Map<string, RuleGuard>();
  private readonly operators: Operator[];
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
      this.guards.set(check.id, guardOf(check));
      visitLeaves(check.rule.conditions, '', (leaf) => {
        if (DERIVED_FACTS[leaf.fact]) this.trackers.register(leaf.fact, leaf.params);
      });
    }
  }

  /**
   * The engine for events like this one: only the checks whose event types and guards
   * (see rule-guards.ts) admit it; built once per distinct (type, result, factor, action).
   */
  private engineFor(event: IdentityEvent): Engine | undefined {
    const key = guardKey(event);
    if (this.engines.has(key)) return this.engines.get(key) ?? undefined;
    const applicable = [...this.checksById.values()].filter((check) => check.eventTypes.includes(event.type) && guardAdmits(this.guards.get(check.id)!, event));
    let engine: Engine | undefined;
    if (applicable.length > 0) {
      engine = new Engine([], { allowUndefinedFacts: true, pathResolver: getPath });
      for (const operator of this.operators) engine.addOperator(operator);
      for (const name of Object.keys(DERIVED_FACTS)) {
        engine.addFact(name, (params: unknown) => this.derivedValue(name, params), { cache: false });
      }
      for (const check of applicable) engine.addRule({ ...check.rule, name: check.id } as unknown as RuleProperties);
    }
    this.engines.set(key, engine ?? null);
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
    const engine = this.engineFor(event);
    if (engine) {
      const { results } = await engine.run({
        event,
        type: event.type,
        action: event.action,
        user,
        login: event.login ?? {},
      });
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

  private derivedValue(name: string, params: unknown): unknown {
    const ctx = this.context;
    if (!ctx) throw new Error(`fact ${name} evaluated outside Detector.process`);
    const tracker = this.trackers.lookup(name, params);
    if (this.memo.has(tracker)) return this.memo.get(tracker);
    const value = tracker.value(ctx);
    this.memo.set(tracker, value);
    return value;
  }

  private toFinding(check: Check, ctx: EvaluationContext, result: RuleResult): Finding {
    const why: FiredCondition[] = [];
    visitLeaves(result.conditions, '', (leaf) => {
      if (leaf.result !== true) return;
      why.push({
        fact: leaf.fact,
        ...(leaf.path ? { path: leaf.path } : {}),
        ...(leaf.params ? { params: leaf.params } : {}),
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
