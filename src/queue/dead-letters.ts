import type { Redis } from 'ioredis';
import { withDeliveryQueue } from './queue-names.js';

/** A dead letter is a failed BullMQ job: a permanent failure or an exhausted schedule. */
export interface DeadLetter {
  targetId: string;
  jobId: string;
  envelopeId: string;
  checkId: string;
  attempts: number;
  reason: string;
  failedAt?: string;
}

const PAGE = 500;

export async function listDeadLetters(connection: Redis, prefix: string, targetIds: string[], options: { limit?: number } = {}): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  for (const targetId of targetIds) {
    await withDeliveryQueue(connection, prefix, targetId, async (queue) => {
      const jobs = await queue.getFailed(0, (options.limit ?? 50) - 1);
      for (const job of jobs) {
        out.push({
          targetId,
          jobId: job.id ?? '',
          envelopeId: job.data.envelope.id,
          checkId: job.data.checkId,
          attempts: job.attemptsMade,
          reason: job.failedReason,
          ...(job.finishedOn ? { failedAt: new Date(job.finishedOn).toISOString() } : {}),
        });
      }
    });
  }
  return out.sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? '')).slice(0, options.limit ?? 50);
}

/** Moves dead letters back to waiting with a fresh attempt count; returns how many per target. */
export async function retryDeadLetters(connection: Redis, prefix: string, targetIds: string[], options: { since?: number } = {}): Promise<Record<string, number>> {
  const retried: Record<string, number> = {};
  for (const targetId of targetIds) {
    retried[targetId] = 0;
    await withDeliveryQueue(connection, prefix, targetId, async (queue) => {
      // Retried jobs leave the failed set, so always read the first page until none qualify.
      for (let skipped = 0; ; ) {
        const jobs = await queue.getFailed(skipped, skipped + PAGE - 1);
        if (jobs.length === 0) break;
        for (const job of jobs) {
          if (options.since !== undefined && (job.finishedOn ?? 0) < options.since) {
            skipped++;
            continue;
          }
          await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
          retried[targetId]!++;
        }
      }
    });
  }
  return retried;
}
