import type { EventUser, FACTORS, LOGIN_RESULTS, RISK_LEVELS, USER_ACTIONS } from '../schema.js';

/**
 * The vocabulary of Microsoft Entra ID sign-in and audit logs and what it means in sigfire.
 * The adapter's lookups, the encoder's choices and the README's mapping tables all read these
 * constants, so they cannot drift apart.
 */

type LoginResult = (typeof LOGIN_RESULTS)[number];
type Factor = (typeof FACTORS)[number];
type UserAction = (typeof USER_ACTIONS)[number];
type UserStatus = NonNullable<EventUser['status']>;

export interface SignInCode {
  code: number;
  result: LoginResult;
  reason?: string;
  /** what the code says about the account, set on the event's user */
  status?: UserStatus;
  /** the first factor (a password) was judged and rejected: a login even in a non-interactive record */
  credential?: true;
  meaning: string;
  /** why the mapping is what it is, for the README */
  note?: string;
}

/**
 * status.errorCode (resultType in diagnostic records) of a sign-in decided by its first factor or by policy.
 * The encoder writes the first row of a result and reason, so the row it should pick comes first.
 */
export const SIGN_IN_CODES: readonly SignInCode[] = [
  { code: 0, result: 'SUCCESS', status: 'ACTIVE', meaning: 'success', note: 'a disabled account cannot sign in: the account is enabled (clears a SUSPENDED from an earlier 50057)' },
  { code: 50126, result: 'FAILURE', reason: 'INVALID_CREDENTIALS', credential: true, meaning: 'invalid username or password' },
  { code: 50056, result: 'FAILURE', reason: 'INVALID_CREDENTIALS', credential: true, meaning: 'invalid or null password' },
  { code: 50034, result: 'FAILURE', reason: 'USER_NOT_FOUND', credential: true, meaning: 'the account does not exist in the directory' },
  { code: 50053, result: 'FAILURE', reason: 'ACCOUNT_LOCKED', credential: true, meaning: 'account locked (smart lockout) or sign-in blocked from a malicious IP', note: 'no user.status: often nothing is locked' },
  { code: 50055, result: 'FAILURE', reason: 'PASSWORD_EXPIRED', credential: true, meaning: 'the password has expired' },
  { code: 50144, result: 'FAILURE', reason: 'PASSWORD_EXPIRED', credential: true, meaning: 'the Active Directory password has expired' },
  { code: 50057, result: 'FAILURE', reason: 'USER_SUSPENDED', status: 'SUSPENDED', meaning: 'the account is disabled' },
  { code: 53003, result: 'DENIED', reason: 'BLOCKED_BY_CONDITIONAL_ACCESS', meaning: 'blocked by a Conditional Access policy' },
  { code: 53000, result: 'DENIED', reason: 'BLOCKED_BY_CONDITIONAL_ACCESS', meaning: 'Conditional Access requires a compliant device' },
  { code: 53001, result: 'DENIED', reason: 'BLOCKED_BY_CONDITIONAL_ACCESS', meaning: 'Conditional Access requires a domain-joined device' },
  { code: 53002, result: 'DENIED', reason: 'BLOCKED_BY_CONDITIONAL_ACCESS', meaning: 'Conditional Access requires an approved client app' },
  { code: 53004, result: 'DENIED', reason: 'BLOCKED_BY_CONDITIONAL_ACCESS', meaning: 'MFA registration blocked by Conditional Access (risk)' },
  { code: 530032, result: 'DENIED', reason: 'BLOCKED_BY_CONDITIONAL_ACCESS', meaning: 'blocked by a Conditional Access security policy' },
  { code: 50105, result: 'DENIED', reason: 'NOT_ASSIGNED_TO_APPLICATION', meaning: 'the user is not assigned to the application' },
  { code: 50089, result: 'TIMEOUT', reason: 'FLOW_TOKEN_EXPIRED', meaning: 'the authentication flow expired' },
  { code: 50000, result: 'ERROR', reason: 'SERVICE_ERROR', meaning: 'an error in the sign-in service' },
];

/**
 * Any other non-zero code, its reason the code and Entra's failureReason. Not a failure: most
 * codes are about tokens, devices, consent or configuration, not a credential, and counting them
 * as failures fires Brute Force and Password Spray on ordinary traffic.
 */
