import { Queue } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createListener, type RunningListener } from '../../src/listener/index.js';
import { DeliveryQueues } from '../../src/queue/delivery-queues.js';
import { deliveryQueueName } from '../../src/queue/queue-names.js';
import { pendingDeliveries } from '../../src/queue/wait-for-deliveries.js';
import { CliProcess } from '../support/cli.js';
import { deliveryRequests } from '../support/findings.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { makeTarget } from '../support/targets.js';
import { waitUntil } from '../support/wait.js';
import { cliEnv, makeTempDir, reportFigures, requireBuiltCli, writeConfig, type TempDir } from './support.js';

/**
 * kill -9 of a worker process halfway through 5,000 deliveries, then a fresh worker: nothing
 * is lost (every envelope id is accepted at least once), and the duplicates the crash causes
 * carry the same webhook-id as the first copy, so a receiver can drop them.
 */

const TOTAL = 5000;
const CONCURRENCY = 32;
const TARGET_ID = 'kill-target';
const SIGNING_SECRET = 'whsec_ZmF1bHRzLXdvcmtlci1raWxsLXNpZ25pbmc=';
// Short lock: a job whose worker died is handed back within ~2 x this, not BullMQ's default 30 s.
const LOCK_DURATION = '3s';

let redis: TestRedis;
let dir: TempDir;
let listener: RunningListener;
const workers: CliProcess[] = [];

beforeAll(async () => {
  requireBuiltCli();
  redis = await openTestRedis('faults-kill');
  dir = await makeTempDir('kill');
  listener = await createListener({ latencyMs: 20, quiet: true, secret: SIGNING_SECRET });
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
  await listener?.close();
  await redis?.close();
  await dir?.remove();
});

it('loses nothing when a worker process is killed with SIGKILL mid-run; duplicates carry the same webhook-id', async () => {
  const url = `${listener.url}/hook`;
  const configFile = await writeConfig(dir.file('sigfire.yaml'), {
    redis: { prefix: redis.prefix },
    delivery: { concurrency: CONCURRENCY, schedule: 'fast', lockDuration: LOCK_DURATION },
    targets: [{ id: TARGET_ID, url, timeout: '5s', signingSecret: SIGNING_SECRET }],
    wiring: [{ targets: [TARGET_ID], checks: ['bypass-code-used'] }],
  });
  const target = makeTarget({ id: TARGET_ID, url, signingSecret: SIGNING_SECRET });
  const queues = new DeliveryQueues(redis.connection, redis.prefix, { concurrency: CONCURRENCY, schedule: 'fast', disableAfter: '10m', attemptsKept: 50, lockDuration: LOCK_DURATION });
  const requests = deliveryRequests(target, TOTAL, 'kill');
  const expectedIds = new Set(requests.map((request) => request.envelope.id));
  try {
    expect((await queues.enqueue(requests)).added).toBe(TOTAL);
  } finally {
    await queues.close();
  }

  const env = cliEnv(redis.url);
  const first = CliProcess.start(['worker', '--quiet', '--config', configFile], env);
  workers.push(first);
  await first.waitForLine(/^worker started/);
  await waitUntil(() => listener.stats().accepted >= TOTAL / 4, 'a quarter of the deliveries', 30_000, 5);
  const killed = await first.stop('SIGKILL');
  expect(killed.signal).toBe('SIGKILL');
  const acceptedAtKill = listener.stats().accepted;
  // The kill must land mid-run, with work left for the second worker.
  expect(acceptedAtKill).toBeLessThan(TOTAL * 0.9);

  const startedAt = Date.now();
  const second = CliProcess.start(['worker', '--quiet', '--config', configFile], env);
  workers.push(second);
  await second.waitForLine(/^worker started/);
  await waitUntil(async () => listener.envelopeIds().size >= TOTAL && (await pendingDeliveries(redis.connection, redis.prefix, [TARGET_ID])).pending === 0, 'every delivery after the restart', 60_000, 100);
  const recoveryMs = Date.now() - startedAt;
  await second.stop('SIGTERM');

  const accepted = listener.requests().filter((request) => request.status >= 200 && request.status < 300);
  const acceptedIds = listener.envelopeIds();
  const missing = [...expectedIds].filter((id) => !acceptedIds.has(id));
  expect(missing).toEqual([]);
  expect(acceptedIds.size).toBe(TOTAL);

  // Every copy of an envelope carries webhook-id = envelope id: one id per notification.
  for (const request of accepted) expect(request.headers['webhook-id']).toBe(request.envelopeId);
  const duplicates = accepted.length - acceptedIds.size;
  const copies = new Map<string, Set<string>>();
  for (const request of accepted) {
    const ids = copies.get(request.envelopeId!) ?? new Set<string>();
    ids.add(request.headers['webhook-id']!);
    copies.set(request.envelopeId!, ids);
  }
  expect([...copies.values()].every((ids) => ids.size === 1)).toBe(true);
  // Only the deliveries in flight when the worker died can arrive twice.
  expect(duplicates).toBeLessThanOrEqual(CONCURRENCY);

  const queue = new Queue(deliveryQueueName(TARGET_ID), { connection: redis.connection, prefix: redis.prefix });
  let deadLetters: number;
  try {
    deadLetters = await queue.getFailedCount();
  } finally {
    await queue.close();
  }
  reportFigures('worker kill -9', { enqueued: TOTAL, acceptedBeforeKill: acceptedAtKill, delivered: acceptedIds.size, lost: missing.length, duplicates, deadLetters, recoveryMs });
  expect(deadLetters).toBe(0);
}, 120_000);
