import type { LoginDetails, USER_ACTIONS, USER_STATUSES } from '../schema.js';
import { SourceFieldError } from './record-fields.js';

/**
 * The Okta System Log vocabulary and what each value means in sigfire. The adapter's lookups,
 * the encoder's choices and the README's mapping tables are all built from these constants.
 */

type LoginResult = NonNullable<LoginDetails['result']>;
type Factor = NonNullable<LoginDetails['factor']>;
type RiskLevel = NonNullable<LoginDetails['risk']>;
type UserAction = (typeof USER_ACTIONS)[number];
type UserStatus = (typeof USER_STATUSES)[number];

/** One source value and its sigfire value; `note` explains anything that is not 1:1. */
export interface ValueRow<T> {
  okta: string;
  sigfire: T;
  note?: string;
}

/** A case-insensitive lookup from a table's Okta values to its sigfire values (the first row wins). */
export function lookup<T>(rows: readonly ValueRow<T>[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const row of rows) if (!map.has(row.okta.toUpperCase())) map.set(row.okta.toUpperCase(), row.sigfire);
  return map;
}

/** The sigfire value of `value`; an error naming `field` when the table has no row for it. */
export function known<T>(map: Map<string, T>, value: string, field: string): T {
  const mapped = map.get(value.toUpperCase());
  if (mapped === undefined) {
    throw new SourceFieldError(field, `unknown value ${JSON.stringify(value)}; expected one of ${[...map.keys()].join('|')}`);
  }
  return mapped;
}

/** outcome.result -> login.result. The first row for a sigfire result is the one the encoder writes. */
export const OUTCOME_RESULTS: readonly ValueRow<LoginResult>[] = [
  { okta: 'SUCCESS', sigfire: 'SUCCESS' },
  { okta: 'ALLOW', sigfire: 'SUCCESS', note: 'policy and ThreatInsight (log-only) events' },
  { okta: 'FAILURE', sigfire: 'FAILURE', note: 'DENIED when the factor is a push (see the push responses)' },
  { okta: 'DENY', sigfire: 'DENIED' },
  { okta: 'UNANSWERED', sigfire: 'TIMEOUT', note: 'a push nobody answered; sigfire generate writes push_timeout this way' },
  { okta: 'CHALLENGE', sigfire: 'UNKNOWN' },
  { okta: 'SKIPPED', sigfire: 'UNKNOWN' },
  { okta: 'ABANDONED', sigfire: 'UNKNOWN' },
  { okta: 'RATE_LIMIT', sigfire: 'UNKNOWN' },
  { okta: 'DEFERRED', sigfire: 'UNKNOWN' },
  { okta: 'SCHEDULED', sigfire: 'UNKNOWN' },
  { okta: 'UNKNOWN', sigfire: 'UNKNOWN' },
];

/**
 * debugContext.debugData.pushOnlyResponseType: what the user did with an Okta Verify push,
 * deciding the result of a push that did not succeed. Without it, a failed push is DENIED:
 * Okta Identity Engine logs a rejected push as FAILURE / INVALID_CREDENTIALS.
 */
export const PUSH_RESPONSES: readonly ValueRow<LoginResult>[] = [
  { okta: 'OV_RESPONSE_APPROVE', sigfire: 'SUCCESS' },
  { okta: 'OV_RESPONSE_DENY', sigfire: 'DENIED' },
  { okta: 'OV_RESPONSE_ERROR', sigfire: 'FAILURE' },
];

/**
 * debugContext.debugData.factor -> login.factor, matched case-insensitively: Okta writes both
 * its log spellings (OKTA_VERIFY_PUSH) and its Factors API names (token:software:totp).
 * The first row for a sigfire factor is the one the encoder writes.
 */
