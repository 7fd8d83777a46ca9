import { resolve } from 'node:path';

export const SECTIONS = ['evaluation', 'delivery', 'latency', 'memory', 'exports'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchSizes {
  /** events for the main evaluation figure and its ceiling */
  evaluationEvents: number;
  /** events for the 20-vs-200-checks comparison */
  checkScalingEvents: number;
  /** the short replay of the events-scaling comparison (a `sigfire replay` child, like the long one) */
  scalingEvents: number;
  /** the long replay: the events-scaling comparison and the peak-RSS figure share this one run */
  largeEvents: number;
  /** deliveries per timed delivery run */
  deliveries: number;
  /** worker RSS is sampled after this many deliveries (warm) and after `workerMemoryDeliveries` */
  workerWarmDeliveries: number;
  workerMemoryDeliveries: number;
  /** seconds of steady load for the latency figure */
  latencySeconds: number;
  /** events replayed as sigfire NDJSON and as each provider's export */
  exportEvents: number;
  repeats: number;
}

export interface BenchOptions {
  quick: boolean;
  json: boolean;
  sections: Set<Section>;
  sizes: BenchSizes;
  /** deliveries in flight: the same for sigfire's worker and every ceiling */
  concurrency: number;
  /** `--cpu-prof DIR`: sigfire's own child processes (workers, replays) write V8 CPU profiles here */
  cpuProfDir?: string;
}

const FULL: BenchSizes = {
  evaluationEvents: 20_000,
  checkScalingEvents: 5_000,
  scalingEvents: 100_000,
  largeEvents: 1_000_000,
  deliveries: 5_000,
  workerWarmDeliveries: 20_000,
  workerMemoryDeliveries: 100_000,
  latencySeconds: 5,
  exportEvents: 200_000,
  repeats: 3,
};

const QUICK: BenchSizes = {
  evaluationEvents: 5_000,
  checkScalingEvents: 2_000,
  scalingEvents: 5_000,
  largeEvents: 20_000,
  deliveries: 2_000,
  workerWarmDeliveries: 2_000,
  workerMemoryDeliveries: 6_000,
  latencySeconds: 3,
  exportEvents: 20_000,
  repeats: 3,
};

export const USAGE = `usage: node dist/bench/run.js [--quick] [--only ${SECTIONS.join(',')}] [--json] [--cpu-prof DIR]

  --quick          small sizes (a smoke run)
  --only           run only these sections (comma-separated)
  --json           also print every figure as one JSON object on the last line of stdout
  --cpu-prof DIR   run sigfire's worker and replay processes under node --cpu-prof, profiles in DIR
                   (summarize one with: node dist/bench/profile-top.js DIR/<file>.cpuprofile)`;

export class UsageError extends Error {}

export function parseBenchOptions(argv: string[]): BenchOptions {
  let quick = false;
  let json = false;
  let sections = new Set<Section>(SECTIONS);
  let cpuProfDir: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--quick') quick = true;
    else if (arg === '--json') json = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++index] : arg.slice('--only='.length);
      if (!value) throw new UsageError('--only takes a comma-separated list of sections');
      const names = value.split(',').map((name) => name.trim()).filter(Boolean);
      const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
      if (unknown.length > 0) throw new UsageError(`--only: unknown section ${unknown.join(', ')} (sections: ${SECTIONS.join(', ')})`);
      sections = new Set(names as Section[]);
    } else if (arg === '--cpu-prof' || arg.startsWith('--cpu-prof=')) {
      cpuProfDir = arg === '--cpu-prof' ? argv[++index] : arg.slice('--cpu-prof='.length);
      if (!cpuProfDir) throw new UsageError('--cpu-prof takes a directory');
      cpuProfDir = resolve(cpuProfDir);
    } else if (arg === '--help' || arg === '-h') throw new UsageError('');
    else throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
  }
  return { quick, json, sections, sizes: quick ? QUICK : FULL, concurrency: 16, ...(cpuProfDir ? { cpuProfDir } : {}) };
}

/** Node flags for the sigfire processes the bench starts. */
export function childNodeArgs(options: BenchOptions): string[] {
  return options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
}
