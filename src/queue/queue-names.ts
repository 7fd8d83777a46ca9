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
