import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { withDeliveryQueue } from './queue-names.js';

export interface PendingDeliveries {
  pending: number;
  retrying: number;
  /** Targets whose queue is paused (disabled): their jobs wait and are not counted as pending. */
  held: string[];
}

/** Jobs not yet delivered or dead, across the given targets' queues. */
export async function pendingDeliveries(connection: Redis, prefix: string, targetIds: string[]): Promise<PendingDeliveries> {
  const result: PendingDeliveries = { pending: 0, retrying: 0, held: [] };
  for (const targetId of targetIds) {
    await withDeliveryQueue(connection, prefix, targetId, async (queue) => {
      if (await queue.isPaused()) {
        result.held.push(targetId);
        return;
      }
      const counts = await queue.getJobCounts('wait', 'prioritized', 'waiting-children', 'active', 'delayed');
      result.retrying += counts.delayed ?? 0;
      result.pending += Object.values(counts).reduce((sum, n) => sum + n, 0);
    });
  }
  return result;
}

/**
 * Waits until every job for these targets is delivered or dead (a disabled target's jobs
 * are held, not waited for). Resolves with the last snapshot; `timedOut` if it gave up.
 */
export async function waitForDeliveries(
  connection: Redis,
  prefix: string,
  targetIds: string[],
  options: { timeoutMs?: number; pollMs?: number; onPoll?(pending: PendingDeliveries): void } = {},
): Promise<PendingDeliveries & { timedOut: boolean }> {
  const deadline = Date.now() + (options.timeoutMs ?? Number.POSITIVE_INFINITY);
  for (;;) {
    const pending = await pendingDeliveries(connection, prefix, targetIds);
    options.onPoll?.(pending);
    if (pending.pending === 0) return { ...pending, timedOut: false };
    if (Date.now() >= deadline) return { ...pending, timedOut: true };
    await sleep(options.pollMs ?? 250);
  }
}
