import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request as httpRequest } from 'node:http';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createListener, type ListenerOptions, type RunningListener } from '../src/listener/index.js';
import { RequestLedger } from '../src/listener/ledger.js';
import { webhookHeaders } from '../src/notify/signing.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

function envelope(id: string, detailType = 'FAILED_CHECK', checkId = 'mfa-flood'): string {
  return JSON.stringify({
    version: '0',
    id,
    'detail-type': detailType,
    source: 'sigfire',
    account: 'acct',
    time: '2024-05-01T10:00:00Z',
    region: 'us',
    resources: [],
    detail: { id: `finding-${id}`, checkId, title: 'MFA flood', severity: 'high' },
  });
}

let running: RunningListener[] = [];
async function start(options: ListenerOptions = {}): Promise<RunningListener> {
  const listener = await createListener({ quiet: true, ...options });
  running.push(listener);
  return listener;
}
afterEach(async () => {
  await Promise.all(running.map((listener) => listener.close()));
  running = [];
});

async function post(url: string, body: string, headers: Record<string, string> = JSON_HEADERS) {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, headers: response.headers, json: (await response.json()) as unknown };
}

/** POSTs `count` chunks of `size` spaces with chunked transfer encoding; resolves with the status. */
function postChunked(url: string, count: number, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: JSON_HEADERS }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    let written = 0;
    const writeMore = (): void => {
      while (written < count && !request.destroyed) {
        written += 1;
        if (!request.write(Buffer.alloc(size, 0x20))) return void request.once('drain', writeMore);
      }
      if (!request.destroyed) request.end();
    };
    writeMore();
  });
}

