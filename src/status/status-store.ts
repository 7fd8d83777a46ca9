import type { Redis } from 'ioredis';
import type { AttemptRecord } from '../notify/deliver.js';

/** What one target has been through, shared in Redis so every worker and the CLI see the same. */
export interface TargetRecord {
  delivered: number;
  lastDeliveryAt?: string;
  lastAttemptAt?: string;
  lastStatus?: number;
  lastError?: string;
  /** Start of the current run of failed attempts; unset after a success. */
  failingSince?: string;
  lastDeadAt?: string;
  disabled: boolean;
  disabledReason?: string;
  disabledAt?: string;
  lastTest?: ConnectivityTestResult;
}

export interface ConnectivityTestResult {
  time: string;
  ok: boolean;
  status?: number;
  latencyMs: number;
  error?: string;
  responseExcerpt?: string;
}

const RECENT_ATTEMPTS_KEPT = 10_000;

/** What a batch of attempts changes in one target's hash, replayed in order. */
interface TargetDelta {
  delivered: number;
  fields: Record<string, string>;
  /** a success came: the failing streak before it ends */
  clearFailing: boolean;
  /** first failure after the last success in the batch */
  failingSince?: string;
}

function applyAttempt(delta: TargetDelta, record: AttemptRecord): void {
  delta.fields.lastAttemptAt = record.time;
  if (record.status !== undefined) delta.fields.lastStatus = String(record.status);
  if (record.outcome === 'delivered') {
    delta.delivered++;
    delta.fields.lastDeliveryAt = record.time;
    delete delta.fields.lastError;
    delta.clearFailing = true;
    delta.failingSince = undefined;
  } else {
    delta.failingSince ??= record.time;
    delta.fields.lastError = record.reason ?? record.error ?? `HTTP ${record.status}`;
  }
}
const PER_DELIVERY_TTL_S = 7 * 86_400;

/**
 * Redis keys (all under one hash-tagged prefix, e.g. "{sigfire}", so they share a Redis
 * Cluster slot with the queues): `<p>:target:<id>` hash, `<p>:attempts` recent attempts
 * (newest first), `<p>:attempts:<envelopeId>` one delivery's attempts.
 */
export class StatusStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly attemptsKept = 50,
  ) {}

  private targetKey(id: string): string {
    return `${this.prefix}:target:${id}`;
  }

  /**
   * Records attempts. Calls made while a write is being prepared join it: concurrent
   * deliveries share one pipeline (the status writes cost more than the HTTP send
   * otherwise), and each caller resolves only once its records are in Redis.
   * `affectsStatus: false` for Test Connectivity: listed with the attempts, but not counted
   * as deliveries or failures.
   */
  recordAttempts(records: AttemptRecord[], options: { affectsStatus?: boolean } = {}): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const affectsStatus = options.affectsStatus ?? true;
    for (const record of records) this.pending.push({ record, affectsStatus });
    this.flushing ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        const batch = this.pending;
        this.pending = [];
        this.flushing = undefined;
        this.writeBatch(batch).then(resolve, reject);
      });
    });
    return this.flushing;
  }

  private pending: Array<{ record: AttemptRecord; affectsStatus: boolean }> = [];
  private flushing: Promise<void> | undefined;

  private async writeBatch(batch: Array<{ record: AttemptRecord; affectsStatus: boolean }>): Promise<void> {
    const pipeline = this.redis.pipeline();
    const recent = `${this.prefix}:attempts`;
    const targets = new Map<string, TargetDelta>();
    for (const { record, affectsStatus } of batch) {
      const json = JSON.stringify(record);
      const perDelivery = `${this.prefix}:attempts:${record.envelopeId}`;
      pipeline.lpush(perDelivery, json).ltrim(perDelivery, 0, this.attemptsKept - 1).expire(perDelivery, PER_DELIVERY_TTL_S);
      if (!affectsStatus) continue;
      let delta = targets.get(record.targetId);
      if (!delta) targets.set(record.targetId, (delta = { delivered: 0, fields: {}, clearFailing: false }));
      applyAttempt(delta, record);
    }
    pipeline.lpush(recent, ...batch.map(({ record }) => JSON.stringify(record))).ltrim(recent, 0, RECENT_ATTEMPTS_KEPT - 1);
    for (const [targetId, delta] of targets) {
      const key = this.targetKey(targetId);
      if (delta.clearFailing) pipeline.hdel(key, 'failingSince', 'lastError');
      if (delta.failingSince) {
        if (delta.clearFailing) pipeline.hset(key, { failingSince: delta.failingSince });
        else pipeline.hsetnx(key, 'failingSince', delta.failingSince);
      }
      if (delta.delivered) pipeline.hincrby(key, 'delivered', delta.delivered);
      pipeline.hset(key, delta.fields);
    }
    await pipeline.exec();
  }

  /** The dead letters themselves are BullMQ's failed jobs, with their reason; this keeps when. */
  async recordDeadLetter(targetId: string, time = new Date()): Promise<void> {
    await this.redis.hset(this.targetKey(targetId), { lastDeadAt: time.toISOString() });
  }

  /** After its dead letters were re-driven, a target is no longer "failing" for them. */
  async clearDeadLetterMark(targetId: string): Promise<void> {
    await this.redis.hdel(this.targetKey(targetId), 'lastDeadAt');
  }

  async setDisabled(targetId: string, reason: string): Promise<void> {
    await this.redis.hset(this.targetKey(targetId), { disabled: '1', disabledReason: reason, disabledAt: new Date().toISOString() });
  }

  async setEnabled(targetId: string): Promise<void> {
    await this.redis.hdel(this.targetKey(targetId), 'disabled', 'disabledReason', 'disabledAt', 'failingSince');
  }

  async recordTest(targetId: string, result: ConnectivityTestResult): Promise<void> {
    await this.redis.hset(this.targetKey(targetId), { lastTest: JSON.stringify(result) });
  }

  async target(id: string): Promise<TargetRecord> {
    const hash = await this.redis.hgetall(this.targetKey(id));
    const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
    return {
      delivered: number(hash.delivered) ?? 0,
      lastDeliveryAt: hash.lastDeliveryAt,
      lastAttemptAt: hash.lastAttemptAt,
      lastStatus: number(hash.lastStatus),
      lastError: hash.lastError,
      failingSince: hash.failingSince,
      lastDeadAt: hash.lastDeadAt,
      disabled: hash.disabled === '1',
      disabledReason: hash.disabledReason,
      disabledAt: hash.disabledAt,
      lastTest: hash.lastTest ? (JSON.parse(hash.lastTest) as ConnectivityTestResult) : undefined,
    };
  }

  /** Newest first. */
  async recentAttempts(limit = 200, filter: (record: AttemptRecord) => boolean = () => true): Promise<AttemptRecord[]> {
    const out: AttemptRecord[] = [];
    const page = 1000;
    for (let start = 0; out.length < limit; start += page) {
      const rows = await this.redis.lrange(`${this.prefix}:attempts`, start, start + page - 1);
      for (const row of rows) {
        const record = JSON.parse(row) as AttemptRecord;
        if (filter(record)) out.push(record);
        if (out.length >= limit) break;
      }
      if (rows.length < page) break;
    }
    return out;
  }

  async attemptsOf(envelopeId: string): Promise<AttemptRecord[]> {
    return (await this.redis.lrange(`${this.prefix}:attempts:${envelopeId}`, 0, -1)).map((row) => JSON.parse(row) as AttemptRecord);
  }
}
