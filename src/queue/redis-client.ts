import { Redis } from 'ioredis';

/**
 * ioredis as BullMQ wants it: commands wait (instead of failing) while Redis is away and
 * the client reconnects by itself, so a Redis restart costs time, not jobs.
 */
export function createRedisClient(url: string): Redis {
  const client = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
  });
  // Connection errors are retried by the client itself; unhandled, ioredis prints each one.
  client.on('error', () => {});
  return client;
}

/** Resolves once the client is ready; a Redis that does not answer in time is a clear error. */
export async function waitForRedis(client: Redis, url: string, timeoutMs = 5000): Promise<void> {
  if (client.status === 'ready') return;
  let lastError = '';
  const onError = (error: Error) => (lastError = error.message);
  client.on('error', onError);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.off('ready', onReady);
        reject(new Error(`cannot reach Redis at ${redactUrl(url)}${lastError ? ` (${lastError})` : ''}: start it (\`docker compose up -d redis\` or \`redis-server\`) or set REDIS_URL`));
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      client.once('ready', onReady);
    });
  } finally {
    client.off('error', onError);
  }
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:****@');
}
