import type { DeliveryRequest } from '../src/queue/delivery-queues.js';
import type { BenchContext } from './context.js';
import { noopCompleted, sigfireDeliveriesPerSecond, startNoopWorker, startWarmSender, warmUpCount } from './delivery.js';
import type { DeliveryRig } from './delivery-rig.js';
import { progress } from './progress.js';
import { formatRate, verdict, type Row, type SectionResult } from './report.js';
import { median, percentile } from './stats.js';
import { stopWorkers } from './worker-process.js';

const P99_TARGET_MS = 50;
const TICK_MS = 10;

interface LatencyRun {
  p50: number;
  p99: number;
  max: number;
  samples: number;
}

type Path = 'sigfire' | 'noop' | 'got';

const PATH_NAMES: Record<Path, string> = {
  sigfire: 'sigfire: enqueue -> worker -> 2xx at the receiver',
  noop: 'ceiling: enqueue -> no-op BullMQ worker done',
  got: 'ceiling: plain got POST -> arrival at the receiver',
};

/**
 * Offers the requests to the queue at a fixed rate: every 10 ms, one enqueue call (batched
 * like `replay --deliver`) for what the rate owes; returns each envelope id's enqueue time.
 */
async function offerAtFixedRate(rig: DeliveryRig, requests: DeliveryRequest[], rate: number): Promise<Map<string, number>> {
  const enqueuedAt = new Map<string, number>();
  const started = Date.now();
  let sent = 0;
  while (sent < requests.length) {
    const due = Math.min(requests.length, Math.floor(((Date.now() - started) / 1000) * rate));
    if (due > sent) {
      const batch = requests.slice(sent, due);
      sent = due;
      await rig.enqueue(batch, (enqueued, at) => {
        for (const request of enqueued) enqueuedAt.set(request.envelope.id, at);
      });
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  return enqueuedAt;
}

function summarize(startedAt: Map<string, number>, endedAt: Array<[string, number]>, expected: number): LatencyRun {
  const latencies: number[] = [];
  for (const [id, end] of endedAt) {
    const start = startedAt.get(id);
    if (start !== undefined) latencies.push(end - start);
  }
  if (latencies.length < expected * 0.99) throw new Error(`latency: matched only ${latencies.length} of ${expected} deliveries`);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), samples: latencies.length };
}

/** Wall-clock times on this one machine, in 1 ms steps; each path warmed up first. */
async function steadyLoadLatency(rig: DeliveryRig, path: Path, rate: number, seconds: number): Promise<LatencyRun> {
  const total = Math.max(1, Math.round(rate * seconds));
  const warmUp = warmUpCount(total);
  if (path === 'sigfire') {
    const workers = await rig.startWorkers(1);
    try {
      await rig.resetReceiver();
      await rig.enqueue(rig.requests(warmUp));
      await rig.receiverAccepted(warmUp);
      const requests = rig.requests(total);
      await rig.resetReceiver();
      await rig.receiver.call('startArrivals');
      const enqueuedAt = await offerAtFixedRate(rig, requests, rate);
      await rig.receiverAccepted(total);
      return summarize(enqueuedAt, await rig.receiver.call<Array<[string, number]>>('takeArrivals'), total);
    } finally {
      await stopWorkers(workers);
    }
  }
  if (path === 'noop') {
    const worker = await startNoopWorker(rig);
    try {
      await worker.call('reset');
      await rig.enqueue(rig.requests(warmUp));
      await noopCompleted(worker, warmUp);
      const requests = rig.requests(total);
      await worker.call('reset');
      await worker.call('startCompletions');
      const enqueuedAt = await offerAtFixedRate(rig, requests, rate);
      await noopCompleted(worker, total);
      return summarize(enqueuedAt, await worker.call<Array<[string, number]>>('takeCompletions'), total);
    } finally {
      await worker.stop();
    }
  }
  const sender = await startWarmSender(rig, 'got', warmUp, total);
  try {
    await rig.resetReceiver();
    await rig.receiver.call('startArrivals');
    const sentAt = await sender.call<Array<[string, number]>>('paced', { client: 'got', from: warmUp, count: total, rate, concurrency: rig.context.options.concurrency });
    await rig.receiverAccepted(total);
    return summarize(new Map(sentAt), await rig.receiver.call<Array<[string, number]>>('takeArrivals'), total);
  } finally {
    await sender.stop();
  }
}

export async function benchLatency(context: BenchContext, rig: DeliveryRig, measuredMax?: number): Promise<SectionResult> {
  const { sizes } = context.options;
  let max = measuredMax;
  if (max === undefined) {
    progress('latency: measuring the maximum delivery rate first (1 worker process)');
    max = await sigfireDeliveriesPerSecond(rig, 1, sizes.deliveries);
  }
  const rate = max / 2;
  const runs: Record<Path, LatencyRun[]> = { sigfire: [], noop: [], got: [] };
  for (let round = 1; round <= sizes.repeats; round++) {
    for (const path of ['noop', 'sigfire', 'got'] as const) {
      progress(`latency: round ${round}/${sizes.repeats}: ${PATH_NAMES[path]}, ${formatRate(rate, 'deliveries/s')} for ${sizes.latencySeconds} s`);
      runs[path].push(await steadyLoadLatency(rig, path, rate, sizes.latencySeconds));
    }
  }
  const medians = (path: Path) => ({ p50: median(runs[path].map((run) => run.p50)), p99: median(runs[path].map((run) => run.p99)), max: Math.max(...runs[path].map((run) => run.max)) });
  const sigfire = medians('sigfire');
  const noop = medians('noop');
  const got = medians('got');
  const section = 'latency';
  const rows: Row[] = [
    { section, figure: `enqueue -> 2xx p50 at ${formatRate(rate, 'deliveries/s')} (half max)`, value: `${sigfire.p50} ms`, against: `no-op worker ${noop.p50} ms, got ${got.p50} ms` },
    {
      section,
      figure: 'enqueue -> 2xx p99',
      value: `${sigfire.p99} ms`,
      against: `no-op worker ${noop.p99} ms, got ${got.p99} ms`,
      target: `< ${P99_TARGET_MS} ms`,
      verdict: verdict(sigfire.p99 < P99_TARGET_MS),
    },
  ];
  return {
    rows,
    figures: {
      maxDeliveriesPerSecond: max,
      offeredPerSecond: rate,
      seconds: sizes.latencySeconds,
      p50Ms: sigfire.p50,
      p99Ms: sigfire.p99,
      maxMs: sigfire.max,
      noopWorker: noop,
      plainGot: got,
      target: P99_TARGET_MS,
      pass: sigfire.p99 < P99_TARGET_MS,
      runs,
    },
  };
}
