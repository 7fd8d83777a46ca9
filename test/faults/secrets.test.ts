import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createListener, type RunningListener } from '../../src/listener/index.js';
import { pendingDeliveries } from '../../src/queue/wait-for-deliveries.js';
import { CliProcess, jsonOf, runCli, type CliResult } from '../support/cli.js';
import { startReceiver, type ScriptedReceiver } from '../support/receiver.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { waitUntil } from '../support/wait.js';
import {
  cliEnv,
  keysWithPrefix,
  leakedSecrets,
  makeTempDir,
  readKeyAsText,
  reportFigures,
  requireBuiltCli,
  startCheckingTokenServer,
  writeConfig,
  type CheckingTokenServer,
  type TempDir,
} from './support.js';

/**
 * Every auth type with distinctive secret values from ${ENV}: the receivers get them, and
 * nothing else does. Worker logs (text and --json), CLI output (targets, targets test,
 * deliveries, --failed, replay --deliver) and every Redis key of the run are searched for
 * each secret (raw, URL-encoded and base64).
 */

const SIGNING_KEY = 'SEKRET-signing-key-77aa';
const SIGNING_SECRET = `whsec_${Buffer.from(SIGNING_KEY).toString('base64')}`;
const BASIC_USER = 'fault-user';
const ENV_SECRETS = {
  FAULT_BASIC_PASS: 'SEKRET-basic-pass-8c1f',
  FAULT_API_KEY: 'SEKRET-apikey-value-3d7a',
  FAULT_OAUTH_SECRET: 'SEKRET-oauth-client-secret-91be',
  FAULT_SIGNING_SECRET: SIGNING_SECRET,
  FAULT_QUERY_KEY: 'SEKRET-query-api-key-0c4d',
  FAULT_HEADER_REF: 'SEKRET-header-param-6b31',
  FAULT_DEAD_KEY: 'SEKRET-dead-target-key-e5f2',
};
const ACCESS_TOKEN = 'SEKRET-oauth-access-token-5e20';
/** What must never show up: every secret, the token, the signing key and the Basic credentials as sent. */
const SECRETS = [
  ...Object.values(ENV_SECRETS),
  ACCESS_TOKEN,
  SIGNING_KEY,
  SIGNING_SECRET.slice('whsec_'.length),
  Buffer.from(`${BASIC_USER}:${ENV_SECRETS.FAULT_BASIC_PASS}`).toString('base64'),
];
const CHECK = 'bypass-code-used';
const USERS_PER_BATCH = 4;

let redis: TestRedis;
let dir: TempDir;
let plain: RunningListener;
let signed: RunningListener;
let xdr: RunningListener;
let dead: RunningListener;
let tokens: CheckingTokenServer;
let echo: ScriptedReceiver | undefined;
const workers: CliProcess[] = [];

beforeAll(async () => {
  requireBuiltCli();
  redis = await openTestRedis('faults-secrets');
  dir = await makeTempDir('secrets');
  // Some 500s, so the logs and the store also hold failed attempts and their reasons.
  plain = await createListener({ quiet: true, failRate: 0.3, seed: 7 });
  signed = await createListener({ quiet: true, secret: SIGNING_SECRET });
  xdr = await createListener({ quiet: true, profile: 'xdr', apiKey: ENV_SECRETS.FAULT_QUERY_KEY });
  dead = await createListener({ quiet: true, status: 400 });
  tokens = await startCheckingTokenServer({ clientId: 'fault-client', clientSecret: ENV_SECRETS.FAULT_OAUTH_SECRET, accessToken: ACCESS_TOKEN });
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
  await Promise.all([plain, signed, xdr, dead].map((listener) => listener?.close()));
  await tokens?.close();
  await echo?.close();
  await redis?.close();
  await dir?.remove();
});