describe('generic profile', () => {
  it('accepts POSTed JSON with 200 {"ok":true} and counts it', async () => {
    const listener = await start();
    const answer = await post(`${listener.url}/hook`, envelope('env-1'), {});
    expect(answer).toMatchObject({ status: 200, json: { ok: true } });
    expect(listener.stats()).toEqual({
      received: 1, accepted: 1, rejected: 0, unique: 1, duplicates: 0,
      byStatus: { '200': 1 }, byDetailType: { FAILED_CHECK: 1 },
    });
    const [request] = listener.requests();
    expect(request).toMatchObject({ method: 'POST', path: '/hook', status: 200, envelopeId: 'env-1', duplicate: false, body: envelope('env-1') });
    expect(request?.json).toEqual(JSON.parse(envelope('env-1')));
  });

  it('answers 400 to a body that is not JSON, or empty', async () => {
    const listener = await start();
    expect(await post(`${listener.url}/hook`, 'not json')).toMatchObject({ status: 400, json: { error: 'body is not valid JSON' } });
    expect(await post(`${listener.url}/hook`, '')).toMatchObject({ status: 400 });
    expect(listener.stats()).toMatchObject({ received: 2, accepted: 0, rejected: 2, byStatus: { '400': 2 } });
  });

  it('answers 405 to other methods, and serves /healthz and /stats without counting them', async () => {
    const listener = await start();
    const put = await fetch(`${listener.url}/hook`, { method: 'PUT', body: '{}' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('POST');
    expect((await fetch(`${listener.url}/healthz`)).status).toBe(200);
    const stats = await (await fetch(`${listener.url}/stats`)).json();
    expect(stats).toEqual(listener.stats());
    expect(stats).toMatchObject({ received: 1, rejected: 1, byStatus: { '405': 1 } });
  });
});

describe('xdr profile', () => {
  const xdr = () => start({ profile: 'xdr', apiKey: 'k-123456' });

  it('accepts JSON with the right api_key: 202 {"status":"accepted"}', async () => {
    const listener = await xdr();
    const answer = await post(`${listener.url}/trigger?api_key=k-123456`, envelope('env-1'), {
      'content-type': 'application/json; charset=utf-8',
      accept: 'application/json',
    });
    expect(answer).toEqual({ status: 202, headers: expect.anything(), json: { status: 'accepted' } });
  });

  it('answers 401 without api_key and 403 with a wrong one', async () => {
    const listener = await xdr();
    expect(await post(`${listener.url}/trigger`, envelope('a'))).toMatchObject({ status: 401, json: { error: 'missing api_key' } });
    expect(await post(`${listener.url}/trigger?api_key=`, envelope('a'))).toMatchObject({ status: 401 });
    expect(await post(`${listener.url}/trigger?api_key=nope`, envelope('a'))).toMatchObject({ status: 403, json: { error: 'invalid api_key' } });
  });

  it('takes any non-empty api_key when none is configured', async () => {
    const listener = await start({ profile: 'xdr' });
    expect((await post(`${listener.url}/t?api_key=anything`, envelope('a'))).status).toBe(202);
  });

  it('answers 415 to content types other than application/json', async () => {
    const listener = await xdr();
    const url = `${listener.url}/trigger?api_key=k-123456`;
    expect((await post(url, envelope('a'), { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(url, envelope('a'), { 'content-type': 'application/json; charset=latin1' })).status).toBe(415);
    expect((await post(url, envelope('a'), { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await post(url, envelope('a'), { 'content-type': 'Application/JSON; Charset="UTF-8"' })).status).toBe(202);
  });

  it('answers 406 when Accept excludes JSON, and accepts wildcards', async () => {
    const listener = await xdr();
    const url = `${listener.url}/trigger?api_key=k-123456`;
    expect((await post(url, envelope('a'), { ...JSON_HEADERS, accept: 'text/html' })).status).toBe(406);
    expect((await post(url, envelope('a'), { ...JSON_HEADERS, accept: 'application/json;q=0' })).status).toBe(406);
    expect((await post(url, envelope('b'), { ...JSON_HEADERS, accept: 'text/html, */*;q=0.1' })).status).toBe(202);
    expect((await post(url, envelope('c'), { ...JSON_HEADERS, accept: 'application/*' })).status).toBe(202);
  });

  it('answers 413 to a body over 1 MiB, closes that connection, and keeps serving', async () => {
    const listener = await xdr();
    const url = `${listener.url}/trigger?api_key=k-123456`;
    const atLimit = JSON.stringify({ id: 'big', pad: 'x'.repeat(1024 * 1024 - 21) });
    expect(Buffer.byteLength(atLimit)).toBe(1024 * 1024);
    expect((await post(url, atLimit)).status).toBe(202);

    const overLimit = await fetch(url, { method: 'POST', headers: JSON_HEADERS, body: atLimit + ' ' });
    expect(overLimit.status).toBe(413);
    expect(overLimit.headers.get('connection')).toBe('close');

    // Chunked upload without Content-Length: reading stops once the limit is passed.
    expect(await postChunked(url, 40, 64 * 1024)).toBe(413);

    expect((await post(url, envelope('after'))).status).toBe(202);
    expect(listener.stats().byStatus).toEqual({ '202': 2, '413': 2 });
    expect(listener.requests()[1]?.body).toBe('');
  });

  it('answers 400 to a JSON content type with a body that is not JSON', async () => {
    const listener = await xdr();
    expect(await post(`${listener.url}/t?api_key=k-123456`, '{"id":')).toMatchObject({ status: 400 });
  });
});

describe('fault injection', () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  afterAll(() => agent.destroy());

  /** Sequential POSTs over one kept-alive socket (node:http is much faster than fetch for 1000s of them). */
  async function statusSequence(listener: RunningListener, count: number): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) statuses.push(await postStatus(`${listener.url}/h`, envelope(`e${i}`)));
    return statuses;
  }

  function postStatus(url: string, body: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const headers = { ...JSON_HEADERS, 'content-length': String(Buffer.byteLength(body)) };
      const request = httpRequest(url, { method: 'POST', agent, headers }, (response) => {
        response.resume().on('end', () => resolve(response.statusCode ?? 0));
      });
      request.on('error', reject).end(body);
    });
  }

  it('answers about failRate of requests with 500, the same ones for the same seed', async () => {
    const first = await start({ failRate: 0.3 });
    const second = await start({ failRate: 0.3 });
    const otherSeed = await start({ failRate: 0.3, seed: 42 });
    const [a, b, c] = await Promise.all([statusSequence(first, 1000), statusSequence(second, 1000), statusSequence(otherSeed, 1000)]);
    const failures = a.filter((status) => status === 500).length;
    expect(failures).toBeGreaterThanOrEqual(250);
    expect(failures).toBeLessThanOrEqual(350);
    expect(new Set(a)).toEqual(new Set([200, 500]));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(first.stats()).toMatchObject({ received: 1000, rejected: failures, accepted: 1000 - failures, unique: 1000 - failures });

    first.reset();
    expect(first.stats().received).toBe(0);
    expect(await statusSequence(first, 50)).toEqual(a.slice(0, 50));
  }, 30_000);

  it('answers 500 to every request at failRate 1 and to none at 0', async () => {
    const listener = await start({ failRate: 1 });
    expect(await statusSequence(listener, 20)).toEqual(Array(20).fill(500));
    listener.setBehaviour({ failRate: 0 });
    expect(await statusSequence(listener, 20)).toEqual(Array(20).fill(200));
  });

  it('waits latencyMs before answering, and stops when latency is turned off', async () => {
    const listener = await start({ latencyMs: 400 });
    let startedAt = performance.now();
    expect((await post(`${listener.url}/h`, envelope('a'))).status).toBe(200);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(395);

    listener.setBehaviour({ latencyMs: undefined });
    startedAt = performance.now();
    await post(`${listener.url}/h`, envelope('b'));
    expect(performance.now() - startedAt).toBeLessThan(300);
  });

  it('answers slow requests concurrently', async () => {
    const listener = await start({ latencyMs: 200 });
    const startedAt = performance.now();
    await Promise.all(Array.from({ length: 10 }, (_, i) => post(`${listener.url}/h`, envelope(`c${i}`))));
    expect(performance.now() - startedAt).toBeLessThan(1000);
    expect(listener.stats().accepted).toBe(10);
  });

  it('forces a status, with Retry-After on 429 and 503 only, until turned off', async () => {
    const listener = await start({ profile: 'xdr', status: 429, retryAfterSeconds: 7 });
    const url = `${listener.url}/t?api_key=k`;
    const limited = await post(url, envelope('a'));
    expect(limited).toMatchObject({ status: 429, json: { error: 'forced status 429' } });
    expect(limited.headers.get('retry-after')).toBe('7');

    // A forced status comes before the profile's own checks (here: the missing api_key).
    expect((await post(`${listener.url}/t`, envelope('a'))).status).toBe(429);

    listener.setBehaviour({ status: 503 });
    expect((await post(url, envelope('a'))).headers.get('retry-after')).toBe('7');

    listener.setBehaviour({ status: 410 });
    const gone = await post(url, envelope('a'));
    expect(gone.status).toBe(410);
    expect(gone.headers.get('retry-after')).toBeNull();

    listener.setBehaviour({ status: undefined });
    expect((await post(url, envelope('a'))).status).toBe(202);
    expect(listener.stats()).toMatchObject({ received: 5, accepted: 1, rejected: 4, byStatus: { '429': 2, '503': 1, '410': 1, '202': 1 } });
  });

  it('rejects bad fault settings with a clear message', async () => {
    await expect(createListener({ failRate: 1.5 })).rejects.toThrow('fail rate must be a number from 0 to 1 (got 1.5)');
    await expect(createListener({ status: 99 })).rejects.toThrow(/status must be an HTTP status code/);
    const listener = await start();
    expect(() => listener.setBehaviour({ failRate: -0.1 })).toThrow(/fail rate/);
    expect(() => listener.setBehaviour({ latencyMs: -1 })).toThrow(/latency/);
  });
});

describe('signature verification', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  it('accepts a good Standard Webhooks signature and answers 401 with the reason otherwise', async () => {
    const listener = await start({ secret });
    const body = envelope('signed');
    const good = webhookHeaders(secret, 'signed', nowSeconds(), body);
    expect((await post(`${listener.url}/h`, body, { ...JSON_HEADERS, ...good })).status).toBe(200);

    const tampered = await post(`${listener.url}/h`, body.replace('high', 'low'), { ...JSON_HEADERS, ...good });
    expect(tampered).toMatchObject({ status: 401, json: { error: 'bad signature: no matching signature' } });

    const wrongKey = webhookHeaders('whsec_' + Buffer.alloc(24, 7).toString('base64'), 'signed', nowSeconds(), body);
    expect((await post(`${listener.url}/h`, body, { ...JSON_HEADERS, ...wrongKey })).status).toBe(401);

    const expired = webhookHeaders(secret, 'signed', nowSeconds() - 600, body);
    expect(await post(`${listener.url}/h`, body, { ...JSON_HEADERS, ...expired })).toMatchObject({
      status: 401,
      json: { error: 'bad signature: timestamp too old' },
    });

    expect(await post(`${listener.url}/h`, body)).toMatchObject({ status: 401, json: { error: 'bad signature: missing webhook-id header' } });
  });

  it('refuses to start with a secret that is not base64', async () => {
    await expect(createListener({ secret: 'whsec_???' })).rejects.toThrow(/base64/);
  });
});

