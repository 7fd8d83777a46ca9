import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import got, { type Got } from 'got';
import type { TargetConfig } from '../config/schema.js';

/**
 * One got instance per target: keep-alive sockets (sockets are the cost at high rates), no
 * got-level retries (the queue owns retries), no throwing on HTTP errors (the retry policy
 * reads the status), and TLS verification on unless the target relaxes it explicitly.
 */
export function createTargetClient(target: TargetConfig, maxSockets = 64): Got {
  const ca = target.tls?.ca ? readFileSync(target.tls.ca) : undefined;
  return got.extend({
    agent: {
      http: new HttpAgent({ keepAlive: true, maxSockets }),
      https: new HttpsAgent({ keepAlive: true, maxSockets, ca, rejectUnauthorized: target.tls?.insecure !== true }),
    },
    https: { certificateAuthority: ca, rejectUnauthorized: target.tls?.insecure !== true },
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    decompress: true,
  });
}
