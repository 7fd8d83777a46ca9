import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { validateEvent } from '../events/validate-event.js';
import { formatRecordError } from '../events/records.js';
import type { Catalog } from './catalog.js';
import { Detector } from './detector.js';
import type { Finding } from './finding.js';

/** A scenario file: events plus the exact findings they must produce (Panther-style rule tests). */
const ScenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().default(''),
  defaults: z.record(z.string(), z.unknown()).default({}),
  events: z.array(z.record(z.string(), z.unknown())).min(1),
  expect: z.array(z.strictObject({ check: z.string().min(1), user: z.string().optional(), count: z.number().int().min(0).default(1) })),
});

export type Scenario = z.infer<typeof ScenarioSchema> & { file: string };

export interface ScenarioResult {
  scenario: Scenario;
  passed: boolean;
  findings: Finding[];
  /** Lines saying what was expected and not seen, or seen and not expected, or invalid. */
  problems: string[];
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)
        ? deepMerge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

export async function loadScenarios(dir: string): Promise<{ scenarios: Scenario[]; errors: string[] }> {
  const scenarios: Scenario[] = [];
  const errors: string[] = [];
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  for (const name of names) {
    const path = join(dir, name);
    const file = relative(process.cwd(), path) || path;
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      errors.push(`${file}: not valid JSON: ${(error as Error).message}`);
      continue;
    }
    const parsed = ScenarioSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      errors.push(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      continue;
    }
    scenarios.push({ ...parsed.data, file });
  }
  return { scenarios, errors };
}

/** Runs one scenario on a fresh Detector over the whole catalog and compares findings exactly. */
export async function runScenario(scenario: Scenario, catalog: Catalog): Promise<ScenarioResult> {
  const detector = new Detector(catalog);
  const findings: Finding[] = [];
  const problems: string[] = [];
  for (const [index, raw] of scenario.events.entries()) {
    const merged = deepMerge(scenario.defaults, raw);
    merged.id ??= `${scenario.name}#${index + 1}`;
    const item = validateEvent(merged, scenario.file, index + 1);
    if (!item.ok) {
      problems.push(`invalid event ${index + 1}: ${formatRecordError(item.error)}`);
      continue;
    }
    findings.push(...(await detector.process(item.event)));
  }

  const unmatched = [...findings];
  for (const expectation of scenario.expect) {
    const matching = unmatched.filter((f) => f.checkId === expectation.check && (expectation.user === undefined || f.user.login === expectation.user));
    if (matching.length !== expectation.count) {
      problems.push(`expected ${expectation.count} × ${expectation.check}${expectation.user ? ` for ${expectation.user}` : ''}, got ${matching.length}`);
    }
    for (const finding of matching.slice(0, expectation.count)) unmatched.splice(unmatched.indexOf(finding), 1);
  }
  const coveredByExpectation = (finding: Finding) =>
    scenario.expect.some((e) => e.check === finding.checkId && (e.user === undefined || e.user === finding.user.login));
  for (const extra of unmatched) {
    if (coveredByExpectation(extra)) continue; // already reported as a count mismatch
    problems.push(`unexpected ${extra.checkId} for ${extra.user.login} at ${extra.time}`);
  }
  return { scenario, passed: problems.length === 0, findings, problems };
}
