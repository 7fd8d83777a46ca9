import { createHash } from 'node:crypto';
import type { RawRecord, VendorEncoder } from '../../events/adapters/adapter-types.js';
import { adaptAudit } from '../../events/adapters/entra-audit.js';
import {
  ACCOUNT_ENABLED,
  ANONYMIZER_RISK_EVENTS,
  AUDIT_ACTIVITIES,
  AUDIT_CATEGORY,
  ENTRA_BROWSER_NAMES,
  METHOD_FACTORS,
  MFA_CLAIM_DETAIL,
  MFA_FAILURE_CODES,
  MFA_FAILURE_DEFAULT,
  MFA_OUTCOMES,
  MFA_STEP,
  MFA_SUCCESS_DETAIL,
  NON_INTERACTIVE_CATEGORY,
  PRIMARY_CLAIM_DETAIL,
  PRIMARY_STEP,
  ROLE_NAME,
  SIGN_IN_CODES,
  USER_TYPE,
  type AuditActivity,
} from '../../events/adapters/entra-tables.js';
import { FieldView, GENERATED_USER_STATE_KEYS } from '../../events/adapters/record-fields.js';
import type { EventUser, IdentityEvent, LoginDetails } from '../../events/schema.js';

/**
 * sigfire events as Microsoft Entra ID diagnostic-settings records (what an Event Hub or a
 * storage-account archive holds): logins and MFA challenges as interactive SignInLogs records
 * (sso logins too: the adapter reads non-interactive sign-ins as session events), session events
 * as NonInteractiveUserSignInLogs records, user changes as AuditLogs records. Conventions (also in
 * the adapter's mapping tables): a login names its MFA method in an MFA step "satisfied by claim in
 * the token"; an mfa event is a record whose first factor was previously satisfied and whose MFA
 * step is the one performed.
 */
export const entraEncoder: VendorEncoder = { format: 'entra', encode };

const TENANT_ID = '7d3c2a9e-4b1f-4e8a-9c55-1f0e6b2d8a47';
const RESOURCE_ID = `/tenants/${TENANT_ID}/providers/Microsoft.aadiam`;
const PASSWORD_OK = 'Correct password';
const MFA_FAILURE = MFA_FAILURE_CODES[0]!;
const SERVICE_ERROR_CODE = 50000;

type Login = LoginDetails;
type Factor = NonNullable<Login['factor']>;
type Result = NonNullable<Login['result']>;

function encode(event: IdentityEvent): RawRecord {
  return event.type === 'user' || event.type === 'admin' ? encodeDirectoryChange(event) : encodeSignIn(event);
}

function encodeSignIn(event: IdentityEvent): RawRecord {
  const login: Login = event.login ?? {};
  const isMfa = event.type === 'mfa';
  const result: Result = login.result ?? 'SUCCESS';
  const code = isMfa ? (result === 'SUCCESS' ? 0 : MFA_FAILURE.code) : signInCode(result, login.reason);
  const status = statusOf(code, isMfa, result);
  const nonInteractive = event.type === 'session';
  const correlationId = guid(`correlation:${login.sessionId ?? event.id}`);
  const risk = login.risk ?? 'none';
  const riskEventTypes = [...(login.anonymizer ? ANONYMIZER_RISK_EVENTS : []), ...(risk !== 'none' ? ['unfamiliarFeatures'] : [])];
  const factor = login.factor;
  const properties = {
    id: event.id,
    createdDateTime: event.time,
    userDisplayName: event.user.displayName,
    userPrincipalName: event.user.login,
    userId: event.user.id,
    appId: login.application && guid(`app:${login.application}`),
    appDisplayName: login.application,
    ipAddress: login.ip,
    status,
    clientAppUsed: clientAppOf(login),
    userAgent: login.userAgent,
    deviceDetail: { deviceId: login.deviceId ?? '', operatingSystem: operatingSystemOf(login.userAgent), browser: entraBrowserName(login.browser) },
    location: login.geo && {
      city: login.geo.city,
      countryOrRegion: login.geo.country,
      geoCoordinates: login.geo.lat === undefined ? undefined : { latitude: login.geo.lat, longitude: login.geo.lon },
    },
    correlationId,
    sessionId: login.sessionId,
    isInteractive: !nonInteractive,
    riskDetail: 'none',
    riskLevelAggregated: risk,
    riskLevelDuringSignIn: risk,
    riskState: risk === 'none' ? 'none' : 'atRisk',
    riskEventTypes_v2: riskEventTypes,
    authenticationRequirement: factor !== undefined && isSecondFactor(factor) ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
    authenticationDetails: isMfa ? mfaSteps(event.time, factor, result) : loginSteps(event.time, factor, result, status.failureReason),
  };
  return {
    time: event.time,
    resourceId: RESOURCE_ID,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: nonInteractive ? NON_INTERACTIVE_CATEGORY : 'SignInLogs',
    tenantId: TENANT_ID,
    resultType: String(code),
    resultSignature: 'None',
    resultDescription: status.failureReason ?? '',
    durationMs: 0,
    callerIpAddress: login.ip,
    correlationId,
    identity: event.user.displayName ?? event.user.login,
    Level: 4,
    location: login.geo?.country,
    properties,
  };
}

