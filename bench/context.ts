import { childNodeArgs, type BenchOptions } from './options.js';
import { type ChildReplay, replayInChild } from './replay-child.js';
import { copyFirstLines, generateEvents, type Workspace } from './workspace.js';
import { progress } from './progress.js';

/**
 * What the sections share: one generated traffic file (the largest size any section needs),
 * shorter replays cut from its start, and the one large child replay that both the
 * events-scaling figure and the peak-RSS figure use.
 */
export class BenchContext {
  private source: Promise<string> | undefined;
  private readonly prefixes = new Map<number, Promise<string>>();
  private largeReplay: Promise<ChildReplay> | undefined;

  constructor(
    readonly options: BenchOptions,
    readonly workspace: Workspace,
    private readonly sourceEvents: number,
  ) {}

  /** An NDJSON file holding the first `count` events of the generated traffic. */
  eventsFile(count: number): Promise<string> {
    if (count > this.sourceEvents) throw new Error(`${count} events wanted, ${this.sourceEvents} generated`);
    this.source ??= (async () => {
      const file = this.workspace.path(`events-${this.sourceEvents}.ndjson`);
      await generateEvents(this.sourceEvents, file);
      return file;
    })();
    if (count === this.sourceEvents) return this.source;
    let prefix = this.prefixes.get(count);
    if (!prefix) {
      prefix = this.source.then(async (source) => {
        const file = this.workspace.path(`events-${count}.ndjson`);
        await copyFirstLines(source, file, count);
        return file;
      });
      this.prefixes.set(count, prefix);
    }
    return prefix;
  }

  /** `sigfire replay --dry-run --json` of the memory-sized file, run once and shared. */
  largeChildReplay(): Promise<ChildReplay> {
    this.largeReplay ??= (async () => {
      const events = this.options.sizes.largeEvents;
      const file = await this.eventsFile(events);
      progress(`replaying ${events.toLocaleString('en-US')} events in a child (sigfire replay --dry-run --json) for peak RSS and events scaling`);
      return replayInChild(file, childNodeArgs(this.options));
    })();
    return this.largeReplay;
  }
}
