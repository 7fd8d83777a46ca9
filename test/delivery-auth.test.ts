import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TargetConfig } from '../src/config/schema.js';
import { createListener, type RunningListener } from '../src/listener/index.js';
import { testConnectivity } from '../src/notify/test-connectivity.js';
import { openDeliveryRuntime } from '../src/queue/delivery-runtime.js';
import { deriveTargetState, targetOverview } from '../src/status/target-status.js';
import { deliveryRequests, ENVELOPE_SETTINGS } from './support/findings.js';
import { startHarness, type DeliveryHarness } from './support/harness.js';
import { startReceiver, type ReceivedCall, type ScriptedReceiver } from './support/receiver.js';
import { openTestRedis, type TestRedis } from './support/redis.js';
import { CLOSED_PORT_URL, makeTarget } from './support/targets.js';
import { decodeBasic, startTokenServer, type TokenServer } from './support/token-server.js';
import { waitUntil } from './support/wait.js';

/** What receivers see: auth, invocation parameters, signatures; Test Connectivity; no-checks status. */

let redis: TestRedis;
let harnesses: DeliveryHarness[] = [];
let closers: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  redis = await openTestRedis('delivery-auth');
});
afterEach(async () => {
  await Promise.all(closers.map((c) => c.close()));
  await Promise.all(harnesses.map((h) => h.close()));
  closers = [];
  harnesses = [];
});
afterAll(async () => {
  await redis?.close();
});

function harness(targets: TargetConfig[], concurrency = 16): DeliveryHarness {
  const started = startHarness(redis, targets, { concurrency });
  harnesses.push(started);
  return started;
}
async function receiver(...args: Parameters<typeof startReceiver>): Promise<ScriptedReceiver> {
  const started = await startReceiver(...args);
  closers.push(started);
  return started;
}
async function tokenServer(options?: Parameters<typeof startTokenServer>[0]): Promise<TokenServer> {
  const started = await startTokenServer(options);
  closers.push(started);
  return started;
}
async function listener(options: Parameters<typeof createListener>[0] = {}): Promise<RunningListener> {
  const started = await createListener({ quiet: true, ...options });
  closers.push(started);
  return started;
}

const bearer = (call: ReceivedCall) => call.headers.authorization;

