import { randomInt } from 'node:crypto';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import got from 'got';
import type { Redis } from 'ioredis';
import type { DeliverySettings, TargetConfig } from '../config/schema.js';
import { deliverEnvelope, type AttemptRecord } from '../notify/deliver.js';
import { createTargetClient } from '../notify/http-client.js';
import { OAuthTokenCache } from '../notify/oauth-token-cache.js';
import { nextDelayMs, resolveSchedule } from '../notify/retry-policy.js';
import type { StatusStore } from '../status/status-store.js';
import { parseDuration } from '../util/duration.js';
import type { DeliveryJobData } from './job-data.js';
import { BACKOFF_TYPE, deliveryQueueName } from './queue-names.js';
import { disableTarget } from './target-switch.js';

/** A failed attempt worth retrying; carries the receiver's Retry-After to the backoff. */
export class RetryableDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface DeliveryWorkerEvents {
  onAttempt?(record: AttemptRecord): void;
  onDeadLetter?(job: Job<DeliveryJobData>, reason: string): void;
  onTargetDisabled?(targetId: string, reason: string): void;
}

export interface DeliveryWorkers {
  workers: Worker<DeliveryJobData>[];
  tokens: OAuthTokenCache;
  /** Stops taking jobs and waits for those in flight to finish (BullMQ hands back the rest). */
  close(): Promise<void>;
}

const jitter = () => randomInt(0, 1_000_000) / 1_000_000;

/**
 * One BullMQ Worker per enabled target, each with its own concurrency and (from the
 * target's rateLimit) a limiter that BullMQ enforces across every worker process.
 */
export function startDeliveryWorkers(options: {
  connection: Redis;
  prefix: string;
  targets: TargetConfig[];
  delivery: DeliverySettings;
  status: StatusStore;
  concurrency?: number;
  events?: DeliveryWorkerEvents;
}): DeliveryWorkers {
  const { status, events = {} } = options;
  const disableAfterMs = parseDuration(options.delivery.disableAfter);
  const workers: Worker<DeliveryJobData>[] = [];
  const tokens = new OAuthTokenCache(got);

  for (const target of options.targets) {
    if (!target.enabled) continue;
    const client = createTargetClient(target, options.concurrency ?? options.delivery.concurrency);
    const schedule = resolveSchedule(target.retry.schedule ?? options.delivery.schedule, target.retry.maxAttempts);

    const processor = async (job: Job<DeliveryJobData>) => {
      const { outcome, records } = await deliverEnvelope(target, job.data.envelope, job.attemptsMade + 1, { client, tokens });
      await status.recordAttempts(records);
      for (const record of records) events.onAttempt?.(record);
      if (outcome.kind === 'delivered') return { status: records.at(-1)?.status };

      if (outcome.kind === 'permanent') {
        if (outcome.disableTarget) await disableAndNotify(target.id, `${outcome.reason} (the receiver says the webhook is gone)`);
        throw new UnrecoverableError(outcome.reason);
      }
      const failingSince = (await status.target(target.id)).failingSince;
      if (disableAfterMs > 0 && failingSince && Date.now() - Date.parse(failingSince) >= disableAfterMs) {
        await disableAndNotify(target.id, `every attempt failed for ${options.delivery.disableAfter} (last: ${outcome.reason})`);
      }
      throw new RetryableDeliveryError(outcome.reason, outcome.kind === 'retry' ? outcome.retryAfterMs : undefined);
    };

    const disableAndNotify = async (targetId: string, reason: string) => {
      await disableTarget(options.connection, options.prefix, status, targetId, reason);
      events.onTargetDisabled?.(targetId, reason);
    };

    const worker = new Worker<DeliveryJobData>(deliveryQueueName(target.id), processor, {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? options.delivery.concurrency,
      // A killed worker's jobs are found stalled and handed back after at most lock + interval.
      lockDuration: parseDuration(options.delivery.lockDuration),
      stalledInterval: parseDuration(options.delivery.lockDuration),
      ...(target.rateLimit ? { limiter: rateLimiter(target.rateLimit) } : {}),
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string, error?: Error) => {
          if (type !== BACKOFF_TYPE) return 0;
          const retryAfterMs = error instanceof RetryableDeliveryError ? error.retryAfterMs : undefined;
          return nextDelayMs(schedule, attemptsMade, jitter, retryAfterMs) ?? 0;
        },
      },
    });
    worker.on('failed', (job, error) => {
      if (!job) return;
      const exhausted = error instanceof UnrecoverableError || error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
      if (!exhausted) return;
      void status.recordDeadLetter(target.id);
      events.onDeadLetter?.(job, error.message);
    });
    worker.on('error', () => {
      // Connection errors: ioredis reconnects by itself; BullMQ retries its blocking calls.
    });
    workers.push(worker);
  }

  return {
    workers,
    tokens,
    close: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}

/** requests/s as BullMQ's limiter (max jobs per duration); fractions become longer durations. */
export function rateLimiter(perSecond: number): { max: number; duration: number } {
  if (perSecond >= 1) return { max: Math.round(perSecond), duration: 1000 };
  return { max: 1, duration: Math.round(1000 / perSecond) };
}
