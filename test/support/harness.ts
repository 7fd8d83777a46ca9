import type { Job } from 'bullmq';
import type { DeliverySettings, TargetConfig } from '../../src/config/schema.js';
import type { AttemptRecord } from '../../src/notify/deliver.js';
import { DeliveryQueues, type DeliveryRequest, type EnqueueResult } from '../../src/queue/delivery-queues.js';
import { startDeliveryWorkers, type DeliveryWorkers } from '../../src/queue/delivery-worker.js';
import type { DeliveryJobData } from '../../src/queue/job-data.js';
import { StatusStore } from '../../src/status/status-store.js';
import { deliverySettings } from './targets.js';
import type { TestRedis } from './redis.js';
import { waitUntil } from './wait.js';

/**
 * The delivery pipeline in-process, on a real Redis: producer queues, one worker per
 * target, the shared status store; events the workers report are collected.
 */
export interface DeliveryHarness {
  queues: DeliveryQueues;
  workers: DeliveryWorkers;
  status: StatusStore;
  delivery: DeliverySettings;
  attempts: AttemptRecord[];
  deadLetters: Array<{ job: Job<DeliveryJobData>; reason: string }>;
  disabled: Array<{ targetId: string; reason: string }>;
  enqueue(requests: DeliveryRequest[], options?: { resend?: boolean }): Promise<EnqueueResult>;
  /** Waits until no job of the target is waiting (a paused queue's included), active or delayed. */
  drained(targetId: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function startHarness(redis: TestRedis, targets: TargetConfig[], delivery: Partial<DeliverySettings> = {}): DeliveryHarness {
  const settings = deliverySettings(delivery);
  const status = new StatusStore(redis.connection, redis.prefix, settings.attemptsKept);
  const queues = new DeliveryQueues(redis.connection, redis.prefix, settings);
  const attempts: AttemptRecord[] = [];
  const deadLetters: DeliveryHarness['deadLetters'] = [];
  const disabled: DeliveryHarness['disabled'] = [];
  const workers = startDeliveryWorkers({
    connection: redis.connection,
    prefix: redis.prefix,
    targets,
    delivery: settings,
    status,
    events: {
      onAttempt: (record) => attempts.push(record),
      onDeadLetter: (job, reason) => deadLetters.push({ job, reason }),
      onTargetDisabled: (targetId, reason) => disabled.push({ targetId, reason }),
    },
  });
  return {
    queues,
    workers,
    status,
    delivery: settings,
    attempts,
    deadLetters,
    disabled,
    enqueue: (requests, options) => queues.enqueue(requests, options),
    async drained(targetId, timeoutMs = 10_000) {
      const queue = queues.queueFor(targetId);
      await waitUntil(
        async () => {
          const counts = await queue.getJobCounts('wait', 'prioritized', 'active', 'delayed');
          return Object.values(counts).every((n) => n === 0);
        },
        `queue of ${targetId} to drain`,
        timeoutMs,
      );
    },
    async close() {
      await workers.close();
      await queues.close();
    },
  };
}
