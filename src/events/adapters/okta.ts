import type { LoginDetails } from '../schema.js';
import type { AdaptResult, SourceAdapter } from './adapter-types.js';
import { countryCode } from './countries.js';
import { OKTA_MAPPING } from './okta-mapping.js';
import {
  EVENT_RULES,
  FACTOR_VALUES,
  IGNORED_EVENT_TYPES,
  NO_SESSION_IDS,
  OUTCOME_RESULTS,
  PUSH_RESPONSES,
  RISK_LEVELS,
  UNLISTED_FACTOR,
  known,
  lookup,
  mfaAction,
  type EventRule,
} from './okta-tables.js';
import { FieldView, SourceFieldError, definedOnly, generatedUserState, withFieldErrors } from './record-fields.js';
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
  adapt: withFieldErrors((record) => adaptRecord(new FieldView(record))),
  mapping: OKTA_MAPPING,
};

const OKTA_EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/i;
const UNKNOWN_PRINCIPAL = 'unknown';

function adaptRecord(view: FieldView): AdaptResult {
  const eventType = view.requiredString('eventType');
  const rule = EVENT_RULES[eventType];
  if (!rule) return ignored(`${eventType}: ${IGNORED_EVENT_TYPES[eventType] ?? "nothing sigfire's checks read"}`);
  const base: Base = { id: view.requiredString('uuid'), time: view.requiredTime('published'), provider: 'OKTA' };
  const result = eventsFor(view, rule, base);
  const overlay = generatedUserState(view);
  if (result.kind === 'events' && Object.keys(overlay).length > 0) {
    for (const event of result.events) event.user = { ...(event.user as object), ...overlay };
  }
  return result;
}

function eventsFor(view: FieldView, rule: EventRule, base: Base): AdaptResult {
  switch (rule.kind) {
    case 'signIn':
      return signInEvent(view, rule, base);
    case 'mfa':
      return mfaEvent(view, rule, base);
    case 'risk':
      return riskEvent(view, rule, base);
    case 'session':
      return sessionEvent(view, rule, base);
    case 'directory':
      return directoryEvent(view, rule, base);
    case 'privilege':
      return privilegeEvents(view, rule, base);
    case 'group':
      return groupEvent(view, rule, base);
  }
}

function signInEvent(view: FieldView, rule: RuleOf<'signIn'>, base: Base): AdaptResult {
  const user = actorUser(view, true);
  if (!user) return ignored('a sign-in by an unknown user (actor.alternateId "unknown")');
  const login = { result: outcomeResult(view, true), reason: reasonOf(view), factor: rule.factor ?? factorOf(view), ...clientContext(view) };
  return events({ ...base, type: 'login', user, login: definedOnly(login) });
}

function mfaEvent(view: FieldView, rule: RuleOf<'mfa'>, base: Base): AdaptResult {
  const user = actorUser(view, true);
  if (!user) return ignored('an MFA challenge for an unknown user (actor.alternateId "unknown")');
  const factor = rule.factor ?? factorOf(view) ?? UNLISTED_FACTOR;
  if (factor === 'password') return ignored('the password step of an Identity Engine sign-in; user.session.start records the sign-in');
  const result = rule.result ?? mfaResult(view, factor);
  const login = { result, reason: reasonOf(view), factor, ...clientContext(view) };
  return events({ ...base, type: 'mfa', action: mfaAction(factor, result), user, login: definedOnly(login) });
}

function riskEvent(view: FieldView, rule: RuleOf<'risk'>, base: Base): AdaptResult {
  const user = userOf(targetUser(view)) ?? actorUser(view, false);
  if (!user) return ignored(`${rule.action.replace('_', ' ')} with no known user`);
  const context = clientContext(view);
  const risk = context.risk ?? rule.risk;
  if (!risk) throw new SourceFieldError('debugContext.debugData.risk', 'required: a risk event without a risk level');
  const login = { result: outcomeResult(view, false), reason: reasonOf(view), ...context, risk };
  return events({ ...base, type: 'risk', action: rule.action, user, login: definedOnly(login) });
}

