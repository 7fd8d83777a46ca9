import type { EventUser, LoginDetails } from '../schema.js';
import type { FieldOptions } from './record-fields.js';

/**
 * Duo's vocabulary and sigfire's, side by side. The adapter, the encoder
 * (src/generate/formats/duo.ts) and the README mapping tables (duo-mapping.ts) all read these
 * constants, so they cannot drift apart.
 */

type Factor = NonNullable<LoginDetails['factor']>;
type Result = NonNullable<LoginDetails['result']>;
type Risk = NonNullable<LoginDetails['risk']>;

/** Duo writes null, "" or "-" for what it does not know (hostname, location parts); strings are read trimmed. */
export const DUO_FIELDS: FieldOptions = { absentStrings: ['', '-'], trimStrings: true };

export const AUTHENTICATION = 'authentication';
export const ENROLLMENT = 'enrollment';
/**
 * sigfire's convention, generated files only: an IdP sign-in Duo's log does not record (a wrong
 * password, or the sign-in that follows the MFA challenge). Duo documents event_type
 * "authentication" and "enrollment" only.
 */
export const PRIMARY_AUTHENTICATION = 'primary_authentication';

/**
 * sigfire's convention, generated files only: `"sigfire": {"secondFactorOnly": true}` on a
 * successful second-factor record whose sign-in the file writes as its own
 * primary_authentication record; the adapter then reads only the mfa event (id = txid).
 */
export const SECOND_FACTOR_ONLY = 'secondFactorOnly';

/** A real export's successful second factor is also the sign-in: its mfa event gets id `<txid>:mfa`, the login `<txid>`. */
export const MFA_EVENT_SUFFIX = ':mfa';

export interface DuoFactor {
  factor: Factor;
  /** false: no second factor was exchanged; Duo only recorded the access decision after primary authentication */
  secondFactor: boolean;
  note?: string;
}

const push: DuoFactor = { factor: 'push', secondFactor: true };
const otp: DuoFactor = { factor: 'totp', secondFactor: true };
const securityKey: DuoFactor = { factor: 'webauthn', secondFactor: true };

/** Duo `factor` values (Admin API v2 authentication log). */
export const DUO_FACTORS: Readonly<Record<string, DuoFactor>> = {
  duo_push: push,
  verified_duo_push: push,
  phone_call: { factor: 'voice', secondFactor: true },
  sms_passcode: { factor: 'sms', secondFactor: true },
  passcode: otp,
  duo_mobile_passcode: otp,
  hardware_token: otp,
  yubikey_passcode: otp,
  yubikey_code: otp,
  digipass_go_7_token: otp,
  u2f_token: securityKey,
  bypass_code: { factor: 'bypass_code', secondFactor: true },
  remembered_device: { factor: 'sso', secondFactor: false, note: 'Duo skipped the second factor for a remembered device: a sign-in on an existing session' },
  trusted_network: { factor: 'password', secondFactor: false, note: 'Duo skipped the second factor on a trusted network' },
  not_available: { factor: 'password', secondFactor: false, note: 'no second factor: Duo let primary authentication through, or denied before one' },
};

/** Factor names Duo prints as display names ("WebAuthn Security Key", "WebAuthn Chrome Touch ID"). */
export const DUO_FACTOR_PATTERNS: ReadonlyArray<readonly [RegExp, DuoFactor]> = [
  [/webauthn|passkey|security key|touch id|platform authenticator/i, securityKey],
  [/push/i, push],
];

export const UNKNOWN_FACTOR: DuoFactor = { factor: 'unknown', secondFactor: true };

/** Factors whose records are not authentications at all. */
export const IGNORED_FACTORS: Readonly<Record<string, string>> = {
  sms_refresh: 'the user asked for new SMS passcodes; not an authentication',
};

