import type { BenchContext } from './context.js';
import type { DeliveryRig } from './delivery-rig.js';
import { readProcMemory } from './proc-status.js';
import { progress } from './progress.js';
import { formatMb, formatRatio, verdict, type Row, type SectionResult } from './report.js';
import { stopWorkers } from './worker-process.js';

const REPLAY_TARGET_KB = 300 * 1024;
/** RSS after all deliveries over RSS after warm-up; up to this counts as flat. */
const FLAT_TOLERANCE = 1.1;
/** Jobs waiting in Redis at most: the worker is measured, not Redis filling up. */
const BACKLOG = 2000;

/** Delivers `total` through one `sigfire worker` process, sampling its RSS every `every` deliveries. */
async function workerRssCurve(rig: DeliveryRig, total: number, every: number): Promise<Array<{ delivered: number; rssKb: number }>> {
  const [worker] = await rig.startWorkers(1);
  const samples: Array<{ delivered: number; rssKb: number }> = [];
  try {
    await rig.resetReceiver();
    let enqueued = 0;
    let delivered = 0;
    let nextSample = every;
    while (delivered < total) {
      const room = Math.min(total, delivered + BACKLOG) - enqueued;
      if (room > 0) {
        await rig.enqueue(rig.requests(room));
        enqueued += room;
      }
      // wake up when half the backlog is delivered (to top it up) or at the next sample
      delivered = (await rig.receiverAccepted(Math.min(nextSample, enqueued, delivered + BACKLOG / 2))).accepted;
      while (delivered >= nextSample && nextSample <= total) {
        const memory = await readProcMemory(worker!.pid);
        if (!memory) throw new Error('cannot read the worker process RSS from /proc');
        samples.push({ delivered, rssKb: memory.rssKb });
        progress(`memory: worker RSS after ${delivered.toLocaleString('en-US')} deliveries: ${formatMb(memory.rssKb)}`);
        nextSample += every;
      }
    }
    return samples;
  } finally {
    await stopWorkers([worker!]);
  }
}

export async function benchMemory(context: BenchContext, rig: DeliveryRig): Promise<SectionResult> {
  const { sizes } = context.options;
  const section = 'memory';
  const rows: Row[] = [];

  const replay = await context.largeChildReplay();
  const replayPass = replay.peakRssKb < REPLAY_TARGET_KB;
  rows.push({
    section,
    figure: `peak RSS, sigfire replay --dry-run of ${replay.events.toLocaleString('en-US')} events`,
    value: formatMb(replay.peakRssKb),
    against: `VmHWM sampled ${formatMb(replay.sampledHwmKb)}`,
    target: '< 300 MB',
    verdict: verdict(replayPass),
  });

  const warm = sizes.workerWarmDeliveries;
  const total = sizes.workerMemoryDeliveries;
  progress(`memory: ${total.toLocaleString('en-US')} deliveries through one sigfire worker process, RSS sampled every ${warm.toLocaleString('en-US')}`);
  const curve = await workerRssCurve(rig, total, warm);
  const atWarm = curve.find((sample) => sample.delivered >= warm)!;
  const atEnd = curve.at(-1)!;
  const ratio = atEnd.rssKb / atWarm.rssKb;
  rows.push({
    section,
    figure: `worker RSS after ${total.toLocaleString('en-US')} deliveries`,
    value: formatMb(atEnd.rssKb),
    against: `after ${warm.toLocaleString('en-US')} (warm) ${formatMb(atWarm.rssKb)}`,
    ratio: formatRatio(ratio),
    target: `<= ${FLAT_TOLERANCE}x (flat)`,
    verdict: verdict(ratio <= FLAT_TOLERANCE),
  });
  return {
    rows,
    figures: {
      replay: { events: replay.events, peakRssKb: replay.peakRssKb, sampledHwmKb: replay.sampledHwmKb, targetKb: REPLAY_TARGET_KB, pass: replayPass, durationMs: replay.durationMs, findings: replay.findings },
      worker: { warmDeliveries: warm, deliveries: total, rssWarmKb: atWarm.rssKb, rssEndKb: atEnd.rssKb, ratio, tolerance: FLAT_TOLERANCE, pass: ratio <= FLAT_TOLERANCE, curve },
    },
  };
}
