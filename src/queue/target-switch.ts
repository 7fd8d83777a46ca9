import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { StatusStore } from '../status/status-store.js';
import { deliveryQueueName } from './queue-names.js';

/**
 * Disabling a target pauses its queue: BullMQ stops handing its jobs to every worker at
 * once, and the jobs wait (nothing is dropped) until `sigfire targets enable`.
 */
export async function disableTarget(connection: Redis, prefix: string, status: StatusStore, targetId: string, reason: string): Promise<void> {
  const queue = new Queue(deliveryQueueName(targetId), { connection, prefix });
  try {
    await queue.pause();
    await status.setDisabled(targetId, reason);
  } finally {
    await queue.close();
  }
}

export async function enableTarget(connection: Redis, prefix: string, status: StatusStore, targetId: string): Promise<void> {
  const queue = new Queue(deliveryQueueName(targetId), { connection, prefix });
  try {
    await status.setEnabled(targetId);
    await queue.resume();
  } finally {
    await queue.close();
  }
}
