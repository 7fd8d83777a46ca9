import type { Command } from 'commander';
import type { AttemptRecord } from '../notify/deliver.js';
import { listDeadLetters, retryDeadLetters } from '../queue/dead-letters.js';
import { CliError } from './cli-error.js';
import { DEFAULT_CONFIG_FILE } from './defaults.js';
import { withRuntime } from './delivery-report.js';
import { formatCount, paint, table } from './output.js';

interface ListOptions {
  config: string;
  target?: string;
  failed?: boolean;
  limit: string;
  json?: boolean;
}

export function registerDeliveriesCommand(program: Command): void {
  // `deliveries retry --failed --config f`: these options share names with the parent's; commander
  // gives them to the sub-command only with positional options on the program and the parent
  // (otherwise the parent takes them, and retry's required --failed is never seen).
  const deliveries = program
    .command('deliveries')
    .description('Delivery attempts (newest first), or dead letters with --failed')
    .enablePositionalOptions()
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
    .option('--target <id>', 'only this target')
    .option('--failed', 'list dead letters (permanent failures and exhausted retries) with their reason')
    .option('--limit <n>', 'at most this many rows', '50')
    .option('--json', 'print as JSON')
    .action(async (options: ListOptions) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new CliError('--limit takes a positive whole number');
      await withRuntime(options.config, async (runtime) => {
        const targetIds = selectTargets(runtime.loaded.config.targets.map((t) => t.id), options.target);
        if (options.failed) {
          const dead = await listDeadLetters(runtime.connection, runtime.prefix, targetIds, { limit });
          if (options.json) {
            process.stdout.write(`${JSON.stringify(dead)}\n`);
            return;
          }
          const rows = dead.map((d) => [d.failedAt ?? '-', d.targetId, d.checkId, d.envelopeId, String(d.attempts), d.reason]);
          process.stdout.write(`${table(['FAILED AT', 'TARGET', 'CHECK', 'ENVELOPE', 'ATTEMPTS', 'REASON'], rows)}\n${formatCount(dead.length)} dead letters${dead.length ? ' (re-drive: sigfire deliveries retry --failed)' : ''}\n`);
          return;
        }
        const wanted = new Set(targetIds);
        const attempts = await runtime.status.recentAttempts(limit, (record) => wanted.has(record.targetId));
        if (options.json) {
          process.stdout.write(`${JSON.stringify(attempts)}\n`);
          return;
        }
        process.stdout.write(`${renderAttempts(attempts)}\n`);
      });
    });

  deliveries
    .command('retry')
    .description('Re-drive dead letters: each goes back to its queue with a fresh set of attempts')
    .requiredOption('--failed', 'retry dead letters (required, to say what is retried)')
    .option('--target <id>', 'only this target')
    .option('--since <time>', 'only dead letters that failed at or after this ISO time (or a duration ago, e.g. 1h)')
    .option('-c, --config <file>', 'config file', DEFAULT_CONFIG_FILE)
    .option('--json', 'print the result as JSON')
    .action(async (options: { failed: boolean; target?: string; since?: string; config: string; json?: boolean }) => {
      const since = parseSince(options.since);
      await withRuntime(options.config, async (runtime) => {
        const targetIds = selectTargets(runtime.loaded.config.targets.map((t) => t.id), options.target);
        const retried = await retryDeadLetters(runtime.connection, runtime.prefix, targetIds, { since });
        for (const [targetId, count] of Object.entries(retried)) if (count > 0) await runtime.status.clearDeadLetterMark(targetId);
        const total = Object.values(retried).reduce((sum, n) => sum + n, 0);
        if (options.json) process.stdout.write(`${JSON.stringify({ retried: total, byTarget: retried })}\n`);
        else process.stdout.write(`re-queued ${formatCount(total)} dead letters${total ? ` (${Object.entries(retried).filter(([, n]) => n).map(([id, n]) => `${id}: ${n}`).join(', ')})` : ''}; a running \`sigfire worker\` delivers them\n`);
      });
    });
}

function selectTargets(all: string[], only: string | undefined): string[] {
  if (!only) return all;
  if (!all.includes(only)) throw new CliError(`no target ${JSON.stringify(only)} in the config (targets: ${all.join(', ')})`);
  return [only];
}

function parseSince(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const relative = /^(\d+)(s|m|h|d)$/.exec(text);
  if (relative) return Date.now() - Number(relative[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new CliError(`--since takes an ISO time or a duration such as 1h, got ${JSON.stringify(text)}`);
  return time;
}

function renderAttempts(attempts: AttemptRecord[]): string {
  const rows = attempts.map((a) => {
    const colour = a.outcome === 'delivered' ? 'green' : a.outcome === 'permanent' ? 'red' : 'amber';
    return [
      a.time,
      a.targetId,
      a.checkId ?? a.detailType,
      a.envelopeId.slice(0, 8),
      String(a.attempt),
      paint(a.status === undefined ? '-' : String(a.status), colour),
      `${a.durationMs}ms`,
      a.outcome,
      (a.reason ?? a.error ?? a.responseExcerpt ?? '').replace(/\s+/g, ' ').slice(0, 80),
    ];
  });
  return `${table(['TIME', 'TARGET', 'CHECK', 'ENVELOPE', 'ATTEMPT', 'STATUS', 'TOOK', 'OUTCOME', 'DETAIL'], rows)}\n${formatCount(attempts.length)} attempts shown`;
}
