import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DeliveryJobData } from './job-data.js';

/**
 * One BullMQ queue per target, so a slow or dead target only ever holds up its own queue
 * and a target's rate limit (BullMQ's limiter is per queue, kept in Redis) holds across
 * every worker process.
 */
export function deliveryQueueName(targetId: string): string {
  return `deliver-${targetId}`;
}

/** Redis key of the "already enqueued" marker for an envelope (the idempotency key). */
export function enqueuedMarkerKey(prefix: string, envelopeId: string): string {
  return `${prefix}:enqueued:${envelopeId}`;
}

/** Custom backoff type name, so BullMQ calls our schedule for every retry. */
export const BACKOFF_TYPE = 'sigfire-schedule';

/**
 * A target's delivery queue. Errors while Redis is away are expected (ioredis reconnects
 * and commands wait), so they are not let through as unhandled 'error' events.
 */
export function openDeliveryQueue(connection: Redis, prefix: string, targetId: string): Queue<DeliveryJobData> {
  const queue = new Queue<DeliveryJobData>(deliveryQueueName(targetId), { connection, prefix });
  queue.on('error', () => {});
  return queue;
}

/** Runs `use` with a target's queue and closes it after. */
export async function withDeliveryQueue<T>(connection: Redis, prefix: string, targetId: string, use: (queue: Queue<DeliveryJobData>) => Promise<T>): Promise<T> {
  const queue = openDeliveryQueue(connection, prefix, targetId);
  try {
    return await use(queue);
  } finally {
    await queue.close();
  }
}
