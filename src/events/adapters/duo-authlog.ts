import { timestampProblem, type EventUser, type LoginDetails } from '../schema.js';
import type { AdaptResult, RawRecord } from './adapter-types.js';
import { countryCode } from './countries.js';
import {
  ANONYMOUS_IP_REASON,
  AUTHENTICATION,
  DUO_BROWSER_NAMES,
  DUO_FACTOR_PATTERNS,
  DUO_FACTORS,
  DUO_FIELDS,
  DUO_RESULTS,
  ENROLLMENT,
  IGNORED_FACTORS,
  MFA_EVENT_SUFFIX,
  PRIMARY_AUTHENTICATION,
  REASON_USER_STATE,
  SECOND_FACTOR_ONLY,
  TIMEOUT_REASONS,
  TRUST_ASSESSMENT_RISK,
  UNKNOWN_FACTOR,
  mfaAction,
  type DuoFactor,
} from './duo-tables.js';
import { cityCoordinates } from './gazetteer.js';
import { FieldView, SourceFieldError, definedOnly, generatedUserState } from './record-fields.js';
import { browserFromUserAgent } from './user-agent.js';

/** An Admin API v2 authentication log record: txid, a time, and the user or the outcome. */
export function isAuthlog(record: RawRecord): boolean {
  return (
    typeof record.txid === 'string' &&
    (typeof record.isotimestamp === 'string' || typeof record.timestamp === 'number') &&
    ((typeof record.user === 'object' && record.user !== null) || typeof record.factor === 'string' || typeof record.result === 'string')
  );
}

type Event = Record<string, unknown>;

/**
 * One authentication log record -> its events. A record without a second factor (remembered
 * device, not_available) records the access decision after primary authentication: one `login`;
 * so is sigfire's primary_authentication convention. A second-factor exchange (push, passcode,
 * ...) is an `mfa` event; when it succeeded it is also the sign-in, so a real export's record
 * gives the mfa event (id `<txid>:mfa`) and a SUCCESS login (id `<txid>`) with that factor, as
 * the Entra adapter does for a password + MFA sign-in. A failed second factor is the mfa event
 * only (the password was right: no failure-count check may count it). Generated files mark a
 * success whose sign-in they write apart (sigfire.secondFactorOnly): the mfa event only, id txid.
 */
export function adaptAuthlog(record: RawRecord): AdaptResult {
  const view = new FieldView(record, DUO_FIELDS);
  const id = view.requiredString('txid', "the record's transaction id");
  const time = readTime(view);
  const user = readUser(view);
  const eventType = view.string('event_type')?.toLowerCase() ?? AUTHENTICATION;
  if (eventType === ENROLLMENT) return adaptEnrollment(view, id, time, user);
  if (eventType !== AUTHENTICATION && eventType !== PRIMARY_AUTHENTICATION) {
    return { kind: 'ignored', reason: `event_type "${eventType}" is not a sign-in` };
  }
  const factorName = view.string('factor')?.toLowerCase();
  const ignoredBecause = factorName === undefined ? undefined : IGNORED_FACTORS[factorName];
  if (ignoredBecause) return { kind: 'ignored', reason: `factor "${factorName}": ${ignoredBecause}` };

  const factor = duoFactor(factorName);
  const reason = view.string('reason')?.toLowerCase();
  const result = loginResult(view.requiredString('result', 'success, denied, failure, error or fraud'), reason);
  const login = readLogin(view, factor, result, reason);
  const eventUser = { ...user, ...(reason ? REASON_USER_STATE[reason] : undefined), ...generatedUserState(view) };
  const event = (eventId: string, type: 'login' | 'mfa'): Event =>
    definedOnly({
      id: eventId,
      time,
      provider: 'DUO',
      type,
      action: type === 'mfa' ? mfaAction(factor.factor, result) : undefined,
      user: { ...eventUser },
      login: { ...login },
    });
  if (eventType === PRIMARY_AUTHENTICATION || !factor.secondFactor) return { kind: 'events', events: [event(id, 'login')] };
  if (result !== 'SUCCESS' || view.boolean(`sigfire.${SECOND_FACTOR_ONLY}`) === true) return { kind: 'events', events: [event(id, 'mfa')] };
  return { kind: 'events', events: [event(`${id}${MFA_EVENT_SUFFIX}`, 'mfa'), event(id, 'login')] };
}

/** The login block every event of the record shares. */
function readLogin(view: FieldView, factor: DuoFactor, result: NonNullable<LoginDetails['result']>, reason: string | undefined): LoginDetails {
  return definedOnly({
    result,
    reason,
    factor: factor.factor,
    application: view.string('application.name'),
    ip: readAccessIp(view),
    geo: readGeo(view),
    anonymizer: reason === ANONYMOUS_IP_REASON ? true : undefined,
    userAgent: view.string('access_device.user_agent'),
    browser: readBrowser(view),
    deviceId: view.string('access_device.epkey'),
    sessionId: view.string('trusted_session_info.trusted_session_uuid'),
    risk: readRisk(view),
  });
}