/** The first code of the table with this result and reason, else with this result. */
function signInCode(result: Result, reason: string | undefined): number {
  const row = SIGN_IN_CODES.find((r) => r.result === result && r.reason === reason) ?? SIGN_IN_CODES.find((r) => r.result === result);
  return row?.code ?? SERVICE_ERROR_CODE;
}

function statusOf(code: number, isMfa: boolean, result: Result): { errorCode: number; failureReason?: string; additionalDetails?: string } {
  if (code === 0) return { errorCode: 0 };
  if (isMfa) return { errorCode: code, failureReason: sentence(MFA_FAILURE.meaning), additionalDetails: mfaFailureDetail(result) };
  const row = SIGN_IN_CODES.find((r) => r.code === code);
  return { errorCode: code, failureReason: sentence(row?.meaning ?? 'sign-in failed') };
}

function mfaFailureDetail(result: Result): string {
  return (MFA_OUTCOMES.find((row) => row.result === result) ?? MFA_OUTCOMES.find((row) => row.result === MFA_FAILURE_DEFAULT)!).detail;
}

function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

interface Step {
  authenticationStepDateTime: string;
  authenticationMethod: string;
  authenticationMethodDetail?: string;
  succeeded: boolean;
  authenticationStepResultDetail: string;
  authenticationStepRequirement: string;
}

const isSecondFactor = (factor: Factor) => factor !== 'password' && factor !== 'sso' && factor !== 'none';

function methodOf(factor: Factor | undefined): string {
  return METHOD_FACTORS.find(([, f]) => f === factor)?.[0] ?? 'Other';
}

function passwordStep(time: string, succeeded: boolean, failure: string | undefined): Step {
  return {
    authenticationStepDateTime: time,
    authenticationMethod: methodOf('password'),
    authenticationMethodDetail: 'Password in the cloud',
    succeeded,
    authenticationStepResultDetail: succeeded ? PASSWORD_OK : (failure ?? 'Sign-in failed.'),
    authenticationStepRequirement: PRIMARY_STEP,
  };
}

function claimedPrimaryStep(time: string): Step {
  return { authenticationStepDateTime: time, authenticationMethod: methodOf('sso'), succeeded: true, authenticationStepResultDetail: PRIMARY_CLAIM_DETAIL, authenticationStepRequirement: PRIMARY_STEP };
}

function mfaStep(time: string, factor: Factor | undefined, succeeded: boolean, detail: string): Step {
  return { authenticationStepDateTime: time, authenticationMethod: methodOf(factor), succeeded, authenticationStepResultDetail: detail, authenticationStepRequirement: MFA_STEP };
}

