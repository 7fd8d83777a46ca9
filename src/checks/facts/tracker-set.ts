import type { EvaluationContext, Tracker, TrackerDeps } from './context.js';
import { DERIVED_FACTS } from './registry.js';

const SWEEP_EVERY_EVENTS = 20_000;

/** Stable JSON (sorted keys) so equal params share one tracker whatever their key order. */
export function canonicalParams(params: unknown): string {
  if (params === null || typeof params !== 'object') return JSON.stringify(params ?? null);
  if (Array.isArray(params)) return `[${params.map(canonicalParams).join(',')}]`;
  const entries = Object.keys(params as object)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalParams((params as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/**
 * Every (derived fact, params) pair the catalog uses, one tracker each. All of them observe
 * every event, whichever rules ran, so state never depends on short-circuiting.
 */
export class TrackerSet {
  private readonly trackers = new Map<string, Tracker>();
  private sinceSweep = 0;

  constructor(private readonly deps: TrackerDeps) {}

  /** Registers a use; returns the tracker. Throws (zod) on invalid params. */
  register(factName: string, params: unknown): Tracker {
    const definition = DERIVED_FACTS[factName];
    if (!definition) throw new Error(`unknown derived fact ${factName}`);
    const parsed = definition.params.parse(params ?? {});
    const id = `${factName}:${canonicalParams(parsed)}`;
    let tracker = this.trackers.get(id);
    if (!tracker) this.trackers.set(id, (tracker = definition.create(parsed ?? {}, this.deps)));
    return tracker;
  }

  observe(ctx: EvaluationContext): void {
    for (const tracker of this.trackers.values()) tracker.observe(ctx);
    if (++this.sinceSweep >= SWEEP_EVERY_EVENTS) {
      this.sinceSweep = 0;
      for (const tracker of this.trackers.values()) tracker.sweep(ctx.time);
    }
  }

  get count(): number {
    return this.trackers.size;
  }

  /** Entries held across all trackers. */
  entries(): number {
    let total = 0;
    for (const tracker of this.trackers.values()) total += tracker.size();
    return total;
  }
}
