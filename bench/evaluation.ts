import { loadCatalog } from '../src/checks/catalog.js';
import { Detector } from '../src/checks/detector.js';
import { runReplay } from '../src/replay/run-replay.js';
import { precomputeFacts, runPlainEngine } from './ceilings/rules-engine.js';
import type { BenchContext } from './context.js';
import { RULES_DIR } from './paths.js';
import { childNodeArgs } from './options.js';
import { progress } from './progress.js';
import { formatRate, formatRatio, verdict, type Row, type SectionResult } from './report.js';
import { replayInChild } from './replay-child.js';
import { writeCatalogCopy } from './rules-copies.js';
import { median, perSecond } from './stats.js';

const EVALUATION_TARGET = 2;
/** Per-event cost at the large size over the small one; above this it is not "linear". */
const LINEAR_EVENTS_TOLERANCE = 1.25;

/** sigfire's own path: read the NDJSON file, validate, state, checks, suppression (dry run). */
async function sigfireEventsPerSecond(rulesDir: string, file: string): Promise<{ rate: number; events: number; findings: number }> {
  const detector = await Detector.create({ rulesDir });
  const started = performance.now();
  const summary = await runReplay(detector, { sources: [file] });
  return { rate: perSecond(summary.events, performance.now() - started), events: summary.events, findings: summary.findings };
}

export async function benchEvaluation(context: BenchContext): Promise<SectionResult> {
  const { sizes } = context.options;
  const rows: Row[] = [];
  const section = 'evaluation';

  // 1. the full catalog against plain json-rules-engine on precomputed facts, runs interleaved
  const file = await context.eventsFile(sizes.evaluationEvents);
  progress(`evaluation: precomputing facts of ${sizes.evaluationEvents.toLocaleString('en-US')} events for the json-rules-engine ceiling`);
  const catalog = await loadCatalog(RULES_DIR);
  const precomputed = await precomputeFacts(catalog, file);
  const sigfireRuns: number[] = [];
  const ceilingRuns: number[] = [];
  let findings = 0;
  let fired = 0;
  for (let round = 1; round <= sizes.repeats; round++) {
    progress(`evaluation: round ${round}/${sizes.repeats}: sigfire replay, then plain json-rules-engine`);
    const sigfire = await sigfireEventsPerSecond(RULES_DIR, file);
    sigfireRuns.push(sigfire.rate);
    findings = sigfire.findings;
    const ceiling = await runPlainEngine(precomputed);
    ceilingRuns.push(ceiling.eventsPerSecond);
    fired = ceiling.fired;
  }
  precomputed.facts.length = 0;
  const sigfireRate = median(sigfireRuns);
  const ceilingRate = median(ceilingRuns);
  const ratio = sigfireRate / ceilingRate;
  rows.push({
    section,
    figure: `full catalog (${precomputed.rules.length} checks), ${sizes.evaluationEvents.toLocaleString('en-US')} events`,
    value: formatRate(sigfireRate, 'events/s'),
    against: `plain json-rules-engine ${formatRate(ceilingRate, 'events/s')}`,
    ratio: formatRatio(ratio),
    target: `>= ${EVALUATION_TARGET}x`,
    verdict: verdict(ratio >= EVALUATION_TARGET),
  });

  // 2. 20 vs 200 checks: per-event cost may grow at most 10x
  const checksFile = await context.eventsFile(sizes.checkScalingEvents);
  const smallDir = context.workspace.path('rules-20');
  const largeDir = context.workspace.path('rules-200');
  await writeCatalogCopy(RULES_DIR, smallDir, 20);
  await writeCatalogCopy(RULES_DIR, largeDir, 200);
  const runs20: number[] = [];
  const runs200: number[] = [];
  for (let round = 1; round <= sizes.repeats; round++) {
    progress(`evaluation: round ${round}/${sizes.repeats}: 20 checks, then 200 checks, ${sizes.checkScalingEvents.toLocaleString('en-US')} events`);
    runs20.push((await sigfireEventsPerSecond(smallDir, checksFile)).rate);
    runs200.push((await sigfireEventsPerSecond(largeDir, checksFile)).rate);
  }
  const rate20 = median(runs20);
  const rate200 = median(runs200);
  const checksCostRatio = rate20 / rate200;
  rows.push({ section, figure: `20 checks, ${sizes.checkScalingEvents.toLocaleString('en-US')} events`, value: formatRate(rate20, 'events/s') });
  rows.push({
    section,
    figure: '200 checks (10x the checks)',
    value: formatRate(rate200, 'events/s'),
    against: 'cost per event vs 20 checks',
    ratio: formatRatio(checksCostRatio),
    target: '<= 10x (linear)',
    verdict: verdict(checksCostRatio <= 10),
  });

  // 3. events: the same traffic, short and long, each in a `sigfire replay` child
  const smallEvents = sizes.scalingEvents;
  const smallFile = await context.eventsFile(smallEvents);
  const smallRuns: number[] = [];
  for (let round = 1; round <= sizes.repeats; round++) {
    progress(`evaluation: round ${round}/${sizes.repeats}: sigfire replay of ${smallEvents.toLocaleString('en-US')} events in a child`);
    const replay = await replayInChild(smallFile, childNodeArgs(context.options));
    smallRuns.push(perSecond(replay.events, replay.durationMs));
  }
  const large = await context.largeChildReplay();
  const smallRate = median(smallRuns);
  const largeRate = perSecond(large.events, large.durationMs);
  const eventsCostRatio = smallRate / largeRate;
  rows.push({ section, figure: `${smallEvents.toLocaleString('en-US')} events (sigfire replay child)`, value: formatRate(smallRate, 'events/s') });
  rows.push({
    section,
    figure: `${large.events.toLocaleString('en-US')} events (one run)`,
    value: formatRate(largeRate, 'events/s'),
    against: `cost per event vs ${smallEvents.toLocaleString('en-US')}`,
    ratio: formatRatio(eventsCostRatio),
    target: `<= ${LINEAR_EVENTS_TOLERANCE}x (linear)`,
    verdict: verdict(eventsCostRatio <= LINEAR_EVENTS_TOLERANCE),
  });

  return {
    rows,
    figures: {
      catalog: {
        events: sizes.evaluationEvents,
        checks: precomputed.rules.length,
        derivedFacts: precomputed.derivedFacts,
        sigfireEventsPerSecond: sigfireRate,
        sigfireRuns,
        findings,
        ceilingEventsPerSecond: ceilingRate,
        ceilingRuns,
        ceilingRuleResults: fired,
        ratio,
        target: EVALUATION_TARGET,
        pass: ratio >= EVALUATION_TARGET,
      },
      checksScaling: { events: sizes.checkScalingEvents, eventsPerSecond20: rate20, runs20, eventsPerSecond200: rate200, runs200, costRatio: checksCostRatio, pass: checksCostRatio <= 10 },
      eventsScaling: {
        smallEvents,
        smallEventsPerSecond: smallRate,
        smallRuns,
        largeEvents: large.events,
        largeEventsPerSecond: largeRate,
        costRatio: eventsCostRatio,
        tolerance: LINEAR_EVENTS_TOLERANCE,
        pass: eventsCostRatio <= LINEAR_EVENTS_TOLERANCE,
      },
    },
  };
}
