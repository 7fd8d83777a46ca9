import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { ATTACK_IDS, selectAttacks } from '../generate/attacks/catalog.js';
import { encoderFor, GENERATE_FORMATS } from '../generate/formats/registry.js';
import { writeNdjson } from '../generate/ndjson-writer.js';
import { DEFAULT_EVENTS, DEFAULT_START, GenerateOptionsError, TrafficGenerator, type GenerateOptions } from '../generate/traffic-generator.js';
import { CliError } from './cli-error.js';
import { formatCount, ProgressLine } from './output.js';

interface GenerateCliOptions {
  events?: string;
  users?: string;
  days?: string;
  seed: string;
  attacks?: string;
  labels?: string;
  start: string;
  format: string;
}

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('Write deterministic synthetic identity traffic (NDJSON) to stdout, with labelled attack episodes')
    .addOption(
      new Option('--format <format>', "write each event in this provider's export shape (one record a line), to test the export adapters or a receiver that expects it")
        .choices([...GENERATE_FORMATS])
        .default('sigfire'),
    )
    .option('--events <n>', `exactly this many events; picks users and days itself (default ${formatCount(DEFAULT_EVENTS)})`)
    .option('--users <n>', 'tenant size (with --days, instead of --events)')
    .option('--days <n>', 'days of traffic (with --users, instead of --events)')
    .option('--seed <n>', 'random seed: the same arguments and seed give byte-identical output', '1')
    .option('--attacks <ids>', 'comma-separated check ids to stage attack episodes for, or "all"')
    .option('--labels <file>', 'write the attack episodes (ground truth for `sigfire replay --labels`) to this JSON file')
    .option('--start <iso>', 'time of the first event', DEFAULT_START)
    .addHelpText(
      'after',
      `
Benign traffic alone fires no threat check; each attack episode fires the check it is
named after (one episode per kind per ~100,000 events, at least one). With --format
okta|entra|duo the same events are written as that provider's export records; replaying
them gives the same findings as the sigfire-format stream.

Attacks: ${ATTACK_IDS.join(', ')}

Examples:
  sigfire generate --events 100000 --attacks all --labels labels.json > events.ndjson
  sigfire generate --users 200 --days 30 --seed 7 | sigfire replay - --dry-run
  sigfire generate --events 100000 --attacks all --format entra > entra-signins.ndjson
  sigfire generate --events 1000000 --attacks all --labels l.json | sigfire replay - --dry-run --json --labels l.json`,
    )
    .action(async (options: GenerateCliOptions) => generateAction(options));
}

async function generateAction(options: GenerateCliOptions): Promise<void> {
  const generator = createGenerator(options);
  const started = performance.now();
  const progress = new ProgressLine(() => {
    const seconds = Math.max(0.001, (performance.now() - started) / 1000);
    const written = generator.eventsWritten;
    return `generate: ${formatCount(written)} events (${formatCount(Math.round(written / seconds))} events/s)`;
  });

  let closedEarly: boolean;
  try {
    const encoder = encoderFor(options.format);
    const records = encoder ? mapIterable(generator.events(), (event) => encoder.encode(event)) : generator.events();
    ({ closedEarly } = await writeNdjson(records, process.stdout));
  } finally {
    progress.stop();
  }

  if (options.labels) {
    try {
      await writeFile(options.labels, `${JSON.stringify(generator.labels(), null, 2)}\n`);
    } catch (error) {
      throw new CliError(`--labels: cannot write ${options.labels}: ${(error as Error).message}`, 1);
    }
  }
  const summary = generator.summary();
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `generated ${formatCount(summary.events)} events: ${formatCount(summary.users)} users, ${formatCount(summary.days)} days, ` +
      `${formatCount(summary.episodes)} attack episodes in ${seconds.toFixed(1)} s` +
      `${closedEarly ? ' (output closed early)' : ''}${options.labels ? `; labels in ${options.labels}` : ''}\n`,
  );
}

function createGenerator(options: GenerateCliOptions): TrafficGenerator {
  if (options.events !== undefined && (options.users !== undefined || options.days !== undefined)) {
    throw new CliError('give either --events, or --users with --days, not both');
  }
  const settings: GenerateOptions = {
    seed: wholeNumber('--seed', options.seed, 0),
    start: options.start,
    ...(options.events !== undefined ? { events: wholeNumber('--events', options.events, 1) } : {}),
    ...(options.users !== undefined ? { users: wholeNumber('--users', options.users, 1) } : {}),
    ...(options.days !== undefined ? { days: wholeNumber('--days', options.days, 1) } : {}),
  };
  if (options.attacks !== undefined) {
    try {
      settings.attacks = selectAttacks(options.attacks);
    } catch (error) {
      throw new CliError(`--attacks: ${(error as Error).message}`);
    }
  }
  try {
    return new TrafficGenerator(settings);
  } catch (error) {
    if (error instanceof GenerateOptionsError) throw new CliError(error.message);
    throw error;
  }
}

function wholeNumber(flag: string, text: string, min: number): number {
  const trimmed = text.replace(/_/g, '');
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(value) || value < min) {
    throw new CliError(`${flag} takes a whole number${min > 0 ? ` of at least ${min}` : ''}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function* mapIterable<T, U>(items: Iterable<T>, map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}