function sessionEvent(view: FieldView, rule: RuleOf<'session'>, base: Base): AdaptResult {
  const user = userOf(targetUser(view));
  if (!user) return ignored(`${rule.action.replace('_', ' ')} with no target User`);
  const login = { result: outcomeResult(view, false), reason: reasonOf(view), ...clientContext(view) };
  return events({ ...base, type: 'session', action: rule.action, ...actorOf(view), user, login: definedOnly(login) });
}

function directoryEvent(view: FieldView, rule: RuleOf<'directory'>, base: Base): AdaptResult {
  const user = { ...subjectUser(view), status: rule.status, createdAt: rule.action === 'created' ? base.time : undefined };
  return events({ ...base, type: 'user', action: rule.action, ...actorOf(view), user: definedOnly(user) });
}

function privilegeEvents(view: FieldView, rule: RuleOf<'privilege'>, base: Base): AdaptResult {
  const path = `debugContext.debugData.${rule.field}`;
  const roles = rolesIn(view.string(path));
  if (roles.length === 0) {
    if (rule.action === 'role_removed') return ignored('a privilege revoke that does not name the role');
    throw new SourceFieldError(path, 'required: the admin role granted');
  }
  const user = subjectUser(view);
  const actor = actorOf(view);
  // one record may grant several roles; each becomes its own event, told apart by a suffix
  const idOf = (i: number) => (roles.length === 1 ? base.id : `${base.id}#${i + 1}`);
  return {
    kind: 'events',
    events: roles.map((role, i) => ({ ...base, id: idOf(i), type: 'user', action: rule.action, role, ...actor, user: { ...user } })),
  };
}

function groupEvent(view: FieldView, rule: RuleOf<'group'>, base: Base): AdaptResult {
  const group = targetsOf(view).find((target) => target.type === 'UserGroup')?.displayName;
  if (!group) throw new SourceFieldError('target', 'no target of type UserGroup with a displayName');
  return events({ ...base, type: 'user', action: rule.action, role: group, ...actorOf(view), user: subjectUser(view) });
}

// --- people ---

/** An Okta actor or target: a principal with a type and an alternateId (a login for users). */
interface Principal {
  type?: string;
  alternateId?: string;
  id?: string;
  displayName?: string;
}

function userOf(principal: Principal | undefined): Event | undefined {
  if (!principal?.alternateId || principal.alternateId === UNKNOWN_PRINCIPAL) return undefined;
  const unlessUnknown = (value: string | undefined) => (value === UNKNOWN_PRINCIPAL ? undefined : value);
  return definedOnly({ login: principal.alternateId, id: unlessUnknown(principal.id), displayName: unlessUnknown(principal.displayName) });
}

function principalOf(view: FieldView): Principal {
  return { type: view.string('type'), alternateId: view.string('alternateId'), id: view.string('id'), displayName: view.string('displayName') };
}

function actorPrincipal(view: FieldView): Principal | undefined {
  const actor = view.child('actor');
  return actor && principalOf(actor);
}

/** The actor as the user the event is about; `required`: a missing alternateId is an error. */
function actorUser(view: FieldView, required: boolean): Event | undefined {
  const actor = actorPrincipal(view);
  if (required && !actor?.alternateId) throw new SourceFieldError('actor.alternateId', 'required: the user who signed in');
  return actor?.type === 'User' || required ? userOf(actor) : undefined;
}

function actorOf(view: FieldView): { actor?: { login: string } } {
  const login = actorPrincipal(view)?.alternateId;
  return login && login !== UNKNOWN_PRINCIPAL ? { actor: { login } } : {};
}

/** The elements of target[] (each checked to be an object), in order. */
function targetsOf(view: FieldView): Principal[] {
  return view.children('target').map(principalOf);
}

function targetUser(view: FieldView): Principal | undefined {
  return targetsOf(view).find((target) => target.type === 'User');
}

/** The user a directory change is about: the target User, which such records must have. */
function subjectUser(view: FieldView): Event {
  const user = userOf(targetUser(view));
  if (!user) throw new SourceFieldError('target', 'no target of type User with an alternateId');
  return user;
}

// --- sign-in details ---

