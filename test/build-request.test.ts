import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import got from 'got';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/checks/finding.js';
import type { TargetConfig } from '../src/config/schema.js';
import { buildRequest } from '../src/notify/build-request.js';
import { buildFailedCheckEnvelope } from '../src/notify/payload.js';

const SECRET = 'whsec_c2lnZmlyZS10ZXN0LXNpZ25pbmctc2VjcmV0LTAwMDE=';
const nowSeconds = 1_714_557_600;

const target = (overrides: Partial<TargetConfig> = {}): TargetConfig => ({
  id: 'demo-xdr',
  name: 'Demo XDR',
  description: '',
  url: 'http://127.0.0.1:8787/xdr/webhook',
  enabled: true,
  auth: { type: 'none' },
  parameters: [],
  timeout: '5s',
  retry: { schedule: 'fast' },
  ...overrides,
});

const finding: Finding = {
  id: 'f-1',
  checkId: 'mfa-flood',
  checkName: 'MFA Flood',
  severity: 'high',
  category: 'threat',
  description: 'Many failed MFA challenges.',
  recommendedActions: ['Reset the password'],
  mitre: ['T1621'],
  time: '2024-05-01T10:00:00Z',
  user: { login: 'ana@example.com' },
  event: { id: 'e-1', time: '2024-05-01T10:00:00Z', provider: 'DUO', type: 'mfa', user: { login: 'ana@example.com' }, login: { result: 'DENIED', ip: '198.51.100.7' } },
  why: [{ fact: 'windowCount', operator: 'greaterThanInclusive', expected: 5, actual: 6 }],
};
const envelope = buildFailedCheckEnvelope(finding, target(), { source: 's', account: 'a', region: 'r' });

