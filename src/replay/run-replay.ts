import type { Detector } from '../checks/detector.js';
import type { Finding } from '../checks/finding.js';
import type { SourceFormat } from '../events/adapters/adapter-types.js';
import { readEvents } from '../events/read-events.js';
import type { RecordError } from '../events/records.js';
import type { SourceReport } from '../events/source-report.js';
import { ReplayPacer, TimeRebaser } from './pacing.js';

export interface ReplayOptions {
  sources: string[];
  strict?: boolean;
  speed?: number | 'max';
  /** Epoch ms the first event is moved to (`--rebase`). */
  rebaseTo?: number;
  maxRecordBytes?: number;
  /** every source is in this format; default: detected per source */
  format?: SourceFormat;
  /** disorder fixed within each source (ms of event time); default 5 minutes */
  reorderWindowMs?: number;
}

export interface ReplayHooks {
  onFinding?(finding: Finding): void | Promise<void>;
  onRecordError?(error: RecordError): void;
  /** a source's format and order are known */
  onSourceReady?(report: SourceReport): void;
}

/** Live counters, read by the progress line while the replay runs. */
export interface ReplayCounters {
  events: number;
  skipped: number;
  findings: number;
  byCheck: Record<string, number>;
}

export interface ReplaySummary extends ReplayCounters {
  /** how each source was read: format, order, records, ignored, late */
  sources: SourceReport[];
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
  const sources: SourceReport[] = [];
  const events = readEvents(options.sources, {
    maxRecordBytes: options.maxRecordBytes,
    sourceFormat: options.format,
    reorderWindowMs: options.reorderWindowMs,
    reports: sources,
    flushBeforeErrors: options.strict,
    onSourceReady: hooks.onSourceReady,
  });
  for await (const item of events) {
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
  return { ...counters, sources, stopped, durationMs: Math.round(performance.now() - started) };
}
