import type { Detector } from '../checks/detector.js';
import type { Finding } from '../checks/finding.js';
import { readEvents } from '../events/read-events.js';
import type { RecordError } from '../events/records.js';
import { ReplayPacer, TimeRebaser } from './pacing.js';

export interface ReplayOptions {
  sources: string[];
  strict?: boolean;
  speed?: number | 'max';
  /** Epoch ms the first event is moved to (`--rebase`). */
  rebaseTo?: number;
  maxRecordBytes?: number;
}

export interface ReplayHooks {
  onFinding?(finding: Finding): void | Promise<void>;
  onRecordError?(error: RecordError): void;
}

/** Live counters, read by the progress line while the replay runs. */
export interface ReplayCounters {
  events: number;
  skipped: number;
  findings: number;
  byCheck: Record<string, number>;
}

export interface ReplaySummary extends ReplayCounters {
  /** True when --strict stopped the run at the first bad record. */
  stopped: boolean;
  durationMs: number;
}

/** Streams the sources through the detector: read -> validate -> (rebase, pace) -> checks. */
export async function runReplay(
  detector: Detector,
  options: ReplayOptions,
  hooks: ReplayHooks = {},
  counters: ReplayCounters = { events: 0, skipped: 0, findings: 0, byCheck: {} },
): Promise<ReplaySummary> {
  const started = performance.now();
  const pacer = new ReplayPacer(options.speed ?? 'max');
  const rebaser = options.rebaseTo !== undefined ? new TimeRebaser(options.rebaseTo) : undefined;
  let stopped = false;

  for await (const item of readEvents(options.sources, { maxRecordBytes: options.maxRecordBytes })) {
    if (!item.ok) {
      counters.skipped++;
      hooks.onRecordError?.(item.error);
      if (options.strict) {
        stopped = true;
        break;
      }
      continue;
    }
    const event = rebaser ? rebaser.rebase(item.event) : item.event;
    await pacer.wait(Date.parse(event.time));
    counters.events++;
    for (const finding of await detector.process(event)) {
      counters.findings++;
      counters.byCheck[finding.checkId] = (counters.byCheck[finding.checkId] ?? 0) + 1;
      await hooks.onFinding?.(finding);
    }
  }
  return { ...counters, stopped, durationMs: Math.round(performance.now() - started) };
}
