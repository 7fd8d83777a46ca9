import type { RawRecord, VendorEncoder } from '../../events/adapters/adapter-types.js';
import { countryName } from '../../events/adapters/countries.js';
import { EVENT_RULES, FACTOR_VALUES, OUTCOME_RESULTS, RISK_LEVELS, type EventRule } from '../../events/adapters/okta-tables.js';
import type { IdentityEvent, LoginDetails } from '../../events/schema.js';

/**
 * sigfire event -> Okta System Log LogEvent (`sigfire generate --format okta`), keys in the
 * alphabetical order Okta returns them, `null` for documented keys with no value. Directory state
 * a LogEvent has no field for (a user's roles, factors, mfaEnabled, ...) goes in `sigfire.user`.
 */
export const oktaEncoder: VendorEncoder = { format: 'okta', encode: encodeOktaEvent };

type Login = LoginDetails | undefined;
type Principal = { alternateId: string; detailEntry: null; displayName: string | null; id: string; type: string };

export function encodeOktaEvent(event: IdentityEvent): RawRecord {
  const eventType = eventTypeOf(event);
  const login = event.login;
  const signIn = event.type !== 'user' && event.type !== 'admin';
  const overlay = directoryOverlay(event, EVENT_RULES[eventType]);
  return {
    actor: signIn && event.type !== 'risk' ? userPrincipal(event.user) : actorPrincipal(event.actor?.login),
    authenticationContext: {
      authenticationProvider: null,
      authenticationStep: 0,
      credentialProvider: null,
      credentialType: null,
      externalSessionId: login?.sessionId ?? 'unknown',
      interface: null,
      issuer: null,
    },
    client: clientOf(login),
    debugContext: { debugData: debugDataOf(event, eventType) },
    device: null,
    displayMessage: DISPLAY_MESSAGES[eventType] ?? eventType,
    eventType,
    legacyEventType: null,
    outcome: outcomeOf(event, eventType),
    published: event.time,
    request: { ipChain: login?.ip ? [{ geographicalContext: geoContext(login), ip: login.ip, source: null, version: login.ip.includes(':') ? 'V6' : 'V4' }] : [] },
    securityContext: {
      asNumber: login?.asn ?? null,
      asOrg: typeof login?.asOrg === 'string' ? login.asOrg : null,
      domain: null,
      isProxy: login?.anonymizer ?? null,
      isp: null,
    },
    severity: !login || login.result === 'SUCCESS' ? 'INFO' : 'WARN',
    target: targetsOf(event, eventType),
    transaction: { detail: {}, id: requestIdOf(event.id), type: 'WEB' },
    uuid: event.id,
    version: '0',
    ...(overlay ? { sigfire: { user: overlay } } : {}),
  };
}

// --- which Okta event ---

const UPDATE_PROFILE = 'user.account.update_profile';

function eventTypeOf(event: IdentityEvent): string {
  const login = event.login;
  switch (event.type) {
    case 'login':
    case 'session':
      return login?.factor === 'sso' ? 'user.authentication.sso' : 'user.session.start';
    case 'mfa':
      return login?.factor === 'push' && login.result === 'DENIED' ? 'user.mfa.okta_verify.deny_push' : 'user.authentication.auth_via_mfa';
    case 'risk':
      return 'user.risk.detect';
    case 'user':
    case 'admin':
      return directoryEventType(event);
  }
}

/** The first event type in the adapter's table that maps back to this directory change. */
function directoryEventType(event: IdentityEvent): string {
  const { action, role } = event;
  if ((action === 'role_assigned' || action === 'role_removed') && role) {
    // Okta admin roles are privileges; any other role is written as a group membership
    const kind = /\badmin(istrator)?\b/i.test(role) ? 'privilege' : 'group';
    return eventTypeWhere((rule) => rule.kind === kind && rule.action === action) ?? UPDATE_PROFILE;
  }
  const status = action === 'status_changed' ? event.user.status : undefined;
  return eventTypeWhere((rule) => rule.kind === 'directory' && rule.action === action && rule.status === status) ?? UPDATE_PROFILE;
}

function eventTypeWhere(matches: (rule: EventRule) => boolean): string | undefined {
  return Object.entries(EVENT_RULES).find(([, rule]) => matches(rule))?.[0];
}

const DISPLAY_MESSAGES: Readonly<Record<string, string>> = {
  'user.session.start': 'User login to Okta',
  'user.authentication.sso': 'User single sign on to app',
  'user.authentication.auth_via_mfa': 'Authentication of user via MFA',
  'user.mfa.okta_verify.deny_push': 'User rejected Okta push verify',
  'user.risk.detect': 'User risk detected',
  'user.lifecycle.create': 'Create okta user',
  'user.lifecycle.suspend': 'Suspend Okta user',
  'user.account.update_profile': 'Update user profile for Okta',
  'user.mfa.factor.activate': 'Activate factor or authenticator enrollment method for user',
  'user.account.privilege.grant': 'Grant user privilege',
  'user.account.privilege.revoke': 'Revoke user privilege',
  'group.user_membership.add': 'Add user to group membership',
  'group.user_membership.remove': 'Remove user from group membership',
};

// --- parts of the record ---

function userPrincipal(user: IdentityEvent['user']): Principal {
  return { alternateId: user.login, detailEntry: null, displayName: user.displayName ?? null, id: user.id ?? 'unknown', type: 'User' };
}

function actorPrincipal(login: string | undefined): Principal {
  if (!login) return { alternateId: 'system@okta.com', detailEntry: null, displayName: 'Okta System', id: 'unknown', type: 'SystemPrincipal' };
  return { alternateId: login, detailEntry: null, displayName: null, id: 'unknown', type: 'User' };
}

