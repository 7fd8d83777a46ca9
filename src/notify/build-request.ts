import type { TargetConfig } from '../config/schema.js';
import type { Envelope } from './payload.js';
import { webhookHeaders } from './signing.js';

export const USER_AGENT = 'sigfire/0.1';

export interface BuiltRequest {
  url: string;
  /** lower-case header names */
  headers: Record<string, string>;
  /** the exact bytes to send (and that the signature covers) */
  body: string;
}

export interface RequestContext {
  /** the current access token; required for oauthClientCredentials targets */
  oauthToken?: string;
  /** Unix seconds, for the webhook-timestamp header */
  nowSeconds: number;
}

/**
 * The HTTP request (always a POST) for one delivery attempt. Header precedence, lowest
 * first: defaults (JSON content type, Accept, User-Agent), the target's header parameters,
 * the auth header, the Standard Webhooks headers.
 */
export function buildRequest(target: TargetConfig, envelope: Envelope, context: RequestContext): BuiltRequest {
  const bodyFields: Record<string, string | number | boolean> = {};
  const query = new URLSearchParams();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'user-agent': USER_AGENT,
  };
  for (const parameter of target.parameters) {
    if (parameter.in === 'body') bodyFields[parameter.key] = parameter.value;
    else if (parameter.in === 'query') query.append(parameter.key, String(parameter.value));
    else headers[parameter.key.toLowerCase()] = String(parameter.value);
  }
  Object.assign(headers, authHeaders(target, context.oauthToken));

  const body = JSON.stringify({ ...envelope, ...bodyFields });
  if (target.signingSecret !== undefined) {
    Object.assign(headers, webhookHeaders(target.signingSecret, envelope.id, context.nowSeconds, body));
  }
  return { url: appendQuery(target.url, query), headers, body };
}

function authHeaders(target: TargetConfig, oauthToken: string | undefined): Record<string, string> {
  const auth = target.auth;
  switch (auth.type) {
    case 'none':
      return {};
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}` };
    case 'apiKey':
      return { [auth.name.toLowerCase()]: auth.value };
    case 'oauthClientCredentials':
      if (oauthToken === undefined) throw new Error(`target ${target.id}: an OAuth access token is needed to build the request`);
      return { authorization: `Bearer ${oauthToken}` };
  }
}

/** Adds parameters after the URL's own query, leaving the existing query's encoding as written. */
function appendQuery(url: string, extra: URLSearchParams): string {
  const added = extra.toString();
  if (added === '') return url;
  const parsed = new URL(url);
  parsed.search = parsed.search === '' || parsed.search === '?' ? `?${added}` : `${parsed.search}&${added}`;
  return parsed.toString();
}