/** A login: the password (or a token claim, for sso), and the MFA method it rests on as a step satisfied by claim. */
function loginSteps(time: string, factor: Factor | undefined, result: Result, failure: string | undefined): Step[] {
  if (factor === undefined) return [];
  if (factor === 'sso') return [claimedPrimaryStep(time)];
  const password = passwordStep(time, result !== 'FAILURE', failure);
  return isSecondFactor(factor) ? [password, mfaStep(time, factor, true, MFA_CLAIM_DETAIL)] : [password];
}

/** An MFA challenge: the first factor satisfied earlier, the MFA step performed here. */
function mfaSteps(time: string, factor: Factor | undefined, result: Result): Step[] {
  const succeeded = result === 'SUCCESS';
  return [claimedPrimaryStep(time), mfaStep(time, factor, succeeded, succeeded ? MFA_SUCCESS_DETAIL : mfaFailureDetail(result))];
}

const LEGACY_PROTOCOLS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\(IMAP\)/i, 'IMAP4'],
  [/\(POP\)/i, 'POP3'],
  [/\(SMTP\)/i, 'Authenticated SMTP'],
];

function clientAppOf(login: Login): string {
  const legacy = LEGACY_PROTOCOLS.find(([pattern]) => pattern.test(login.application ?? ''));
  if (legacy) return legacy[1];
  return login.userAgent?.startsWith('Mozilla/') ? 'Browser' : 'Mobile Apps and Desktop clients';
}

const OPERATING_SYSTEMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/Windows NT 10/, 'Windows 10'],
  [/iPhone|iPad/, 'Ios'],
  [/Mac OS X/, 'MacOs'],
  [/Android/, 'Android'],
  [/Linux/, 'Linux'],
];

function operatingSystemOf(userAgent: string | undefined): string {
  return OPERATING_SYSTEMS.find(([pattern]) => pattern.test(userAgent ?? ''))?.[1] ?? '';
}

/** "Chrome 131" -> "Chrome 131.0.0", "Internet Explorer 11" -> "IE 11.0.0": Entra's own spelling. */
function entraBrowserName(browser: string | undefined): string {
  const match = browser === undefined ? null : /^(.*) (\d+)$/.exec(browser);
  if (!match) return browser ?? '';
  const short = Object.entries(ENTRA_BROWSER_NAMES).find(([, name]) => name === match[1])?.[0].toUpperCase() ?? match[1];
  return `${short} ${match[2]}.0.0`;
}

function encodeDirectoryChange(event: IdentityEvent): RawRecord {
  const activity = activityFor(event);
  const user = directoryStateAfter(event);
  const correlationId = guid(`correlation:${event.id}`);
  const properties = {
    id: event.id,
    category: activity.category,
    correlationId,
    result: 'success',
    resultReason: '',
    activityDisplayName: activity.activity,
    activityDateTime: event.time,
    loggedByService: activity.service,
    operationType: activity.operationType,
    initiatedBy: event.actor ? { user: { id: null, displayName: null, userPrincipalName: event.actor.login, ipAddress: null } } : {},
    targetResources: [
      { id: user.id ?? null, displayName: user.displayName ?? null, type: 'User', userPrincipalName: user.login, modifiedProperties: modifiedPropertiesOf(event, activity) },
    ],
    additionalDetails: [],
  };
  const record: RawRecord = {
    time: event.time,
    resourceId: RESOURCE_ID,
    operationName: activity.activity,
    operationVersion: '1.0',
    category: AUDIT_CATEGORY,
    tenantId: TENANT_ID,
    resultSignature: 'None',
    durationMs: 0,
    correlationId,
    identity: event.actor?.login ?? 'Microsoft Entra ID',
    Level: 4,
    properties,
  };
  const overlay = directoryOverlay(user, JSON.parse(JSON.stringify(properties)) as Record<string, unknown>, event.time);
  if (Object.keys(overlay).length > 0) record.sigfire = { user: overlay };
  return record;
}

/**
 * Entra logs the removal of one authentication method, which the adapter ignores (the log does not
 * say what is left), never "no MFA left": an mfa_removed is written as an Update user whose
 * sigfire.user carries the state the removal leaves, as the user directory would apply it.
 */