export const FACTOR_VALUES: readonly ValueRow<Factor>[] = [
  { okta: 'OKTA_VERIFY_PUSH', sigfire: 'push' },
  { okta: 'push', sigfire: 'push' },
  { okta: 'PASSWORD_AS_FACTOR', sigfire: 'password' },
  { okta: 'password', sigfire: 'password' },
  { okta: 'token:software:totp', sigfire: 'totp', note: 'Okta Verify or Google Authenticator code' },
  { okta: 'SOFT_TOKEN', sigfire: 'totp' },
  { okta: 'token:hotp', sigfire: 'totp' },
  { okta: 'token:hardware', sigfire: 'totp' },
  { okta: 'token', sigfire: 'totp' },
  { okta: 'FIDO_WEBAUTHN', sigfire: 'webauthn' },
  { okta: 'fido_u2f', sigfire: 'webauthn' },
  { okta: 'signed_nonce', sigfire: 'webauthn', note: 'Okta FastPass: a device-bound key, the nearest sigfire factor' },
  { okta: 'sms', sigfire: 'sms' },
  { okta: 'call', sigfire: 'voice' },
  { okta: 'email', sigfire: 'email' },
  {
    okta: 'TEMPORARY_ACCESS_CODE',
    sigfire: 'bypass_code',
    note: "Okta's help-desk-issued Temporary Access Code, its bypass code; the spelling is sigfire's convention",
  },
];

/** The login.factor of a factor value no row names (a security question, a custom OTP, ...). */
export const UNLISTED_FACTOR: Factor = 'unknown';

/** The `level=` of debugData.risk ("{reasons=Anomalous Location, level=HIGH}") -> login.risk. */
export const RISK_LEVELS: readonly ValueRow<RiskLevel>[] = [
  { okta: 'NONE', sigfire: 'none' },
  { okta: 'LOW', sigfire: 'low' },
  { okta: 'MEDIUM', sigfire: 'medium' },
  { okta: 'HIGH', sigfire: 'high' },
];

/** What an Okta event type becomes. */
export type EventRule =
  /** a sign-in: type login; the actor is the user */
  | { kind: 'signIn'; factor?: Factor; note?: string }
  /** an MFA challenge outcome: type mfa; the actor is the user; action from factor + result */
  | { kind: 'mfa'; factor?: Factor; result?: LoginResult; note?: string }
  /** Okta's own risk verdict: type risk; `risk` when the record states no level */
  | { kind: 'risk'; action: string; risk?: RiskLevel; note?: string }
  /** someone else acting in the user's (target's) session: type session */
  | { kind: 'session'; action: string; note?: string }
  /** a directory change to the target user, made by the actor: type user */
  | { kind: 'directory'; action: UserAction; status?: UserStatus; note?: string }
  /** an admin role granted or revoked; the roles are named in debugData[field] */
  | { kind: 'privilege'; action: 'role_assigned' | 'role_removed'; field: string; note?: string }
  /** a group membership, kept as a role named after the group (target UserGroup) */
  | { kind: 'group'; action: 'role_assigned' | 'role_removed'; note?: string };

