import { Queue } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createListener, type RunningListener } from '../../src/listener/index.js';
import { listDeadLetters } from '../../src/queue/dead-letters.js';
import { DeliveryQueues } from '../../src/queue/delivery-queues.js';
import { startDeliveryWorkers, type DeliveryWorkers } from '../../src/queue/delivery-worker.js';
import { deliveryQueueName } from '../../src/queue/queue-names.js';
import { pendingDeliveries } from '../../src/queue/wait-for-deliveries.js';
import { StatusStore } from '../../src/status/status-store.js';
import { jsonOf, runCli } from '../support/cli.js';
import { deliveryRequests } from '../support/findings.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { waitUntil } from '../support/wait.js';
import { cliEnv, makeTempDir, reportFigures, requireBuiltCli, writeConfig, type TempDir } from './support.js';

/**
 * A target that answers 400 to everything, beside a healthy one in the same run: the 400s
 * become dead letters at once (no retries) with their reason, the target shows `failing`,
 * the healthy target gets everything on time, and once the receiver is fixed
 * `sigfire deliveries retry --failed` delivers every dead letter.
 */

const PER_TARGET = 100;
const BROKEN = 'broken-400';
const HEALTHY = 'healthy';

let redis: TestRedis;
let dir: TempDir;
let broken: RunningListener;
let healthy: RunningListener;
let workers: DeliveryWorkers | undefined;

beforeAll(async () => {
  requireBuiltCli();
  redis = await openTestRedis('faults-4xx');
  dir = await makeTempDir('4xx');
  broken = await createListener({ status: 400, quiet: true });
  healthy = await createListener({ latencyMs: 5, quiet: true });
});

afterAll(async () => {
  await workers?.close();
  await broken?.close();
  await healthy?.close();
  await redis?.close();
  await dir?.remove();
});

async function failedCount(targetId: string): Promise<number> {
  const queue = new Queue(deliveryQueueName(targetId), { connection: redis.connection, prefix: redis.prefix });
  try {
    return await queue.getFailedCount();
  } finally {
    await queue.close();
  }
}