/** What the encoder writes for each sigfire factor (adapt maps each back to the same factor). */
export const ENCODED_FACTORS: Readonly<Record<Factor, string>> = {
  push: 'duo_push',
  totp: 'duo_mobile_passcode',
  webauthn: 'u2f_token',
  sms: 'sms_passcode',
  voice: 'phone_call',
  bypass_code: 'bypass_code',
  sso: 'remembered_device',
  password: 'not_available',
  none: 'not_available',
  email: 'not_available',
  unknown: 'not_available',
};

/** Duo `result` values, any case (the legacy v1 log printed "SUCCESS", "FAILURE"). */
export const DUO_RESULTS: Readonly<Record<string, Result>> = {
  success: 'SUCCESS',
  denied: 'DENIED',
  failure: 'FAILURE',
  error: 'ERROR',
  fraud: 'FRAUD',
};

/** Reasons meaning nobody answered: the result is TIMEOUT whatever Duo's result says (except success). */
export const TIMEOUT_REASONS: readonly string[] = ['no_response', 'call_timed_out', 'no_keys_pressed'];

/** How the encoder writes each sigfire result: Duo `result` and, where the result alone cannot say it, the reason. */
export const ENCODED_RESULTS: Readonly<Record<Result, { result: string; reason?: string }>> = {
  SUCCESS: { result: 'success' },
  DENIED: { result: 'denied' },
  FAILURE: { result: 'failure' },
  TIMEOUT: { result: 'denied', reason: 'no_response' },
  FRAUD: { result: 'fraud', reason: 'user_marked_fraud' },
  ERROR: { result: 'error', reason: 'error' },
  UNKNOWN: { result: 'unknown' },
};

/** The reason Duo gives when the access device's address is an anonymizer (Tor, proxy, VPN). */
export const ANONYMOUS_IP_REASON = 'anonymous_ip';

/** Reasons that say something about the user's directory state. */
export const REASON_USER_STATE: Readonly<Record<string, Partial<EventUser>>> = {
  user_disabled: { status: 'SUSPENDED' },
  locked_out: { status: 'LOCKED' },
  bypass_user: { bypassMfa: true },
  allow_unenrolled_user: { mfaEnabled: false },
  allow_unenrolled_user_on_trusted_network: { mfaEnabled: false },
};

/** sigfire reasons the encoder spells Duo's way; others are written lower-cased. */
export const ENCODED_REASONS: Readonly<Record<string, string>> = {
  USER_SUSPENDED: 'user_disabled',
  LOCKED_OUT: 'locked_out',
  INVALID_CREDENTIALS: 'invalid_credentials',
};

/** The encoder's reason when the event has none, by sigfire factor then result. */
export function defaultReason(factor: Factor, result: Result): string | undefined {
  const usesCode = factor === 'totp' || factor === 'sms' || factor === 'bypass_code';
  switch (result) {
    case 'SUCCESS':
      if (factor === 'password' || factor === 'none' || factor === 'unknown' || factor === 'email') return 'allowed_by_policy';
      if (factor === 'sso') return 'remembered_device';
      return usesCode ? 'valid_passcode' : 'user_approved';
    case 'DENIED':
      return factor === 'push' ? 'user_mistake' : usesCode ? 'invalid_passcode' : 'denied_by_policy';
    case 'FAILURE':
      return usesCode ? 'invalid_passcode' : factor === 'push' ? 'user_cancelled' : undefined;
    default:
      return undefined;
  }
}

/** The MFA action of an mfa event: `<factor>_<verb>` ("push_denied", "totp_verified", "bypass_code_used"). */
export const MFA_ACTION_PREFIX: Readonly<Record<Factor, string>> = {
  push: 'push',
  totp: 'totp',
  webauthn: 'webauthn',
  sms: 'sms',
  voice: 'voice',
  bypass_code: 'bypass_code',
  email: 'email',
  password: 'mfa',
  sso: 'mfa',
  none: 'mfa',
  unknown: 'mfa',
};

