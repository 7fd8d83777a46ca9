import { Redis } from 'ioredis';

/**
 * ioredis as BullMQ wants it: commands wait (instead of failing) while Redis is away and
 * the client reconnects by itself, so a Redis restart costs time, not jobs.
 */
export function createRedisClient(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
  });
}
