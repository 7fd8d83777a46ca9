import { InvalidArgumentError, Option, type Command } from 'commander';
import { createListener, type ListenerProfile, type ListenerStats, type RunningListener } from '../listener/index.js';
import { CliError } from './cli-error.js';

interface ListenOptions {
  port: number;
  host: string;
  profile: ListenerProfile;
  apiKey?: string;
  failRate?: number;
  seed: number;
  latency?: number;
  status?: number;
  retryAfter?: number;
  secret?: string;
  record?: string;
  quiet?: boolean;
  json?: boolean;
}

const EXAMPLES = `
Examples:
  # An XDR-like receiver: wants ?api_key=demo-key and JSON, answers 202
  sigfire listen --profile xdr --api-key demo-key

  # ...then point a target at it in the config file:
  #   targets:
  #     - id: local-xdr
  #       url: http://127.0.0.1:8787/webhook?api_key=demo-key
  # or try it by hand:
  #   curl -i 'http://127.0.0.1:8787/webhook?api_key=demo-key' -H 'content-type: application/json' \\
  #        -d '{"version":"0","id":"t-1","detail-type":"WebhookTest","detail":{}}'

  # A bad day: 30% of requests answered 500, 250 ms per answer, every request recorded
  sigfire listen --fail-rate 0.3 --latency 250 --record received.ndjson

  # Rate limited, or gone
  sigfire listen --status 429 --retry-after 5
  sigfire listen --status 410

  # Check Standard Webhooks signatures (the target's signingSecret); bad ones get 401
  sigfire listen --secret "$SIGNING_SECRET"

While it runs: GET /stats gives the counts as JSON, GET /healthz answers 200.
Ctrl-C prints the totals: received, unique envelope ids, duplicates, rejected.
A duplicate is an envelope id that was already accepted (a retry after a 5xx is not one).`;

export function registerListenCommand(program: Command): void {
  program
    .command('listen')
    .description('Run a local webhook receiver (XDR-like or generic) with fault injection, to watch and test deliveries')
    .option('--port <port>', 'port to listen on (0: any free port)', integerIn('port', 0, 65535), 8787)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .addOption(
      new Option('--profile <profile>', 'xdr: api_key query parameter, JSON only, 202; generic: any JSON POST, 200')
        .choices(['xdr', 'generic'])
        .default('generic'),
    )
    .option('--api-key <key>', 'xdr: the api_key value to expect (default: any non-empty value)')
    .option('--fail-rate <fraction>', 'answer this fraction of requests (0..1) with 500', fraction)
    .option('--seed <n>', 'seed of the fail-rate sequence (same seed, same failures)', integerIn('seed', 0, 2 ** 32 - 1), 1)
    .option('--latency <ms>', 'wait this many milliseconds before answering', integerIn('latency', 0, 600_000))
    .option('--status <code>', 'answer every request with this HTTP status (e.g. 400, 410, 429, 503)', integerIn('status', 200, 599))
    .option('--retry-after <seconds>', 'send Retry-After with 429 and 503 answers', integerIn('retry-after', 0, 86_400))
    .option('--secret <whsec>', 'verify Standard Webhooks signatures with this secret; bad ones get 401')
    .option('--record <file>', 'append every request as one NDJSON line (secrets masked)')
    .option('--quiet', 'no line per request')
    .option('--json', 'print the final counts as one JSON line')
    .addHelpText('after', EXAMPLES)
    .action(async (options: ListenOptions) => {
      const listener = await startListener(options);
      process.stdout.write(`listening on ${listener.url} (profile ${options.profile})\n`);
      await waitForStopSignal();
      await listener.close();
      process.stdout.write(formatTotals(listener.stats(), options.json === true) + '\n');
    });
}

async function startListener(options: ListenOptions): Promise<RunningListener> {
  try {
    return await createListener({
      port: options.port,
      host: options.host,
      profile: options.profile,
      apiKey: options.apiKey,
      failRate: options.failRate,
      seed: options.seed,
      latencyMs: options.latency,
      status: options.status,
      retryAfterSeconds: options.retryAfter,
      secret: options.secret,
      recordFile: options.record,
      quiet: options.quiet,
    });
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}

function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop).off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop).on('SIGTERM', stop);
  });
}

function formatTotals(stats: ListenerStats, json: boolean): string {
  if (json) return JSON.stringify(stats);
  const statuses = Object.entries(stats.byStatus)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  return (
    `received ${stats.received}, unique envelope ids ${stats.unique}, duplicates ${stats.duplicates}, rejected ${stats.rejected}` +
    (statuses ? ` (${statuses})` : '')
  );
}

function integerIn(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value.trim()) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
    }
    return parsed;
  };
}

function fraction(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed > 1) {
    throw new InvalidArgumentError('fail rate must be a number from 0 to 1 (e.g. 0.3 for 30%).');
  }
  return parsed;
}
