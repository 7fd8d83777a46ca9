import { createHash } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DeliverySettings } from '../../src/config/schema.js';
import type { AttemptRecord } from '../../src/notify/deliver.js';
import { DeliveryQueues } from '../../src/queue/delivery-queues.js';
import { startDeliveryWorkers, type DeliveryWorkers } from '../../src/queue/delivery-worker.js';
import { deliveryQueueName } from '../../src/queue/queue-names.js';
import { pendingDeliveries } from '../../src/queue/wait-for-deliveries.js';
import { StatusStore } from '../../src/status/status-store.js';
import { deliveryRequests } from '../support/findings.js';
import { startReceiver, type ReceivedCall, type Reply, type ScriptedReceiver } from '../support/receiver.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { makeTarget } from '../support/targets.js';
import { waitUntil } from '../support/wait.js';
import { reportFigures } from './support.js';

/**
 * A flaky receiver: 30% 5xx, some 3 s stalls past the target's 1 s timeout, and bursts of
 * 429 with Retry-After: 1. With the `fast` schedule (6 attempts) everything is delivered,
 * and no retry of a 429'd envelope arrives before its Retry-After.
 *
 * The faults are drawn per (envelope, attempt) from a hash, so a run does not depend on
 * arrival order; a flaky receiver still takes an envelope after its 4th failure (the
 * schedule allows 5), so the case cannot fail by bad luck.
 */

const TOTAL = 300;
const TARGET_ID = 'flaky-target';
const FAIL_5XX = 0.3;
const STALL = 0.06;
const STALL_MS = 3000;
const BURST_EVERY_MS = 2000;
const BURST_MS = 300;
const MAX_FAILURES_PER_ENVELOPE = 4;
const DELIVERY: DeliverySettings = { concurrency: 16, schedule: 'fast', disableAfter: '10m', attemptsKept: 50, lockDuration: '30s' };

let redis: TestRedis;
let receiver: ScriptedReceiver;
let workers: DeliveryWorkers | undefined;

beforeAll(async () => {
  redis = await openTestRedis('faults-flaky');
  receiver = await startReceiver();
});

afterAll(async () => {
  await workers?.close();
  await receiver?.close();
  await redis?.close();
});

/** A number in [0, 1) fixed by the envelope id and how many times it failed already. */
function draw(envelopeId: string, failures: number): number {
  return createHash('sha256').update(`${envelopeId}:${failures}`).digest().readUInt32BE(0) / 2 ** 32;
}

function flakyScript(startedAt: number) {
  const failures = new Map<string, number>();
  return (call: ReceivedCall): Reply => {
    const id = call.envelopeId ?? '';
    const failed = failures.get(id) ?? 0;
    if (failed >= MAX_FAILURES_PER_ENVELOPE) return { status: 200 };
    const fail = (reply: Reply): Reply => {
      failures.set(id, failed + 1);
      return reply;
    };
    if ((call.at - startedAt) % BURST_EVERY_MS < BURST_MS) return fail({ status: 429, headers: { 'retry-after': '1' } });
    const value = draw(id, failed);
    if (value < FAIL_5XX) return fail({ status: value < FAIL_5XX / 2 ? 500 : 503 });
    if (value < FAIL_5XX + STALL) return fail({ status: 200, delayMs: STALL_MS });
    return { status: 200 };
  };
}

it('delivers everything to a flaky receiver and honours Retry-After on 429', async () => {
  const url = `${receiver.url}/hook`;
  const target = makeTarget({ id: TARGET_ID, url, timeout: '1s', retry: { schedule: 'fast' } });
  const status = new StatusStore(redis.connection, redis.prefix, DELIVERY.attemptsKept);
  const attempts: AttemptRecord[] = [];
  const deadLetters: string[] = [];
  const startedAt = Date.now();
  receiver.setScript(flakyScript(startedAt));
  workers = startDeliveryWorkers({
    connection: redis.connection,
    prefix: redis.prefix,
    targets: [target],
    delivery: DELIVERY,
    status,
    events: { onAttempt: (record) => attempts.push(record), onDeadLetter: (_job, reason) => deadLetters.push(reason) },
  });
  const queues = new DeliveryQueues(redis.connection, redis.prefix, DELIVERY);
  const requests = deliveryRequests(target, TOTAL, 'flaky');
  try {
    expect((await queues.enqueue(requests)).added).toBe(TOTAL);
  } finally {
    await queues.close();
  }

  const acceptedIds = () => new Set(receiver.accepted().map((call) => call.envelopeId));
  await waitUntil(
    async () => acceptedIds().size >= TOTAL && (await pendingDeliveries(redis.connection, redis.prefix, [TARGET_ID])).pending === 0,
    'every envelope to be accepted',
    50_000,
    100,
  );
  const elapsedMs = Date.now() - startedAt;
  await workers.close();
  workers = undefined;

  const delivered = acceptedIds();
  expect(requests.filter((request) => !delivered.has(request.envelope.id)).map((request) => request.envelope.id)).toEqual([]);
  expect(deadLetters).toEqual([]);
  const queue = new Queue(deliveryQueueName(TARGET_ID), { connection: redis.connection, prefix: redis.prefix });
  try {
    expect(await queue.getFailedCount()).toBe(0);
  } finally {
    await queue.close();
  }

  // Every fault kind happened, and the sender saw the stalls as timeouts.
  const calls = receiver.calls;
  const answered429 = calls.filter((call) => call.status === 429);
  const answered5xx = calls.filter((call) => call.status !== undefined && call.status >= 500);
  const timeouts = attempts.filter((record) => record.status === undefined && /timeout/i.test(record.reason ?? ''));
  expect(answered429.length).toBeGreaterThan(0);
  expect(answered5xx.length).toBeGreaterThan(0);
  expect(timeouts.length).toBeGreaterThan(0);

  // No retry of a 429'd envelope before the Retry-After second is over (receiver clock).
  const early: string[] = [];
  let shortestWaitMs = Number.POSITIVE_INFINITY;
  for (const rejected of answered429) {
    const next = calls.find((call) => call.envelopeId === rejected.envelopeId && call.at > rejected.at);
    expect(next, `a retry of ${rejected.envelopeId} after its 429`).toBeDefined();
    const waitedMs = next!.at - rejected.answeredAt!;
    shortestWaitMs = Math.min(shortestWaitMs, waitedMs);
    if (waitedMs < 1000) early.push(`${rejected.envelopeId} retried after ${waitedMs} ms`);
  }
  expect(early).toEqual([]);

  const attemptsPerEnvelope = new Map<string, number>();
  for (const call of calls) attemptsPerEnvelope.set(call.envelopeId!, (attemptsPerEnvelope.get(call.envelopeId!) ?? 0) + 1);
  const maxAttempts = Math.max(...attemptsPerEnvelope.values());
  expect(maxAttempts).toBeLessThanOrEqual(6);
  const duplicates = receiver.accepted().length - delivered.size;
  reportFigures('flaky receiver (fast schedule, 1 s timeout)', {
    envelopes: TOTAL,
    delivered: delivered.size,
    requests: calls.length,
    answered5xx: answered5xx.length,
    stalledTimeouts: timeouts.length,
    answered429: answered429.length,
    retriesBefore429RetryAfter: early.length,
    shortestWaitAfter429Ms: shortestWaitMs,
    maxAttemptsPerEnvelope: maxAttempts,
    duplicates,
    deadLetters: deadLetters.length,
    elapsedMs,
  });
}, 75_000);