describe('duplicates', () => {
  it('counts an envelope id accepted before as a duplicate, but not a retry after a failure', async () => {
    const listener = await start({ status: 500 });
    expect((await post(`${listener.url}/h`, envelope('x'))).status).toBe(500);
    listener.setBehaviour({ status: undefined });
    await post(`${listener.url}/h`, envelope('x'));
    await post(`${listener.url}/h`, envelope('x'));
    await post(`${listener.url}/h`, envelope('y', 'WebhookTest'));
    await post(`${listener.url}/h`, envelope('x'));
    expect(listener.stats()).toEqual({
      received: 5, accepted: 4, rejected: 1, unique: 2, duplicates: 2,
      byStatus: { '500': 1, '200': 4 }, byDetailType: { FAILED_CHECK: 4, WebhookTest: 1 },
    });
    expect(listener.requests().map((request) => request.duplicate)).toEqual([false, false, true, false, true]);
    expect(listener.envelopeIds()).toEqual(new Set(['x', 'y']));

    listener.reset();
    expect(listener.stats()).toMatchObject({ received: 0, unique: 0, duplicates: 0, byStatus: {} });
    expect(listener.requests()).toEqual([]);
    expect(listener.envelopeIds().size).toBe(0);
  });
});

describe('request log and record file', () => {
  it('writes one compact line per request', async () => {
    const lines: string[] = [];
    const listener = await start({ quiet: false, log: (line) => lines.push(line), profile: 'xdr' });
    await post(`${listener.url}/trigger?api_key=secret-key`, envelope('3f2a9c1d-aaaa-bbbb'));
    await post(`${listener.url}/trigger?api_key=secret-key`, envelope('3f2a9c1d-aaaa-bbbb'));
    await post(`${listener.url}/trigger`, envelope('z'));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} POST \/trigger 202 FAILED_CHECK mfa-flood 3f2a9c1d$/);
    expect(lines[1]).toMatch(/ 202 FAILED_CHECK mfa-flood 3f2a9c1d dup$/);
    expect(lines[2]).toMatch(/ POST \/trigger 401 FAILED_CHECK mfa-flood z \(missing api_key\)$/);
    expect(lines.join('\n')).not.toContain('secret-key');
  });

  it('writes nothing per request when quiet', async () => {
    const lines: string[] = [];
    const listener = await start({ quiet: true, log: (line) => lines.push(line) });
    await post(`${listener.url}/h`, envelope('a'));
    expect(lines).toEqual([]);
  });

  it('appends one NDJSON line per request with secrets masked, flushed on close', async () => {
    const recordFile = join(await mkdtemp(join(tmpdir(), 'listener-')), 'requests.ndjson');
    const listener = await start({ profile: 'xdr', recordFile });
    const body = envelope('env-rec');
    await post(`${listener.url}/trigger?api_key=abcdefgh1234&team=blue`, body, { ...JSON_HEADERS, authorization: 'Bearer tok-5678wxyz' });
    await post(`${listener.url}/trigger?api_key=abcdefgh1234`, body, { ...JSON_HEADERS, 'x-api-key': 'xk-9999' });
    await post(`${listener.url}/trigger`, 'nope', { 'content-type': 'text/plain' });
    await listener.close();

    const text = await readFile(recordFile, 'utf8');
    expect(text).not.toContain('abcdefgh1234');
    expect(text).not.toContain('tok-5678wxyz');
    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      method: 'POST',
      path: '/trigger',
      query: { api_key: '****1234', team: 'blue' },
      headers: { authorization: 'Bearer ****wxyz', 'content-type': 'application/json' },
      status: 202,
      envelopeId: 'env-rec',
      detailType: 'FAILED_CHECK',
      bytes: Buffer.byteLength(body),
      duplicate: false,
    });
    expect(typeof lines[0]?.time).toBe('string');
    expect(lines[1]).toMatchObject({ headers: { 'x-api-key': '****9999' }, duplicate: true });
    expect(lines[2]).toMatchObject({ status: 401, reason: 'missing api_key', bytes: 4, duplicate: false });
    expect(lines[2]).not.toHaveProperty('envelopeId');

    // In memory the request is kept as received, for tests that check what a sender sent.
    expect(listener.requests()[0]?.query.api_key).toBe('abcdefgh1234');
  });
});