it('dead-letters a permanent 400 with its reason, keeps the healthy target on time, and re-drives after the fix', async () => {
  const configFile = await writeConfig(dir.file('sigfire.yaml'), {
    redis: { prefix: redis.prefix },
    delivery: { concurrency: 16, schedule: 'fast' },
    targets: [
      { id: BROKEN, url: `${broken.url}/hook`, timeout: '2s' },
      { id: HEALTHY, url: `${healthy.url}/hook`, timeout: '2s' },
    ],
    wiring: [{ targets: [BROKEN, HEALTHY], checks: ['bypass-code-used'] }],
  });
  const env = cliEnv(redis.url);
  const { config } = await loadConfig(configFile);
  const [brokenTarget, healthyTarget] = config.targets as [(typeof config.targets)[0], (typeof config.targets)[0]];
  const status = new StatusStore(redis.connection, redis.prefix, config.delivery.attemptsKept);
  workers = startDeliveryWorkers({ connection: redis.connection, prefix: redis.prefix, targets: config.targets, delivery: config.delivery, status });

  const queues = new DeliveryQueues(redis.connection, redis.prefix, config.delivery);
  const brokenRequests = deliveryRequests(brokenTarget, PER_TARGET, '4xx-broken');
  const healthyRequests = deliveryRequests(healthyTarget, PER_TARGET, '4xx-healthy');
  const enqueuedAt = Date.now();
  try {
    expect((await queues.enqueue([...brokenRequests, ...healthyRequests])).added).toBe(2 * PER_TARGET);
  } finally {
    await queues.close();
  }

  await waitUntil(
    async () => (await failedCount(BROKEN)) >= PER_TARGET && healthy.envelopeIds().size >= PER_TARGET && (await pendingDeliveries(redis.connection, redis.prefix, [BROKEN, HEALTHY])).pending === 0,
    'the 400s to be dead and the healthy target served',
    30_000,
    100,
  );

  // Healthy target: everything, once each, and not held up by its broken neighbour.
  const healthyRequestsSeen = healthy.requests();
  expect(healthy.envelopeIds()).toEqual(new Set(healthyRequests.map((request) => request.envelope.id)));
  expect(healthyRequestsSeen).toHaveLength(PER_TARGET);
  const lastHealthyMs = Math.max(...healthyRequestsSeen.map((request) => Date.parse(request.time))) - enqueuedAt;
  expect(lastHealthyMs).toBeLessThan(10_000);

  // Broken target: one request per envelope (a 400 is not retried), each a dead letter with the reason.
  expect(broken.stats().received).toBe(PER_TARGET);
  const dead = await listDeadLetters(redis.connection, redis.prefix, [BROKEN], { limit: 1000 });
  expect(dead).toHaveLength(PER_TARGET);
  expect(new Set(dead.map((letter) => letter.envelopeId))).toEqual(new Set(brokenRequests.map((request) => request.envelope.id)));
  for (const letter of dead) expect(letter).toMatchObject({ targetId: BROKEN, reason: 'HTTP 400 Bad Request', attempts: 1 });
  expect(await failedCount(HEALTHY)).toBe(0);

  const failedCli = await runCli(['deliveries', '--failed', '--json', '--limit', '1000', '--config', configFile], env);
  expect(failedCli.code, failedCli.stderr).toBe(0);
  const failedRows = jsonOf<Array<{ targetId: string; reason: string }>>(failedCli);
  expect(failedRows).toHaveLength(PER_TARGET);
  expect(failedRows.every((row) => row.targetId === BROKEN && row.reason === 'HTTP 400 Bad Request')).toBe(true);

  const before = await runCli(['targets', '--json', '--config', configFile], env);
  expect(before.code, before.stderr).toBe(0);
  const stateBefore = Object.fromEntries(jsonOf<{ targets: Array<{ id: string; state: string; delivered: number; deadLetters: number }> }>(before).targets.map((t) => [t.id, t]));
  expect(['failing', 'disabled']).toContain(stateBefore[BROKEN]!.state);
  expect(stateBefore[BROKEN]).toMatchObject({ delivered: 0, deadLetters: PER_TARGET });
  expect(stateBefore[HEALTHY]).toMatchObject({ state: 'ok', delivered: PER_TARGET, deadLetters: 0 });

  // The receiver is fixed; the dead letters are re-driven and the running workers deliver them.
  broken.setBehaviour({ status: undefined });
  const retried = await runCli(['deliveries', 'retry', '--failed', '--json', '--config', configFile], env);
  expect(retried.code, retried.stderr).toBe(0);
  expect(jsonOf(retried)).toEqual({ retried: PER_TARGET, byTarget: { [BROKEN]: PER_TARGET, [HEALTHY]: 0 } });
  await waitUntil(
    async () => broken.envelopeIds().size >= PER_TARGET && (await pendingDeliveries(redis.connection, redis.prefix, [BROKEN])).pending === 0,
    'the re-driven dead letters',
    20_000,
    100,
  );
  expect(broken.envelopeIds()).toEqual(new Set(brokenRequests.map((request) => request.envelope.id)));
  expect(await failedCount(BROKEN)).toBe(0);
  const after = await runCli(['targets', '--json', '--config', configFile], env);
  const brokenAfter = jsonOf<{ targets: Array<{ id: string; delivered: number; deadLetters: number; state: string }> }>(after).targets.find((t) => t.id === BROKEN)!;
  expect(brokenAfter).toMatchObject({ delivered: PER_TARGET, deadLetters: 0 });

  reportFigures('permanent 400 beside a healthy target', {
    perTarget: PER_TARGET,
    healthyDelivered: healthy.envelopeIds().size,
    healthyLastDeliveryAfterEnqueueMs: lastHealthyMs,
    brokenRequests: PER_TARGET,
    deadLetters: dead.length,
    brokenStateBefore: stateBefore[BROKEN]!.state,
    redriven: PER_TARGET,
    deliveredAfterFix: broken.envelopeIds().size,
    brokenStateAfter: brokenAfter.state,
  });
}, 75_000);
