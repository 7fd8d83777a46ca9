import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { RawRecord, VendorEncoder } from '../../events/adapters/adapter-types.js';
import { countryName } from '../../events/adapters/countries.js';
import { adaptAdministratorRecord } from '../../events/adapters/duo-admin-log.js';
import {
  ANONYMOUS_IP_REASON,
  AUTHENTICATION,
  DUO_FACTORS,
  ENCODED_BYPASS_STATUS,
  ENCODED_FACTORS,
  ENCODED_REASONS,
  ENCODED_RESULTS,
  ENCODED_RISK,
  ENCODED_USER_STATUSES,
  ENROLLMENT,
  PRIMARY_AUTHENTICATION,
  REASON_USER_STATE,
  SECOND_FACTOR_ONLY,
  TIMEOUT_REASONS,
  defaultReason,
} from '../../events/adapters/duo-tables.js';
import type { EventUser, IdentityEvent, LoginDetails } from '../../events/schema.js';
import { GENERATED_USER_STATE_KEYS } from '../../events/adapters/record-fields.js';

/**
 * sigfire events as Duo Admin API records (`sigfire generate --format duo`): sign-ins and MFA
 * challenges as authentication log records, directory changes as administrator log records.
 * Where Duo's log has no record or field for something, the conventions are those listed in
 * the adapter's mapping tables (src/events/adapters/duo-mapping.ts); duoAdapter reads it all back.
 */
export const duoEncoder: VendorEncoder = {
  format: 'duo',
  encode: encodeDuoRecord,
};

export function encodeDuoRecord(event: IdentityEvent): RawRecord {
  if (event.type === 'user' || event.type === 'admin') {
    return event.action === 'mfa_enrolled' ? encodeEnrollment(event) : encodeAdministratorRecord(event);
  }
  return encodeAuthlog(event);
}

type Factor = NonNullable<LoginDetails['factor']>;
type Result = NonNullable<LoginDetails['result']>;

function encodeAuthlog(event: IdentityEvent): RawRecord {
  const login: LoginDetails = event.login ?? {};
  const factor: Factor = login.factor ?? (event.type === 'mfa' ? 'unknown' : 'password');
  const result: Result = login.result ?? 'SUCCESS';
  const duoFactor = ENCODED_FACTORS[factor];
  const reason = encodedReason(login, factor, result);
  const secondFactor = DUO_FACTORS[duoFactor]!.secondFactor;
  const primary = event.type !== 'mfa' && (secondFactor || login.reason === 'INVALID_CREDENTIALS');
  // the generated sign-in is an event of its own (a primary_authentication record), not this approval
  const secondFactorOnly = event.type === 'mfa' && secondFactor && result === 'SUCCESS';
  const risk = login.risk && ENCODED_RISK[login.risk];
  return withGeneratedState(
    {
      access_device: accessDevice(login),
      ...(risk ? { adaptive_trust_assessments: { [risk]: { policy_enabled: true, trust_level: 'LOW', reason: 'Low level of trust' } } } : {}),
      alias: '',
      application: login.application === undefined ? null : { key: integrationKey(login.application), name: login.application },
      email: duoEmail(event.user),
      event_type: primary ? PRIMARY_AUTHENTICATION : AUTHENTICATION,
      factor: duoFactor,
      ...duoTimes(event.time),
      ood_software: null,
      reason: reason ?? null,
      result: ENCODED_RESULTS[result].result,
      ...(login.sessionId ? { trusted_session_info: { trusted_session_uuid: login.sessionId } } : {}),
      txid: event.id,
      user: duoUser(event.user),
    },
    pickDirectoryState(event.user),
    secondFactorOnly ? { [SECOND_FACTOR_ONLY]: true } : {},
  );
}

/**
 * A reason that reads back as the same result and anonymizer flag. A sigfire reason with a Duo
 * spelling is written so even when it tells directory state (user_disabled: SUSPENDED, as the
 * directory already knows); other state-telling reasons (bypass_user) are not made up.
 */
function encodedReason(login: LoginDetails, factor: Factor, result: Result): string | undefined {
  const forced = ENCODED_RESULTS[result].reason;
  if (forced) return forced;
  if (login.anonymizer) return ANONYMOUS_IP_REASON;
  const spelled = login.reason && ENCODED_REASONS[login.reason];
  if (spelled) return spelled;
  const own = login.reason?.toLowerCase();
  if (own && own !== ANONYMOUS_IP_REASON && !TIMEOUT_REASONS.includes(own) && !(own in REASON_USER_STATE)) return own;
  return defaultReason(factor, result);
}

