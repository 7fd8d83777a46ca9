import type { EnvelopeSettings, TargetConfig } from '../config/schema.js';
import type { ConnectivityTestResult } from '../status/status-store.js';
import { deliverEnvelope, type AttemptRecord } from './deliver.js';
import { createTargetClient } from './http-client.js';
import { OAuthTokenCache } from './oauth-token-cache.js';
import { buildWebhookTestEnvelope } from './payload.js';

/**
 * CII's "Test Connectivity": sends a WebhookTest envelope now, through the same request
 * building, auth and signing as real deliveries, once (no retries). Success is any 2xx.
 */
export async function testConnectivity(target: TargetConfig, envelope: EnvelopeSettings): Promise<{ result: ConnectivityTestResult; records: AttemptRecord[] }> {
  const client = createTargetClient(target, 1);
  const test = buildWebhookTestEnvelope(target, envelope, new Date());
  const started = performance.now();
  const { outcome, records } = await deliverEnvelope(target, test, 1, { client, tokens: new OAuthTokenCache(client) });
  const last = records.at(-1)!;
  return {
    result: {
      time: new Date().toISOString(),
      ok: outcome.kind === 'delivered',
      ...(last.status !== undefined ? { status: last.status } : {}),
      latencyMs: Math.round(performance.now() - started),
      ...(outcome.kind === 'delivered' ? {} : { error: last.error ?? outcome.reason }),
      ...(last.responseExcerpt !== undefined ? { responseExcerpt: last.responseExcerpt } : {}),
    },
    records,
  };
}
