import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type Catalog } from '../src/checks/catalog.js';
import { loadScenarios, runScenario, type Scenario } from '../src/checks/scenarios.js';

const rulesDir = resolve('rules');
const scenariosDir = resolve('fixtures/scenarios');
const { scenarios, errors } = await loadScenarios(scenariosDir);

describe('the shipped check catalog', () => {
  let catalog: Catalog;
  beforeAll(async () => {
    catalog = await loadCatalog(rulesDir);
  });

  it('lints clean', () => {
    expect(catalog.problems.filter((p) => p.level === 'error')).toEqual([]);
    expect(catalog.checks.length).toBeGreaterThanOrEqual(20);
  });

  it('has valid scenario files, and one scenario per check', () => {
    expect(errors).toEqual([]);
    const names = new Set(scenarios.map((s) => s.name));
    const missing = catalog.checks.map((c) => c.id).filter((id) => !names.has(id));
    expect(missing).toEqual([]);
  });

  it.each(scenarios.map((s) => [s.name, s] as [string, Scenario]))('scenario %s gives exactly its expected findings', async (_name, scenario) => {
    const result = await runScenario(scenario, catalog);
    expect(result.problems).toEqual([]);
    expect(result.passed).toBe(true);
  });
});
