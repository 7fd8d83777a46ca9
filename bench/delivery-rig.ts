import { writeFile } from 'node:fs/promises';
import { Detector } from '../src/checks/detector.js';
import type { Finding } from '../src/checks/finding.js';
import { loadConfig, type LoadedConfig } from '../src/config/load-config.js';
import type { TargetConfig } from '../src/config/schema.js';
import { buildRequest } from '../src/notify/build-request.js';
import { buildFailedCheckEnvelope } from '../src/notify/payload.js';
import { generateWebhookSecret } from '../src/notify/signing.js';
import { DeliveryQueues, type DeliveryRequest } from '../src/queue/delivery-queues.js';
import { deliveryQueueName } from '../src/queue/queue-names.js';
import { runReplay } from '../src/replay/run-replay.js';
import type { BenchContext } from './context.js';
import { HelperProcess } from './ipc.js';
import { benchFile, RULES_DIR } from './paths.js';
import { progress } from './progress.js';
import { BenchRedis } from './redis.js';
import { childNodeArgs } from './options.js';
import { startWorkers, type SigfireWorkerProcess } from './worker-process.js';

const TARGET_ID = 'bench-receiver';
/** Jobs per addBulk, as `replay --deliver` batches them. */
const ENQUEUE_BATCH = 200;

export interface ReceiverArrival {
  at: number;
  accepted: number;
  rejected: number;
}

/**
 * Everything the delivery, latency and worker-memory figures share: Redis under a bench
 * prefix, one receiver process, a temp config with one signed target wired to every check,
 * and envelopes built from real findings of the generated traffic (each delivery gets its
 * own finding id, so its own envelope id and job id).
 */
export class DeliveryRig {
  private serial = 0;

  private constructor(
    readonly context: BenchContext,
    readonly redis: BenchRedis,
    readonly receiver: HelperProcess,
    readonly configFile: string,
    readonly loaded: LoadedConfig,
    readonly queues: DeliveryQueues,
    private readonly findings: Finding[],
  ) {}

  static async open(context: BenchContext): Promise<DeliveryRig> {
    const findings = await collectFindings(context);
    const redis = await BenchRedis.open();
    const secret = generateWebhookSecret();
    const receiver = await HelperProcess.start('receiver', benchFile('children/receiver.js'), [secret]);
    try {
      const url = await receiver.call<string>('url');
      const configFile = context.workspace.path('bench-sigfire.yaml');
      await writeFile(configFile, benchConfig({ rulesDir: RULES_DIR, prefix: redis.prefix, url: `${url}/hook`, secret, concurrency: context.options.concurrency }));
      const loaded = await loadConfig(configFile, {});
      const queues = new DeliveryQueues(redis.connection, redis.prefix, loaded.config.delivery);
      return new DeliveryRig(context, redis, receiver, configFile, loaded, queues, findings);
    } catch (error) {
      await receiver.stop();
      await redis.close();
      throw error;
    }
  }

  get target(): TargetConfig {
    return this.loaded.config.targets[0]!;
  }

  get queueName(): string {
    return deliveryQueueName(TARGET_ID);
  }

  /** `count` deliveries never enqueued before, cycling through the real findings. */
  requests(count: number): DeliveryRequest[] {
    const tag = `bench${++this.serial}`;
    return Array.from({ length: count }, (_, index) => {
      const base = this.findings[index % this.findings.length]!;
      const finding = { ...base, id: `${base.id}-${tag}-${index}` };
      return { target: this.target, envelope: buildFailedCheckEnvelope(finding, this.target, this.loaded.config.envelope), findingId: finding.id, checkId: finding.checkId };
    });
  }

  /** The HTTP requests sigfire would send for these deliveries, signed now, as NDJSON for the ceiling senders. */
  async writePreparedRequests(file: string, requests: DeliveryRequest[]): Promise<void> {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const lines = requests.map((request) => JSON.stringify(buildRequest(request.target, request.envelope, { nowSeconds })));
    await writeFile(file, `${lines.join('\n')}\n`);
  }

  /** Enqueues in batches, as `replay --deliver` does; calls `onBatch` with each batch's enqueue time. */
  async enqueue(requests: DeliveryRequest[], onBatch?: (batch: DeliveryRequest[], at: number) => void): Promise<void> {
    for (let start = 0; start < requests.length; start += ENQUEUE_BATCH) {
      const batch = requests.slice(start, start + ENQUEUE_BATCH);
      const at = Date.now();
      const { added } = await this.queues.enqueue(batch);
      if (added !== batch.length) throw new Error(`enqueued ${added} of ${batch.length} (duplicates?)`);
      onBatch?.(batch, at);
    }
  }

  /** `sigfire worker` processes on this rig's config and Redis. */
  startWorkers(count: number): Promise<SigfireWorkerProcess[]> {
    return startWorkers(count, this.configFile, this.redis.endpoint.url, childNodeArgs(this.context.options));
  }

  resetReceiver(): Promise<unknown> {
    return this.receiver.call('reset');
  }

  /** Waits until the receiver accepted `count` requests since its last reset. */
  async receiverAccepted(count: number): Promise<ReceiverArrival> {
    const arrival = await this.receiver.call<ReceiverArrival>('waitForAccepted', { count, timeoutMs: timeoutFor(count) });
    if (arrival.rejected > 0) throw new Error(`the receiver rejected ${arrival.rejected} requests (bad signatures?)`);
    return arrival;
  }

  async close(): Promise<void> {
    await this.queues.close();
    await this.receiver.stop();
    await this.redis.close();
  }
}

/** Generous: a stuck run fails instead of hanging the bench. */
export function timeoutFor(count: number): number {
  return 60_000 + count * 10;
}

async function collectFindings(context: BenchContext): Promise<Finding[]> {
  const events = Math.min(context.options.sizes.evaluationEvents, 20_000);
  const file = await context.eventsFile(events);
  progress(`delivery: collecting findings from ${events.toLocaleString('en-US')} generated events`);
  const detector = await Detector.create({ rulesDir: RULES_DIR });
  const findings: Finding[] = [];
  await runReplay(detector, { sources: [file] }, { onFinding: (finding) => void findings.push(finding) });
  if (findings.length === 0) throw new Error('the generated traffic fired no check: no envelopes to deliver');
  return findings;
}

function benchConfig(options: { rulesDir: string; prefix: string; url: string; secret: string; concurrency: number }): string {
  return `# written by sigfire's bench; removed at the end of the run
rules: ${JSON.stringify(options.rulesDir)}
redis:
  prefix: ${JSON.stringify(options.prefix)}
delivery:
  concurrency: ${options.concurrency}
targets:
  - id: ${TARGET_ID}
    url: ${JSON.stringify(options.url)}
    signingSecret: ${JSON.stringify(options.secret)}
wiring:
  - targets: [${TARGET_ID}]
    severities: [critical, high, medium, low]
`;
}
