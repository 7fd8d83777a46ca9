import type { Finding } from '../checks/finding.js';
import { routeFinding } from '../notify/route-finding.js';
import { DeliveryQueues, type DeliveryRequest } from '../queue/delivery-queues.js';
import type { DeliveryRuntime } from '../queue/delivery-runtime.js';

const BATCH_SIZE = 200;

export interface DeliveryCounters {
  enqueued: number;
  duplicates: number;
  unrouted: number;
  byTarget: Record<string, number>;
}

/** `replay --deliver`: routes each finding to its wired targets and enqueues in batches. */
export class DeliverySink {
  private readonly queues: DeliveryQueues;
  private batch: DeliveryRequest[] = [];
  readonly counters: DeliveryCounters = { enqueued: 0, duplicates: 0, unrouted: 0, byTarget: {} };

  constructor(
    private readonly runtime: DeliveryRuntime,
    private readonly options: { resend?: boolean } = {},
  ) {
    this.queues = new DeliveryQueues(runtime.connection, runtime.prefix, runtime.loaded.config.delivery);
  }

  async add(finding: Finding): Promise<void> {
    const requests = routeFinding(finding, this.runtime.wiring, this.runtime.loaded.config.envelope);
    if (requests.length === 0) this.counters.unrouted++;
    this.batch.push(...requests);
    if (this.batch.length >= BATCH_SIZE) await this.flush();
  }

  async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0) return;
    const { added, duplicates } = await this.queues.enqueue(batch, this.options);
    this.counters.enqueued += added;
    this.counters.duplicates += duplicates;
    for (const request of batch) this.counters.byTarget[request.target.id] = (this.counters.byTarget[request.target.id] ?? 0) + 1;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.queues.close();
  }
}
