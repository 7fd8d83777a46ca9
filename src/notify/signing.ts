import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com/):
 * the signed content is `${msgId}.${timestamp}.${body}`, signed with HMAC-SHA256 under the
 * base64-decoded secret, and sent as `webhook-signature: v1,<base64>` (several, space-separated,
 * during a key rotation) beside `webhook-id` and `webhook-timestamp` (Unix seconds).
 */

const SECRET_PREFIX = 'whsec_';
const SIGNATURE_VERSION = 'v1';
const DEFAULT_TOLERANCE_SECONDS = 300;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export type WebhookHeaders = Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>;

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** The HMAC key: the base64 part of "whsec_<base64>" (the prefix is optional). */
export function decodeWebhookSecret(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) {
    throw new Error('webhook secret must be "whsec_" followed by base64, e.g. whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
  }
  return Buffer.from(encoded, 'base64');
}

export function signWebhook(secret: string, msgId: string, timestampSeconds: number, body: string): string {
  return `${SIGNATURE_VERSION},${computeSignature(decodeWebhookSecret(secret), msgId, timestampSeconds, body)}`;
}

export function webhookHeaders(secret: string, msgId: string, timestampSeconds: number, body: string): WebhookHeaders {
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signWebhook(secret, msgId, timestampSeconds, body),
  };
}

export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
): VerifyResult {
  const key = decodeWebhookSecret(secret);
  const lowerCased = lowerCaseHeaders(headers);
  const msgId = lowerCased.get('webhook-id');
  const timestampText = lowerCased.get('webhook-timestamp');
  const signatures = lowerCased.get('webhook-signature');
  if (!msgId) return fail('missing webhook-id header');
  if (!timestampText) return fail('missing webhook-timestamp header');
  if (!signatures) return fail('missing webhook-signature header');
  if (!/^\d+$/.test(timestampText)) return fail('invalid webhook-timestamp header (expected Unix seconds)');

  const timestamp = Number(timestampText);
  if (nowSeconds - timestamp > toleranceSeconds) return fail('timestamp too old');
  if (timestamp - nowSeconds > toleranceSeconds) return fail('timestamp too new');

  const expected = Buffer.from(computeSignature(key, msgId, timestamp, body));
  for (const versioned of signatures.split(' ')) {
    const comma = versioned.indexOf(',');
    if (comma < 0 || versioned.slice(0, comma) !== SIGNATURE_VERSION) continue;
    const candidate = Buffer.from(versioned.slice(comma + 1));
    // timingSafeEqual needs equal lengths; the expected length is public (a SHA-256 digest in base64).
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) return { ok: true };
  }
  return fail('no matching signature');
}

export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString('base64');
}

function computeSignature(key: Buffer, msgId: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', key).update(`${msgId}.${timestampSeconds}.${body}`).digest('base64');
}

/** Header names are case-insensitive; a repeated header is joined like HTTP joins it for signatures (space). */
function lowerCaseHeaders(headers: Record<string, string | string[] | undefined>): Map<string, string> {
  const result = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result.set(name.toLowerCase(), Array.isArray(value) ? value.join(' ') : value);
  }
  return result;
}

function fail(reason: string): VerifyResult {
  return { ok: false, reason };
}