export const OTHER_CODE_RESULT: LoginResult = 'ERROR';

/**
 * Interrupts: the user is sent to a further step (MFA, registration, "stay signed in?") and the
 * sign-in goes on in a later record of the same correlationId, which carries the outcome.
 */
export const INTERRUPT_CODES: ReadonlyArray<{ code: number; meaning: string }> = [
  { code: 50074, meaning: 'strong authentication (MFA) required' },
  { code: 50076, meaning: 'MFA required by policy or a new location' },
  { code: 50079, meaning: 'MFA registration required' },
  { code: 50072, meaning: 'MFA registration required (interrupt)' },
  { code: 50078, meaning: 'the MFA presented has expired: MFA again' },
  { code: 50140, meaning: '"Keep me signed in" interrupt' },
  { code: 50125, meaning: 'password reset registration interrupt' },
  { code: 50199, meaning: 'security confirmation interrupt' },
  { code: 16000, meaning: 'account selection required (interaction required)' },
  { code: 16001, meaning: 'account selection invalid' },
  { code: 50058, meaning: 'silent sign-in: the session information does not identify the user' },
  { code: 50097, meaning: 'device authentication required' },
  { code: 50129, meaning: 'the device is not workplace joined' },
  { code: 81010, meaning: 'Seamless SSO: the Kerberos ticket expired or is invalid' },
];

/**
 * A token or session that is no longer good enough: the client must sign in again, which is a
 * record of its own. No credential was judged; non-interactive logs repeat these all day.
 */
export const EXPIRED_TOKEN_CODES: ReadonlyArray<{ code: number; meaning: string }> = [
  { code: 50173, meaning: 'fresh auth token needed: the grant was revoked or has expired' },
  { code: 70043, meaning: 'refresh token expired by a Conditional Access sign-in frequency' },
  { code: 70044, meaning: 'session expired by a Conditional Access sign-in frequency' },
  { code: 700082, meaning: 'refresh token expired after inactivity' },
  { code: 700084, meaning: 'refresh token of a single-page app expired' },
  { code: 50132, meaning: 'session revoked: password expired or changed' },
  { code: 50133, meaning: 'session invalid: password expired or changed' },
];

/** The sign-in failed at its MFA step: the record is an `mfa` event. */
export const MFA_FAILURE_CODES: ReadonlyArray<{ code: number; meaning: string }> = [
  { code: 500121, meaning: 'authentication failed during strong authentication request' },
];

export interface MfaOutcome {
  /** matched, case-insensitively, against the failed MFA step's authenticationStepResultDetail, else status.additionalDetails */
  pattern: RegExp;
  result: LoginResult;
  /** the text the encoder writes for this result */
  detail: string;
}

/** How a failed MFA step ended; the first matching row wins, no match is FAILURE. */
export const MFA_OUTCOMES: readonly MfaOutcome[] = [
  { pattern: /fraud/i, result: 'FRAUD', detail: 'MFA denied; Phone App Reported Fraud' },
  { pattern: /declined/i, result: 'DENIED', detail: 'MFA denied; user declined the authentication' },
  { pattern: /did not respond|timed out|no response/i, result: 'TIMEOUT', detail: 'MFA denied; user did not respond to mobile app notification' },
  { pattern: /unreachable/i, result: 'ERROR', detail: 'MFA denied; phone unreachable' },
  { pattern: /invalid verification code|incorrect|wrong/i, result: 'FAILURE', detail: 'MFA denied; invalid verification code' },
];
export const MFA_FAILURE_DEFAULT: LoginResult = 'FAILURE';
export const MFA_SUCCESS_DETAIL = 'MFA successfully completed';
export const MFA_CLAIM_DETAIL = 'MFA requirement satisfied by claim in the token';
export const PRIMARY_CLAIM_DETAIL = 'First factor requirement satisfied by claim in the token';
export const PRIMARY_STEP = 'Primary authentication';
export const MFA_STEP = 'Multifactor authentication';

