import type { Redis } from 'ioredis';
import type { StatusStore } from '../status/status-store.js';
import { withDeliveryQueue } from './queue-names.js';

/**
 * Disabling a target pauses its queue: BullMQ stops handing its jobs to every worker at
 * once, and the jobs wait (nothing is dropped) until `sigfire targets enable`.
 */
export async function disableTarget(connection: Redis, prefix: string, status: StatusStore, targetId: string, reason: string): Promise<void> {
  await withDeliveryQueue(connection, prefix, targetId, async (queue) => {
    await queue.pause();
    await status.setDisabled(targetId, reason);
  });
}

export async function enableTarget(connection: Redis, prefix: string, status: StatusStore, targetId: string): Promise<void> {
  await withDeliveryQueue(connection, prefix, targetId, async (queue) => {
    await status.setEnabled(targetId);
    await queue.resume();
  });
}
