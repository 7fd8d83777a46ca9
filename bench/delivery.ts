import type { BenchContext } from './context.js';
import { timeoutFor, type DeliveryRig } from './delivery-rig.js';
import { HelperProcess } from './ipc.js';
import { benchFile } from './paths.js';
import { progress } from './progress.js';
import { formatRate, formatRatio, verdict, type Row, type SectionResult } from './report.js';
import { median, perSecond } from './stats.js';
import { stopWorkers } from './worker-process.js';
import { parseDuration } from '../src/util/duration.js';

const GOT_TARGET = 0.8;

/** Untimed deliveries before each timed run, so every sender is measured warm. */
export function warmUpCount(deliveries: number): number {
  return Math.max(200, Math.min(2000, Math.round(deliveries / 10)));
}

/** sigfire end to end: enqueue (as `replay --deliver` does) -> `sigfire worker` process(es) -> 2xx at the receiver. */
export async function sigfireDeliveriesPerSecond(rig: DeliveryRig, processes: number, count: number): Promise<number> {
  const workers = await rig.startWorkers(processes);
  try {
    await rig.resetReceiver();
    const warmUp = warmUpCount(count);
    await rig.enqueue(rig.requests(warmUp));
    await rig.receiverAccepted(warmUp);

    const requests = rig.requests(count);
    await rig.resetReceiver();
    const started = Date.now();
    await rig.enqueue(requests);
    const { at } = await rig.receiverAccepted(count);
    return perSecond(count, at - started);
  } finally {
    await stopWorkers(workers);
  }
}

/** A BullMQ worker on sigfire's queue that does nothing with each job (children/noop-worker.ts). */
export function startNoopWorker(rig: DeliveryRig): Promise<HelperProcess> {
  return HelperProcess.start('no-op BullMQ worker', benchFile('children/noop-worker.js'), [
    rig.redis.endpoint.url,
    rig.redis.prefix,
    rig.queueName,
    String(rig.context.options.concurrency),
    String(parseDuration(rig.loaded.config.delivery.lockDuration)),
  ]);
}

export function noopCompleted(worker: HelperProcess, count: number): Promise<{ at: number }> {
  return withTimeout(worker.call<{ at: number }>('waitForCompleted', { count }), timeoutFor(count), 'no-op worker');
}

/** The no-op worker, fed the same way. */
async function noopDeliveriesPerSecond(rig: DeliveryRig, count: number): Promise<number> {
  const worker = await startNoopWorker(rig);
  try {
    const completed = (n: number) => noopCompleted(worker, n);
    const warmUp = warmUpCount(count);
    await worker.call('reset');
    await rig.enqueue(rig.requests(warmUp));
    await completed(warmUp);

    const requests = rig.requests(count);
    await worker.call('reset');
    const started = Date.now();
    await rig.enqueue(requests);
    const { at } = await completed(count);
    return perSecond(count, at - started);
  } finally {
    await worker.stop();
  }
}

/** Plain POSTs of the same signed requests, same concurrency, keep-alive (got, or bare node:http). */
async function postsPerSecond(rig: DeliveryRig, client: 'got' | 'http', count: number): Promise<number> {
  const warmUp = warmUpCount(count);
  const sender = await startWarmSender(rig, client, warmUp, count);
  try {
    const concurrency = rig.context.options.concurrency;
    await rig.resetReceiver();
    const result = await sender.call<RunResult>('run', { client, from: warmUp, count, concurrency });
    if (result.failed > 0) throw new Error(`${client} ceiling: ${result.failed} requests were not answered 2xx`);
    await rig.receiverAccepted(count);
    return perSecond(count, result.endedAt - result.startedAt);
  } finally {
    await sender.stop();
  }
}

type RunResult = { startedAt: number; endedAt: number; ok: number; failed: number };