describe('buildRequest', () => {
  it('sends the envelope as JSON with default headers and no auth', () => {
    const request = buildRequest(target(), envelope, { nowSeconds });
    expect(request).toEqual({
      url: 'http://127.0.0.1:8787/xdr/webhook',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'sigfire/0.1' },
      body: JSON.stringify(envelope),
    });
  });

  it('sends basic auth', () => {
    const request = buildRequest(target({ auth: { type: 'basic', username: 'sigfire', password: 'pä:ss' } }), envelope, { nowSeconds });
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('sigfire:pä:ss').toString('base64')}`);
    expect(Buffer.from(request.headers.authorization!.slice(6), 'base64').toString('utf8')).toBe('sigfire:pä:ss');
  });

  it('sends an API key in the named header', () => {
    const request = buildRequest(target({ auth: { type: 'apiKey', name: 'X-Api-Key', value: 'k-123' } }), envelope, { nowSeconds });
    expect(request.headers['x-api-key']).toBe('k-123');
    expect(request.headers.authorization).toBeUndefined();
  });

  it('sends the OAuth access token as a bearer token, and refuses to build without one', () => {
    const oauth = target({ auth: { type: 'oauthClientCredentials', tokenUrl: 'https://idp/token', clientId: 'c', clientSecret: 's' } });
    expect(buildRequest(oauth, envelope, { nowSeconds, oauthToken: 'tok-1' }).headers.authorization).toBe('Bearer tok-1');
    expect(() => buildRequest(oauth, envelope, { nowSeconds })).toThrow('target demo-xdr: an OAuth access token is needed to build the request');
  });

  it('appends query parameters after the URL’s own query, encoded', () => {
    const withQuery = target({
      url: 'https://xdr.example/hook/abc?tenant=a%20b&x=1#frag',
      parameters: [
        { in: 'query', key: 'api_key', value: 'k&=1 2' },
        { in: 'query', key: 'v', value: 2 },
      ],
    });
    const { url } = buildRequest(withQuery, envelope, { nowSeconds });
    expect(url).toBe('https://xdr.example/hook/abc?tenant=a%20b&x=1&api_key=k%26%3D1+2&v=2#frag');
    expect(new URL(url).searchParams.get('api_key')).toBe('k&=1 2');
  });

  it('merges body parameters into the top level of the JSON body', () => {
    const withBody = target({
      parameters: [
        { in: 'body', key: 'tenant', value: 'acme' },
        { in: 'body', key: 'priority', value: 3 },
        { in: 'body', key: 'test', value: false },
      ],
    });
    const body = JSON.parse(buildRequest(withBody, envelope, { nowSeconds }).body) as Record<string, unknown>;
    expect(body).toEqual({ ...envelope, tenant: 'acme', priority: 3, test: false });
  });

  it('sets header parameters, which may override Content-Type and Accept but not auth', () => {
    const withHeaders = target({
      auth: { type: 'apiKey', name: 'X-Api-Key', value: 'from-auth' },
      parameters: [
        { in: 'header', key: 'Content-Type', value: 'application/cloudevents+json' },
        { in: 'header', key: 'Accept', value: '*/*' },
        { in: 'header', key: 'X-Tenant', value: 'acme' },
        { in: 'header', key: 'x-api-key', value: 'from-parameter' },
      ],
    });
    expect(buildRequest(withHeaders, envelope, { nowSeconds }).headers).toEqual({
      'content-type': 'application/cloudevents+json',
      accept: '*/*',
      'user-agent': 'sigfire/0.1',
      'x-tenant': 'acme',
      'x-api-key': 'from-auth',
    });
  });

  it('adds Standard Webhooks headers, verifiable with the standardwebhooks package', () => {
    const request = buildRequest(target({ signingSecret: SECRET, parameters: [{ in: 'body', key: 'tenant', value: 'acme' }] }), envelope, { nowSeconds });
    expect(request.headers['webhook-id']).toBe(envelope.id);
    expect(request.headers['webhook-timestamp']).toBe(String(nowSeconds));
    expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const verifier = new Webhook(SECRET);
    const sign = (payload: string) => verifier.sign(envelope.id, new Date(nowSeconds * 1000), payload);
    expect(request.headers['webhook-signature']).toBe(sign(request.body));
    expect(request.headers['webhook-signature']).not.toBe(sign(JSON.stringify(envelope))); // signed with the body parameter in
  });

  it('builds the same request for every retry of a delivery (same body, same webhook-id)', () => {
    const signed = target({ signingSecret: SECRET });
    const first = buildRequest(signed, envelope, { nowSeconds });
    const retry = buildRequest(signed, buildFailedCheckEnvelope(finding, signed, { source: 's', account: 'a', region: 'r' }), { nowSeconds: nowSeconds + 60 });
    expect(retry.body).toBe(first.body);
    expect(retry.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(retry.headers['webhook-timestamp']).toBe(String(nowSeconds + 60));
  });
});

describe('buildRequest over real HTTP', () => {
  it('arrives as built: query, headers and a body whose signature verifies', async () => {
    const received: Array<{ url: string; headers: IncomingHttpHeaders; body: string }> = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const xdr = target({
        url: `http://127.0.0.1:${port}/xdr/webhook`,
        signingSecret: SECRET,
        parameters: [
          { in: 'query', key: 'api_key', value: 'demo-xdr-key' },
          { in: 'header', key: 'X-Tenant', value: 'acme' },
        ],
      });
      const now = Math.floor(Date.now() / 1000);
      const request = buildRequest(xdr, envelope, { nowSeconds: now });
      const response = await got.post(request.url, { headers: request.headers, body: request.body, retry: { limit: 0 } });
      expect(response.statusCode).toBe(202);

      expect(received).toHaveLength(1);
      const [arrived] = received;
      expect(arrived!.url).toBe('/xdr/webhook?api_key=demo-xdr-key');
      expect(arrived!.headers['x-tenant']).toBe('acme');
      expect(arrived!.headers['content-type']).toBe('application/json');
      expect(arrived!.headers['user-agent']).toBe('sigfire/0.1');
      expect(new Webhook(SECRET).verify(arrived!.body, arrived!.headers as Record<string, string>)).toEqual(envelope);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
