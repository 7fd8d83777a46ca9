import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listDeadLetters } from '../src/queue/dead-letters.js';
import { enableTarget } from '../src/queue/target-switch.js';
import { pendingDeliveries } from '../src/queue/wait-for-deliveries.js';
import { deliveryRequests } from './support/findings.js';
import { startHarness, type DeliveryHarness } from './support/harness.js';
import { startReceiver, type ScriptedReceiver } from './support/receiver.js';
import { openTestRedis, type TestRedis } from './support/redis.js';
import { CLOSED_PORT_URL, makeTarget } from './support/targets.js';
import { waitUntil } from './support/wait.js';

/** Delivery outcomes end to end: real Redis (BullMQ), real HTTP receivers on loopback. */

let redis: TestRedis;
let harnesses: DeliveryHarness[] = [];
let receivers: ScriptedReceiver[] = [];

beforeAll(async () => {
  redis = await openTestRedis('delivery');
});
afterEach(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await Promise.all(harnesses.map((harness) => harness.close()));
  receivers = [];
  harnesses = [];
});
afterAll(async () => {
  await redis?.close();
});

const harness = (...args: Parameters<typeof startHarness> extends [unknown, ...infer Rest] ? Rest : never) => {
  const started = startHarness(redis, ...args);
  harnesses.push(started);
  return started;
};
const receiver = async (...args: Parameters<typeof startReceiver>) => {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
};

describe('retries and outcomes', () => {
  it('delivers on attempt 2 after a 500, resending the same bytes, and records both attempts', async () => {
    const hook = await receiver((_, index) => (index === 0 ? { status: 500, body: 'boom' } : { status: 200 }));
    const target = makeTarget({ id: 'flaky-500', url: `${hook.url}/hook`, retry: { schedule: [0, '100ms', '200ms'] } });
    const run = harness([target]);
    const [request] = deliveryRequests(target, 1, 'flaky-500');
    await run.enqueue([request!]);
    await run.drained(target.id);

    expect(hook.calls.map((call) => call.status)).toEqual([500, 200]);
    expect(hook.calls[1]!.body.equals(hook.calls[0]!.body)).toBe(true);
    expect(hook.calls[1]!.envelopeId).toBe(request!.envelope.id);

    const attempts = (await run.status.attemptsOf(request!.envelope.id)).reverse();
    expect(attempts.map((a) => [a.attempt, a.status, a.outcome])).toEqual([
      [1, 500, 'retry'],
      [2, 200, 'delivered'],
    ]);
    expect(attempts[0]!.reason).toContain('500');
    expect(attempts[0]!.responseExcerpt).toBe('boom');
    const record = await run.status.target(target.id);
    expect(record.delivered).toBe(1);
    expect(record.failingSince).toBeUndefined();
    const job = await run.queues.queueFor(target.id).getJob(request!.envelope.id);
    expect(await job?.getState()).toBe('completed');
    expect(job?.attemptsMade).toBe(2);
  });

  it('honours Retry-After: 1 on a 429: the retry arrives no earlier than 1 s later', async () => {
    const hook = await receiver((_, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
    // The schedule alone would retry after 100 ms.
    const target = makeTarget({ id: 'rate-limited', url: `${hook.url}/hook`, retry: { schedule: [0, '100ms', '200ms'] } });
    const run = harness([target]);
    await run.enqueue(deliveryRequests(target, 1, 'rate-limited'));
    await run.drained(target.id);

    expect(hook.calls.map((call) => call.status)).toEqual([429, 200]);
    const waited = hook.calls[1]!.at - hook.calls[0]!.answeredAt!;
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(2500);
  });

  it('dead-letters a 400 after exactly one attempt, with the status in the reason', async () => {
    const hook = await receiver(() => ({ status: 400, body: '{"error":"bad payload"}' }));
    const target = makeTarget({ id: 'rejects-400', url: `${hook.url}/hook`, retry: { schedule: [0, '100ms', '200ms'] } });
    const run = harness([target]);
    const [request] = deliveryRequests(target, 1, 'rejects-400');
    await run.enqueue([request!]);
    await waitUntil(() => run.deadLetters.length === 1, 'the dead letter');
    await new Promise((r) => setTimeout(r, 400)); // longer than the whole schedule: no retry may follow

    expect(hook.calls).toHaveLength(1);
    expect(run.deadLetters[0]!.reason).toContain('400');
    const [dead] = await listDeadLetters(redis.connection, redis.prefix, [target.id]);
    expect(dead).toMatchObject({ targetId: target.id, envelopeId: request!.envelope.id, checkId: 'bypass-code-used', attempts: 1 });
    expect(dead!.reason).toContain('400');
    expect((await run.status.target(target.id)).lastDeadAt).toBeDefined();
  });

  it('retries after a timeout (receiver stalls past the 300 ms target timeout), then delivers', async () => {
    const hook = await receiver((_, index) => (index === 0 ? { status: 200, delayMs: 1500 } : { status: 200 }));
    const target = makeTarget({ id: 'stalls-once', url: `${hook.url}/hook`, timeout: '300ms', retry: { schedule: [0, '100ms', '200ms'] } });
    const run = harness([target]);
    const [request] = deliveryRequests(target, 1, 'stalls-once');
    await run.enqueue([request!]);
    await run.drained(target.id);

    expect(hook.calls).toHaveLength(2);
    const attempts = (await run.status.attemptsOf(request!.envelope.id)).reverse();
    expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'retry'],
      [2, 'delivered'],
    ]);
    expect(attempts[0]!.status).toBeUndefined();
    expect(attempts[0]!.reason).toMatch(/timeout/i);
    expect(attempts[0]!.durationMs).toBeGreaterThanOrEqual(290);
    expect(attempts[0]!.durationMs).toBeLessThan(1000);
  });

  it('dead-letters once the schedule is exhausted (refused connection), reporting the dead letter once', async () => {
    const target = makeTarget({ id: 'refused-exhausted', url: CLOSED_PORT_URL, retry: { schedule: [0, '50ms', '50ms'] } });
    const run = harness([target]);
    const [request] = deliveryRequests(target, 1, 'refused-exhausted');
    await run.enqueue([request!]);
    await waitUntil(() => run.deadLetters.length === 1, 'the dead letter');
    await new Promise((r) => setTimeout(r, 200));

    expect(run.deadLetters).toHaveLength(1);
    expect(run.deadLetters[0]!.reason).toContain('ECONNREFUSED');
    const attempts = (await run.status.attemptsOf(request!.envelope.id)).reverse();
    expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'retry'],
      [2, 'retry'],
      [3, 'retry'],
    ]);
    const [dead] = await listDeadLetters(redis.connection, redis.prefix, [target.id]);
    expect(dead).toMatchObject({ envelopeId: request!.envelope.id, attempts: 3 });
  });
});

