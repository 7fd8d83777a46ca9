import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedisClient } from '../queue/redis-client.js';
import { resolveRedis } from '../queue/redis-server.js';
import { createListener, type RunningListener } from '../listener/index.js';

/**
 * `npm run demo`: the whole pipeline on the shipped defaults. Finds or starts Redis, starts
 * the two built-in listeners the shipped sigfire.yaml points at, runs `sigfire worker`,
 * then `sigfire replay fixtures/events/demo.ndjson --deliver --wait` and the same for the
 * sample Okta, Entra ID and Duo exports, and reports what
 * each listener received. Demo state lives under its own Redis key namespace.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const NAMESPACE = 'sigfire-demo';
const DEMO_SIGNING_SECRET = 'whsec_c2lnZmlyZS1kZW1vLXNpZ25pbmctc2VjcmV0LTAwMDE=';
const XDR_API_KEY = 'demo-xdr-key';

const say = (line: string) => process.stdout.write(`\u001b[1m==> ${line}\u001b[0m\n`.replace(/\u001b\[[0-9;]*m/g, process.stdout.isTTY ? '$&' : ''));

async function clearNamespace(url: string): Promise<void> {
  const redis = createRedisClient(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `{${NAMESPACE}}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: 'inherit' });
  return once(child, 'exit').then(([code]) => (code as number | null) ?? 1);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

async function main(): Promise<number> {
  say('Redis');
  let redis;
  try {
    redis = await resolveRedis(undefined, true);
  } catch (error) {
    process.stderr.write(`sigfire demo: ${(error as Error).message}\n`);
    return 1;
  }
  const origin = { env: 'REDIS_URL', config: 'the config', default: 'already running on 127.0.0.1:6379', started: 'started a throwaway redis-server' }[redis.origin];
  process.stdout.write(`using ${redis.url} (${origin}); demo keys under {${NAMESPACE}}\n`);

  const listeners: RunningListener[] = [];
  let worker: ChildProcess | undefined;
  try {
    await clearNamespace(redis.url);
    say('Listeners (the receiving end)');
    const xdr = await createListener({ port: 0, profile: 'xdr', apiKey: XDR_API_KEY, secret: DEMO_SIGNING_SECRET, quiet: true });
    const siem = await createListener({ port: 0, profile: 'generic', quiet: true });
    listeners.push(xdr, siem);
    process.stdout.write(`XDR-like listener  ${xdr.url}  (api_key + Standard Webhooks signature checked, answers 202)\ngeneric listener   ${siem.url}\n`);

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      REDIS_URL: redis.url,
      SIGFIRE_REDIS_NAMESPACE: NAMESPACE,
      SIGFIRE_LISTENER_PORT: String(xdr.port),
      SIGFIRE_SIEM_PORT: String(siem.port),
      XDR_API_KEY,
      SIGFIRE_WEBHOOK_SECRET: DEMO_SIGNING_SECRET,
    };

    say('Worker: sigfire worker --quiet');
    worker = spawn(process.execPath, [CLI, 'worker', '--quiet'], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });

    say('Replay: sigfire replay fixtures/events/demo.ndjson --deliver --wait');
    const replayCode = await runCli(['replay', 'fixtures/events/demo.ndjson', '--deliver', '--wait', '--wait-timeout', '2m'], env);

    const exports = ['fixtures/exports/okta/system-log.json', 'fixtures/exports/entra/graph-signins.json', 'fixtures/exports/duo/authlogs-api.json'];
    say(`Your own logs: sigfire replay ${exports.join(' ')} --deliver --wait`);
    const exportsCode = await runCli(['replay', ...exports, '--deliver', '--wait', '--wait-timeout', '2m'], env);

    say('Test Connectivity: sigfire targets test demo-xdr');
    const testCode = await runCli(['targets', 'test', 'demo-xdr'], env);

    say('What the listeners received');
    for (const [name, listener] of [['XDR-like (demo-xdr)', xdr], ['generic (demo-siem)', siem]] as const) {
      const stats = listener.stats();
      process.stdout.write(
        `${name.padEnd(20)} received ${stats.received}, unique envelope ids ${stats.unique}, duplicates ${stats.duplicates}, rejected ${stats.rejected}  ${JSON.stringify(stats.byDetailType)}\n`,
      );
    }
    process.stdout.write('\nsoar-staging is wired to no check, so it shows as "no checks configured".\nNext: sigfire --help, README.md\n');
    return replayCode === 0 && exportsCode === 0 && testCode === 0 ? 0 : 1;
  } finally {
    if (worker) await stopChild(worker);
    await Promise.all(listeners.map((listener) => listener.close()));
    if (redis.origin !== 'started') await clearNamespace(redis.url).catch(() => undefined);
    await redis.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`sigfire demo: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