/** A ceiling sender loaded with `warmUp + count` signed requests, the first `warmUp` already sent. */
export async function startWarmSender(rig: DeliveryRig, client: 'got' | 'http', warmUp: number, count: number): Promise<HelperProcess> {
  const file = rig.context.workspace.path(`requests-${client}.ndjson`);
  await rig.writePreparedRequests(file, rig.requests(warmUp + count));
  const sender = await HelperProcess.start(`${client} sender`, benchFile('children/post-sender.js'));
  try {
    await sender.call('load', { file });
    await rig.resetReceiver();
    await sender.call<RunResult>('run', { client, from: 0, count: warmUp, concurrency: rig.context.options.concurrency });
    await rig.receiverAccepted(warmUp);
    return sender;
  } catch (error) {
    await sender.stop();
    throw error;
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function benchDelivery(context: BenchContext, rig: DeliveryRig): Promise<SectionResult & { maxDeliveriesPerSecond: number }> {
  const { sizes, concurrency } = context.options;
  const count = sizes.deliveries;
  const runs = { sigfire1: [] as number[], sigfire2: [] as number[], noop: [] as number[], got: [] as number[], http: [] as number[] };
  for (let round = 1; round <= sizes.repeats; round++) {
    const step = (what: string) => progress(`delivery: round ${round}/${sizes.repeats}: ${what}, ${count.toLocaleString('en-US')} deliveries`);
    step('no-op BullMQ worker');
    runs.noop.push(await noopDeliveriesPerSecond(rig, count));
    step('sigfire, 1 worker process');
    runs.sigfire1.push(await sigfireDeliveriesPerSecond(rig, 1, count));
    step('sigfire, 2 worker processes');
    runs.sigfire2.push(await sigfireDeliveriesPerSecond(rig, 2, count));
    step('plain got POSTs');
    runs.got.push(await postsPerSecond(rig, 'got', count));
    step('plain node:http POSTs');
    runs.http.push(await postsPerSecond(rig, 'http', count));
  }
  const m = Object.fromEntries(Object.entries(runs).map(([key, values]) => [key, median(values)])) as Record<keyof typeof runs, number>;
  const section = 'delivery';
  const unit = 'deliveries/s';
  const gotRatio = m.sigfire1 / m.got;
  const rows: Row[] = [
    { section, figure: `sigfire, 1 worker process (concurrency ${concurrency})`, value: formatRate(m.sigfire1, unit), against: `plain got ${formatRate(m.got, 'req/s')}`, ratio: formatRatio(gotRatio), target: `>= ${GOT_TARGET}x`, verdict: verdict(gotRatio >= GOT_TARGET) },
    { section, figure: '', value: '', against: `no-op BullMQ worker ${formatRate(m.noop, 'jobs/s')}`, ratio: formatRatio(m.sigfire1 / m.noop) },
    { section, figure: `sigfire, 2 worker processes (${concurrency} each)`, value: formatRate(m.sigfire2, unit), against: 'plain got', ratio: formatRatio(m.sigfire2 / m.got) },
    { section, figure: '', value: '', against: 'no-op BullMQ worker', ratio: formatRatio(m.sigfire2 / m.noop) },
    { section, figure: `plain got POSTs (concurrency ${concurrency})`, value: formatRate(m.got, 'req/s'), against: `plain node:http ${formatRate(m.http, 'req/s')}`, ratio: formatRatio(m.got / m.http) },
  ];
  return {
    rows,
    maxDeliveriesPerSecond: m.sigfire1,
    figures: {
      deliveries: count,
      concurrency,
      signing: true,
      sigfire1WorkerPerSecond: m.sigfire1,
      sigfire2WorkersPerSecond: m.sigfire2,
      noopBullmqPerSecond: m.noop,
      plainGotPerSecond: m.got,
      plainHttpPerSecond: m.http,
      ratioToGot: gotRatio,
      ratioToNoop: m.sigfire1 / m.noop,
      ratio2WorkersToGot: m.sigfire2 / m.got,
      ratio2WorkersToNoop: m.sigfire2 / m.noop,
      gotToHttp: m.got / m.http,
      target: GOT_TARGET,
      pass: gotRatio >= GOT_TARGET,
      runs,
    },
  };
}
