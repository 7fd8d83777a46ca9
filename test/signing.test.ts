import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from '../src/notify/signing.js';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const msgId = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const now = 1_614_265_330;
const body = '{"test": 2432232314}';

describe('signWebhook', () => {
  it('matches the Standard Webhooks reference vector', () => {
    // The example in the Standard Webhooks spec / reference libraries.
    expect(signWebhook(secret, msgId, now, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('agrees with the standardwebhooks package for several inputs', () => {
    const reference = new Webhook(secret);
    for (const payload of ['', '{}', '{"a":"ü ✓"}', body.repeat(100)]) {
      expect(signWebhook(secret, 'id-1', now, payload)).toBe(reference.sign('id-1', new Date(now * 1000), payload));
    }
  });

  it('treats the whsec_ prefix as optional', () => {
    expect(signWebhook(secret.slice('whsec_'.length), msgId, now, body)).toBe(signWebhook(secret, msgId, now, body));
  });

  it('rejects a secret that is not base64', () => {
    expect(() => signWebhook('whsec_not base64!', msgId, now, body)).toThrow(/base64/);
    expect(() => signWebhook('whsec_', msgId, now, body)).toThrow(/base64/);
  });
});

describe('webhookHeaders', () => {
  it('gives the three Standard Webhooks headers, accepted by the standardwebhooks package', () => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const headers = webhookHeaders(secret, msgId, nowSeconds, body);
    expect(headers['webhook-id']).toBe(msgId);
    expect(headers['webhook-timestamp']).toBe(String(nowSeconds));
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });
});

describe('verifyWebhook', () => {
  const signedBy = (key: string, at = now, id = msgId, payload = body) => ({
    'webhook-id': id,
    'webhook-timestamp': String(at),
    'webhook-signature': new Webhook(key).sign(id, new Date(at * 1000), payload),
  });

  it('accepts headers signed by the standardwebhooks package', () => {
    expect(verifyWebhook(secret, signedBy(secret), body, now)).toEqual({ ok: true });
  });

  it('accepts any matching signature among several (key rotation) and mixed-case header names', () => {
    const other = generateWebhookSecret();
    const headers = {
      'Webhook-Id': msgId,
      'WEBHOOK-TIMESTAMP': String(now),
      'webhook-signature': `v1a,abc ${signedBy(other)['webhook-signature']} ${signedBy(secret)['webhook-signature']}`,
    };
    expect(verifyWebhook(secret, headers, body, now)).toEqual({ ok: true });
  });

  it('rejects a changed body, id or timestamp, and a wrong key', () => {
    const headers = signedBy(secret);
    expect(verifyWebhook(secret, headers, body + ' ', now)).toEqual({ ok: false, reason: 'no matching signature' });
    expect(verifyWebhook(secret, { ...headers, 'webhook-id': 'other' }, body, now)).toEqual({ ok: false, reason: 'no matching signature' });
    expect(verifyWebhook(secret, { ...headers, 'webhook-timestamp': String(now + 1) }, body, now)).toEqual({ ok: false, reason: 'no matching signature' });
    expect(verifyWebhook(generateWebhookSecret(), headers, body, now)).toEqual({ ok: false, reason: 'no matching signature' });
  });

  it('ignores signatures of other versions', () => {
    const v1 = signedBy(secret)['webhook-signature'];
    const headers = { ...signedBy(secret), 'webhook-signature': v1.replace('v1,', 'v2,') };
    expect(verifyWebhook(secret, headers, body, now)).toEqual({ ok: false, reason: 'no matching signature' });
  });

  it('names a missing header', () => {
    const { 'webhook-id': _id, ...withoutId } = signedBy(secret);
    const { 'webhook-timestamp': _ts, ...withoutTimestamp } = signedBy(secret);
    const { 'webhook-signature': _sig, ...withoutSignature } = signedBy(secret);
    expect(verifyWebhook(secret, withoutId, body, now)).toEqual({ ok: false, reason: 'missing webhook-id header' });
    expect(verifyWebhook(secret, withoutTimestamp, body, now)).toEqual({ ok: false, reason: 'missing webhook-timestamp header' });
    expect(verifyWebhook(secret, withoutSignature, body, now)).toEqual({ ok: false, reason: 'missing webhook-signature header' });
  });

  it('enforces the timestamp tolerance (default 300 s) both ways', () => {
    const headers = signedBy(secret);
    expect(verifyWebhook(secret, headers, body, now + 300)).toEqual({ ok: true });
    expect(verifyWebhook(secret, headers, body, now + 301)).toEqual({ ok: false, reason: 'timestamp too old' });
    expect(verifyWebhook(secret, headers, body, now - 301)).toEqual({ ok: false, reason: 'timestamp too new' });
    expect(verifyWebhook(secret, headers, body, now + 3600, 7200)).toEqual({ ok: true });
  });

  it('rejects a timestamp that is not Unix seconds', () => {
    const headers = { ...signedBy(secret), 'webhook-timestamp': '2021-02-25T15:02:10Z' };
    expect(verifyWebhook(secret, headers, body, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/invalid webhook-timestamp/) });
  });

  it('produces signatures the standardwebhooks package verifies, and rejects what it rejects', () => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const reference = new Webhook(secret);
    const good = webhookHeaders(secret, msgId, nowSeconds, body);
    expect(() => reference.verify(body, good)).not.toThrow();
    expect(() => reference.verify(body + 'x', good)).toThrow();
    const old = webhookHeaders(secret, msgId, nowSeconds - 600, body);
    expect(() => reference.verify(body, old)).toThrow(/too old/);
    expect(verifyWebhook(secret, old, body)).toEqual({ ok: false, reason: 'timestamp too old' });
  });
});

describe('generateWebhookSecret', () => {
  it('gives whsec_ + base64 of 24 random bytes, usable by the standardwebhooks package', () => {
    const generated = generateWebhookSecret();
    expect(generated).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(generated.slice(6), 'base64')).toHaveLength(24);
    expect(generateWebhookSecret()).not.toBe(generated);
    const headers = webhookHeaders(generated, 'id', Math.floor(Date.now() / 1000), '{}');
    expect(() => new Webhook(generated).verify('{}', headers)).not.toThrow();
  });
});
