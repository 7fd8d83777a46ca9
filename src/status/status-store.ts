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

  /** `affectsStatus: false` for Test Connectivity: listed with the attempts, but not counted as deliveries or failures. */
  async recordAttempts(records: AttemptRecord[], options: { affectsStatus?: boolean } = {}): Promise<void> {
    if (records.length === 0) return;
    const affectsStatus = options.affectsStatus ?? true;
    const pipeline = this.redis.pipeline();
    for (const record of records) {
      const json = JSON.stringify(record);
      const perDelivery = `${this.prefix}:attempts:${record.envelopeId}`;
      pipeline.lpush(`${this.prefix}:attempts`, json);
      pipeline.lpush(perDelivery, json).ltrim(perDelivery, 0, this.attemptsKept - 1).expire(perDelivery, PER_DELIVERY_TTL_S);
      if (!affectsStatus) continue;
      const fields: Record<string, string> = { lastAttemptAt: record.time };
      if (record.status !== undefined) fields.lastStatus = String(record.status);
      pipeline.hset(this.targetKey(record.targetId), fields);
      if (record.outcome === 'delivered') {
        pipeline.hincrby(this.targetKey(record.targetId), 'delivered', 1);
        pipeline.hset(this.targetKey(record.targetId), { lastDeliveryAt: record.time });
        pipeline.hdel(this.targetKey(record.targetId), 'failingSince', 'lastError');
      } else {
        pipeline.hsetnx(this.targetKey(record.targetId), 'failingSince', record.time);
        pipeline.hset(this.targetKey(record.targetId), { lastError: record.reason ?? record.error ?? `HTTP ${record.status}` });
      }
    }
    pipeline.ltrim(`${this.prefix}:attempts`, 0, RECENT_ATTEMPTS_KEPT - 1);
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