/** A device enrolled through Duo's enrollment flow: the user now has a second factor. */
function adaptEnrollment(view: FieldView, id: string, time: string, user: EventUser): AdaptResult {
  const result = view.string('result')?.toLowerCase();
  if (result !== 'success') return { kind: 'ignored', reason: `enrollment that did not complete (result ${result ?? 'missing'})` };
  const event = {
    id,
    time,
    provider: 'DUO',
    type: 'user',
    action: 'mfa_enrolled',
    user: { ...user, ...generatedUserState(view) },
  };
  return { kind: 'events', events: [event] };
}

/** Unix times below this are seconds (Duo's authentication and administrator logs), above it milliseconds. */
const MILLISECONDS_FROM = 1e11;

/**
 * The record's time, ISO 8601 with a zone: `isotimestamp` ("2024-09-10T18:57:44.444611+00:00", or
 * with a space for the "T"), else `timestamp` (Unix seconds; milliseconds are recognised by size).
 */
export function readTime(view: FieldView): string {
  const iso = view.string('isotimestamp')?.replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T');
  const isoProblem = iso === undefined ? undefined : timestampProblem(iso);
  if (iso !== undefined && isoProblem === undefined) return iso;
  const unix = view.value('timestamp');
  if (typeof unix === 'number' && Number.isFinite(unix) && unix > 0) {
    return new Date(unix < MILLISECONDS_FROM ? unix * 1000 : unix).toISOString();
  }
  if (isoProblem !== undefined) throw new SourceFieldError('isotimestamp', isoProblem);
  if (unix === undefined) throw new SourceFieldError('isotimestamp', 'required (or timestamp)');
  throw new SourceFieldError('timestamp', `expected Unix seconds, got ${JSON.stringify(unix)}`);
}

/**
 * The login is always the Duo username: Duo fills `email` in some records of a user and not in
 * others, and the administrator log names users by username, so the email would split one
 * person's windows across two keys. The email is kept in user.email.
 */
function readUser(view: FieldView): EventUser {
  view.object('user');
  const login = view.requiredString('user.name', "the user's Duo username");
  return definedOnly({ login, id: view.string('user.key'), email: view.string('email') });
}

function duoFactor(name: string | undefined): DuoFactor {
  if (name === undefined) return DUO_FACTORS.not_available!;
  const known = DUO_FACTORS[name];
  if (known) return known;
  return DUO_FACTOR_PATTERNS.find(([pattern]) => pattern.test(name))?.[1] ?? UNKNOWN_FACTOR;
}

function loginResult(duoResult: string, reason: string | undefined): NonNullable<LoginDetails['result']> {
  const result = DUO_RESULTS[duoResult.toLowerCase()] ?? 'UNKNOWN';
  if (result !== 'SUCCESS' && reason !== undefined && TIMEOUT_REASONS.includes(reason)) return 'TIMEOUT';
  return result;
}

/** "203.0.113.7:51234" -> "203.0.113.7", "[2001:db8::7]:51234" -> "2001:db8::7" (some exports keep the source port). */
function readAccessIp(view: FieldView): string | undefined {
  const ip = view.string('access_device.ip');
  if (ip === undefined) return undefined;
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(ip) ?? /^\[([0-9A-Fa-f:.]+)\](?::\d+)?$/.exec(ip);
  return withPort ? withPort[1] : ip;
}

/**
 * Country by name ("United States" -> "US"); coordinates from the gazetteer when the city is in
 * it, the state choosing between cities of one name (Portland, Oregon or Maine).
 */
function readGeo(view: FieldView): LoginDetails['geo'] {
  const country = countryCode(view.string('access_device.location.country'));
  const city = view.string('access_device.location.city');
  if (country === undefined && city === undefined) return undefined;
  const state = view.string('access_device.location.state');
  return definedOnly({ country, city, ...cityCoordinates(city, country, state) });
}

/** "Chrome" + "131.0.6778.86" -> "Chrome 131"; the raw user agent wins when the record has one (generated files). */
function readBrowser(view: FieldView): string | undefined {
  const fromUserAgent = browserFromUserAgent(view.string('access_device.user_agent'));
  if (fromUserAgent) return fromUserAgent;
  const name = view.string('access_device.browser');
  if (name === undefined) return undefined;
  const major = /^\d+/.exec(view.string('access_device.browser_version') ?? '')?.[0];
  const displayName = DUO_BROWSER_NAMES[name] ?? name;
  return major ? `${displayName} ${major}` : displayName;
}

function readRisk(view: FieldView): LoginDetails['risk'] {
  for (const { assessment, trustLevel, risk, enforcedOnly } of TRUST_ASSESSMENT_RISK) {
    const path = `adaptive_trust_assessments.${assessment}`;
    if (view.string(`${path}.trust_level`)?.toUpperCase() !== trustLevel) continue;
    if (enforcedOnly && view.boolean(`${path}.policy_enabled`) !== true) continue;
    return risk;
  }
  return undefined;
}
