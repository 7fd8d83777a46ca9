import type { IdentityEvent, LoginDetails } from '../events/schema.js';
import type { Device } from './devices.js';
import { geoOf, type City } from './geo.js';
import type { SimUser } from './population.js';

/**
 * An event waiting in the merge heap. `id` is filled in when it is written, so ids follow
 * the output order; `episode` tells which attack episode made it (undefined: benign).
 */
export interface PendingEvent {
  timeMs: number;
  event: IdentityEvent;
  episode?: number;
  /** set by TimeHeap: insertion order, the tie-break between events of the same millisecond */
  order?: number;
}

type Provider = IdentityEvent['provider'];

/**
 * The part of the user an IdP puts on every event; the rest lives in the directory.
 * Shared (and frozen) between a user's events: a million copies would only feed the GC.
 */
export function userRef(user: SimUser): IdentityEvent['user'] {
  let ref = userRefs.get(user);
  if (!ref) {
    ref = Object.freeze({ login: user.directory.login, id: user.directory.id, displayName: user.directory.displayName });
    userRefs.set(user, ref);
  }
  return ref;
}

const userRefs = new WeakMap<SimUser, IdentityEvent['user']>();

export interface SignInFields {
  result: NonNullable<LoginDetails['result']>;
  factor: NonNullable<LoginDetails['factor']>;
  application: string;
  ip: string;
  city: City;
  device: Device;
  reason?: string;
  sessionId?: string;
  risk?: NonNullable<LoginDetails['risk']>;
  anonymizer?: boolean;
}

/**
 * One object shape for every event (absent optional fields are `undefined`, which
 * JSON.stringify leaves out): this runs a million times per million events.
 */
function loginBlock(fields: SignInFields): LoginDetails {
  return {
    result: fields.result,
    reason: fields.reason,
    factor: fields.factor,
    application: fields.application,
    ip: fields.ip,
    geo: sharedGeo(fields.city),
    anonymizer: fields.anonymizer ?? false,
    userAgent: fields.device.userAgent,
    browser: fields.device.browser,
    deviceId: fields.device.deviceId,
    sessionId: fields.sessionId,
    risk: fields.risk,
  };
}

const geos = new WeakMap<City, NonNullable<LoginDetails['geo']>>();

function sharedGeo(city: City): NonNullable<LoginDetails['geo']> {
  let geo = geos.get(city);
  if (!geo) geos.set(city, (geo = Object.freeze(geoOf(city))));
  return geo;
}

export function loginEvent(timeMs: number, provider: Provider, user: SimUser, fields: SignInFields): PendingEvent {
  return {
    timeMs,
    event: { id: '', time: iso(timeMs), provider, type: 'login', user: userRef(user), login: loginBlock(fields) },
  };
}

/** An MFA challenge outcome (push_approved, push_denied, totp_verified, ...). */
export function mfaEvent(timeMs: number, provider: Provider, action: string, user: SimUser, fields: SignInFields): PendingEvent {
  return {
    timeMs,
    event: { id: '', time: iso(timeMs), provider, type: 'mfa', action, user: userRef(user), login: loginBlock(fields) },
  };
}

/** A user-directory change: `user` carries the fields that changed. */
export function directoryEvent(
  timeMs: number,
  provider: Provider,
  action: string,
  user: IdentityEvent['user'],
  actor: string,
  role?: string,
): PendingEvent {
  return {
    timeMs,
    event: {
      id: '',
      time: iso(timeMs),
      provider,
      type: 'user',
      action,
      ...(role ? { role } : {}),
      actor: { login: actor },
      user,
    },
  };
}

/** ISO 8601 in UTC with milliseconds, as Date#toISOString but cheaper: the date part is cached per day. */
export function iso(timeMs: number): string {
  if (!Number.isInteger(timeMs) || timeMs < 0) return new Date(timeMs).toISOString();
  const day = Math.floor(timeMs / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  let rest = timeMs - day * DAY_MS;
  const ms = rest % 1000;
  rest = (rest - ms) / 1000;
  const s = rest % 60;
  rest = (rest - s) / 60;
  const m = rest % 60;
  const h = (rest - m) / 60;
  return `${cachedDate}${pad2(h)}:${pad2(m)}:${pad2(s)}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}

const DAY_MS = 86_400_000;
let cachedDay = NaN;
let cachedDate = '';

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}
