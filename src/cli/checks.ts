import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatProblem, loadCatalog } from '../checks/catalog.js';
import { loadScenarios, runScenario } from '../checks/scenarios.js';
import { CliError } from './cli-error.js';
import { paint, SEVERITY_COLOUR, table } from './output.js';
import { DEFAULT_RULES_DIR, DEFAULT_SCENARIOS_DIR } from './defaults.js';

export function registerChecksCommand(program: Command): void {
  const checks = program
    .command('checks')
    .description('List, lint and test the check catalog (rules/*.json)');

  checks
    .command('list')
    .description('Show every check: id, name, severity, category, event types')
    .option('--rules <dir>', 'check catalog directory', DEFAULT_RULES_DIR)
    .option('--json', 'print the checks as JSON')
    .action(async (options: { rules: string; json?: boolean }) => {
      const catalog = await loadCatalog(resolve(options.rules));
      if (options.json) {
        const rows = catalog.checks.map(({ id, name, severity, category, eventTypes, enabled, mitre, suppress }) => ({ id, name, severity, category, eventTypes, enabled, mitre, suppress }));
        process.stdout.write(`${JSON.stringify(rows)}\n`);
      } else {
        const rows = catalog.checks.map((c) => [c.id, c.name, paint(c.severity, SEVERITY_COLOUR[c.severity]!), c.category, c.eventTypes.join(','), c.enabled ? '' : 'disabled']);
        process.stdout.write(`${table(['ID', 'NAME', 'SEVERITY', 'CATEGORY', 'EVENTS', ''], rows)}\n\n${catalog.checks.length} checks in ${options.rules}\n`);
      }
      if (catalog.problems.some((p) => p.level === 'error')) {
        throw new CliError(`the catalog has errors: run sigfire checks lint --rules ${options.rules}`, 1);
      }
    });

  checks
    .command('lint')
    .description('Validate every check file and list: schema, duplicate ids, unknown facts, operators and lists, fact params')
    .option('--rules <dir>', 'check catalog directory', DEFAULT_RULES_DIR)
    .option('--json', 'print problems as JSON')
    .action(async (options: { rules: string; json?: boolean }) => {
      const catalog = await loadCatalog(resolve(options.rules));
      const errors = catalog.problems.filter((p) => p.level === 'error');
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ checks: catalog.checks.length, lists: catalog.lists.names().length, errors: errors.length, problems: catalog.problems })}\n`);
      } else {
        for (const problem of catalog.problems) process.stdout.write(`${formatProblem(problem)}\n`);
        process.stdout.write(`${catalog.checks.length} checks and ${catalog.lists.names().length} lists OK, ${errors.length} error(s), ${catalog.problems.length - errors.length} warning(s)\n`);
      }
      if (errors.length > 0) process.exitCode = 1;
    });

  checks
    .command('test')
    .description('Run every scenario (events + expected findings) against the catalog; fails on a miss or an extra finding')
    .option('--rules <dir>', 'check catalog directory', DEFAULT_RULES_DIR)
    .option('--scenarios <dir>', 'scenario directory', DEFAULT_SCENARIOS_DIR)
    .option('--json', 'print results as JSON')
    .option('-v, --verbose', 'print the findings of every scenario')
    .action(async (options: { rules: string; scenarios: string; json?: boolean; verbose?: boolean }) => {
      const catalog = await loadCatalog(resolve(options.rules));
      const { scenarios, errors } = await loadScenarios(resolve(options.scenarios));
      let failed = errors.length;
      const results = [];
      for (const error of errors) process.stderr.write(`${error}\n`);
      for (const scenario of scenarios) {
        const result = await runScenario(scenario, catalog);
        results.push({ name: scenario.name, file: scenario.file, passed: result.passed, findings: result.findings.map((f) => ({ check: f.checkId, user: f.user.login, time: f.time })), problems: result.problems });
        if (!result.passed) failed++;
        if (options.json) continue;
        const mark = result.passed ? paint('PASS', 'green') : paint('FAIL', 'red');
        process.stdout.write(`${mark}  ${scenario.name}${result.passed ? '' : `  (${scenario.file})`}\n`);
        for (const problem of result.problems) process.stdout.write(`      ${problem}\n`);
        if (options.verbose) for (const f of result.findings) process.stdout.write(`      fired ${f.checkId} for ${f.user.login} at ${f.time}\n`);
      }
      if (options.json) process.stdout.write(`${JSON.stringify({ scenarios: scenarios.length, passed: scenarios.length - (failed - errors.length), failed, results })}\n`);
      else process.stdout.write(`\n${scenarios.length - (failed - errors.length)} passed, ${failed} failed\n`);
      if (catalog.problems.some((p) => p.level === 'error')) {
        process.stderr.write(`the catalog has errors (some checks were not loaded): run sigfire checks lint\n`);
        process.exitCode = 1;
      }
      if (failed > 0) process.exitCode = 1;
    });
}
