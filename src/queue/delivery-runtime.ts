import type { Redis } from 'ioredis';
import { loadCatalog } from '../checks/catalog.js';
import type { Check } from '../checks/check-schema.js';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import { resolveWiring, type Wiring } from '../notify/wiring.js';
import { StatusStore } from '../status/status-store.js';
import { createRedisClient, waitForRedis } from './redis-client.js';
import { resolveRedis, type RedisEndpoint } from './redis-server.js';

/** Everything the delivery commands share: config, catalog wiring, Redis and the status store. */
export interface DeliveryRuntime {
  loaded: LoadedConfig;
  checks: Check[];
  wiring: Wiring;
  redis: RedisEndpoint;
  connection: Redis;
  prefix: string;
  status: StatusStore;
  close(): Promise<void>;
}

export async function openDeliveryRuntime(configFile: string, options: { startRedisIfMissing?: boolean } = {}): Promise<DeliveryRuntime> {
  const loaded = await loadConfig(configFile);
  const catalog = await loadCatalog(loaded.rulesDir);
  const wiring = resolveWiring(loaded.config, catalog.checks);
  const redis = await resolveRedis(loaded.config.redis.url || undefined, options.startRedisIfMissing ?? false);
  const connection = createRedisClient(redis.url);
  try {
    await waitForRedis(connection, redis.url);
  } catch (error) {
    connection.disconnect();
    await redis.stop();
    throw error;
  }
  const prefix = loaded.config.redis.prefix;
  // Its own connection: a pipeline on BullMQ's connection copies BullMQ's 60-odd Lua scripts each time.
  const statusConnection = createRedisClient(redis.url);
  const status = new StatusStore(statusConnection, prefix, loaded.config.delivery.attemptsKept);
  return {
    loaded,
    checks: catalog.checks,
    wiring,
    redis,
    connection,
    prefix,
    status,
    async close() {
      connection.disconnect();
      statusConnection.disconnect();
      await redis.stop();
    },
  };
}
