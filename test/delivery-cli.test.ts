import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createListener, type RunningListener } from '../src/listener/index.js';
import { envelopeId } from '../src/notify/payload.js';
import { buildCli, CliProcess, jsonOf, killRunningCliProcesses, REPO_ROOT, runCli } from './support/cli.js';
import { openTestRedis, type TestRedis } from './support/redis.js';
import { waitUntil } from './support/wait.js';

/**
 * `sigfire` end to end: the compiled CLI (listen, worker, replay --deliver, targets,
 * deliveries) as separate processes on one real Redis, receivers on loopback.
 */

const CHECK = 'bypass-code-used';
/** Each test spawns several CLI processes (a second or more each on a busy machine). */
const CLI_TEST_TIMEOUT_MS = 150_000;
const SIGNING_SECRET = 'whsec_c2Z0LWNsaS1zaWduaW5nLXNlY3JldC12YWx1ZS0wMQ==';
const SECRETS = ['UNWIRED-basic-password-5678', 'UNWIRED-query-key-value-1234', 'UNWIRED-header-token-9012', SIGNING_SECRET, SIGNING_SECRET.slice(6)];

let redis: TestRedis;
let dir: string;
let env: NodeJS.ProcessEnv;
const listeners: RunningListener[] = [];

beforeAll(async () => {
  const [build, opened] = await Promise.all([buildCli(), openTestRedis('delivery-cli')]);
  redis = opened;
  if (!existsSync(join(REPO_ROOT, 'dist/src/cli/main.js'))) throw new Error(`npm run build produced no CLI:\n${build.stdout}\n${build.stderr}`);
  dir = await mkdtemp(join(tmpdir(), 'sigfire-cli-'));
  env = { ...process.env, REDIS_URL: redis.url, NO_COLOR: '1' };
}, 180_000);

afterAll(async () => {
  await killRunningCliProcesses();
  await Promise.all(listeners.map((l) => l.close()));
  await redis?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function start(args: string[]): CliProcess {
  return CliProcess.start(args, env);
}
async function listener(options: Parameters<typeof createListener>[0]): Promise<RunningListener> {
  const started = await createListener({ quiet: true, ...options });
  listeners.push(started);
  return started;
}

/** `count` MFA events, each a bypass-code success of its own user: one Bypass Code Used finding each. */
async function writeEvents(tag: string, count: number): Promise<string> {
  const file = join(dir, `${tag}.ndjson`);
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      id: `${tag}-event-${i}`,
      time: new Date(Date.UTC(2026, 10, 2, 11, 0, 0) + i * 1000).toISOString(),
      provider: 'OKTA',
      type: 'mfa',
      user: { login: `${tag}-user-${i}@acme.example`, status: 'ACTIVE', mfaEnabled: true },
      login: { result: 'SUCCESS', factor: 'bypass_code', ip: '198.51.100.10' },
    }),
  );
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

/** A config file: the given targets (YAML lines); those in `wiredIds` are wired to Bypass Code Used, the rest to nothing. */
async function writeConfig(name: string, targets: string[], wiredIds: string[], concurrency = 8): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    [
      `rules: ${JSON.stringify(join(REPO_ROOT, 'rules'))}`,
      'redis:',
      `  prefix: ${JSON.stringify(redis.prefix)}`,
      'delivery:',
      `  concurrency: ${concurrency}`,
      '  schedule: fast',
      'targets:',
      ...targets,
      'wiring:',
      `  - { targets: [${wiredIds.join(', ')}], checks: [${CHECK}] }`,
    ].join('\n'),
  );
  return file;
}

/** The envelope ids `replay --json` findings lead to for one target. */
function expectedEnvelopeIds(replayStdout: string, targetId: string): string[] {
  return replayStdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { id?: string; checkId?: string })
    .filter((finding) => finding.checkId === CHECK && finding.id)
    .map((finding) => envelopeId(finding.id!, targetId))
    .sort();
}

