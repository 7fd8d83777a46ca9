import type { Command } from 'commander';
import type { AttemptRecord } from '../notify/deliver.js';
import { startDeliveryWorkers } from '../queue/delivery-worker.js';
import { CliError } from './cli-error.js';
import { DEFAULT_CONFIG_FILE } from './defaults.js';
import { openRuntimeForCli } from './delivery-report.js';
import { paint } from './output.js';

interface WorkerCliOptions {
  config: string;
  concurrency?: string;
  quiet?: boolean;
  json?: boolean;
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('Deliver queued findings to their targets, with retries (run as many as you like on one Redis)')
    .option('-c, --config <file>', 'config file (targets, wiring, Redis)', DEFAULT_CONFIG_FILE)
    .option('--concurrency <n>', 'deliveries in flight per target (default: delivery.concurrency from the config)')
    .option('--quiet', 'no line per attempt')
    .option('--json', 'one JSON line per attempt (secrets never included)')
    .addHelpText(
      'after',
      `
Each target has its own queue, so a slow or dead target never holds up the others; a
target's rateLimit holds across every worker process. SIGINT/SIGTERM: stop taking jobs,
finish those in flight, exit (a job cut short by a crash is handed back by Redis).

Redis: REDIS_URL, else redis.url from the config, else 127.0.0.1:6379.`,
    )
    .action(async (options: WorkerCliOptions) => {
      const concurrency = options.concurrency === undefined ? undefined : Number(options.concurrency);
      if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) throw new CliError('--concurrency takes a positive whole number');
      const runtime = await openRuntimeForCli(options.config);
      const { config } = runtime.loaded;
      const log = (line: string) => process.stdout.write(`${line}\n`);
      const workers = startDeliveryWorkers({
        connection: runtime.connection,
        prefix: runtime.prefix,
        targets: config.targets,
        delivery: config.delivery,
        status: runtime.status,
        concurrency,
        events: {
          onAttempt: (record) => {
            if (options.json) log(JSON.stringify({ event: 'attempt', ...record, responseExcerpt: undefined }));
            else if (!options.quiet) log(formatAttempt(record));
          },
          onDeadLetter: (job, reason) => {
            if (options.json) log(JSON.stringify({ event: 'dead-letter', targetId: job.data.targetId, envelopeId: job.data.envelope.id, reason }));
            else log(paint(`dead letter: ${job.data.targetId} ${job.data.checkId} ${job.data.envelope.id}: ${reason}`, 'red'));
          },
          onTargetDisabled: (targetId, reason) => {
            if (options.json) log(JSON.stringify({ event: 'target-disabled', targetId, reason }));
            else log(paint(`target ${targetId} disabled: ${reason} (sigfire targets enable ${targetId})`, 'red'));
          },
        },
      });
      const started = config.targets.filter((t) => t.enabled).map((t) => t.id);
      const banner = `worker started: ${started.length} targets (${started.join(', ')}), Redis ${runtime.redis.url} (${runtime.redis.origin}), prefix ${runtime.prefix}`;
      if (options.json) log(JSON.stringify({ event: 'started', targets: started, redis: runtime.redis.url, prefix: runtime.prefix }));
      else log(banner);

      await new Promise<void>((resolveStop) => {
        let stopping = false;
        const stop = (signal: string) => {
          if (stopping) {
            process.stderr.write(`second ${signal}: exiting now; jobs in flight go back to the queue when their lock expires\n`);
            process.exit(130);
          }
          stopping = true;
          if (!options.json) process.stderr.write(`${signal}: finishing deliveries in flight, taking no new ones...\n`);
          void workers
            .close()
            .then(() => runtime.close())
            .then(resolveStop);
        };
        process.on('SIGINT', () => stop('SIGINT'));
        process.on('SIGTERM', () => stop('SIGTERM'));
      });
      if (options.json) log(JSON.stringify({ event: 'stopped' }));
      else log('worker stopped');
    });
}

function formatAttempt(record: AttemptRecord): string {
  const time = record.time.slice(11, 23);
  const colour = record.outcome === 'delivered' ? 'green' : record.outcome === 'permanent' ? 'red' : 'amber';
  const status = record.status === undefined ? (record.error ?? 'error').split(':')[0]! : String(record.status);
  return `${time}  ${record.targetId.padEnd(16)} ${paint(status.padEnd(4), colour)} ${record.outcome.padEnd(9)} ${(record.checkId ?? record.detailType).padEnd(34)} ${record.envelopeId.slice(0, 8)}  ${String(record.durationMs).padStart(6)}ms  attempt ${record.attempt}${record.reason && record.outcome !== 'delivered' ? `  ${record.reason}` : ''}`;
}