describe('idempotency', () => {
  it('enqueues the same findings once; resend sends them again with the same envelope ids', async () => {
    const hook = await receiver();
    const target = makeTarget({ id: 'dedupe', url: `${hook.url}/hook` });
    const run = harness([target]);
    const requests = deliveryRequests(target, 5, 'dedupe');
    const ids = requests.map((r) => r.envelope.id).sort();

    expect(await run.enqueue(requests)).toEqual({ added: 5, duplicates: 0 });
    expect(await run.enqueue(requests)).toEqual({ added: 0, duplicates: 5 });
    await run.drained(target.id);
    await new Promise((r) => setTimeout(r, 200));
    expect(hook.calls.map((c) => c.envelopeId).sort()).toEqual(ids);

    expect(await run.enqueue(requests, { resend: true })).toEqual({ added: 5, duplicates: 0 });
    await waitUntil(() => hook.calls.length === 10, '5 resent deliveries');
    await run.drained(target.id);
    const resent = hook.calls.slice(5);
    expect(resent.map((c) => c.envelopeId).sort()).toEqual(ids);
    // The same envelope, byte for byte: receivers dedupe on its id.
    for (const call of resent) expect(call.body.equals(hook.calls.find((first) => first.envelopeId === call.envelopeId)!.body)).toBe(true);
  });
});

