import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../src/queue/redis-client.js';
import { resolveRedis, type RedisEndpoint } from '../src/queue/redis-server.js';
import { progress } from './progress.js';

/**
 * Redis for the bench: REDIS_URL, else 127.0.0.1:6379 if it answers, else a throwaway
 * redis-server. Every key goes under a fresh hash-tagged prefix and is unlinked at the end;
 * nothing else in the database is touched (no FLUSHDB).
 */
export class BenchRedis {
  private constructor(
    readonly endpoint: RedisEndpoint,
    readonly connection: Redis,
    readonly prefix: string,
  ) {}

  static async open(): Promise<BenchRedis> {
    const endpoint = await resolveRedis(undefined, true);
    const prefix = `{bench-${randomBytes(4).toString('hex')}}`;
    progress(`Redis ${endpoint.url} (${endpoint.origin}), key prefix ${prefix}`);
    return new BenchRedis(endpoint, createRedisClient(endpoint.url), prefix);
  }

  /** SCAN + UNLINK of every key under the prefix; returns how many were removed. */
  async removeKeys(): Promise<number> {
    let removed = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.connection.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) removed += await this.connection.unlink(...keys);
    } while (cursor !== '0');
    return removed;
  }

  async close(): Promise<void> {
    try {
      const removed = await this.removeKeys();
      progress(`Redis: removed ${removed.toLocaleString('en-US')} bench keys`);
    } finally {
      this.connection.disconnect();
      await this.endpoint.stop();
    }
  }
}
