import { acceptsJson, isJsonContentType } from './content-negotiation.js';
import type { ListenerProfile } from './types.js';

export interface Verdict {
  status: number;
  body: Record<string, unknown>;
  /** Why the request was not accepted (for the log line and the record file). */
  reason?: string;
}

export interface RequestHead {
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
}

export interface ProfileRules {
  /** Checks made on the URL and headers, before the body matters; undefined when they pass. */
  checkHead(head: RequestHead): Verdict | undefined;
  accepted: Verdict;
}

export function reject(status: number, reason: string): Verdict {
  return { status, body: { error: reason }, reason };
}

/** A receiver that takes any POSTed JSON. */
const genericRules = (): ProfileRules => ({
  checkHead: () => undefined,
  accepted: { status: 200, body: { ok: true } },
});

/** Like Cisco XDR's webhook trigger: api_key in the query, JSON in and out, 202 Accepted. */
const xdrRules = (expectedApiKey: string | undefined): ProfileRules => ({
  checkHead({ query, headers }) {
    const apiKey = query.api_key;
    if (!apiKey) return reject(401, 'missing api_key');
    if (expectedApiKey !== undefined && apiKey !== expectedApiKey) return reject(403, 'invalid api_key');
    const contentType = headerValue(headers['content-type']);
    if (!isJsonContentType(contentType)) {
      return reject(415, `unsupported content type ${contentType ?? '(none)'}: send application/json`);
    }
    const accept = headerValue(headers.accept);
    if (accept !== undefined && !acceptsJson(accept)) return reject(406, `accept ${accept} does not allow application/json`);
    return undefined;
  },
  accepted: { status: 202, body: { status: 'accepted' } },
});

export function profileRules(profile: ListenerProfile, apiKey: string | undefined): ProfileRules {
  return profile === 'xdr' ? xdrRules(apiKey) : genericRules();
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
