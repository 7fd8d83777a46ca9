import { Worker } from 'bullmq';
import { createRedisClient } from '../../src/queue/redis-client.js';
import { serveCalls } from '../ipc.js';

/**
 * The queue ceiling: a BullMQ Worker on the same queue, prefix, concurrency and lock
 * settings as sigfire's delivery worker, whose processor does nothing.
 *
 * argv: <redis url> <prefix> <queue name> <concurrency> <lock duration ms>
 */
const [url, prefix, queueName, concurrencyText, lockText] = process.argv.slice(2) as [string, string, string, string, string];
const connection = createRedisClient(url);
const worker = new Worker(queueName, async () => undefined, {
  connection,
  prefix,
  concurrency: Number(concurrencyText),
  lockDuration: Number(lockText),
  stalledInterval: Number(lockText),
});
worker.on('error', () => {});
await worker.waitUntilReady();

let completed = 0;
let waiter: { count: number; resolve(value: unknown): void } | undefined;
/** Completion times by envelope id, while a latency run is on. */
let completions: Array<[string, number]> | undefined;
worker.on('completed', (job) => {
  completed++;
  completions?.push([(job.data as { envelope: { id: string } }).envelope.id, Date.now()]);
  if (waiter && completed >= waiter.count) {
    waiter.resolve({ at: Date.now(), completed });
    waiter = undefined;
  }
});

serveCalls({
  reset: () => {
    completed = 0;
    return true;
  },
  startCompletions: () => {
    completions = [];
    return true;
  },
  takeCompletions: () => {
    const taken = completions ?? [];
    completions = undefined;
    return taken;
  },
  waitForCompleted: ({ count }: { count: number }) =>
    new Promise((resolve) => {
      if (completed >= count) resolve({ at: Date.now(), completed });
      else waiter = { count, resolve };
    }),
});

process.on('SIGTERM', () => {
  void worker.close().then(() => {
    connection.disconnect();
    process.exit(0);
  });
});
