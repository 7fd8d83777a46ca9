import type { VerifyResult } from '../notify/signing.js';
import { reject, type ProfileRules, type RequestHead, type Verdict } from './profiles.js';
import type { BodyResult } from './read-body.js';
import type { ListenerBehaviour } from './types.js';

export interface RequestFacts {
  method: string;
  head: RequestHead;
  body: BodyResult;
  /** The body parsed as JSON; undefined when it is not JSON (or too large to read). */
  json: unknown;
  /** This request's draw from the seeded PRNG, in [0, 1). */
  failureDraw: number;
}

export interface DecisionContext {
  behaviour: ListenerBehaviour;
  rules: ProfileRules;
  maxBodyBytes: number;
  verifySignature?: (headers: RequestHead['headers'], body: string) => VerifyResult;
}

/**
 * The answer to one webhook request. Injected faults come first, as on a receiver that is down or
 * rate limiting whatever it is sent; then method, profile rules (URL, headers), size, signature, JSON.
 */
export function decideResponse(facts: RequestFacts, context: DecisionContext): Verdict {
  const { behaviour, rules } = context;
  if (behaviour.status !== undefined) return forcedStatus(behaviour.status, rules);
  if (facts.failureDraw < (behaviour.failRate ?? 0)) return reject(500, 'injected failure');
  if (facts.method !== 'POST') return reject(405, `method ${facts.method} not allowed: send POST`);

  const headVerdict = rules.checkHead(facts.head);
  if (headVerdict) return headVerdict;
  if (facts.body.tooLarge) return reject(413, `body larger than ${context.maxBodyBytes} bytes`);
  if (context.verifySignature) {
    const signature = context.verifySignature(facts.head.headers, facts.body.body);
    if (!signature.ok) return reject(401, `bad signature: ${signature.reason}`);
  }
  if (facts.json === undefined) return reject(400, 'body is not valid JSON');
  return rules.accepted;
}

function forcedStatus(status: number, rules: ProfileRules): Verdict {
  if (status >= 200 && status < 300) return { status, body: rules.accepted.body };
  return reject(status, `forced status ${status}`);
}
