import { openDeliveryRuntime, type DeliveryRuntime } from '../queue/delivery-runtime.js';
import { withDeliveryQueue } from '../queue/queue-names.js';
import { waitForDeliveries } from '../queue/wait-for-deliveries.js';
import type { DeliverySink } from '../replay/delivery-sink.js';
import { targetOverview } from '../status/target-status.js';
import { CliError } from './cli-error.js';
import { formatCount, ProgressLine } from './output.js';
import { renderTargetsTable } from './targets-table.js';

/** Opens config + Redis for a command; config and Redis problems become one-line CLI errors. */
export async function openRuntimeForCli(configFile: string, options: { startRedisIfMissing?: boolean } = {}): Promise<DeliveryRuntime> {
  try {
    return await openDeliveryRuntime(configFile, options);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`config file ${configFile} not found (pass --config FILE)`);
    throw new CliError((error as Error).message);
  }
}

/** Runs a command's work with the runtime open, and closes it (Redis, a throwaway server) after. */
export async function withRuntime<T>(configFile: string, use: (runtime: DeliveryRuntime) => Promise<T>): Promise<T> {
  const runtime = await openRuntimeForCli(configFile);
  try {
    return await use(runtime);
  } finally {
    await runtime.close();
  }
}

export async function deadLetterCounts(runtime: DeliveryRuntime): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const target of runtime.loaded.config.targets) {
    counts[target.id] = await withDeliveryQueue(runtime.connection, runtime.prefix, target.id, (queue) => queue.getFailedCount());
  }
  return counts;
}

export interface DeliveryReport {
  enqueued: number;
  duplicates: number;
  unrouted: number;
  byTarget: Record<string, number>;
  waited: boolean;
  timedOut: boolean;
  pending: number;
  held: string[];
  deadLetters: number;
  text: string;
}

/** After `replay --deliver`: what was enqueued, and with --wait what became of it. Closes the runtime. */
export async function reportDelivery(
  runtime: DeliveryRuntime,
  sink: DeliverySink,
  deadBefore: Record<string, number>,
  options: { wait: boolean; waitTimeoutMs: number; json: boolean },
): Promise<DeliveryReport> {
  const { enqueued, duplicates, unrouted, byTarget } = sink.counters;
  const lines = [
    `\nenqueued ${formatCount(enqueued)} deliveries` +
      (duplicates ? `, ${formatCount(duplicates)} already enqueued by an earlier replay (skipped; --resend to send again)` : '') +
      (unrouted ? `; ${formatCount(unrouted)} findings are wired to no target` : ''),
  ];
  let waitResult = { pending: 0, held: [] as string[], timedOut: false };
  try {
    const targetIds = runtime.loaded.config.targets.map((t) => t.id);
    if (options.wait) {
      let last = { pending: 0, retrying: 0 };
      const progress = new ProgressLine(() => `waiting for deliveries: ${formatCount(last.pending)} pending (${formatCount(last.retrying)} retrying)`);
      try {
        waitResult = await waitForDeliveries(runtime.connection, runtime.prefix, targetIds, {
          timeoutMs: options.waitTimeoutMs,
          onPoll: (pending) => (last = pending),
        });
      } finally {
        progress.stop();
      }
      if (waitResult.timedOut) lines.push(`gave up waiting after --wait-timeout: ${formatCount(waitResult.pending)} deliveries still pending (is \`sigfire worker\` running?)`);
      if (waitResult.held.length) lines.push(`held (target disabled, jobs kept): ${waitResult.held.join(', ')}; re-enable with \`sigfire targets enable <id>\``);
    }
    const deadAfter = await deadLetterCounts(runtime);
    const deadLetters = Object.entries(deadAfter).reduce((sum, [id, n]) => sum + Math.max(0, n - (deadBefore[id] ?? 0)), 0);
    if (deadLetters) lines.push(`${formatCount(deadLetters)} new dead letters: see \`sigfire deliveries --failed\``);
    if (options.wait && !options.json) {
      const overviews = await Promise.all(runtime.loaded.config.targets.map((target) => targetOverview(runtime, target)));
      lines.push('', renderTargetsTable(overviews, runtime.wiring.unwiredChecks));
    }
    return { enqueued, duplicates, unrouted, byTarget, waited: options.wait, ...waitResult, deadLetters, text: `${lines.join('\n')}\n` };
  } finally {
    await runtime.close();
  }
}