function accessDevice(login: LoginDetails): RawRecord {
  const browser = login.browser?.trim();
  const space = browser ? browser.lastIndexOf(' ') : -1;
  return {
    browser: browser ? (space > 0 ? browser.slice(0, space) : browser) : null,
    browser_version: browser && space > 0 ? browser.slice(space + 1) : null,
    epkey: login.deviceId ?? null,
    hostname: null,
    ip: login.ip ?? null,
    location: {
      city: login.geo?.city ?? null,
      country: login.geo?.country ? countryName(login.geo.country) : null,
      state: null,
    },
    ...(login.userAgent ? { user_agent: login.userAgent } : {}),
  };
}

/** Email-shaped logins are written as both the Duo username (what the adapter keys on) and the email. */
function duoEmail(user: EventUser): string | null {
  return user.login.includes('@') ? user.login : null;
}

function duoUser(user: EventUser): RawRecord {
  return { groups: [], key: user.id ?? null, name: user.login };
}

function encodeEnrollment(event: IdentityEvent): RawRecord {
  return withGeneratedState(
    {
      access_device: accessDevice(event.login ?? {}),
      alias: '',
      application: { key: integrationKey('User Portal'), name: 'User Portal' },
      email: duoEmail(event.user),
      event_type: ENROLLMENT,
      factor: 'not_available',
      ...duoTimes(event.time),
      ood_software: null,
      reason: null,
      result: 'success',
      txid: event.id,
      user: duoUser(event.user),
    },
    pickDirectoryState(event.user),
  );
}

function encodeAdministratorRecord(event: IdentityEvent): RawRecord {
  const { action, description } = administratorAction(event);
  const { isotimestamp, timestamp } = duoTimes(event.time);
  const record: RawRecord = {
    action,
    description: JSON.stringify(description),
    isotimestamp,
    object: event.user.login,
    timestamp,
    username: event.actor?.login ?? 'System',
  };
  // directory state the administrator record cannot say travels in sigfire.user
  const result = adaptAdministratorRecord(record);
  const decoded: Record<string, unknown> = result.kind === 'events' ? ((result.events[0]?.user as Record<string, unknown> | undefined) ?? {}) : {};
  const unsaid: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pickDirectoryState(event.user))) {
    if (!isDeepStrictEqual(decoded[key], value)) unsaid[key] = value;
  }
  return { ...record, sigfire: { id: event.id, ...(Object.keys(unsaid).length > 0 ? { user: unsaid } : {}) } };
}

function administratorAction(event: IdentityEvent): { action: string; description: Record<string, unknown> } {
  const user = event.user;
  const email = user.login.includes('@') ? user.login : '';
  const status = user.status && (user.status === 'ACTIVE' && user.bypassMfa ? ENCODED_BYPASS_STATUS : (ENCODED_USER_STATUSES[user.status] ?? user.status));
  switch (event.action) {
    case 'created':
      return {
        action: 'user_create',
        description: { ...(status ? { status } : {}), email, realname: user.displayName ?? '', notes: '', uname: user.login },
      };
    case 'status_changed':
      return { action: 'user_update', description: status ? { status } : {} };
    case 'deleted':
      return { action: 'user_delete', description: {} };
    case 'role_assigned':
    case 'role_removed':
      if (event.role) {
        return {
          action: event.action === 'role_assigned' ? 'admin_create' : 'admin_delete',
          description: { name: user.displayName ?? user.login, email, role: event.role },
        };
      }
      return { action: 'user_update', description: {} };
    default:
      return { action: 'user_update', description: user.displayName ? { realname: user.displayName } : {} };
  }
}

function pickDirectoryState(user: EventUser): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const key of GENERATED_USER_STATE_KEYS) if (user[key] !== undefined) state[key] = user[key];
  return state;
}

/** The record with its generated-files-only `sigfire` member: directory state and conventions, when there are any. */
function withGeneratedState(record: RawRecord, userState: Record<string, unknown>, conventions: Record<string, unknown> = {}): RawRecord {
  const sigfire = { ...conventions, ...(Object.keys(userState).length > 0 ? { user: userState } : {}) };
  return Object.keys(sigfire).length > 0 ? { ...record, sigfire } : record;
}

/** Duo's isotimestamp has microseconds and an explicit offset; timestamp is Unix seconds. */
function duoTimes(time: string): { isotimestamp: string; timestamp: number } {
  const ms = Date.parse(time);
  return { isotimestamp: new Date(ms).toISOString().replace('Z', '000+00:00'), timestamp: Math.floor(ms / 1000) };
}

const integrationKeys = new Map<string, string>();

/** A stable, Duo-looking integration key per application name ("DI" + 18 characters). */
function integrationKey(application: string): string {
  let key = integrationKeys.get(application);
  if (!key) {
    key = `DI${createHash('sha256').update(application).digest('hex').slice(0, 18).toUpperCase()}`;
    integrationKeys.set(application, key);
  }
  return key;
}