describe('isolation', () => {
  it('a stalling target and a refused one do not slow a healthy one', async () => {
    const healthy = await receiver();
    const stalling = await receiver(() => ({ status: 200, delayMs: 3000 }));
    const targets = [
      makeTarget({ id: 'iso-healthy', url: `${healthy.url}/hook` }),
      makeTarget({ id: 'iso-stalling', url: `${stalling.url}/hook`, timeout: '2s' }),
      makeTarget({ id: 'iso-refused', url: CLOSED_PORT_URL }),
    ];
    const run = harness(targets, { concurrency: 16 });
    // Baseline, measured in the same run: 100 deliveries with the healthy target alone.
    const timeHealthy = async (from: number) => {
      const started = Date.now();
      await run.enqueue(deliveryRequests(targets[0]!, 100, 'iso-healthy', from));
      await waitUntil(() => healthy.accepted().length === from + 100, '100 healthy deliveries', 15_000, 5);
      return Date.now() - started;
    };
    const alone = await timeHealthy(0);
    // The dead targets' jobs go first, so they hold whatever they can.
    await run.enqueue([...deliveryRequests(targets[1]!, 40, 'iso-stalling'), ...deliveryRequests(targets[2]!, 40, 'iso-refused')]);
    const beside = await timeHealthy(100);

    // Held up behind stalled requests, the healthy target would wait 2 s (the timeout) or more.
    expect(beside).toBeLessThan(Math.max(3000, 3 * alone));
    const stillPending = await pendingDeliveries(redis.connection, redis.prefix, ['iso-stalling', 'iso-refused']);
    expect(stillPending.pending).toBe(80);
    expect(stalling.accepted()).toHaveLength(0);
    expect(new Set(healthy.accepted().map((c) => c.envelopeId)).size).toBe(200);
  });
});

describe('410 Gone', () => {
  it('disables the target: queue paused, further jobs held; enableTarget resumes them', async () => {
    const hook = await receiver(() => ({ status: 410 }));
    const target = makeTarget({ id: 'gone', url: `${hook.url}/hook` });
    const run = harness([target]);
    const [first, ...rest] = deliveryRequests(target, 6, 'gone');
    await run.enqueue([first!]);
    await waitUntil(() => run.disabled.length === 1 && run.deadLetters.length === 1, 'the target to be disabled');

    const queue = run.queues.queueFor(target.id);
    expect(await queue.isPaused()).toBe(true);
    const record = await run.status.target(target.id);
    expect(record.disabled).toBe(true);
    expect(record.disabledReason).toContain('410');
    expect(run.deadLetters[0]!.reason).toContain('410');

    hook.setScript(() => ({ status: 200 }));
    await run.enqueue(rest);
    await new Promise((r) => setTimeout(r, 500));
    expect(hook.calls).toHaveLength(1);
    expect(await pendingDeliveries(redis.connection, redis.prefix, [target.id])).toMatchObject({ pending: 0, held: [target.id] });
    // BullMQ keeps a paused queue's jobs in its wait list; the queue's paused flag holds them.
    expect((await queue.getJobCounts('wait')).wait).toBe(5);

    await enableTarget(redis.connection, redis.prefix, run.status, target.id);
    await waitUntil(() => hook.accepted().length === 5, 'the held deliveries');
    expect(hook.accepted().map((c) => c.envelopeId).sort()).toEqual(rest.map((r) => r.envelope.id).sort());
    expect((await run.status.target(target.id)).disabled).toBe(false);
  });

  it('disables a target whose every attempt failed for delivery.disableAfter', async () => {
    const target = makeTarget({ id: 'always-down', url: CLOSED_PORT_URL, retry: { schedule: [0, '150ms', '150ms', '150ms', '150ms', '150ms'] } });
    const run = harness([target], { disableAfter: '300ms' });
    await run.enqueue(deliveryRequests(target, 1, 'always-down'));
    await waitUntil(() => run.disabled.length === 1, 'the target to be disabled', 5000);

    expect(run.disabled[0]!.reason).toContain('every attempt failed for 300ms');
    expect(run.disabled[0]!.reason).toContain('ECONNREFUSED');
    expect(await run.queues.queueFor(target.id).isPaused()).toBe(true);
    expect(run.deadLetters).toHaveLength(0); // held for later, not dropped
    const record = await run.status.target(target.id);
    expect(record.disabled).toBe(true);
    // Attempts stop: the job waits in the paused queue.
    const attemptsAtDisable = run.attempts.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(run.attempts.length).toBe(attemptsAtDisable);
    expect(await pendingDeliveries(redis.connection, redis.prefix, [target.id])).toMatchObject({ held: [target.id] });
  });
});
