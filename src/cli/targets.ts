import type { Command } from 'commander';
import { maskTarget } from '../notify/mask.js';
import { testConnectivity } from '../notify/test-connectivity.js';
import { enableTarget } from '../queue/target-switch.js';
import { targetOverview } from '../status/target-status.js';
import { CliError } from './cli-error.js';
import { DEFAULT_CONFIG_FILE } from './defaults.js';
import { withRuntime } from './delivery-report.js';
import { paint } from './output.js';
import { renderTargetsTable } from './targets-table.js';

export function registerTargetsCommand(program: Command): void {
  // `targets test x --config f --json`: these options share names with the parent's; commander
  // gives them to the sub-command only with positional options on the program and the parent
  // (otherwise the parent takes them and the sub-command sees its defaults).
  const targets = program
    .command('targets')
    .description('Notification targets: status, Test Connectivity, re-enable')
    .enablePositionalOptions()
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
    .option('--json', 'print as JSON (secrets masked)')
    .addHelpText(
      'after',
      `
Status: "no checks configured" (amber) when no enabled check is wired to the target;
"disabled" after a 410 Gone or a run of failures longer than delivery.disableAfter;
"failing" while attempts fail or after a recent dead letter; else "ok".

Examples:
  sigfire targets
  sigfire targets test demo-xdr
  sigfire targets enable demo-xdr`,
    )
    .action(async (options: { config: string; json?: boolean }) => {
      await withRuntime(options.config, async (runtime) => {
        const overviews = await Promise.all(runtime.loaded.config.targets.map((target) => targetOverview(runtime, target)));
        if (options.json) {
          const masked = overviews.map((overview) => {
            const target = runtime.loaded.config.targets.find((t) => t.id === overview.id)!;
            const safe = maskTarget(target, runtime.loaded.targetSecretPaths[target.id] ?? []);
            return { ...overview, checks: runtime.wiring.checksFor(target.id), auth: safe.auth, parameters: safe.parameters, ...(safe.signingSecret ? { signingSecret: safe.signingSecret } : {}) };
          });
          process.stdout.write(`${JSON.stringify({ targets: masked, unwiredChecks: runtime.wiring.unwiredChecks, unknownCheckIds: runtime.wiring.unknownCheckIds })}\n`);
        } else {
          process.stdout.write(`${renderTargetsTable(overviews, runtime.wiring.unwiredChecks)}\n`);
          if (runtime.wiring.unknownCheckIds.length) process.stdout.write(`warning: wiring names unknown checks: ${runtime.wiring.unknownCheckIds.join(', ')}\n`);
        }
      });
    });

  targets
    .command('test')
    .description('Test Connectivity: send a WebhookTest envelope to the target now (exit 0 only on 2xx)')
    .argument('<id>', 'target id')
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
    .option('--json', 'print the result as JSON')
    .action(async (id: string, options: { config: string; json?: boolean }) => {
      await withRuntime(options.config, async (runtime) => {
        const target = findTarget(runtime.loaded.config.targets, id);
        const { result, records } = await testConnectivity(target, runtime.loaded.config.envelope);
        await runtime.status.recordTest(target.id, result);
        await runtime.status.recordAttempts(records, { affectsStatus: false });
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ target: id, ...result })}\n`);
        } else {
          process.stdout.write(`status:   ${result.status ?? '-'}\nlatency:  ${result.latencyMs} ms\n`);
          if (result.error) process.stdout.write(`error:    ${result.error}\n`);
          if (result.responseExcerpt) process.stdout.write(`response: ${result.responseExcerpt.slice(0, 300).replace(/\s+/g, ' ')}\n`);
          process.stdout.write(result.ok ? paint(`Test Connectivity to ${id} succeeded\n`, 'green') : paint(`Test Connectivity to ${id} failed\n`, 'red'));
        }
        if (!result.ok) process.exitCode = 1;
      });
    });

  targets
    .command('enable')
    .description('Re-enable a disabled target: its held deliveries resume')
    .argument('<id>', 'target id')
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
    .action(async (id: string, options: { config: string }) => {
      await withRuntime(options.config, async (runtime) => {
        const target = findTarget(runtime.loaded.config.targets, id);
        if (!target.enabled) throw new CliError(`target ${id} has enabled: false in ${options.config}; change it there`);
        await enableTarget(runtime.connection, runtime.prefix, runtime.status, id);
        process.stdout.write(`target ${id} enabled; its held deliveries resume\n`);
      });
    });
}

function findTarget<T extends { id: string }>(targets: T[], id: string): T {
  const target = targets.find((t) => t.id === id);
  if (!target) throw new CliError(`no target ${JSON.stringify(id)} in the config (targets: ${targets.map((t) => t.id).join(', ') || 'none'})`);
  return target;
}
