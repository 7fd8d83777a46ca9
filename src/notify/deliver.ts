import type { Got } from 'got';
import type { TargetConfig } from '../config/schema.js';
import { parseDuration } from '../util/duration.js';
import { buildRequest, type BuiltRequest } from './build-request.js';
import { redactSecrets, targetSecretValues } from './mask.js';
import type { Envelope } from './payload.js';
import { classifyAttempt, type AttemptOutcome } from './retry-policy.js';
import type { OAuthTokenCache } from './oauth-token-cache.js';

export const RESPONSE_EXCERPT_BYTES = 1024;

/** One HTTP request to a target, as `sigfire deliveries` shows it. Never holds a secret. */
export interface AttemptRecord {
  time: string;
  targetId: string;
  envelopeId: string;
  detailType: string;
  checkId?: string;
  /** 1-based attempt number of the delivery (the queue's count). */
  attempt: number;
  status?: number;
  durationMs: number;
  error?: string;
  responseExcerpt?: string;
  outcome: AttemptOutcome['kind'];
  reason?: string;
}

export interface DeliveryResult {
  outcome: AttemptOutcome;
  records: AttemptRecord[];
}

export interface DeliverDeps {
  client: Got;
  tokens: OAuthTokenCache;
}

/**
 * Sends one envelope to one target and says what should happen next (delivered, retry,
 * give up). A 401 from an OAuth target refreshes the token and resends once, here.
 */
export async function deliverEnvelope(target: TargetConfig, envelope: Envelope, attempt: number, deps: DeliverDeps): Promise<DeliveryResult> {
  const records: AttemptRecord[] = [];
  let refreshed = false;
  for (;;) {
    const { outcome, record, oauthToken } = await sendOnce(target, envelope, attempt, deps, refreshed);
    records.push(record);
    if (outcome.kind === 'refresh-auth-and-retry' && !refreshed) {
      deps.tokens.invalidate(target.id, oauthToken);
      refreshed = true;
      continue;
    }
    return { outcome, records };
  }
}

async function sendOnce(target: TargetConfig, envelope: Envelope, attempt: number, deps: DeliverDeps, authRefreshedAlready: boolean) {
  const started = performance.now();
  const base = {
    time: new Date().toISOString(),
    targetId: target.id,
    envelopeId: envelope.id,
    detailType: envelope['detail-type'],
    checkId: envelope.detail.checkId,
    attempt,
  };
  let oauthToken: string | undefined;
  try {
    if (target.auth.type === 'oauthClientCredentials') oauthToken = await deps.tokens.token(target.id, target.auth);
  } catch (error) {
    const outcome: AttemptOutcome = { kind: 'retry', reason: redactSecrets(`OAuth token: ${(error as Error).message}`, targetSecretValues(target)) };
    return { outcome, record: { ...base, durationMs: elapsed(started), error: outcome.reason, outcome: outcome.kind, reason: outcome.reason } };
  }

  const request = buildRequest(target, envelope, { oauthToken, nowSeconds: Math.floor(Date.now() / 1000) });
  // A receiver may echo the request (credentials, api_key query) in its answer or its error.
  const secrets = requestSecrets(target, request, oauthToken);
  try {
    const response = await deps.client.post(request.url, {
      body: request.body,
      headers: request.headers,
      timeout: { request: parseDuration(target.timeout) },
    });
    const outcome = classifyAttempt({
      status: response.statusCode,
      retryAfter: headerValue(response.headers['retry-after']),
      authRefreshedAlready: authRefreshedAlready || target.auth.type !== 'oauthClientCredentials',
      now: new Date(),
    });
    return {
      outcome,
      oauthToken,
      record: {
        ...base,
        status: response.statusCode,
        durationMs: elapsed(started),
        responseExcerpt: excerpt(redactSecrets(response.body, secrets)),
        outcome: outcome.kind,
        ...(outcome.kind === 'delivered' ? {} : { reason: outcome.reason }),
      },
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'ERROR';
    const outcome = classifyAttempt({ errorCode: code, authRefreshedAlready: true, now: new Date() });
    const message = redactSecrets(`${code}: ${(error as Error).message}`, secrets);
    return {
      outcome,
      record: { ...base, durationMs: elapsed(started), error: message, outcome: outcome.kind, ...(outcome.kind === 'delivered' ? {} : { reason: outcome.reason }) },
    };
  }
}

/** The secrets this request carries (the target's, the OAuth token, the Authorization credentials as sent), longest first. */
function requestSecrets(target: TargetConfig, request: BuiltRequest, oauthToken: string | undefined): string[] {
  const secrets = new Set(targetSecretValues(target));
  if (oauthToken) secrets.add(oauthToken);
  const credentials = request.headers.authorization?.split(' ').at(-1);
  if (credentials) secrets.add(credentials);
  return [...secrets].sort((a, b) => b.length - a.length);
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 10) / 10;

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function excerpt(body: string): string {
  const buffer = Buffer.from(body);
  return buffer.length <= RESPONSE_EXCERPT_BYTES ? body : `${buffer.subarray(0, RESPONSE_EXCERPT_BYTES).toString()}…`;
}