const outcomeLookup = lookup(OUTCOME_RESULTS);
const pushLookup = lookup(PUSH_RESPONSES);
const factorLookup = lookup(FACTOR_VALUES);

function outcomeResult(view: FieldView, required: boolean): LoginResult | undefined {
  const value = required ? view.requiredString('outcome.result') : view.string('outcome.result');
  return value === undefined ? undefined : known(outcomeLookup, value, 'outcome.result');
}

/** A push that did not succeed: the user's push response decides, else a failure is a deny. */
function mfaResult(view: FieldView, factor: Factor): LoginResult {
  const result = outcomeResult(view, true)!;
  if (factor !== 'push' || result === 'SUCCESS') return result;
  const response = view.string('debugContext.debugData.pushOnlyResponseType');
  if (response !== undefined) return known(pushLookup, response, 'debugContext.debugData.pushOnlyResponseType');
  return result === 'FAILURE' ? 'DENIED' : result;
}

function factorOf(view: FieldView): Factor | undefined {
  const value = view.string('debugContext.debugData.factor');
  return value === undefined ? undefined : (factorLookup.get(value.toUpperCase()) ?? UNLISTED_FACTOR);
}

function reasonOf(view: FieldView): string | undefined {
  return view.string('outcome.reason');
}

function clientContext(view: FieldView) {
  const userAgent = view.string('client.userAgent.rawUserAgent');
  const sessionId = view.string('authenticationContext.externalSessionId');
  return {
    application: targetsOf(view).find((target) => target.type === 'AppInstance')?.displayName,
    ip: view.string('client.ipAddress'),
    geo: geoOf(view),
    asn: view.integer('securityContext.asNumber'),
    asOrg: view.string('securityContext.asOrg'),
    anonymizer: view.boolean('securityContext.isProxy'),
    userAgent,
    browser: browserFromUserAgent(userAgent),
    deviceId: view.string('debugContext.debugData.deviceFingerprint') ?? view.string('device.id'),
    sessionId: sessionId !== undefined && NO_SESSION_IDS.includes(sessionId) ? undefined : sessionId,
    risk: riskOf(view),
  };
}

function geoOf(view: FieldView): Event | undefined {
  const at = 'client.geographicalContext';
  const geo = definedOnly({
    country: countryCode(view.string(`${at}.country`)),
    city: view.string(`${at}.city`),
    lat: view.number(`${at}.geolocation.lat`),
    lon: view.number(`${at}.geolocation.lon`),
  });
  return Object.keys(geo).length > 0 ? geo : undefined;
}

const riskLookup = lookup(RISK_LEVELS);

/** debugData.risk ("{reasons=..., level=HIGH}"), else the risk in debugData.logOnlySecurityData (JSON). */
function riskOf(view: FieldView): NonNullable<LoginDetails['risk']> | undefined {
  const riskPath = 'debugContext.debugData.risk';
  const risk = view.string(riskPath);
  if (risk !== undefined) {
    const level = /(?:^|[{,\s])level=([A-Za-z_]+)/.exec(risk)?.[1];
    if (!level) throw new SourceFieldError(riskPath, `no level= in ${JSON.stringify(risk.slice(0, 60))}`);
    return known(riskLookup, level, riskPath);
  }
  const logOnlyPath = 'debugContext.debugData.logOnlySecurityData';
  const logOnly = view.string(logOnlyPath);
  if (logOnly === undefined) return undefined;
  let level: unknown;
  try {
    level = (JSON.parse(logOnly) as { risk?: { level?: unknown } } | null)?.risk?.level;
  } catch {
    throw new SourceFieldError(logOnlyPath, 'not JSON');
  }
  return typeof level === 'string' ? known(riskLookup, level, logOnlyPath) : undefined;
}

/** "Organization administrator, Application administrator (all)" -> both role names, scopes dropped. */
function rolesIn(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(',')
    .map((role) => role.replace(/\s*\([^)]*\)\s*$/, '').trim())
    .filter((role) => role !== '');
}

// --- small helpers ---

function events(event: Event): AdaptResult {
  return { kind: 'events', events: [event] };
}

function ignored(reason: string): AdaptResult {
  return { kind: 'ignored', reason };
}
