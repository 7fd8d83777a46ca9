import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../../src/queue/redis-client.js';
import { redisAnswers, startRedisServer } from '../../src/queue/redis-server.js';

/** A Redis for one test file: its URL, a client, a key prefix of its own, and how to clean up. */
export interface TestRedis {
  url: string;
  connection: Redis;
  /** e.g. "{sft-delivery-3f9a1c}": every key the file makes starts with it. */
  prefix: string;
  /** Deletes the prefix's keys, disconnects, and stops the server if the file started one. */
  close(): Promise<void>;
}

/** REDIS_URL when set, else 127.0.0.1:6379 if it answers, else a throwaway redis-server on a free port. */
export async function findTestRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => {} };
  if (await redisAnswers('127.0.0.1', 6379)) return { url: 'redis://127.0.0.1:6379', stop: async () => {} };
  const started = await startRedisServer();
  return { url: started.url, stop: () => started.stop() };
}

export function uniquePrefix(file: string): string {
  return `{sft-${file}-${randomBytes(4).toString('hex')}}`;
}

/** SCAN MATCH prefix* + UNLINK: only this file's keys, never FLUSHDB. */
export async function deleteKeysWithPrefix(connection: Redis, prefix: string): Promise<number> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await connection.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await connection.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

export async function openTestRedis(file: string): Promise<TestRedis> {
  const server = await findTestRedis();
  const connection = createRedisClient(server.url);
  const prefix = uniquePrefix(file);
  return {
    url: server.url,
    connection,
    prefix,
    async close() {
      try {
        await deleteKeysWithPrefix(connection, prefix);
      } finally {
        connection.disconnect();
        await server.stop();
      }
    },
  };
}
