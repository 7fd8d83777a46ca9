import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DeliverySettings, TargetConfig } from '../config/schema.js';
import type { Envelope } from '../notify/payload.js';
import { resolveSchedule } from '../notify/retry-policy.js';
import type { DeliveryJobData } from './job-data.js';
import { BACKOFF_TYPE, enqueuedMarkerKey, openDeliveryQueue } from './queue-names.js';

/** How long an envelope id counts as already sent: replaying the same events within it sends nothing new. */
export const DEDUPE_WINDOW_S = 7 * 86_400;
const COMPLETED_JOBS_KEPT = 1000;

export interface DeliveryRequest {
  target: TargetConfig;
  envelope: Envelope;
  findingId: string;
  checkId: string;
}

export interface EnqueueResult {
  added: number;
  duplicates: number;
}

/** The producer side: one BullMQ queue per target, jobs keyed by envelope id. */
export class DeliveryQueues {
  private readonly queues = new Map<string, Queue<DeliveryJobData>>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly delivery: DeliverySettings,
  ) {}

  queueFor(targetId: string): Queue<DeliveryJobData> {
    let queue = this.queues.get(targetId);
    if (!queue) {
      queue = openDeliveryQueue(this.connection, this.prefix, targetId);
      this.queues.set(targetId, queue);
    }
    return queue;
  }

  jobOptions(target: TargetConfig): JobsOptions {
    const schedule = resolveSchedule(target.retry.schedule ?? this.delivery.schedule, target.retry.maxAttempts);
    return {
      attempts: schedule.maxAttempts,
      backoff: { type: BACKOFF_TYPE },
      removeOnComplete: { count: COMPLETED_JOBS_KEPT },
      removeOnFail: false,
    };
  }

  /**
   * Enqueues one job per (finding, target). An envelope already enqueued within the dedupe
   * window is skipped, unless `resend` (then the job gets a fresh id; the envelope id, which
   * receivers dedupe on, stays the same).
   */
  async enqueue(requests: DeliveryRequest[], options: { resend?: boolean } = {}): Promise<EnqueueResult> {
    if (requests.length === 0) return { added: 0, duplicates: 0 };
    let fresh = requests;
    if (!options.resend) {
      const pipeline = this.connection.pipeline();
      for (const request of requests) pipeline.set(enqueuedMarkerKey(this.prefix, request.envelope.id), '1', 'EX', DEDUPE_WINDOW_S, 'NX');
      const answers = (await pipeline.exec()) ?? [];
      fresh = requests.filter((_, index) => answers[index]?.[1] === 'OK');
    }
    const byTarget = new Map<string, DeliveryRequest[]>();
    for (const request of fresh) {
      const batch = byTarget.get(request.target.id);
      if (batch) batch.push(request);
      else byTarget.set(request.target.id, [request]);
    }
    try {
      for (const [targetId, batch] of byTarget) {
        const now = Date.now();
        await this.queueFor(targetId).addBulk(
          batch.map((request) => ({
            name: request.checkId,
            data: { targetId, envelope: request.envelope, findingId: request.findingId, checkId: request.checkId, enqueuedAt: now },
            opts: { ...this.jobOptions(request.target), jobId: options.resend ? `${request.envelope.id}-resend-${now}` : request.envelope.id },
          })),
        );
      }
    } catch (error) {
      if (!options.resend && fresh.length > 0) await this.connection.del(...fresh.map((r) => enqueuedMarkerKey(this.prefix, r.envelope.id))).catch(() => undefined);
      throw error;
    }
    return { added: fresh.length, duplicates: requests.length - fresh.length };
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
