import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createListener, type RunningListener } from '../../src/listener/index.js';
import { DeliveryQueues, type EnqueueResult } from '../../src/queue/delivery-queues.js';
import { deliveryQueueName } from '../../src/queue/queue-names.js';
import { createRedisClient } from '../../src/queue/redis-client.js';
import { startRedisServer, type StartedRedis } from '../../src/queue/redis-server.js';
import { pendingDeliveries } from '../../src/queue/wait-for-deliveries.js';
import { CliProcess } from '../support/cli.js';
import { deliveryRequests } from '../support/findings.js';
import { uniquePrefix } from '../support/redis.js';
import { makeTarget } from '../support/targets.js';
import { waitUntil } from '../support/wait.js';
import { cliEnv, makeTempDir, reportFigures, requireBuiltCli, writeConfig, type TempDir } from './support.js';

/**
 * Redis (its own redis-server, AOF on) stopped and started again on the same port and dir
 * while notifications are being enqueued and delivered: the worker process and the
 * in-process enqueuer reconnect by themselves and every enqueued notification arrives.
 */

const TARGET_ID = 'restart-target';
const BATCHES = 40;
const BATCH_SIZE = 25;
const STOP_AFTER_BATCH = 12;
const OUTAGE_MS = 2000;
const DELIVERY = { concurrency: 16, schedule: 'fast' as const, disableAfter: '10m', attemptsKept: 50, lockDuration: '5s' };

let dir: TempDir;
let redis: StartedRedis | undefined;
let connection: Redis | undefined;
let listener: RunningListener;
const workers: CliProcess[] = [];

beforeAll(async () => {
  requireBuiltCli();
  dir = await makeTempDir('restart');
  // Our own dir, so stopping the server keeps the AOF for the restart.
  redis = await startRedisServer({ appendOnly: true, dir: dir.path });
  listener = await createListener({ latencyMs: 10, quiet: true });
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
  connection?.disconnect();
  await redis?.stop();
  await listener?.close();
  await dir?.remove();
});

it('delivers every notification enqueued around a Redis stop and start; worker and enqueuer reconnect', async () => {
  const server = redis!;
  const prefix = uniquePrefix('faults-restart');
  const url = `${listener.url}/hook`;
  const configFile = await writeConfig(dir.file('sigfire.yaml'), {
    redis: { prefix },
    delivery: DELIVERY,
    targets: [{ id: TARGET_ID, url, timeout: '5s' }],
    wiring: [{ targets: [TARGET_ID], checks: ['bypass-code-used'] }],
  });
  const worker = CliProcess.start(['worker', '--quiet', '--config', configFile], cliEnv(server.url));
  workers.push(worker);
  await worker.waitForLine(/^worker started/);

  // The enqueuer runs in this process: its reconnects must not print error stacks.
  const consoleErrors = vi.spyOn(console, 'error');
  connection = createRedisClient(server.url);
  const queues = new DeliveryQueues(connection, prefix, DELIVERY);
  const target = makeTarget({ id: TARGET_ID, url });
  const requests = deliveryRequests(target, BATCHES * BATCH_SIZE, 'restart');
  const results: EnqueueResult[] = [];
  let outage = { stoppedAt: 0, restartedAt: 0, deliveredBefore: 0 };

  // The enqueuer keeps going through the outage: its calls wait for Redis instead of failing.
  const enqueuing = (async () => {
    for (let batch = 0; batch < BATCHES; batch++) {
      results.push(await queues.enqueue(requests.slice(batch * BATCH_SIZE, (batch + 1) * BATCH_SIZE)));
      await sleep(50);
    }
  })();
  const restarting = (async () => {
    await waitUntil(() => results.length >= STOP_AFTER_BATCH, 'the first batches', 20_000);
    outage.deliveredBefore = listener.envelopeIds().size;
    outage.stoppedAt = Date.now();
    await server.stop();
    await sleep(OUTAGE_MS);
    redis = await startRedisServer({ appendOnly: true, dir: dir.path, port: server.port });
    outage.restartedAt = Date.now();
  })();
  await Promise.all([enqueuing, restarting]);
  const enqueuedDuringOutage = results.length - STOP_AFTER_BATCH;

  await waitUntil(
    async () => listener.envelopeIds().size >= requests.length && (await pendingDeliveries(connection!, prefix, [TARGET_ID])).pending === 0,
    'every notification after the restart',
    90_000,
    100,
  );
  expect(worker.running).toBe(true);
  expect(consoleErrors.mock.calls.map((call) => String(call[0]))).toEqual([]);
  consoleErrors.mockRestore();

  const added = results.reduce((sum, result) => sum + result.added, 0);
  const skippedAsDuplicates = results.reduce((sum, result) => sum + result.duplicates, 0);
  expect({ added, skippedAsDuplicates }).toEqual({ added: requests.length, skippedAsDuplicates: 0 });
  const delivered = listener.envelopeIds();
  const missing = requests.map((request) => request.envelope.id).filter((id) => !delivered.has(id));
  expect(missing).toEqual([]);

  const queue = new Queue(deliveryQueueName(TARGET_ID), { connection, prefix });
  let deadLetters: number;
  try {
    deadLetters = await queue.getFailedCount();
  } finally {
    await queue.close();
  }
  const stats = listener.stats();
  reportFigures('redis stop/start', {
    enqueued: added,
    deliveredBeforeStop: outage.deliveredBefore,
    outageMs: outage.restartedAt - outage.stoppedAt,
    batchesEnqueuedAfterStop: enqueuedDuringOutage,
    delivered: delivered.size,
    lost: missing.length,
    duplicates: stats.duplicates,
    deadLetters,
  });
  expect(deadLetters).toBe(0);
  await queues.close();
  await worker.stop('SIGTERM');
}, 150_000);