function summaryOf(replayStdout: string): { findings: number; delivery: { enqueued: number; duplicates: number; pending: number; deadLetters: number; timedOut: boolean } } {
  return JSON.parse(replayStdout.trim().split('\n').at(-1)!);
}

describe('sigfire CLI delivery', () => {
  it.concurrent('listen + worker + replay --deliver --wait: every envelope arrives; targets shows no-checks and masks secrets', async () => {
    const listen = start(['listen', '--port', '0', '--quiet', '--record', join(dir, 'received.ndjson')]);
    const [, url] = await listen.waitForLine(/^listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const config = await writeConfig(
      'e2e',
      [
        `  - { id: hook, url: "${url}/hook" }`,
        '  - id: unwired',
        `    url: "http://127.0.0.1:9/unused?api_key=${SECRETS[1]}"`,
        `    auth: { type: basic, username: svc, password: ${SECRETS[0]} }`,
        `    parameters: [{ in: header, key: X-Api-Token, value: ${SECRETS[2]} }]`,
        `    signingSecret: "${SIGNING_SECRET}"`,
      ],
      ['hook'],
    );
    const worker = start(['worker', '--config', config, '--quiet']);
    await worker.waitForLine(/^worker started/);

    const events = await writeEvents('e2e', 20);
    const replay = await runCli(['replay', events, '--rules', join(REPO_ROOT, 'rules'), '--deliver', '--wait', '--wait-timeout', '30s', '--json', '--config', config], env);
    expect(replay.stderr).toBe('');
    expect(replay.code, replay.stderr).toBe(0);
    const expected = expectedEnvelopeIds(replay.stdout, 'hook');
    expect(expected).toHaveLength(20);
    expect(summaryOf(replay.stdout).delivery).toMatchObject({ enqueued: 20, duplicates: 0, pending: 0, deadLetters: 0, timedOut: false });

    // The listener's record file: one line per request it answered.
    const received = async () =>
      (await readFile(join(dir, 'received.ndjson'), 'utf8').catch(() => ''))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { envelopeId: string; status: number; detailType: string });
    await waitUntil(async () => (await received()).length >= 20, 'the record file to list 20 requests', 5000);
    const accepted = (await received()).filter((r) => r.status === 200 && r.detailType === 'FAILED_CHECK');
    expect([...new Set(accepted.map((r) => r.envelopeId))].sort()).toEqual(expected);

    const targets = await runCli(['targets', '--json', '--config', config], env);
    expect(targets.code, targets.stderr).toBe(0);
    const overview = jsonOf(targets) as { targets: Array<{ id: string; state: string; delivered: number; wiredChecks: number }> };
    expect(overview.targets.find((t) => t.id === 'hook')).toMatchObject({ state: 'ok', delivered: 20, wiredChecks: 1 });
    expect(overview.targets.find((t) => t.id === 'unwired')).toMatchObject({ state: 'no-checks', wiredChecks: 0 });
    const table = await runCli(['targets', '--config', config], env);
    expect(table.stdout).toContain('no checks configured');
    for (const secret of SECRETS) {
      expect(targets.stdout).not.toContain(secret);
      expect(table.stdout).not.toContain(secret);
    }

    const testOk = await runCli(['targets', 'test', 'hook', '--json', '--config', config], env);
    expect(testOk.code, testOk.stderr).toBe(0);
    expect(jsonOf(testOk)).toMatchObject({ target: 'hook', ok: true, status: 200 });
    const testRefused = await runCli(['targets', 'test', 'unwired', '--json', '--config', config], env);
    expect(testRefused.code, testRefused.stderr).toBe(1);
    expect(jsonOf(testRefused)).toMatchObject({ target: 'unwired', ok: false });
    for (const secret of SECRETS) expect(testRefused.stdout + testRefused.stderr).not.toContain(secret);

    const stopped = await worker.stop('SIGTERM');
    expect(stopped.code, worker.stderr).toBe(0);
    await listen.stop('SIGTERM');
  }, CLI_TEST_TIMEOUT_MS);

  it.concurrent('SIGTERM mid-run, then a new worker: every envelope arrives at least once', async () => {
    const slow = await listener({ latencyMs: 200 });
    const config = await writeConfig('sigterm', [`  - { id: slow, url: "${slow.url}/hook" }`], ['slow'], 4);
    const events = await writeEvents('sigterm', 200);
    const replay = await runCli(['replay', events, '--rules', join(REPO_ROOT, 'rules'), '--deliver', '--json', '--config', config], env);
    expect(replay.code, replay.stderr).toBe(0);
    const expected = expectedEnvelopeIds(replay.stdout, 'slow');
    expect(expected).toHaveLength(200);
    expect(summaryOf(replay.stdout).delivery.enqueued).toBe(200);

    const first = start(['worker', '--config', config, '--quiet']);
    await first.waitForLine(/^worker started/);
    await waitUntil(() => slow.stats().accepted >= 30, '30 deliveries by the first worker', 30_000);
    const signalled = Date.now();
    const stopped = await first.stop('SIGTERM');
    // Graceful: the deliveries in flight (at most 4, 200 ms each) finish, then it exits 0.
    expect(stopped).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(8000);
    expect(first.lines.at(-1)).toBe('worker stopped');
    const byFirst = slow.stats().accepted;
    expect(byFirst).toBeLessThan(200);

    const second = start(['worker', '--config', config, '--quiet']);
    await second.waitForLine(/^worker started/);
    await waitUntil(() => expected.every((id) => slow.envelopeIds().has(id)), 'all 200 envelope ids', 45_000, 100);
    expect([...slow.envelopeIds()].sort()).toEqual(expected);
    expect((await second.stop('SIGTERM')).code).toBe(0);
  }, CLI_TEST_TIMEOUT_MS);

  it.concurrent('deliveries --failed lists a dead letter with its reason; retry --failed re-drives it once the receiver is fixed', async () => {
    const picky = await listener({ status: 400 });
    const config = await writeConfig('dead', [`  - { id: picky, url: "${picky.url}/hook" }`], ['picky']);
    const worker = start(['worker', '--config', config, '--quiet']);
    await worker.waitForLine(/^worker started/);

    const events = await writeEvents('dead', 3);
    const replay = await runCli(['replay', events, '--rules', join(REPO_ROOT, 'rules'), '--deliver', '--wait', '--wait-timeout', '30s', '--json', '--config', config], env);
    expect(replay.code, replay.stderr).toBe(1); // dead letters make the run fail
    const expected = expectedEnvelopeIds(replay.stdout, 'picky');
    expect(summaryOf(replay.stdout).delivery).toMatchObject({ enqueued: 3, deadLetters: 3, timedOut: false });
    expect(picky.requests()).toHaveLength(3);

    const failed = await runCli(['deliveries', '--failed', '--json', '--config', config], env);
    expect(failed.code, failed.stderr).toBe(0);
    const dead = jsonOf(failed) as Array<{ targetId: string; envelopeId: string; checkId: string; attempts: number; reason: string }>;
    expect(dead.map((d) => d.envelopeId).sort()).toEqual(expected);
    for (const letter of dead) {
      expect(letter).toMatchObject({ targetId: 'picky', checkId: CHECK, attempts: 1 });
      expect(letter.reason).toContain('400');
    }

    picky.setBehaviour({ status: undefined });
    const retry = await runCli(['deliveries', 'retry', '--failed', '--json', '--config', config], env);
    expect(retry.code, retry.stderr).toBe(0);
    expect(jsonOf(retry)).toEqual({ retried: 3, byTarget: { picky: 3 } });
    await waitUntil(() => expected.every((id) => picky.envelopeIds().has(id)), 'the re-driven deliveries', 10_000);

    const after = await runCli(['deliveries', '--failed', '--json', '--config', config], env);
    expect(jsonOf(after)).toEqual([]);
    expect((await worker.stop('SIGTERM')).code).toBe(0);
  }, CLI_TEST_TIMEOUT_MS);
});
