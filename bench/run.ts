import { BenchContext } from './context.js';
import { benchDelivery } from './delivery.js';
import { DeliveryRig } from './delivery-rig.js';
import { benchEvaluation } from './evaluation.js';
import { benchExports } from './exports.js';
import { benchLatency } from './latency.js';
import { benchMemory } from './memory.js';
import { parseBenchOptions, UsageError, USAGE, type BenchOptions } from './options.js';
import { progress } from './progress.js';
import { renderTable, roundFigures, type Row, type SectionResult } from './report.js';
import { Workspace } from './workspace.js';

/**
 * `npm run bench`: every speed figure as a ratio against a ceiling measured in this run, on
 * this machine, with the same data. Progress on stderr; the table (and with --json one JSON
 * object, on the last line) on stdout.
 */
async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (!error.message) {
      process.stdout.write(`${USAGE}\n`);
      return;
    }
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  const { sections, sizes } = options;
  const workspace = await Workspace.create();
  const needsLargeReplay = sections.has('evaluation') || sections.has('memory');
  const sourceEvents = needsLargeReplay ? sizes.largeEvents : Math.max(sizes.evaluationEvents, sections.has('exports') ? sizes.exportEvents : 0);
  const context = new BenchContext(options, workspace, sourceEvents);
  const rows: Row[] = [];
  const figures: Record<string, unknown> = {};
  const sectionSeconds: Record<string, number> = {};
  let sectionStarted = performance.now();
  const record = (section: string, result: SectionResult) => {
    rows.push(...result.rows);
    figures[section] = result.figures;
    sectionSeconds[section] = (performance.now() - sectionStarted) / 1000;
    sectionStarted = performance.now();
  };

  let rig: DeliveryRig | undefined;
  // Ctrl-C: the helpers get the signal too; still remove the bench's Redis keys and temp files
  process.once('SIGINT', () => {
    progress('interrupted: removing the bench keys and temp files');
    const cleanup = Promise.allSettled([rig?.close(), workspace.remove()]);
    const deadline = new Promise((resolve) => setTimeout(resolve, 5000).unref());
    void Promise.race([cleanup, deadline]).then(() => process.exit(130));
  });
  try {
    if (sections.has('evaluation')) record('evaluation', await benchEvaluation(context));
    if (sections.has('delivery') || sections.has('latency') || sections.has('memory')) rig = await DeliveryRig.open(context);
    let maxDeliveries: number | undefined;
    if (sections.has('delivery')) {
      const delivery = await benchDelivery(context, rig!);
      maxDeliveries = delivery.maxDeliveriesPerSecond;
      record('delivery', delivery);
    }
    if (sections.has('latency')) record('latency', await benchLatency(context, rig!, maxDeliveries));
    if (sections.has('memory')) record('memory', await benchMemory(context, rig!));
    if (sections.has('exports')) record('exports', await benchExports(context));
  } finally {
    await rig?.close();
    await workspace.remove();
  }

  const seconds = (performance.now() - started) / 1000;
  const timing = Object.entries(sectionSeconds).map(([section, spent]) => `${section} ${spent.toFixed(0)} s`).join(', ');
  const header = `sigfire bench${options.quick ? ' --quick' : ''}: medians of ${sizes.repeats} runs; ${seconds.toFixed(0)} s (${timing})`;
  process.stdout.write(`${header}\n\n${renderTable(rows)}\n`);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(roundFigures({ quick: options.quick, repeats: sizes.repeats, concurrency: options.concurrency, seconds, sectionSeconds, ...figures }))}\n`);
  }
}

main().catch((error: unknown) => {
  progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