function directoryStateAfter(event: IdentityEvent): EventUser {
  const user = event.user;
  if (event.action !== 'mfa_removed' || user.mfaEnabled !== undefined || user.factors?.length) return user;
  return { ...user, mfaEnabled: false, factors: [] };
}

/** The activity of the event's action (an action with none, such as mfa_removed, is an Update user). */
function activityFor(event: IdentityEvent): AuditActivity {
  const candidates = AUDIT_ACTIVITIES.filter((row) => row.action === event.action);
  const byStatus = event.action === 'status_changed' ? candidates.find((row) => row.status === (event.user.status === 'ACTIVE' ? 'ACTIVE' : 'SUSPENDED')) : undefined;
  return byStatus ?? candidates[0] ?? AUDIT_ACTIVITIES.find((row) => row.action === 'updated')!;
}

function modifiedPropertiesOf(event: IdentityEvent, activity: AuditActivity): Array<{ displayName: string; oldValue: string | null; newValue: string | null }> {
  const property = (displayName: string, newValue: unknown, oldValue: unknown = null) => ({
    displayName,
    oldValue: oldValue === null ? null : JSON.stringify(oldValue),
    newValue: newValue === null ? null : JSON.stringify(newValue),
  });
  if (activity.action === 'role_assigned') return event.role ? [property(ROLE_NAME, event.role)] : [];
  if (activity.action === 'role_removed') return event.role ? [property(ROLE_NAME, null, event.role)] : [];
  if (activity.action === 'status_changed') return activity.status ? [property(ACCOUNT_ENABLED, [activity.status === 'ACTIVE'], [activity.status !== 'ACTIVE'])] : [];
  if (activity.action !== 'created' && activity.action !== 'updated') return [];
  const user = event.user as EventUser & { department?: unknown; title?: unknown };
  const properties = [];
  if (user.status === 'ACTIVE' || user.status === 'SUSPENDED') properties.push(property(ACCOUNT_ENABLED, [user.status === 'ACTIVE']));
  if (user.displayName !== undefined) properties.push(property('DisplayName', [user.displayName]));
  if (activity.action === 'created') properties.push(property('UserPrincipalName', [user.login]));
  if (user.type !== undefined) properties.push(property(USER_TYPE, [user.type === 'GUEST' || user.type === 'EXTERNAL' ? 'Guest' : 'Member']));
  if (typeof user.department === 'string') properties.push(property('Department', [user.department]));
  if (typeof user.title === 'string') properties.push(property('JobTitle', [user.title]));
  if (user.email !== undefined) properties.push(property('Mail', [user.email]));
  if (properties.length > 0) properties.push(property('Included Updated Properties', properties.map((p) => p.displayName).join(', ')));
  return properties;
}

/**
 * The directory state of the event that the audit record does not say (or says otherwise):
 * what the adapter would read from the record is compared with the event, field by field.
 */
function directoryOverlay(user: EventUser, properties: Record<string, unknown>, time: string): Record<string, unknown> {
  const adapted = adaptAudit(new FieldView(properties, { prefix: 'properties' }), { time, timePath: 'time' });
  const read = (adapted.kind === 'events' ? adapted.events[0]?.user : undefined) as Record<string, unknown> | undefined;
  const overlay: Record<string, unknown> = {};
  for (const key of GENERATED_USER_STATE_KEYS) {
    const value = user[key];
    if (value !== undefined && !sameValue(key, value, read?.[key])) overlay[key] = value;
  }
  return overlay;
}

function sameValue(key: string, a: unknown, b: unknown): boolean {
  if (key === 'createdAt' || key === 'lastSuccessAt') return typeof a === 'string' && typeof b === 'string' && Date.parse(a) === Date.parse(b);
  if (Array.isArray(a) && Array.isArray(b)) return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  return a === b;
}

/** A stable GUID-shaped id from a seed, so the same event always gets the same correlation and app ids. */
function guid(seed: string): string {
  const hex = createHash('sha1').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