/** A step was not performed in this record but satisfied by an earlier one (a token claim). */
export const CLAIM_METHODS: readonly string[] = ['Previously satisfied', 'Satisfied by token'];
export const CLAIM_DETAIL = /satisfied by (claim|token)/i;
/** authenticationStepRequirement of an MFA step ("Multifactor authentication", "Multi-factor authentication", "MFA"). */
export const MFA_REQUIREMENT = /multi-?\s?factor|\bmfa\b/i;

/** authenticationDetails[].authenticationMethod -> login.factor; the first row of a factor is what the encoder writes. */
export const METHOD_FACTORS: ReadonlyArray<readonly [string, Factor]> = [
  ['Password', 'password'],
  ['Mobile app notification', 'push'],
  ['Authenticator App', 'push'],
  ['Passwordless phone sign-in', 'push'],
  ['OATH verification code', 'totp'],
  ['Software OATH token', 'totp'],
  ['Hardware OATH token', 'totp'],
  ['Text message', 'sms'],
  ['SMS', 'sms'],
  ['Voice', 'voice'],
  ['Phone call approval (Authentication phone)', 'voice'],
  ['FIDO2 security key', 'webauthn'],
  ['Windows Hello for Business', 'webauthn'],
  ['Temporary Access Pass', 'bypass_code'],
  ['Previously satisfied', 'sso'],
  ['Satisfied by token', 'sso'],
];
export const UNKNOWN_METHOD_FACTOR: Factor = 'unknown';

/** mfa event action = `<factor>_<verb>`: the verb for each result, with per-factor words where Duo and Okta use them. */
export const MFA_VERBS: Readonly<Partial<Record<LoginResult, string>>> = {
  SUCCESS: 'verified',
  FAILURE: 'rejected',
  DENIED: 'denied',
  TIMEOUT: 'timeout',
  FRAUD: 'fraud',
  ERROR: 'error',
};
export const MFA_VERB_OVERRIDES: Readonly<Partial<Record<Factor, Partial<Record<LoginResult, string>>>>> = {
  push: { SUCCESS: 'approved' },
  voice: { SUCCESS: 'approved' },
  bypass_code: { SUCCESS: 'used' },
};
/** the action prefix when the method is not known */
export const UNKNOWN_MFA_PREFIX = 'mfa';

/** riskLevelDuringSignIn -> login.risk; `hidden` (no Entra ID P2 licence) and unknownFutureValue say nothing: risk left out. */
export const RISK_LEVELS_READ: Readonly<Record<string, (typeof RISK_LEVELS)[number] | undefined>> = {
  none: 'none',
  low: 'low',
  medium: 'medium',
  high: 'high',
  hidden: undefined,
  unknownFutureValue: undefined,
};
/** An administrator confirmed the sign-in compromised: Entra sets its risk to high. */
export const CONFIRMED_COMPROMISED = 'confirmedCompromised';
/** riskEventTypes_v2 (or the older riskEventTypes) entries that mean the client hid behind an anonymizer. */
export const ANONYMIZER_RISK_EVENTS: readonly string[] = ['anonymizedIPAddress'];

/** Suffix of the id of the mfa event split off a record that holds both a first factor and an MFA step. */
export const MFA_EVENT_SUFFIX = ':mfa';

/** Entra's short browser names (deviceDetail.browser), as the user-agent parser and blocked-browsers list spell them. */
export const ENTRA_BROWSER_NAMES: Readonly<Record<string, string>> = { ie: 'Internet Explorer' };

/** diagnostic-settings categories that hold user sign-ins */
export const SIGN_IN_CATEGORIES: readonly string[] = ['SignInLogs', 'NonInteractiveUserSignInLogs'];
export const NON_INTERACTIVE_CATEGORY = 'NonInteractiveUserSignInLogs';
/** Graph signInEventTypes entry of a non-interactive sign-in */
export const NON_INTERACTIVE_EVENT_TYPE = 'nonInteractiveUser';
/**
 * A non-interactive sign-in (a client redeeming a refresh token or a PRT, thousands a day per
 * user, one sessionId shared by every app of a device) is a `session` event with this action and
 * no login.sessionId, unless its code is a credential failure.
 */
export const NON_INTERACTIVE_ACTION = 'token_refresh';
export const AUDIT_CATEGORY = 'AuditLogs';
/** Graph signInEventTypes with no user behind them */
export const NON_USER_SIGN_INS: readonly string[] = ['servicePrincipal', 'managedIdentity'];