describe('auth as the receiver sees it', () => {
  it('none, basic and apiKey', async () => {
    const hook = await receiver();
    const none = makeTarget({ id: 'auth-none', url: `${hook.url}/none` });
    const basic = makeTarget({ id: 'auth-basic', url: `${hook.url}/basic`, auth: { type: 'basic', username: 'svc-sigfire', password: 'p@ss:w0rd/é' } });
    const apiKey = makeTarget({ id: 'auth-apikey', url: `${hook.url}/apikey`, auth: { type: 'apiKey', name: 'X-Custom-Key', value: 'k-9f8e7d6c' } });
    const run = harness([none, basic, apiKey]);
    await run.enqueue([...deliveryRequests(none, 1, 'auth'), ...deliveryRequests(basic, 1, 'auth'), ...deliveryRequests(apiKey, 1, 'auth')]);
    await waitUntil(() => hook.accepted().length === 3, 'three deliveries');

    const byPath = (path: string) => hook.calls.find((call) => call.path === path)!;
    const plain = byPath('/none');
    expect(plain.headers.authorization).toBeUndefined();
    expect(plain.headers['x-custom-key']).toBeUndefined();
    expect(plain.headers['content-type']).toBe('application/json');
    expect(plain.headers.accept).toBe('application/json');

    expect(decodeBasic(byPath('/basic').headers.authorization)).toEqual({ username: 'svc-sigfire', password: 'p@ss:w0rd/é' });
    expect(byPath('/apikey').headers['x-custom-key']).toBe('k-9f8e7d6c');
    expect(byPath('/apikey').headers.authorization).toBeUndefined();
  });

  const oauth = (id: string, url: string, tokenUrl: string): TargetConfig =>
    makeTarget({
      id,
      url,
      auth: {
        type: 'oauthClientCredentials',
        tokenUrl,
        clientId: 'sigfire-client',
        clientSecret: 'cs-Zx81_secret',
        scope: 'alerts.write alerts.read',
        params: { audience: 'https://xdr.example/api' },
      },
    });

  it('oauthClientCredentials: one token fetch for 50 concurrent deliveries, credentials in Basic, Bearer sent', async () => {
    const tokens = await tokenServer({ delayMs: 150 });
    const hook = await receiver((call) => ({ status: bearer(call) === 'Bearer token-1' ? 200 : 401 }));
    const target = oauth('oauth-50', `${hook.url}/hook`, tokens.tokenUrl);
    const run = harness([target], 16);
    await run.enqueue(deliveryRequests(target, 50, 'oauth-50'));
    await waitUntil(() => hook.accepted().length === 50, '50 deliveries');

    expect(tokens.requests).toHaveLength(1);
    const [request] = tokens.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/oauth2/token', basic: { username: 'sigfire-client', password: 'cs-Zx81_secret' } });
    expect(request!.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request!.form).toEqual({ grant_type: 'client_credentials', scope: 'alerts.write alerts.read', audience: 'https://xdr.example/api' });
    expect(hook.calls).toHaveLength(50);
    expect(new Set(hook.calls.map(bearer))).toEqual(new Set(['Bearer token-1']));
    expect(run.workers.tokens.fetches.get(target.id)).toBe(1);
  });

  it('oauthClientCredentials: a 401 refreshes the token once and the same attempt succeeds', async () => {
    const tokens = await tokenServer();
    const hook = await receiver((call) => ({ status: bearer(call) === 'Bearer token-1' ? 401 : 200 }));
    const target = oauth('oauth-401', `${hook.url}/hook`, tokens.tokenUrl);
    const run = harness([target]);
    const [request] = deliveryRequests(target, 1, 'oauth-401');
    await run.enqueue([request!]);
    await run.drained(target.id);

    expect(tokens.requests.map((r) => r.token)).toEqual(['token-1', 'token-2']);
    expect(hook.calls.map((call) => [bearer(call), call.status])).toEqual([
      ['Bearer token-1', 401],
      ['Bearer token-2', 200],
    ]);
    const attempts = (await run.status.attemptsOf(request!.envelope.id)).reverse();
    expect(attempts.map((a) => [a.attempt, a.status, a.outcome])).toEqual([
      [1, 401, 'refresh-auth-and-retry'],
      [1, 200, 'delivered'],
    ]);
    const job = await run.queues.queueFor(target.id).getJob(request!.envelope.id);
    expect(job?.attemptsMade).toBe(1);
  });

  it('oauthClientCredentials: a 401 with the fresh token too is a dead letter after one queue attempt', async () => {
    const tokens = await tokenServer();
    const hook = await receiver(() => ({ status: 401 }));
    const target = oauth('oauth-401-always', `${hook.url}/hook`, tokens.tokenUrl);
    const run = harness([target]);
    await run.enqueue(deliveryRequests(target, 1, 'oauth-401-always'));
    await waitUntil(() => run.deadLetters.length === 1, 'the dead letter');

    expect(tokens.requests).toHaveLength(2);
    expect(hook.calls.map(bearer)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(run.deadLetters[0]!.reason).toContain('401');
    expect(run.deadLetters[0]!.job.attemptsMade).toBe(1);
  });

  it('oauthClientCredentials: when the token is revoked mid-run, concurrent 401s fetch one new token, not one each', async () => {
    const tokens = await tokenServer();
    let revoked = false;
    const hook = await receiver((call, index) => {
      if (index === 10) revoked = true;
      // Staggered answers: the 401s for token-1 arrive spread out, some after token-2 is in hand.
      return { status: revoked && bearer(call) === 'Bearer token-1' ? 401 : 200, delayMs: 5 + (index % 8) * 10 };
    });
    const target = oauth('oauth-rotate', `${hook.url}/hook`, tokens.tokenUrl);
    const run = harness([target], 16);
    await run.enqueue(deliveryRequests(target, 60, 'oauth-rotate'));
    await waitUntil(() => new Set(hook.accepted().map((c) => c.envelopeId)).size === 60, '60 deliveries');

    expect(tokens.requests.map((r) => r.token)).toEqual(['token-1', 'token-2']);
  });
});

describe('invocation parameters', () => {
  it('header, query (appended to the URL\'s own query) and body (top-level keys)', async () => {
    const hook = await receiver();
    const target = makeTarget({
      id: 'params',
      url: `${hook.url}/xdr/webhook?source=sigfire&note=a%20b`,
      parameters: [
        { in: 'header', key: 'X-Tenant', value: 'acme' },
        { in: 'query', key: 'api_key', value: 'k-123' },
        { in: 'body', key: 'tenant', value: 'acme' },
        { in: 'body', key: 'priority', value: 3 },
        { in: 'body', key: 'urgent', value: true },
      ],
    });
    const run = harness([target]);
    const [request] = deliveryRequests(target, 1, 'params');
    await run.enqueue([request!]);
    await waitUntil(() => hook.accepted().length === 1, 'the delivery');

    const [call] = hook.calls;
    expect(call!.rawUrl).toBe('/xdr/webhook?source=sigfire&note=a%20b&api_key=k-123');
    expect(call!.query).toEqual({ source: 'sigfire', note: 'a b', api_key: 'k-123' });
    expect(call!.headers['x-tenant']).toBe('acme');
    expect(call!.json).toEqual({ ...request!.envelope, tenant: 'acme', priority: 3, urgent: true });
  });
});

describe('Standard Webhooks signatures', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  it('verify with the standardwebhooks package over the exact bytes sent, on every attempt', async () => {
    const hook = await receiver((_, index) => ({ status: index === 0 ? 503 : 200 }));
    const target = makeTarget({
      id: 'signed',
      url: `${hook.url}/hook`,
      signingSecret: secret,
      retry: { schedule: [0, '100ms'] },
      parameters: [{ in: 'body', key: 'note', value: 'café ✓' }],
    });
    const run = harness([target]);
    const [request] = deliveryRequests(target, 1, 'signed');
    await run.enqueue([request!]);
    await run.drained(target.id);

    expect(hook.calls.map((c) => c.status)).toEqual([503, 200]);
    for (const call of hook.calls) {
      const headers = call.headers as Record<string, string>;
      expect(headers['webhook-id']).toBe(request!.envelope.id);
      expect(new Webhook(secret).verify(call.body, headers)).toEqual(call.json);
      expect(new Webhook(secret.slice('whsec_'.length)).verify(call.body.toString('utf8'), headers)).toEqual(call.json);
      // The check can fail: one changed byte, or another secret, is refused.
      const tampered = Buffer.from(call.body);
      tampered.writeUInt8(tampered.readUInt8(tampered.length - 2) ^ 1, tampered.length - 2);
      expect(() => new Webhook(secret).verify(tampered, headers)).toThrow();
      expect(() => new Webhook('whsec_c2lnZmlyZS1vdGhlci1zZWNyZXQtMDAwMQ==').verify(call.body, headers)).toThrow();
    }
    expect(hook.calls[1]!.json.note).toBe('café ✓');
  });
});

