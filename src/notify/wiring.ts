import type { Check } from '../checks/check-schema.js';
import type { Config, TargetConfig, WiringRule } from '../config/schema.js';

/** What wiring needs to know about a check. */
export type WiredCheck = Pick<Check, 'id' | 'severity' | 'category' | 'enabled'>;

export interface Wiring {
  /** Enabled targets a finding of this check goes to, in config order; [] for an unknown check. */
  targetsFor(checkId: string): TargetConfig[];
  /** Enabled checks wired to this target, in catalog order. */
  checksFor(targetId: string): string[];
  /** Targets no enabled check is wired to (status "no-checks"). */
  noCheckTargets: string[];
  /** Enabled checks wired to no target. */
  unwiredChecks: string[];
  /** Check ids named in wiring rules that no loaded check has (a warning: a typo or a removed check). */
  unknownCheckIds: string[];
}

/**
 * A check matches a wiring rule when it meets every selector the rule gives (its id is in
 * `checks`, its severity in `severities`, its category in `categories`); a rule without
 * any selector matches nothing, so an unfinished rule never floods a target.
 */
export function ruleMatches(rule: WiringRule, check: WiredCheck): boolean {
  if (rule.checks === undefined && rule.severities === undefined && rule.categories === undefined) return false;
  return (
    (rule.checks === undefined || rule.checks.includes(check.id)) &&
    (rule.severities === undefined || rule.severities.includes(check.severity)) &&
    (rule.categories === undefined || rule.categories.includes(check.category))
  );
}

export function resolveWiring(config: Pick<Config, 'targets' | 'wiring'>, checks: readonly WiredCheck[]): Wiring {
  const targetIdsByCheck = new Map<string, Set<string>>();
  for (const check of checks) {
    const targetIds = new Set<string>();
    for (const rule of config.wiring) {
      if (ruleMatches(rule, check)) for (const targetId of rule.targets) targetIds.add(targetId);
    }
    targetIdsByCheck.set(check.id, targetIds);
  }

  const enabledChecks = checks.filter((check) => check.enabled);
  const checksByTarget = new Map<string, string[]>(config.targets.map((target) => [target.id, []]));
  for (const check of enabledChecks) {
    for (const targetId of targetIdsByCheck.get(check.id) ?? []) checksByTarget.get(targetId)?.push(check.id);
  }

  const targetsByCheck = new Map<string, TargetConfig[]>();
  for (const [checkId, targetIds] of targetIdsByCheck) {
    targetsByCheck.set(checkId, config.targets.filter((target) => target.enabled && targetIds.has(target.id)));
  }

  const knownCheckIds = new Set(checks.map((check) => check.id));
  const namedCheckIds = new Set(config.wiring.flatMap((rule) => rule.checks ?? []));

  return {
    targetsFor: (checkId) => [...(targetsByCheck.get(checkId) ?? [])],
    checksFor: (targetId) => [...(checksByTarget.get(targetId) ?? [])],
    noCheckTargets: config.targets.filter((target) => checksByTarget.get(target.id)!.length === 0).map((target) => target.id),
    unwiredChecks: enabledChecks.filter((check) => targetIdsByCheck.get(check.id)!.size === 0).map((check) => check.id),
    unknownCheckIds: [...namedCheckIds].filter((checkId) => !knownCheckIds.has(checkId)),
  };
}
