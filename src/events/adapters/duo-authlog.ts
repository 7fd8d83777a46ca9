import type { EventUser, LoginDetails } from '../schema.js';
import type { AdaptResult, RawRecord } from './adapter-types.js';
import { countryCode } from './countries.js';
import { SourceFieldError, definedOnly, readGeneratedUserState, readObject, readString, readTime, requireString } from './duo-fields.js';
import {
  ANONYMOUS_IP_REASON,
  AUTHENTICATION,
  DIRECTORY_STATE_KEYS,
  DUO_BROWSER_NAMES,
  DUO_FACTOR_PATTERNS,
  DUO_FACTORS,
  DUO_RESULTS,
  ENROLLMENT,
  IGNORED_FACTORS,
  PRIMARY_AUTHENTICATION,
  REASON_USER_STATE,
  TIMEOUT_REASONS,
  TRUST_ASSESSMENT_RISK,
  UNKNOWN_FACTOR,
  mfaAction,
  type DuoFactor,
} from './duo-tables.js';
import { cityCoordinates } from './gazetteer.js';
import { browserFromUserAgent } from './user-agent.js';

/** An Admin API v2 authentication log record: txid, a time, and the user or the outcome. */
export function isAuthlog(record: RawRecord): boolean {
  return (
    typeof record.txid === 'string' &&
    (typeof record.isotimestamp === 'string' || typeof record.timestamp === 'number') &&
    ((typeof record.user === 'object' && record.user !== null) || typeof record.factor === 'string' || typeof record.result === 'string')
  );
}

/**
 * One authentication log record -> one event. A second-factor exchange (push, passcode, ...) is an
 * `mfa` event; a record without one (remembered device, not_available) records the access decision
 * after primary authentication and is a `login`; so is sigfire's primary_authentication convention.
 */
export function adaptAuthlog(record: RawRecord): AdaptResult {
  const id = requireString(record, 'txid', "the record's transaction id");
  const time = readTime(record);
  const user = readUser(record);
  const eventType = readString(record, 'event_type')?.toLowerCase() ?? AUTHENTICATION;
  if (eventType === ENROLLMENT) return adaptEnrollment(record, id, time, user);
  if (eventType !== AUTHENTICATION && eventType !== PRIMARY_AUTHENTICATION) {
    return { kind: 'ignored', reason: `event_type "${eventType}" is not a sign-in` };
  }
  const factorName = readString(record, 'factor')?.toLowerCase();
  const ignoredBecause = factorName === undefined ? undefined : IGNORED_FACTORS[factorName];
  if (ignoredBecause) return { kind: 'ignored', reason: `factor "${factorName}": ${ignoredBecause}` };

  const factor = duoFactor(factorName);
  const reason = readString(record, 'reason')?.toLowerCase();
  const result = loginResult(requireString(record, 'result', 'success, denied, failure, error or fraud'), reason);
  const type = eventType === PRIMARY_AUTHENTICATION || !factor.secondFactor ? 'login' : 'mfa';
  const login: LoginDetails = {
    result,
    reason,
    factor: factor.factor,
    application: readString(record, 'application.name'),
    ip: readAccessIp(record),
    geo: readGeo(record),
    anonymizer: reason === ANONYMOUS_IP_REASON ? true : undefined,
    userAgent: readString(record, 'access_device.user_agent'),
    browser: readBrowser(record),
    deviceId: readString(record, 'access_device.epkey'),
    sessionId: readString(record, 'trusted_session_info.trusted_session_uuid'),
    risk: readRisk(record),
  };
  const event = {
    id,
    time,
    provider: 'DUO',
    type,
    action: type === 'mfa' ? mfaAction(factor.factor, result) : undefined,
    user: { ...user, ...(reason ? REASON_USER_STATE[reason] : undefined), ...readGeneratedUserState(record, DIRECTORY_STATE_KEYS) },
    login: definedOnly(login),
  };
  return { kind: 'events', events: [definedOnly(event)] };
}

/** A device enrolled through Duo's enrollment flow: the user now has a second factor. */
function adaptEnrollment(record: RawRecord, id: string, time: string, user: EventUser): AdaptResult {
  const result = readString(record, 'result')?.toLowerCase();
  if (result !== 'success') return { kind: 'ignored', reason: `enrollment that did not complete (result ${result ?? 'missing'})` };
  const event = {
    id,
    time,
    provider: 'DUO',
    type: 'user',
    action: 'mfa_enrolled',
    user: { ...user, ...readGeneratedUserState(record, DIRECTORY_STATE_KEYS) },
  };
  return { kind: 'events', events: [event] };
}

/** The email (what Okta logins and Entra UPNs are) when Duo knows it, else the Duo username. */
function readUser(record: RawRecord): EventUser {
  readObject(record, 'user');
  const email = readString(record, 'email');
  const name = readString(record, 'user.name');
  const login = email ?? name;
  if (login === undefined) throw new SourceFieldError('user.name', "required: the user's Duo username (or an email)");
  return definedOnly({ login, id: readString(record, 'user.key'), email });
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

/** "203.0.113.7:51234" -> "203.0.113.7" (some exports keep the source port). */
function readAccessIp(record: RawRecord): string | undefined {
  const ip = readString(record, 'access_device.ip');
  const withPort = ip === undefined ? null : /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(ip);
  return withPort ? withPort[1] : ip;
}

/** Country by name ("United States" -> "US"); coordinates from the gazetteer when the city is in it. */
function readGeo(record: RawRecord): LoginDetails['geo'] {
  const country = countryCode(readString(record, 'access_device.location.country'));
  const city = readString(record, 'access_device.location.city');
  if (country === undefined && city === undefined) return undefined;
  return definedOnly({ country, city, ...cityCoordinates(city, country) });
}

/** "Chrome" + "131.0.6778.86" -> "Chrome 131"; the raw user agent wins when the record has one (generated files). */
function readBrowser(record: RawRecord): string | undefined {
  const fromUserAgent = browserFromUserAgent(readString(record, 'access_device.user_agent'));
  if (fromUserAgent) return fromUserAgent;
  const name = readString(record, 'access_device.browser');
  if (name === undefined) return undefined;
  const major = /^\d+/.exec(readString(record, 'access_device.browser_version') ?? '')?.[0];
  const displayName = DUO_BROWSER_NAMES[name] ?? name;
  return major ? `${displayName} ${major}` : displayName;
}

function readRisk(record: RawRecord): LoginDetails['risk'] {
  for (const { assessment, trustLevel, risk } of TRUST_ASSESSMENT_RISK) {
    if (readString(record, `adaptive_trust_assessments.${assessment}.trust_level`)?.toUpperCase() === trustLevel) return risk;
  }
  return undefined;
}
