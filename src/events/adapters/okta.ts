import type { LoginDetails } from '../schema.js';
import type { AdaptResult, RawRecord, SourceAdapter } from './adapter-types.js';
import { countryCode } from './countries.js';
import {
  OktaFieldError,
  known,
  lookup,
  optionalBoolean,
  optionalInteger,
  optionalNumber,
  optionalObject,
  optionalString,
  principalAt,
  publishedTime,
  requiredString,
  riskOf,
  rolesIn,
  targetsOf,
  type OktaPrincipal,
} from './okta-fields.js';
import { OKTA_MAPPING } from './okta-mapping.js';
import {
  EVENT_RULES,
  FACTOR_VALUES,
  IGNORED_EVENT_TYPES,
  NO_SESSION_IDS,
  OUTCOME_RESULTS,
  PUSH_RESPONSES,
  UNLISTED_FACTOR,
  mfaAction,
  type EventRule,
} from './okta-tables.js';
import { browserFromUserAgent } from './user-agent.js';

type Event = Record<string, unknown>;
type LoginResult = NonNullable<LoginDetails['result']>;
type Factor = NonNullable<LoginDetails['factor']>;
type Base = { id: string; time: string; provider: 'OKTA' };
type RuleOf<K extends EventRule['kind']> = Extract<EventRule, { kind: K }>;

/** Okta System Log events (`/api/v1/logs`, or one LogEvent a line) -> sigfire events. */
export const oktaAdapter: SourceAdapter = {
  format: 'okta',
  name: 'Okta System Log',
  expects: 'uuid, published, eventType, actor',
  recognizes: (record) =>
    typeof record.eventType === 'string' && OKTA_EVENT_TYPE.test(record.eventType) && ('published' in record || 'uuid' in record),
  adapt,
  mapping: OKTA_MAPPING,
};

const OKTA_EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/i;
const UNKNOWN_PRINCIPAL = 'unknown';