describe('Test Connectivity', () => {
  it('succeeds on 2xx: the receiver sees a WebhookTest envelope, signed', async () => {
    const secret = 'whsec_c2lnZmlyZS1kZW1vLXNpZ25pbmctc2VjcmV0LTAwMDE=';
    const hook = await listener({ secret });
    const target = makeTarget({ id: 'tc-ok', url: `${hook.url}/hook`, signingSecret: secret });
    const { result, records } = await testConnectivity(target, ENVELOPE_SETTINGS);

    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.error).toBeUndefined();
    const [seen] = hook.requests();
    expect(hook.requests()).toHaveLength(1);
    expect(seen!.status).toBe(200);
    expect((seen!.json as { 'detail-type': string })['detail-type']).toBe('WebhookTest');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ detailType: 'WebhookTest', outcome: 'delivered', targetId: 'tc-ok' });
  });

  it('fails on a 500 (once, no retry) and on a refused connection', async () => {
    const hook = await listener({ status: 500 });
    const failing = await testConnectivity(makeTarget({ id: 'tc-500', url: `${hook.url}/hook` }), ENVELOPE_SETTINGS);
    expect(failing.result).toMatchObject({ ok: false, status: 500 });
    expect(failing.result.error).toContain('500');
    expect(hook.requests()).toHaveLength(1);

    const refused = await testConnectivity(makeTarget({ id: 'tc-refused', url: CLOSED_PORT_URL }), ENVELOPE_SETTINGS);
    expect(refused.result.ok).toBe(false);
    expect(refused.result.status).toBeUndefined();
    expect(refused.result.error).toContain('ECONNREFUSED');
  });
});

describe('target status', () => {
  it('deriveTargetState: disabled wins over no-checks, no-checks over failing', () => {
    const base = { enabledInConfig: true, disabled: false, wiredChecks: 0, now: Date.now() };
    expect(deriveTargetState(base)).toEqual({ state: 'no-checks', reason: 'no checks configured' });
    expect(deriveTargetState({ ...base, failingSince: new Date().toISOString() }).state).toBe('no-checks');
    expect(deriveTargetState({ ...base, disabled: true, disabledReason: 'HTTP 410 Gone' })).toEqual({ state: 'disabled', reason: 'HTTP 410 Gone' });
    expect(deriveTargetState({ ...base, wiredChecks: 2 }).state).toBe('ok');
  });

  it('targetOverview: a target wired to nothing is no-checks; a wired one is ok (config loaded from YAML)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sigfire-auth-'));
    try {
      const file = join(dir, 'sigfire.yaml');
      await writeFile(
        file,
        [
          `rules: ${JSON.stringify(resolve('rules'))}`,
          'redis:',
          `  url: ${JSON.stringify(redis.url)}`,
          `  prefix: ${JSON.stringify(redis.prefix)}`,
          'delivery: { schedule: fast }',
          'targets:',
          '  - { id: wired-hook, url: "http://127.0.0.1:9/wired" }',
          '  - { id: lonely-hook, url: "http://127.0.0.1:9/lonely?api_key=lonely-secret-key-0001" }',
          'wiring:',
          '  - { targets: [wired-hook], checks: [bypass-code-used] }',
        ].join('\n'),
      );
      const runtime = await openDeliveryRuntime(file);
      try {
        const [wired, lonely] = runtime.loaded.config.targets;
        const lonelyView = await targetOverview(runtime, lonely!);
        expect(lonelyView).toMatchObject({ id: 'lonely-hook', state: 'no-checks', stateReason: 'no checks configured', wiredChecks: 0 });
        expect(lonelyView.url).not.toContain('lonely-secret-key-0001');
        expect(await targetOverview(runtime, wired!)).toMatchObject({ id: 'wired-hook', state: 'ok', wiredChecks: 1 });
      } finally {
        await runtime.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