/** Bypass-code logins (one finding each) for users `from`..`from + count - 1`. */
async function writeEvents(file: string, from: number, count: number): Promise<string> {
  const lines = Array.from({ length: count }, (_, index) => {
    const n = from + index;
    return JSON.stringify({
      id: `secret-evt-${n}`,
      time: new Date(Date.UTC(2026, 10, 2, 10, n, 0)).toISOString(),
      provider: 'OKTA',
      type: 'mfa',
      user: { login: `secret-user-${n}@acme.example` },
      login: { result: 'SUCCESS', factor: 'bypass_code', ip: '203.0.113.9' },
    });
  });
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

type TargetEntry = { id: string } & Record<string, unknown>;

/** One target per auth type (and a dead one), each secret from ${ENV}. */
function everyAuthType(): TargetEntry[] {
  return [
    { id: 't-none', url: `${plain.url}/none` },
    { id: 't-basic', url: `${plain.url}/basic`, auth: { type: 'basic', username: BASIC_USER, password: '${FAULT_BASIC_PASS}' } },
    { id: 't-apikey', url: `${plain.url}/apikey`, auth: { type: 'apiKey', name: 'X-Api-Key', value: '${FAULT_API_KEY}' } },
    {
      id: 't-oauth',
      url: `${plain.url}/oauth`,
      auth: { type: 'oauthClientCredentials', tokenUrl: tokens.tokenUrl, clientId: 'fault-client', clientSecret: '${FAULT_OAUTH_SECRET}', scope: 'webhooks' },
    },
    { id: 't-signed', url: `${signed.url}/hook`, signingSecret: '${FAULT_SIGNING_SECRET}' },
    {
      id: 't-xdr',
      url: `${xdr.url}/xdr/webhook`,
      parameters: [
        { in: 'query', key: 'api_key', value: '${FAULT_QUERY_KEY}' },
        { in: 'header', key: 'X-Tenant-Ref', value: '${FAULT_HEADER_REF}' },
      ],
    },
    { id: 't-dead', url: `${dead.url}/hook`, auth: { type: 'apiKey', value: '${FAULT_DEAD_KEY}' } },
  ];
}

/** A config sending the check's findings to every one of `targets`. */
function configFor(targets: TargetEntry[]) {
  return {
    redis: { prefix: redis.prefix },
    // Ten quick attempts: the 30%-failing listener cannot exhaust them by bad luck.
    delivery: { concurrency: 4, schedule: [0, '50ms', '100ms', '200ms', '300ms', '400ms', '500ms', '500ms', '500ms', '500ms'] },
    targets,
    wiring: [{ targets: targets.map((target) => target.id), checks: [CHECK] }],
  };
}

/** Everything a process printed, with a name to say where a leak was found. */
interface Output {
  name: string;
  text: string;
}

const outputOf = (name: string, result: CliResult): Output => ({ name, text: `${result.stdout}\n${result.stderr}` });

function expectNoLeaks(outputs: Output[]): void {
  const leaks = outputs.flatMap((output) => leakedSecrets(output.text, SECRETS).map((secret) => `${output.name}: ${secret}`));
  expect(leaks).toEqual([]);
}

async function redisContents(): Promise<Output[]> {
  const keys = await keysWithPrefix(redis.connection, redis.prefix);
  return Promise.all(keys.map(async (key) => ({ name: `redis ${key}`, text: `${key}\n${await readKeyAsText(redis.connection, key)}` })));
}

/** Runs a worker until every queue of `targetIds` is empty, then stops it with SIGTERM. */
async function runWorkerUntilDrained(args: string[], env: NodeJS.ProcessEnv, targetIds: string[]): Promise<Output> {
  const worker = CliProcess.start(args, env);
  workers.push(worker);
  await worker.waitForLine(/worker started|"event":"started"/);
  await waitUntil(async () => (await pendingDeliveries(redis.connection, redis.prefix, targetIds)).pending === 0, 'the worker to drain the queues', 30_000, 100);
  await worker.stop('SIGTERM');
  return { name: `worker ${args.join(' ')}`, text: `${worker.lines.join('\n')}\n${worker.stderr}` };
}

/** Runs CLI commands (with --config) at once; results by name. */
async function runAll(configFile: string, env: NodeJS.ProcessEnv, commands: Record<string, string[]>): Promise<Record<string, CliResult>> {
  const entries = Object.entries(commands);
  const results = await Promise.all(entries.map(([, args]) => runCli([...args, '--config', configFile], env)));
  return Object.fromEntries(entries.map(([name], index) => [name, results[index]!]));
}

describe('secrets stay out of logs, CLI output and Redis', () => {
  it('every auth type: receivers get the secrets; no log line, CLI output or stored value contains one', async () => {
    const config = configFor(everyAuthType());
    const targetIds = config.targets.map((target) => target.id);
    const configFile = await writeConfig(dir.file('sigfire.yaml'), config);
    const env = cliEnv(redis.url, ENV_SECRETS);
    const outputs: Output[] = [];

    // Batch 1: enqueued by replay --deliver, delivered by a worker printing a line per attempt.
    const first = await runCli(['replay', await writeEvents(dir.file('batch-1.ndjson'), 0, USERS_PER_BATCH), '--deliver', '--config', configFile], env);
    expect(first.code, first.stderr).toBe(0);
    outputs.push(outputOf('replay --deliver', first));
    const textWorker = await runWorkerUntilDrained(['worker', '--config', configFile], env, targetIds);
    outputs.push(textWorker);

    // Batch 2: the same with --json everywhere.
    const second = await runCli(['replay', await writeEvents(dir.file('batch-2.ndjson'), USERS_PER_BATCH, USERS_PER_BATCH), '--deliver', '--json', '--config', configFile], env);
    expect(second.code, second.stderr).toBe(0);
    outputs.push(outputOf('replay --deliver --json', second));
    const jsonWorker = await runWorkerUntilDrained(['worker', '--json', '--config', configFile], env, targetIds);
    outputs.push(jsonWorker);

    // The CLI's read side, and Test Connectivity of every target (text and JSON).
    const read = await runAll(configFile, env, {
      targets: ['targets'],
      targetsJson: ['targets', '--json'],
      deliveries: ['deliveries'],
      deliveriesJson: ['deliveries', '--json', '--limit', '500'],
      failed: ['deliveries', '--failed'],
      failedJson: ['deliveries', '--failed', '--json'],
    });
    const tests = await runAll(configFile, env, Object.fromEntries(targetIds.flatMap((id) => [[id, ['targets', 'test', id]], [`${id}-json`, ['targets', 'test', id, '--json']]])));
    for (const [name, result] of [...Object.entries(read), ...Object.entries(tests)]) {
      expect(result.stderr, name).not.toMatch(/^\s+at /m);
      outputs.push(outputOf(name, result));
    }

    // The run did what it should, so the search means something.
    const byId = Object.fromEntries(jsonOf<{ targets: Array<{ id: string; delivered: number; deadLetters: number }> }>(read.targetsJson!).targets.map((target) => [target.id, target]));
    for (const id of targetIds.filter((id) => id !== 't-dead')) expect(byId[id]!.delivered, id).toBe(2 * USERS_PER_BATCH);
    expect(byId['t-dead']!.deadLetters).toBe(2 * USERS_PER_BATCH);
    expect(jsonOf<unknown[]>(read.failedJson!)).toHaveLength(2 * USERS_PER_BATCH);
    expect(textWorker.text).toMatch(/t-oauth/);
    expect(jsonWorker.text).toMatch(/"event":"attempt"/);
    const testOk = (id: string) => jsonOf<{ ok: boolean }>(tests[`${id}-json`]!).ok;
    // (the targets on the 30%-failing listener may pass or fail their test)
    expect({ signed: testOk('t-signed'), xdr: testOk('t-xdr'), dead: testOk('t-dead') }).toEqual({ signed: true, xdr: true, dead: false });

    // ... and the receivers did get the secrets.
    const plainRequests = plain.requests();
    const header = (path: string, name: string) => plainRequests.find((request) => request.path === path)?.headers[name];
    expect(header('/basic', 'authorization')).toBe(`Basic ${Buffer.from(`${BASIC_USER}:${ENV_SECRETS.FAULT_BASIC_PASS}`).toString('base64')}`);
    expect(header('/apikey', 'x-api-key')).toBe(ENV_SECRETS.FAULT_API_KEY);
    expect(header('/oauth', 'authorization')).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(tokens.requests.length).toBeGreaterThan(0);
    expect(tokens.requests.every((request) => request.credentialsOk)).toBe(true);
    expect(signed.stats().rejected).toBe(0);
    expect(xdr.requests().every((request) => request.query.api_key === ENV_SECRETS.FAULT_QUERY_KEY && request.headers['x-tenant-ref'] === ENV_SECRETS.FAULT_HEADER_REF)).toBe(true);
    expect(xdr.stats().rejected).toBe(0);
    expect(dead.requests().every((request) => request.headers['x-api-key'] === ENV_SECRETS.FAULT_DEAD_KEY)).toBe(true);

    // The search finds what it looks for: the receivers' own records are full of secrets.
    const received = JSON.stringify([plain.requests(), xdr.requests(), signed.requests()]);
    expect(leakedSecrets(received, SECRETS).length).toBeGreaterThanOrEqual(5);

    const stored = await redisContents();
    expect(stored.length).toBeGreaterThan(10);
    expectNoLeaks([...outputs, ...stored]);
    reportFigures('secrets', {
      secretsSearched: SECRETS.length,
      outputsSearched: outputs.length,
      redisKeysSearched: stored.length,
      deliveredPerTarget: 2 * USERS_PER_BATCH,
      deadLetters: byId['t-dead']!.deadLetters,
      leaks: 0,
    });
  }, 120_000);

  it('a receiver that echoes the request in its answers: response excerpts, Test Connectivity and the store stay clean', async () => {
    // Some receivers (debug endpoints, some gateways' error pages) answer with the request itself:
    // this one echoes every request, and answers 500 the first time it sees an envelope id.
    const seen = new Set<string>();
    echo = await startReceiver((call) => {
      const firstTime = !seen.has(call.envelopeId ?? '');
      seen.add(call.envelopeId ?? '');
      return { status: firstTime ? 500 : 200, body: JSON.stringify({ youSent: { method: call.method, url: call.rawUrl, headers: call.headers } }) };
    });
    const echoTargets: TargetEntry[] = [
      { id: 'echo-basic', url: `${echo.url}/basic`, auth: { type: 'basic', username: BASIC_USER, password: '${FAULT_BASIC_PASS}' } },
      {
        id: 'echo-key',
        url: `${echo.url}/key`,
        auth: { type: 'apiKey', name: 'X-Api-Key', value: '${FAULT_API_KEY}' },
        parameters: [{ in: 'query', key: 'api_key', value: '${FAULT_QUERY_KEY}' }],
        signingSecret: '${FAULT_SIGNING_SECRET}',
      },
      {
        id: 'echo-oauth',
        url: `${echo.url}/oauth`,
        auth: { type: 'oauthClientCredentials', tokenUrl: tokens.tokenUrl, clientId: 'fault-client', clientSecret: '${FAULT_OAUTH_SECRET}' },
      },
    ];
    const config = configFor(echoTargets);
    const configFile = await writeConfig(dir.file('echo.yaml'), config);
    const env = cliEnv(redis.url, ENV_SECRETS);
    const ids = echoTargets.map((target) => target.id);

    const replay = await runCli(['replay', await writeEvents(dir.file('echo.ndjson'), 100, 2), '--deliver', '--config', configFile], env);
    expect(replay.code, replay.stderr).toBe(0);
    const worker = await runWorkerUntilDrained(['worker', '--json', '--config', configFile], env, ids);
    const read = await runAll(configFile, env, {
      deliveriesJson: ['deliveries', '--json', '--limit', '500'],
      deliveries: ['deliveries'],
      ...Object.fromEntries(ids.flatMap((id) => [[id, ['targets', 'test', id]], [`${id}-json`, ['targets', 'test', id, '--json']]])),
    });

    // The receiver echoed the secrets (so they were there to leak) and every delivery got through.
    expect(leakedSecrets(echo.calls.map((call) => JSON.stringify(call.headers) + call.rawUrl).join('\n'), SECRETS).length).toBeGreaterThanOrEqual(4);
    // (a WebhookTest has a fresh id each time, so this receiver answers every test 500: its echo is printed)
    const deliveredFindings = echo.accepted().filter((call) => call.json?.['detail-type'] === 'FAILED_CHECK');
    expect(new Set(deliveredFindings.map((call) => call.envelopeId)).size).toBe(2 * ids.length);
    const attempts = jsonOf<Array<{ targetId: string; responseExcerpt?: string }>>(read.deliveriesJson!).filter((attempt) => ids.includes(attempt.targetId));
    expect(attempts.filter((attempt) => attempt.responseExcerpt?.includes('youSent')).length).toBeGreaterThan(0);

    const outputs = [outputOf('replay --deliver', replay), worker, ...Object.entries(read).map(([name, result]) => outputOf(name, result))];
    expectNoLeaks([...outputs, ...(await redisContents())]);
  }, 90_000);
});