export interface AuditActivity {
  activity: string;
  action: UserAction;
  /** the status the activity sets (Disable / Enable account) */
  status?: UserStatus;
  category: string;
  service: string;
  operationType: string;
}

/** properties.activityDisplayName of AuditLogs records that change what checks know of a user. */
export const AUDIT_ACTIVITIES: readonly AuditActivity[] = [
  { activity: 'Add user', action: 'created', category: 'UserManagement', service: 'Core Directory', operationType: 'Add' },
  { activity: 'Update user', action: 'updated', category: 'UserManagement', service: 'Core Directory', operationType: 'Update' },
  { activity: 'Disable account', action: 'status_changed', status: 'SUSPENDED', category: 'UserManagement', service: 'Core Directory', operationType: 'Update' },
  { activity: 'Enable account', action: 'status_changed', status: 'ACTIVE', category: 'UserManagement', service: 'Core Directory', operationType: 'Update' },
  { activity: 'Delete user', action: 'deleted', category: 'UserManagement', service: 'Core Directory', operationType: 'Delete' },
  { activity: 'Add member to role', action: 'role_assigned', category: 'RoleManagement', service: 'Core Directory', operationType: 'Assign' },
  { activity: 'Add member to role completed (PIM activation)', action: 'role_assigned', category: 'RoleManagement', service: 'PIM', operationType: 'Assign' },
  { activity: 'Remove member from role', action: 'role_removed', category: 'RoleManagement', service: 'Core Directory', operationType: 'Unassign' },
  { activity: 'Remove member from role (PIM activation expired)', action: 'role_removed', category: 'RoleManagement', service: 'PIM', operationType: 'Unassign' },
  { activity: 'Admin registered security info', action: 'mfa_enrolled', category: 'UserManagement', service: 'Authentication Methods', operationType: 'Add' },
  { activity: 'User registered security info', action: 'mfa_enrolled', category: 'UserManagement', service: 'Authentication Methods', operationType: 'Add' },
];

/** Activities a reader might expect to count, ignored on purpose, and why. */
export const IGNORED_AUDIT_ACTIVITIES: Readonly<Record<string, string>> = {
  'Admin deleted security info': 'one authentication method removed: the log does not say which methods remain',
  'User deleted security info': 'one authentication method removed: the log does not say which methods remain',
};

/** targetResources[].modifiedProperties[].displayName -> user field, for user records */
export const MODIFIED_USER_FIELDS: ReadonlyArray<readonly [string, 'displayName' | 'department' | 'title' | 'email']> = [
  ['DisplayName', 'displayName'],
  ['Department', 'department'],
  ['JobTitle', 'title'],
  ['Mail', 'email'],
];
export const ACCOUNT_ENABLED = 'AccountEnabled';
export const USER_TYPE = 'UserType';
export const ROLE_NAME = 'Role.DisplayName';

/** UserType (sign-ins: userType) -> user.type, case-insensitively */
export const USER_TYPES_READ: Readonly<Record<string, NonNullable<EventUser['type']>>> = { member: 'INTERNAL', guest: 'GUEST' };

/** member -> INTERNAL, guest -> GUEST; anything else is left out. */
export function userTypeOf(userType: string | undefined): NonNullable<EventUser['type']> | undefined {
  const key = userType?.toLowerCase();
  return key !== undefined && Object.hasOwn(USER_TYPES_READ, key) ? USER_TYPES_READ[key] : undefined;
}

export function findCode<T extends { code: number }>(table: readonly T[], code: number): T | undefined {
  return table.find((row) => row.code === code);
}

export function factorOfMethod(method: string | undefined): Factor | undefined {
  if (method === undefined) return undefined;
  const lower = method.toLowerCase();
  return METHOD_FACTORS.find(([name]) => name.toLowerCase() === lower)?.[1] ?? UNKNOWN_METHOD_FACTOR;
}

export function mfaAction(factor: Factor, result: LoginResult): string {
  const verb = MFA_VERB_OVERRIDES[factor]?.[result] ?? MFA_VERBS[result] ?? result.toLowerCase();
  const prefix = factor === 'unknown' || factor === 'none' ? UNKNOWN_MFA_PREFIX : factor;
  return `${prefix}_${verb}`;
}
