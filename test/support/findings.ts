import type { Finding } from '../../src/checks/finding.js';
import type { EnvelopeSettings, TargetConfig } from '../../src/config/schema.js';
import { buildFailedCheckEnvelope } from '../../src/notify/payload.js';
import type { DeliveryRequest } from '../../src/queue/delivery-queues.js';

export const ENVELOPE_SETTINGS: EnvelopeSettings = { source: 'sigfire.test', account: 'acct-test', region: 'local' };

/** A Bypass Code Used finding for user `n`; `tag` keeps findings of different tests apart. */
export function makeFinding(n: number, tag = 'default'): Finding {
  const login = `user-${n}@acme.example`;
  const time = new Date(Date.UTC(2026, 10, 2, 11, 0, n % 60)).toISOString();
  return {
    id: `${tag}-finding-${n}`,
    checkId: 'bypass-code-used',
    checkName: 'Bypass Code Used',
    severity: 'medium',
    category: 'threat',
    description: 'A user authenticated with an MFA bypass code instead of a real second factor.',
    recommendedActions: ['Confirm with the help desk that the bypass code was issued on request of the user'],
    mitre: ['T1556'],
    time,
    user: { login },
    event: {
      id: `${tag}-event-${n}`,
      time,
      provider: 'OKTA',
      type: 'mfa',
      user: { login },
      login: { result: 'SUCCESS', factor: 'bypass_code', ip: '198.51.100.10' },
    },
    why: [{ fact: 'login', path: '$.factor', operator: 'equal', expected: 'bypass_code', actual: 'bypass_code' }],
  };
}

/** `count` delivery requests to one target, numbered from `from`. */
export function deliveryRequests(target: TargetConfig, count: number, tag: string, from = 0): DeliveryRequest[] {
  return Array.from({ length: count }, (_, index) => {
    const finding = makeFinding(from + index, tag);
    return { target, envelope: buildFailedCheckEnvelope(finding, target, ENVELOPE_SETTINGS), findingId: finding.id, checkId: finding.checkId };
  });
}