export const MFA_ACTION_VERB: Readonly<Record<Result, string>> = {
  SUCCESS: 'verified',
  DENIED: 'rejected',
  FAILURE: 'rejected',
  TIMEOUT: 'timeout',
  FRAUD: 'fraud',
  ERROR: 'error',
  UNKNOWN: 'unknown',
};

/** Verbs that differ from MFA_ACTION_VERB for one factor. */
export const MFA_ACTION_VERB_OVERRIDES: Readonly<Partial<Record<Factor, Partial<Record<Result, string>>>>> = {
  push: { SUCCESS: 'approved', DENIED: 'denied', FAILURE: 'failed' },
  bypass_code: { SUCCESS: 'used' },
};

export function mfaAction(factor: Factor, result: Result): string {
  return `${MFA_ACTION_PREFIX[factor]}_${MFA_ACTION_VERB_OVERRIDES[factor]?.[result] ?? MFA_ACTION_VERB[result]}`;
}

/**
 * Duo's Risk-Based Authentication (adaptive_trust_assessments): a LOW trust level for
 * Risk-Based Factor Selection ("more_secure_auth") means detected attack patterns; a LOW level
 * for Risk-Based Remembered Devices ("remember_me") is the weaker signal. `enforcedOnly`: the
 * level counts only when the assessment's policy_enabled is true; with the policy off (preview
 * mode) Duo still logs a level but acted on nothing, and the level is read as no signal.
 */
export const TRUST_ASSESSMENT_RISK: ReadonlyArray<{ assessment: string; trustLevel: string; risk: Risk; enforcedOnly: boolean }> = [
  { assessment: 'more_secure_auth', trustLevel: 'LOW', risk: 'high', enforcedOnly: true },
  { assessment: 'remember_me', trustLevel: 'LOW', risk: 'low', enforcedOnly: false },
];

/** Which assessment the encoder marks LOW for each risk ('medium' has no Duo level of its own). */
export const ENCODED_RISK: Readonly<Partial<Record<Risk, string>>> = {
  high: 'more_secure_auth',
  medium: 'remember_me',
  low: 'remember_me',
};

/** Duo browser names that differ from the "Name" of sigfire's "Name Major". */
export const DUO_BROWSER_NAMES: Readonly<Record<string, string>> = {
  IE: 'Internet Explorer',
  'Microsoft Edge': 'Edge',
};

type Status = NonNullable<EventUser['status']>;

/** Duo user statuses (administrator log `description.status`), any case. */
export const DUO_USER_STATUSES: Readonly<Record<string, { status: Status; bypassMfa?: boolean }>> = {
  active: { status: 'ACTIVE', bypassMfa: false },
  bypass: { status: 'ACTIVE', bypassMfa: true },
  disabled: { status: 'SUSPENDED' },
  'locked out': { status: 'LOCKED' },
  'pending deletion': { status: 'DEPROVISIONED' },
};

/** What the encoder writes for each sigfire status; the others are written as sigfire spells them. */
export const ENCODED_USER_STATUSES: Readonly<Partial<Record<Status, string>>> = {
  ACTIVE: 'Active',
  SUSPENDED: 'Disabled',
  LOCKED: 'Locked Out',
  DEPROVISIONED: 'Pending Deletion',
};
export const ENCODED_BYPASS_STATUS = 'Bypass';

/** Administrator log actions that change the directory; every other action is housekeeping (ignored). */
export const ADMIN_ACTIONS: Readonly<Record<string, { action: string; note: string }>> = {
  user_create: { action: 'created', note: 'description.status, email, realname' },
  user_update: { action: 'updated', note: 'status_changed when description has status' },
  user_delete: { action: 'deleted', note: '' },
  user_pending_delete: { action: 'deleted', note: 'the user is in the trash and can no longer sign in' },
  admin_create: { action: 'role_assigned', note: 'role = description.role (a Duo administrator role: Owner, Administrator, ...); ignored without one' },
  admin_update: { action: 'role_assigned', note: 'only when description.role changed; otherwise ignored' },
  admin_delete: { action: 'role_removed', note: 'role = description.role; ignored without one' },
};

