import { createHash } from 'node:crypto';
import type { Finding, FiredCondition } from '../checks/finding.js';
import type { EnvelopeSettings, TargetConfig } from '../config/schema.js';

/**
 * The notification body, in Cisco Identity Intelligence's shape: an EventBridge-style
 * envelope around one failed check. Pure functions: the same finding and target always
 * give the same envelope, byte for byte, so a retry resends exactly what was sent before.
 */

export type DetailType = 'FAILED_CHECK' | 'WebhookTest';

export interface FailingUser {
  login: string;
  /** the directory's display name; the login when the event has none */
  displayName: string;
  /** the directory's user id; the login when the event has none */
  id: string;
}

export interface LoginDetail {
  key: string;
  value: string;
}

export interface EnvelopeDetail {
  /** the finding id */
  id: string;
  checkId: string;
  title: string;
  severity: Finding['severity'];
  category: Finding['category'];
  /** paragraphs */
  description: string[];
  recommendedActions: string[];
  mitre: string[];
  /** when the check failed (the event's time) */
  published: string;
  usersFailing: FailingUser[];
  loginDetails: Array<{ login: string; details: LoginDetail[] }>;
}

export interface Envelope {
  version: '0';
  /** stable across retries of one (finding, target) delivery: the idempotency key */
  id: string;
  'detail-type': DetailType;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: EnvelopeDetail;
}

export function buildFailedCheckEnvelope(finding: Finding, target: TargetConfig, envelope: EnvelopeSettings): Envelope {
  const user = finding.user;
  return {
    version: '0',
    id: envelopeId(finding.id, target.id),
    'detail-type': 'FAILED_CHECK',
    source: envelope.source,
    account: envelope.account,
    time: finding.time,
    region: envelope.region,
    resources: [],
    detail: {
      id: finding.id,
      checkId: finding.checkId,
      title: finding.checkName,
      severity: finding.severity,
      category: finding.category,
      description: paragraphs(finding.description),
      recommendedActions: [...finding.recommendedActions],
      mitre: [...finding.mitre],
      published: finding.time,
      usersFailing: [{ login: user.login, displayName: user.displayName ?? user.login, id: user.id ?? user.login }],
      loginDetails: [{ login: user.login, details: [...eventLoginDetails(finding), ...finding.why.map(conditionDetail)] }],
    },
  };
}

/** Test Connectivity: the same envelope, `detail-type: WebhookTest`, with no user and no finding. */
export function buildWebhookTestEnvelope(target: TargetConfig, envelope: EnvelopeSettings, now: Date): Envelope {
  const time = now.toISOString();
  const id = deterministicUuid(`webhook-test\u0000${target.id}\u0000${time}`);
  return {
    version: '0',
    id,
    'detail-type': 'WebhookTest',
    source: envelope.source,
    account: envelope.account,
    time,
    region: envelope.region,
    resources: [],
    detail: {
      id,
      checkId: 'webhook-test',
      title: 'Webhook test',
      severity: 'low',
      category: 'posture',
      description: [`Test message from sigfire to the notification target "${target.name}". No check failed.`],
      recommendedActions: [],
      mitre: [],
      published: time,
      usersFailing: [],
      loginDetails: [],
    },
  };
}

/** The envelope id of a finding's delivery to one target. */
export function envelopeId(findingId: string, targetId: string): string {
  return deterministicUuid(`${findingId}\u0000${targetId}`);
}

/** A UUID (version 5 layout) from the SHA-256 of `name`: the same name, the same UUID. */
export function deterministicUuid(name: string): string {
  const bytes = createHash('sha256').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');
}

/** The login facts of the triggering event that a responder asks for first, when present. */
function eventLoginDetails(finding: Finding): LoginDetail[] {
  const login = finding.event.login;
  const facts: Array<[string, unknown]> = [
    ['ip', login?.ip],
    ['country', login?.geo?.country],
    ['city', login?.geo?.city],
    ['application', login?.application],
    ['factor', login?.factor],
    ['result', login?.result],
    ['userAgent', login?.userAgent],
    ['sessionId', login?.sessionId],
  ];
  return facts.filter(([, value]) => value !== undefined && value !== null && value !== '').map(([key, value]) => ({ key, value: String(value) }));
}

/** A fired condition as a detail: key "login.result" / "windowCount", value the actual value. */
function conditionDetail(condition: FiredCondition): LoginDetail {
  const path = condition.path?.replace(/^\$\.?/, '');
  const key = path ? `${condition.fact}.${path}` : condition.fact;
  return { key, value: stringify(condition.actual) };
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}