function namedPrincipal(type: string, name: string, idPrefix: string): Principal {
  return { alternateId: name, detailEntry: null, displayName: name, id: `${idPrefix}${hashOf(name).slice(0, 17)}`, type };
}

function targetsOf(event: IdentityEvent, eventType: string): Principal[] | null {
  const application = event.login?.application;
  const app = application ? [namedPrincipal('AppInstance', application, '0oa')] : [];
  const factor = event.login?.factor;
  switch (eventType) {
    case 'user.session.start':
      return app.length > 0 ? app : null;
    case 'user.authentication.sso':
      return [...app, { ...userPrincipal(event.user), id: `0ua${hashOf(event.user.login).slice(0, 17)}`, type: 'AppUser' }];
    case 'user.authentication.auth_via_mfa':
      return [userPrincipal(event.user), ...(factor ? [namedPrincipal('AuthenticatorEnrollment', factor, 'opf')] : []), ...app];
    case 'group.user_membership.add':
    case 'group.user_membership.remove':
      return [userPrincipal(event.user), namedPrincipal('UserGroup', event.role!, '00g')];
    default:
      return [userPrincipal(event.user), ...app];
  }
}

function clientOf(login: Login) {
  if (!login) return { device: null, geographicalContext: null, id: null, ipAddress: null, userAgent: null, zone: 'null' };
  const userAgent = login.userAgent;
  return {
    device: !userAgent ? 'Unknown' : /Mobile|iPhone|Android/.test(userAgent) ? 'Mobile' : 'Computer',
    geographicalContext: geoContext(login),
    id: null,
    ipAddress: login.ip ?? null,
    userAgent: userAgent ? { browser: browserFamily(login.browser), os: osOf(userAgent), rawUserAgent: userAgent } : null,
    zone: 'null',
  };
}

function geoContext(login: NonNullable<Login>) {
  const geo = login.geo;
  if (!geo) return null;
  return {
    city: geo.city ?? null,
    country: geo.country ? countryName(geo.country) : null,
    geolocation: geo.lat !== undefined && geo.lon !== undefined ? { lat: geo.lat, lon: geo.lon } : null,
    postalCode: null,
    state: null,
  };
}

/** Okta's client.userAgent.browser: the family in capitals, no version. */
function browserFamily(browser: string | undefined): string {
  const family = /^(?:Mobile )?(Chrome|Firefox|Safari|Edge|Opera)\b/.exec(browser ?? '')?.[1];
  return family ? family.toUpperCase() : 'UNKNOWN';
}

function osOf(userAgent: string): string {
  const systems: ReadonlyArray<readonly [RegExp, string]> = [
    [/iPhone|iPad/, 'iOS'],
    [/Android/, 'Android'],
    [/Windows NT 10/, 'Windows 10'],
    [/Windows/, 'Windows'],
    [/Mac OS X/, 'Mac OS X'],
    [/Linux/, 'Linux'],
  ];
  return systems.find(([pattern]) => pattern.test(userAgent))?.[1] ?? 'Unknown';
}

function debugDataOf(event: IdentityEvent, eventType: string): Record<string, string> {
  const login = event.login;
  const rule = EVENT_RULES[eventType];
  const data: Record<string, string | undefined> = {
    deviceFingerprint: login?.deviceId,
    factor: (rule?.kind === 'signIn' || rule?.kind === 'mfa') && !rule.factor ? factorValueOf(login?.factor) : undefined,
    requestId: requestIdOf(event.id),
    risk: riskTextOf(login?.risk),
    threatSuspected: login ? 'false' : undefined,
  };
  if (rule?.kind === 'privilege' && event.role) data[rule.field] = event.role;
  const present = Object.entries(data).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return Object.fromEntries(present.sort(([a], [b]) => (a < b ? -1 : 1)));
}

function outcomeOf(event: IdentityEvent, eventType: string): { reason: string | null; result: string } {
  const login = event.login;
  if (eventType === 'user.mfa.factor.activate') return { reason: `User set up ${factorValueOf(event.user.factors?.at(-1)) ?? 'unknown'} factor`, result: 'SUCCESS' };
  if (!login) return { reason: null, result: 'SUCCESS' };
  // a result Okta has no word for (ERROR, FRAUD) is written as a failure
  const result = OUTCOME_RESULTS.find((row) => row.sigfire === login.result)?.okta ?? 'FAILURE';
  return { reason: login.reason ?? null, result: eventType === 'user.mfa.okta_verify.deny_push' ? 'FAILURE' : result };
}

function factorValueOf(factor: string | undefined): string | undefined {
  return FACTOR_VALUES.find((row) => row.sigfire === factor)?.okta;
}

function riskTextOf(risk: LoginDetails['risk']): string | undefined {
  if (!risk || risk === 'none') return undefined;
  return `{level=${RISK_LEVELS.find((row) => row.sigfire === risk)!.okta}}`;
}

/** Directory fields the record does not carry itself: everything but the principal and a status its event type implies. */
function directoryOverlay(event: IdentityEvent, rule: EventRule | undefined): Record<string, unknown> | undefined {
  const { login: _login, id: _id, displayName: _displayName, ...rest } = event.user;
  const state: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  if (rule?.kind === 'directory' && rule.status !== undefined && state.status === rule.status) delete state.status;
  return Object.keys(state).length > 0 ? state : undefined;
}

/** A stable request id for the event (Okta's transaction.id / debugData.requestId). */
function requestIdOf(id: string): string {
  return `${hashOf(id)}${hashOf(`${id}#`)}`.slice(0, 27);
}

/** FNV-1a, as 16 hex digits: stable ids for apps, groups and requests. */
function hashOf(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0;
    b = Math.imul(b ^ text.charCodeAt(i), 0x811c9dc5) >>> 0;
  }
  return `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}