function adapt(record: RawRecord): AdaptResult {
  try {
    return adaptRecord(record);
  } catch (error) {
    if (error instanceof OktaFieldError) return { kind: 'error', field: error.field, message: error.message };
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}

function adaptRecord(record: RawRecord): AdaptResult {
  const eventType = requiredString(record, 'eventType');
  const rule = EVENT_RULES[eventType];
  if (!rule) return ignored(`${eventType}: ${IGNORED_EVENT_TYPES[eventType] ?? "nothing sigfire's checks read"}`);
  const base: Base = { id: requiredString(record, 'uuid'), time: publishedTime(record), provider: 'OKTA' };
  const result = eventsFor(record, rule, base);
  const overlay = optionalObject(record, 'sigfire.user');
  if (result.kind === 'events' && overlay) {
    for (const event of result.events) event.user = { ...(event.user as object), ...overlay };
  }
  return result;
}

function eventsFor(record: RawRecord, rule: EventRule, base: Base): AdaptResult {
  switch (rule.kind) {
    case 'signIn':
      return signInEvent(record, rule, base);
    case 'mfa':
      return mfaEvent(record, rule, base);
    case 'risk':
      return riskEvent(record, rule, base);
    case 'session':
      return sessionEvent(record, rule, base);
    case 'directory':
      return directoryEvent(record, rule, base);
    case 'privilege':
      return privilegeEvents(record, rule, base);
    case 'group':
      return groupEvent(record, rule, base);
  }
}

function signInEvent(record: RawRecord, rule: RuleOf<'signIn'>, base: Base): AdaptResult {
  const user = actorUser(record, true);
  if (!user) return ignored('a sign-in by an unknown user (actor.alternateId "unknown")');
  const login = { result: outcomeResult(record, true), reason: reasonOf(record), factor: rule.factor ?? factorOf(record), ...clientContext(record) };
  return events({ ...base, type: 'login', user, login: defined(login) });
}

function mfaEvent(record: RawRecord, rule: RuleOf<'mfa'>, base: Base): AdaptResult {
  const user = actorUser(record, true);
  if (!user) return ignored('an MFA challenge for an unknown user (actor.alternateId "unknown")');
  const factor = rule.factor ?? factorOf(record) ?? UNLISTED_FACTOR;
  if (factor === 'password') return ignored('the password step of an Identity Engine sign-in; user.session.start records the sign-in');
  const result = rule.result ?? mfaResult(record, factor);
  const login = { result, reason: reasonOf(record), factor, ...clientContext(record) };
  return events({ ...base, type: 'mfa', action: mfaAction(factor, result), user, login: defined(login) });
}

function riskEvent(record: RawRecord, rule: RuleOf<'risk'>, base: Base): AdaptResult {
  const user = userOf(targetUser(record)) ?? actorUser(record, false);
  if (!user) return ignored(`${rule.action.replace('_', ' ')} with no known user`);
  const context = clientContext(record);
  const risk = context.risk ?? rule.risk;
  if (!risk) throw new OktaFieldError('debugContext.debugData.risk', 'required: a risk event without a risk level');
  const login = { result: outcomeResult(record, false), reason: reasonOf(record), ...context, risk };
  return events({ ...base, type: 'risk', action: rule.action, user, login: defined(login) });
}

function sessionEvent(record: RawRecord, rule: RuleOf<'session'>, base: Base): AdaptResult {
  const user = userOf(targetUser(record));
  if (!user) return ignored(`${rule.action.replace('_', ' ')} with no target User`);
  const login = { result: outcomeResult(record, false), reason: reasonOf(record), ...clientContext(record) };
  return events({ ...base, type: 'session', action: rule.action, ...actorOf(record), user, login: defined(login) });
}

function directoryEvent(record: RawRecord, rule: RuleOf<'directory'>, base: Base): AdaptResult {
  const user = { ...subjectUser(record), status: rule.status, createdAt: rule.action === 'created' ? base.time : undefined };
  return events({ ...base, type: 'user', action: rule.action, ...actorOf(record), user: defined(user) });
}

function privilegeEvents(record: RawRecord, rule: RuleOf<'privilege'>, base: Base): AdaptResult {
  const path = `debugContext.debugData.${rule.field}`;
  const roles = rolesIn(optionalString(record, path));
  if (roles.length === 0) {
    if (rule.action === 'role_removed') return ignored('a privilege revoke that does not name the role');
    throw new OktaFieldError(path, 'required: the admin role granted');
  }
  const user = subjectUser(record);
  const actor = actorOf(record);
  // one record may grant several roles; each becomes its own event, told apart by a suffix
  const idOf = (i: number) => (roles.length === 1 ? base.id : `${base.id}#${i + 1}`);
  return {
    kind: 'events',
    events: roles.map((role, i) => ({ ...base, id: idOf(i), type: 'user', action: rule.action, role, ...actor, user: { ...user } })),
  };
}

function groupEvent(record: RawRecord, rule: RuleOf<'group'>, base: Base): AdaptResult {
  const group = targetsOf(record).find((target) => target.type === 'UserGroup')?.displayName;
  if (!group) throw new OktaFieldError('target', 'no target of type UserGroup with a displayName');
  return events({ ...base, type: 'user', action: rule.action, role: group, ...actorOf(record), user: subjectUser(record) });
}

// --- people ---

function userOf(principal: OktaPrincipal | undefined): Event | undefined {
  if (!principal?.alternateId || principal.alternateId === UNKNOWN_PRINCIPAL) return undefined;
  const known = (value: string | undefined) => (value === UNKNOWN_PRINCIPAL ? undefined : value);
  return defined({ login: principal.alternateId, id: known(principal.id), displayName: known(principal.displayName) });
}

function actorPrincipal(record: RawRecord): OktaPrincipal | undefined {
  const actor = optionalObject(record, 'actor');
  return actor && principalAt(actor, 'actor');
}

/** The actor as the user the event is about; `required`: a missing alternateId is an error. */
function actorUser(record: RawRecord, required: boolean): Event | undefined {
  const actor = actorPrincipal(record);
  if (required && !actor?.alternateId) throw new OktaFieldError('actor.alternateId', 'required: the user who signed in');
  return actor?.type === 'User' || required ? userOf(actor) : undefined;
}

function actorOf(record: RawRecord): { actor?: { login: string } } {
  const login = actorPrincipal(record)?.alternateId;
  return login && login !== UNKNOWN_PRINCIPAL ? { actor: { login } } : {};
}

function targetUser(record: RawRecord): OktaPrincipal | undefined {
  return targetsOf(record).find((target) => target.type === 'User');
}

/** The user a directory change is about: the target User, which such records must have. */
function subjectUser(record: RawRecord): Event {
  const user = userOf(targetUser(record));
  if (!user) throw new OktaFieldError('target', 'no target of type User with an alternateId');
  return user;
}

// --- sign-in details ---

const outcomeLookup = lookup(OUTCOME_RESULTS);
const pushLookup = lookup(PUSH_RESPONSES);
const factorLookup = lookup(FACTOR_VALUES);

function outcomeResult(record: RawRecord, required: boolean): LoginResult | undefined {
  const value = required ? requiredString(record, 'outcome.result') : optionalString(record, 'outcome.result');
  return value === undefined ? undefined : known(outcomeLookup, value, 'outcome.result');
}

/** A push that did not succeed: the user's push response decides, else a failure is a deny. */
function mfaResult(record: RawRecord, factor: Factor): LoginResult {
  const result = outcomeResult(record, true)!;
  if (factor !== 'push' || result === 'SUCCESS') return result;
  const response = optionalString(record, 'debugContext.debugData.pushOnlyResponseType');
  if (response !== undefined) return known(pushLookup, response, 'debugContext.debugData.pushOnlyResponseType');
  return result === 'FAILURE' ? 'DENIED' : result;
}

function factorOf(record: RawRecord): Factor | undefined {
  const value = optionalString(record, 'debugContext.debugData.factor');
  return value === undefined ? undefined : (factorLookup.get(value.toUpperCase()) ?? UNLISTED_FACTOR);
}

function reasonOf(record: RawRecord): string | undefined {
  return optionalString(record, 'outcome.reason');
}

function clientContext(record: RawRecord) {
  const userAgent = optionalString(record, 'client.userAgent.rawUserAgent');
  const sessionId = optionalString(record, 'authenticationContext.externalSessionId');
  return {
    application: targetsOf(record).find((target) => target.type === 'AppInstance')?.displayName,
    ip: optionalString(record, 'client.ipAddress'),
    geo: geoOf(record),
    asn: optionalInteger(record, 'securityContext.asNumber'),
    asOrg: optionalString(record, 'securityContext.asOrg'),
    anonymizer: optionalBoolean(record, 'securityContext.isProxy'),
    userAgent,
    browser: browserFromUserAgent(userAgent),
    deviceId: optionalString(record, 'debugContext.debugData.deviceFingerprint') ?? optionalString(record, 'device.id'),
    sessionId: sessionId !== undefined && NO_SESSION_IDS.includes(sessionId) ? undefined : sessionId,
    risk: riskOf(record),
  };
}

function geoOf(record: RawRecord): Event | undefined {
  const at = 'client.geographicalContext';
  const geo = defined({
    country: countryCode(optionalString(record, `${at}.country`)),
    city: optionalString(record, `${at}.city`),
    lat: optionalNumber(record, `${at}.geolocation.lat`),
    lon: optionalNumber(record, `${at}.geolocation.lon`),
  });
  return Object.keys(geo).length > 0 ? geo : undefined;
}

// --- small helpers ---

/** The object without its undefined members (so the event carries only what the record said). */
function defined<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function events(event: Event): AdaptResult {
  return { kind: 'events', events: [event] };
}

function ignored(reason: string): AdaptResult {
  return { kind: 'ignored', reason };
}