export const EVENT_RULES: Readonly<Record<string, EventRule>> = {
  'user.session.start': {
    kind: 'signIn',
    note: 'login.factor from debugData.factor when present. Okta starts the session once the first factor is verified: a sign-in that MFA then stops still has a SUCCESS here, and its MFA failure as an auth_via_mfa record',
  },
  'user.authentication.sso': { kind: 'signIn', factor: 'sso' },
  'user.authentication.auth_via_mfa': {
    kind: 'mfa',
    note: 'with factor PASSWORD_AS_FACTOR it is the password step of an Identity Engine sign-in: ignored (user.session.start records it)',
  },
  'user.mfa.okta_verify.deny_push': {
    kind: 'mfa',
    factor: 'push',
    result: 'DENIED',
    note: 'Classic Engine; whatever outcome it carries. Identity Engine logs a denied push as auth_via_mfa FAILURE instead; a tenant that logged both for one tap would count it twice in MFA Flood',
  },
  'user.risk.detect': { kind: 'risk', action: 'risk_detected', note: 'the user is the target User, else the actor' },
  'security.threat.detected': {
    kind: 'risk',
    action: 'threat_detected',
    risk: 'high',
    note: 'ThreatInsight flagged the request; login.risk high unless debugData.risk says otherwise; ignored without a known user',
  },
  'user.session.impersonation.initiate': { kind: 'session', action: 'impersonation_started', note: 'user = target User; actor = who impersonates' },
  'user.session.impersonation.end': { kind: 'session', action: 'impersonation_ended', note: 'user = target User' },
  'user.lifecycle.create': { kind: 'directory', action: 'created', note: 'user.createdAt = published' },
  'user.lifecycle.activate': { kind: 'directory', action: 'status_changed', status: 'ACTIVE' },
  'user.lifecycle.reactivate': { kind: 'directory', action: 'status_changed', status: 'PROVISIONED' },
  'user.lifecycle.deactivate': { kind: 'directory', action: 'status_changed', status: 'DEPROVISIONED' },
  'user.lifecycle.suspend': { kind: 'directory', action: 'status_changed', status: 'SUSPENDED' },
  'user.lifecycle.unsuspend': { kind: 'directory', action: 'status_changed', status: 'ACTIVE' },
  'user.lifecycle.delete.initiated': { kind: 'directory', action: 'deleted' },
  'user.account.lock': { kind: 'directory', action: 'status_changed', status: 'LOCKED' },
  'user.account.unlock': { kind: 'directory', action: 'status_changed', status: 'ACTIVE' },
  'user.account.update_profile': { kind: 'directory', action: 'updated' },
  'user.mfa.factor.activate': { kind: 'directory', action: 'mfa_enrolled' },
  'user.mfa.factor.reset_all': { kind: 'directory', action: 'mfa_removed', note: 'every factor gone: the directory marks the user without MFA' },
  'user.account.privilege.grant': {
    kind: 'privilege',
    action: 'role_assigned',
    field: 'privilegeGranted',
    note: 'one event per role in the comma list; a "(scope)" suffix is dropped',
  },
  'user.account.privilege.revoke': {
    kind: 'privilege',
    action: 'role_removed',
    field: 'privilegeRevoked',
    note: 'ignored when the record does not name the role',
  },
  'group.user_membership.add': {
    kind: 'group',
    action: 'role_assigned',
    note: 'role = the group name: groups are how Okta grants access, and user.roles stays in step',
  },
  'group.user_membership.remove': { kind: 'group', action: 'role_removed', note: 'role = the group name' },
};

/** Event types a reader might expect to count, ignored on purpose, and why. */
export const IGNORED_EVENT_TYPES: Readonly<Record<string, string>> = {
  'system.push.send_factor_verify_push':
    'a push was sent, with no outcome: the approve/deny arrives as its own record, and counting sends would inflate MFA counts',
  'policy.evaluate_sign_on': 'a policy decision inside a sign-in that user.session.start already records',
  'user.authentication.verify': 'the end of a sign-in flow whose start user.session.start records (counting both would double every sign-in)',
  'user.session.end': 'a sign-out',
  'user.mfa.factor.deactivate': 'one factor removed: the log does not say which factors remain',
  'user.mfa.factor.suspend': 'a factor suspended for a while, not removed',
  'user.mfa.factor.unsuspend': 'a suspended factor back in use',
  'user.session.impersonation.grant': 'support-access housekeeping (the impersonation itself is recorded by .initiate)',
  'user.session.impersonation.extend': 'support-access housekeeping',
  'user.session.impersonation.revoke': 'support-access housekeeping',
  'group.privilege.grant': 'an admin role granted to a group: no user to attribute it to',
};

/** Values of authenticationContext.externalSessionId that mean "no session yet". */
export const NO_SESSION_IDS: readonly string[] = ['unknown'];

/** The action of an MFA event: push_approved, push_denied, push_timeout, totp_verified, totp_rejected, bypass_code_used, ... */
export function mfaAction(factor: Factor, result: LoginResult): string {
  if (result === 'SUCCESS') return factor === 'push' ? 'push_approved' : factor === 'bypass_code' ? 'bypass_code_used' : `${factor}_verified`;
  return `${factor}_${MFA_FAILURE_WORDS[result] ?? result.toLowerCase()}`;
}

const MFA_FAILURE_WORDS: Partial<Record<LoginResult, string>> = { DENIED: 'denied', FAILURE: 'rejected', TIMEOUT: 'timeout' };
