import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NO_REDIS_HINT =
  'no Redis reachable and no redis-server on the PATH: run `docker compose up -d redis`, or install it (`apt-get install redis-server`, `brew install redis`), or set REDIS_URL';

export interface RedisEndpoint {
  url: string;
  /** How it was found: REDIS_URL, the default local port, or a throwaway server we started. */
  origin: 'env' | 'config' | 'default' | 'started';
  /** Stops the server if we started it; a no-op otherwise. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** True when something answers PING with PONG at host:port within `timeoutMs`. */
export async function redisAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const socket = new Socket();
    const done = (answer: boolean) => {
      socket.destroy();
      resolveAnswer(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

export interface StartedRedis {
  port: number;
  url: string;
  dir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts a throwaway redis-server on loopback (a free port unless given), in its own temp
 * dir, optionally with AOF so it can be stopped and started again without losing data.
 */
export async function startRedisServer(options: { port?: number; appendOnly?: boolean; dir?: string } = {}): Promise<StartedRedis> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'sigfire-redis-')));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--appendonly', options.appendOnly ? 'yes' : 'no', '--logfile', join(dir, 'redis.log')];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const spawnError = new Promise<Error>((resolveError) => child.once('error', resolveError));
  const deadline = Date.now() + 5000;
  for (;;) {
    const failure = await Promise.race([spawnError, new Promise<undefined>((r) => setTimeout(r, 50, undefined))]);
    if (failure) {
      throw new Error((failure as NodeJS.ErrnoException).code === 'ENOENT' ? NO_REDIS_HINT : `cannot start redis-server: ${failure.message}`);
    }
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode} (log: ${join(dir, 'redis.log')})`);
    if (await redisAnswers('127.0.0.1', port, 200)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer on port ${port} within 5 s`);
    }
  }
  const ownsDir = options.dir === undefined;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (ownsDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Where to find Redis: REDIS_URL when set; else the configured url; else 127.0.0.1:6379 if
 * it answers; else a throwaway redis-server on a free port (stopped with `stop()`).
 */
export async function resolveRedis(configuredUrl?: string, startIfMissing = true): Promise<RedisEndpoint> {
  const noop = async () => {};
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, origin: 'env', stop: noop };
  if (configuredUrl) return { url: configuredUrl, origin: 'config', stop: noop };
  if (await redisAnswers('127.0.0.1', 6379)) return { url: 'redis://127.0.0.1:6379', origin: 'default', stop: noop };
  if (!startIfMissing) throw new Error('no Redis answers on 127.0.0.1:6379 and REDIS_URL is not set: start one (`docker compose up -d redis` or `redis-server`) or set REDIS_URL');
  const started = await startRedisServer();
  return { url: started.url, origin: 'started', stop: () => started.stop() };
}