describe('RequestLedger', () => {
  it('keeps only the last 10,000 requests, oldest first', () => {
    const ledger = new RequestLedger();
    for (let i = 0; i < 10_005; i++) {
      ledger.record({ time: '', method: 'POST', path: `/${i}`, query: {}, headers: {}, body: '', status: 200, envelopeId: String(i) });
    }
    const kept = ledger.requests();
    expect(kept).toHaveLength(10_000);
    expect(kept[0]?.path).toBe('/5');
    expect(kept.at(-1)?.path).toBe('/10004');
    expect(ledger.stats()).toMatchObject({ received: 10_005, unique: 10_005 });
  });
});

describe('createListener', () => {
  it('reports a port in use clearly', async () => {
    const listener = await start();
    await expect(createListener({ port: listener.port, quiet: true })).rejects.toThrow(
      `cannot listen on 127.0.0.1:${listener.port}: address already in use`,
    );
  });

  it('closes idempotently, ending requests still waiting on latency', async () => {
    const listener = await createListener({ quiet: true, latencyMs: 10_000 });
    const pending = fetch(`${listener.url}/h`, { method: 'POST', body: '{}' }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const startedAt = performance.now();
    await Promise.all([listener.close(), listener.close()]);
    expect(performance.now() - startedAt).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
