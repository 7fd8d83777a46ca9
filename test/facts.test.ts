import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { loadCatalog } from '../src/checks/catalog.js';
import { Detector } from '../src/checks/detector.js';
import type { EvaluationContext, Tracker } from '../src/checks/facts/context.js';
import { createDaysSinceLastSuccess } from '../src/checks/facts/days-since-last-success.js';
import { createFirstSeen, FirstSeenParams } from '../src/checks/facts/first-seen.js';
import { haversineKm } from '../src/checks/facts/haversine.js';
import { createListMember } from '../src/checks/facts/list-member.js';
import { TrackerSet } from '../src/checks/facts/tracker-set.js';
import { createTravel, type TravelValue } from '../src/checks/facts/travel.js';
import { createWindowCount, WindowCountParams } from '../src/checks/facts/window-count.js';
import { createWindowDistinct, WindowDistinctParams } from '../src/checks/facts/window-distinct.js';
import type { Finding } from '../src/checks/finding.js';
import { ListStore, NamedList } from '../src/checks/lists.js';
import { IdentityEventSchema, type EventUser, type IdentityEvent } from '../src/events/schema.js';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const AUSTIN = { country: 'US', city: 'Austin', lat: 30.2672, lon: -97.7431 };
const DALLAS = { country: 'US', city: 'Dallas', lat: 32.7767, lon: -96.797 };
const MOSCOW = { country: 'RU', city: 'Moscow', lat: 55.7558, lon: 37.6173 };

interface EventSpec {
  at: number;
  user?: string;
  type?: IdentityEvent['type'];
  action?: string;
  result?: string;
  ip?: string;
  geo?: Record<string, unknown>;
  deviceId?: string;
  userFields?: Partial<EventUser>;
}

let eventSeq = 0;
function makeEvent(spec: EventSpec): IdentityEvent {
  const type = spec.type ?? 'login';
  const login = type === 'user' ? undefined : { result: spec.result ?? 'SUCCESS', ip: spec.ip, geo: spec.geo, deviceId: spec.deviceId };
  return IdentityEventSchema.parse({
    id: `evt-${++eventSeq}`,
    time: new Date(spec.at).toISOString(),
    provider: 'OKTA',
    type,
    ...(spec.action ? { action: spec.action } : {}),
    user: { login: spec.user ?? 'alice@acme.example', ...spec.userFields },
    ...(login ? { login } : {}),
  });
}

function contextOf(event: IdentityEvent, user: EventUser = event.user): EvaluationContext {
  return { event, time: Date.parse(event.time), user };
}

/** What the Detector does per event: ask the value, then record the event. */
function step(tracker: Tracker, spec: EventSpec): unknown {
  const ctx = contextOf(makeEvent(spec));
  const value = tracker.value(ctx);
  tracker.observe(ctx);
  return value;
}

/** The value for an event without recording it (a probe). */
function peek(tracker: Tracker, spec: EventSpec): unknown {
  return tracker.value(contextOf(makeEvent(spec)));
}

const FAILED_LOGINS = { type: 'login', 'login.result': ['FAILURE', 'DENIED'] };

afterEach(() => {
  vi.useRealTimers();
});

describe('windowCount', () => {
  const counter = (window = '1h', where: Record<string, unknown> | null = FAILED_LOGINS, key: string | string[] = 'user.login') =>
    createWindowCount(WindowCountParams.parse({ key, window, ...(where ? { where } : {}) }));

  it('includes the current event only when it matches `where`', () => {
    const tracker = counter();
    expect(step(tracker, { at: T0, result: 'FAILURE' })).toBe(1);
    expect(step(tracker, { at: T0 + MIN, result: 'DENIED' })).toBe(2);
    // a success is not counted, neither now nor later
    expect(step(tracker, { at: T0 + 2 * MIN, result: 'SUCCESS' })).toBe(2);
    expect(step(tracker, { at: T0 + 3 * MIN, type: 'mfa', result: 'FAILURE' })).toBe(2);
    expect(step(tracker, { at: T0 + 4 * MIN, result: 'FAILURE' })).toBe(3);
  });

  it('counts per key, and a combined key needs every part', () => {
    const perUser = counter();
    step(perUser, { at: T0, user: 'alice', result: 'FAILURE' });
    step(perUser, { at: T0 + SEC, user: 'alice', result: 'FAILURE' });
    expect(step(perUser, { at: T0 + 2 * SEC, user: 'bob', result: 'FAILURE' })).toBe(1);
    expect(step(perUser, { at: T0 + 3 * SEC, user: 'alice', result: 'FAILURE' })).toBe(3);

    const perUserAndIp = counter('1h', FAILED_LOGINS, ['user.login', 'login.ip']);
    expect(step(perUserAndIp, { at: T0, user: 'alice', ip: '198.51.100.1', result: 'FAILURE' })).toBe(1);
    expect(step(perUserAndIp, { at: T0 + SEC, user: 'alice', ip: '198.51.100.2', result: 'FAILURE' })).toBe(1);
    expect(step(perUserAndIp, { at: T0 + 2 * SEC, user: 'alice', ip: '198.51.100.1', result: 'FAILURE' })).toBe(2);
    // no IP: no key, so 0, and nothing is recorded for it
    expect(step(perUserAndIp, { at: T0 + 3 * SEC, user: 'alice', result: 'FAILURE' })).toBe(0);
    expect(perUserAndIp.size()).toBe(3);
  });

  it('expires an event exactly one window after it, on event time', () => {
    const tracker = counter('1h');
    step(tracker, { at: T0, result: 'FAILURE' });
    step(tracker, { at: T0 + 10 * MIN, result: 'FAILURE' });
    expect(peek(tracker, { at: T0 + HOUR - 1, result: 'SUCCESS' })).toBe(2);
    expect(peek(tracker, { at: T0 + HOUR, result: 'SUCCESS' })).toBe(1);
    expect(peek(tracker, { at: T0 + HOUR + 10 * MIN - 1, result: 'SUCCESS' })).toBe(1);
    expect(peek(tracker, { at: T0 + HOUR + 10 * MIN, result: 'SUCCESS' })).toBe(0);
  });

  it('ignores the wall clock', () => {
    vi.useFakeTimers();
    const tracker = counter('5m');
    // events from 2001, replayed "now": still one minute apart on event time
    const old = Date.parse('2001-01-01T00:00:00Z');
    vi.setSystemTime(T0);
    expect(step(tracker, { at: old, result: 'FAILURE' })).toBe(1);
    vi.setSystemTime(T0 + 30 * DAY);
    expect(step(tracker, { at: old + MIN, result: 'FAILURE' })).toBe(2);
    vi.setSystemTime(T0 + 31 * DAY);
    expect(step(tracker, { at: old + 4 * MIN, result: 'FAILURE' })).toBe(3);
  });

  it('counts everything when there is no `where`', () => {
    const tracker = counter('1h', null);
    step(tracker, { at: T0, result: 'SUCCESS' });
    step(tracker, { at: T0 + MIN, type: 'user', action: 'updated' });
    expect(step(tracker, { at: T0 + 2 * MIN, type: 'mfa', result: 'FAILURE' })).toBe(3);
  });
});

describe('windowDistinct', () => {
  const distinct = (extra: Record<string, unknown> = {}) =>
    createWindowDistinct(WindowDistinctParams.parse({ key: 'login.ip', distinct: 'user.login', window: '5m', where: FAILED_LOGINS, ...extra }));
  const IP = '203.0.113.7';

  it('counts distinct values per key, the current one included when it matches', () => {
    const tracker = distinct();
    expect(step(tracker, { at: T0, ip: IP, user: 'a', result: 'FAILURE' })).toBe(1);
    expect(step(tracker, { at: T0 + SEC, ip: IP, user: 'b', result: 'FAILURE' })).toBe(2);
    expect(step(tracker, { at: T0 + 2 * SEC, ip: IP, user: 'a', result: 'FAILURE' })).toBe(2);
    expect(step(tracker, { at: T0 + 3 * SEC, ip: '203.0.113.8', user: 'c', result: 'FAILURE' })).toBe(1);
    // a success from the same IP by a new user is not a failure: not counted
    expect(step(tracker, { at: T0 + 4 * SEC, ip: IP, user: 'd', result: 'SUCCESS' })).toBe(2);
    expect(step(tracker, { at: T0 + 5 * SEC, ip: IP, user: 'e', result: 'FAILURE' })).toBe(3);
  });

  it('with excludeCurrent counts only the other values', () => {
    const tracker = distinct({ excludeCurrent: true });
    expect(step(tracker, { at: T0, ip: IP, user: 'a', result: 'FAILURE' })).toBe(0);
    expect(step(tracker, { at: T0 + SEC, ip: IP, user: 'b', result: 'FAILURE' })).toBe(1);
    expect(step(tracker, { at: T0 + 2 * SEC, ip: IP, user: 'c', result: 'FAILURE' })).toBe(2);
    // a seen before: the others are b and c
    expect(step(tracker, { at: T0 + 3 * SEC, ip: IP, user: 'a', result: 'FAILURE' })).toBe(2);
    expect(step(tracker, { at: T0 + 4 * SEC, ip: IP, user: 'z', result: 'SUCCESS' })).toBe(3);
  });

  it('combines several distinct paths into one value', () => {
    const tracker = distinct({ key: 'user.login', distinct: ['login.ip', 'login.deviceId'] });
    expect(step(tracker, { at: T0, user: 'a', ip: '198.51.100.1', deviceId: 'd1', result: 'FAILURE' })).toBe(1);
    expect(step(tracker, { at: T0 + SEC, user: 'a', ip: '198.51.100.1', deviceId: 'd2', result: 'FAILURE' })).toBe(2);
    expect(step(tracker, { at: T0 + 2 * SEC, user: 'a', ip: '198.51.100.2', deviceId: 'd1', result: 'FAILURE' })).toBe(3);
    expect(step(tracker, { at: T0 + 3 * SEC, user: 'a', ip: '198.51.100.1', deviceId: 'd2', result: 'FAILURE' })).toBe(3);
    // no device: the combined value is missing, so it neither counts nor is recorded
    expect(step(tracker, { at: T0 + 4 * SEC, user: 'a', ip: '198.51.100.9', result: 'FAILURE' })).toBe(3);
    expect(tracker.size()).toBe(4);
  });

  it('keeps a value while it is seen again within the window, drops it a window after its last sighting', () => {
    const tracker = distinct();
    step(tracker, { at: T0, ip: IP, user: 'a', result: 'FAILURE' });
    step(tracker, { at: T0 + MIN, ip: IP, user: 'b', result: 'FAILURE' });
    step(tracker, { at: T0 + 4 * MIN, ip: IP, user: 'a', result: 'FAILURE' });
    // a's first sighting expired, its second still counts; b is still inside
    expect(peek(tracker, { at: T0 + 5 * MIN, ip: IP, user: 'x', result: 'SUCCESS' })).toBe(2);
    expect(peek(tracker, { at: T0 + 6 * MIN, ip: IP, user: 'x', result: 'SUCCESS' })).toBe(1);
    expect(peek(tracker, { at: T0 + 9 * MIN - 1, ip: IP, user: 'x', result: 'SUCCESS' })).toBe(1);
    expect(peek(tracker, { at: T0 + 9 * MIN, ip: IP, user: 'x', result: 'SUCCESS' })).toBe(0);
  });
});

describe('travel', () => {
  const travel = () => createTravel({});

  it('measures Austin -> Moscow with haversine (~9,556 km)', () => {
    expect(haversineKm(AUSTIN.lat, AUSTIN.lon, MOSCOW.lat, MOSCOW.lon)).toBeCloseTo(9555.9, 0);
    expect(haversineKm(MOSCOW.lat, MOSCOW.lon, AUSTIN.lat, AUSTIN.lon)).toBeCloseTo(9555.9, 0);
    expect(haversineKm(AUSTIN.lat, AUSTIN.lon, AUSTIN.lat, AUSTIN.lon)).toBe(0);
    // a quarter of the equator
    expect(haversineKm(0, 0, 0, 90)).toBeCloseTo((Math.PI / 2) * 6371.0088, 6);
  });

  it('gives distance, speed, hours and the previous login', () => {
    const tracker = travel();
    step(tracker, { at: T0, ip: '198.51.100.1', geo: AUSTIN });
    const value = step(tracker, { at: T0 + 2 * HOUR, ip: '203.0.113.9', geo: MOSCOW }) as TravelValue;
    expect(value).toEqual({
      hasPrevious: true,
      distanceKm: 9555.9,
      speedKmh: 4777.9,
      hours: 2,
      sameIp: false,
      previousIp: '198.51.100.1',
      previousCountry: 'US',
      previousCity: 'Austin',
      previousTime: new Date(T0).toISOString(),
    });
  });

  it('flags the same IP', () => {
    const tracker = travel();
    step(tracker, { at: T0, ip: '198.51.100.1', geo: AUSTIN });
    const value = step(tracker, { at: T0 + 10 * MIN, ip: '198.51.100.1', geo: MOSCOW }) as TravelValue;
    expect(value.sameIp).toBe(true);
    expect(value.speedKmh).toBeGreaterThan(50_000);
  });

  it('has no previous on a user first login (speed 0), and keeps users apart', () => {
    const tracker = travel();
    expect(step(tracker, { at: T0, user: 'alice', geo: AUSTIN })).toEqual({ hasPrevious: false, distanceKm: 0, speedKmh: 0, hours: 0, sameIp: false });
    const bob = step(tracker, { at: T0 + MIN, user: 'bob', geo: MOSCOW }) as TravelValue;
    expect(bob.hasPrevious).toBe(false);
    expect(bob.speedKmh).toBe(0);
  });

  it('cannot measure an event without coordinates, and keeps the last located login for the next one', () => {
    const tracker = travel();
    step(tracker, { at: T0, ip: '198.51.100.1', geo: AUSTIN });
    const blind = step(tracker, { at: T0 + HOUR, ip: '198.51.100.2', geo: { country: 'US' } }) as TravelValue;
    expect(blind.hasPrevious).toBe(false);
    expect(blind.speedKmh).toBe(0);
    const noGeo = step(tracker, { at: T0 + HOUR, ip: '198.51.100.3' }) as TravelValue;
    expect(noGeo.hasPrevious).toBe(false);
    const next = step(tracker, { at: T0 + 2 * HOUR, geo: DALLAS }) as TravelValue;
    expect(next.hasPrevious).toBe(true);
    expect(next.previousCity).toBe('Austin');
    expect(next.hours).toBe(2);
    expect(next.distanceKm).toBeCloseTo(Math.round(haversineKm(AUSTIN.lat, AUSTIN.lon, DALLAS.lat, DALLAS.lon) * 10) / 10, 5);
  });

  it('by default measures from the previous successful login only', () => {
    const tracker = travel();
    step(tracker, { at: T0, geo: AUSTIN });
    step(tracker, { at: T0 + MIN, result: 'FAILURE', geo: MOSCOW });
    step(tracker, { at: T0 + 2 * MIN, type: 'mfa', geo: MOSCOW });
    const value = step(tracker, { at: T0 + HOUR, geo: AUSTIN }) as TravelValue;
    expect(value.previousCity).toBe('Austin');
    expect(value.distanceKm).toBe(0);
  });

  it('gives an enormous, finite speed for two far places at the same instant', () => {
    const tracker = travel();
    step(tracker, { at: T0, geo: AUSTIN });
    const value = step(tracker, { at: T0, geo: MOSCOW }) as TravelValue;
    expect(Number.isFinite(value.speedKmh)).toBe(true);
    expect(value.speedKmh).toBeGreaterThan(1e12);
    expect(JSON.parse(JSON.stringify(value)).speedKmh).toBe(value.speedKmh);
  });
});

describe('firstSeen', () => {
  const firstSeen = (params: Record<string, unknown>) =>
    createFirstSeen(FirstSeenParams.parse({ value: 'login.geo.country', lookback: '90d', where: { type: 'login', 'login.result': 'SUCCESS' }, ...params }));

  it('tenant scope: new when no one in the tenant was seen with the value', () => {
    const tracker = firstSeen({ scope: 'tenant' });
    // the very first event has no history to compare with
    expect(step(tracker, { at: T0, user: 'alice', geo: { country: 'US' } })).toBe(false);
    expect(step(tracker, { at: T0 + HOUR, user: 'bob', geo: { country: 'US' } })).toBe(false);
    expect(step(tracker, { at: T0 + 2 * HOUR, user: 'bob', geo: { country: 'FR' } })).toBe(true);
    expect(step(tracker, { at: T0 + 3 * HOUR, user: 'alice', geo: { country: 'FR' } })).toBe(false);
  });

  it('user scope: new when this user was not seen with the value, whoever else was', () => {
    const tracker = firstSeen({ scope: 'user' });
    expect(step(tracker, { at: T0, user: 'alice', geo: { country: 'US' } })).toBe(false);
    expect(step(tracker, { at: T0 + HOUR, user: 'bob', geo: { country: 'FR' } })).toBe(false);
    expect(step(tracker, { at: T0 + 2 * HOUR, user: 'alice', geo: { country: 'FR' } })).toBe(true);
    expect(step(tracker, { at: T0 + 3 * HOUR, user: 'alice', geo: { country: 'FR' } })).toBe(false);
    expect(step(tracker, { at: T0 + 4 * HOUR, user: 'bob', geo: { country: 'US' } })).toBe(true);
  });

  it('records only events matching `where`, but answers for any event', () => {
    const tracker = firstSeen({ scope: 'tenant' });
    step(tracker, { at: T0, geo: { country: 'US' } });
    step(tracker, { at: T0 + MIN, result: 'FAILURE', geo: { country: 'RU' } });
    expect(peek(tracker, { at: T0 + 2 * MIN, geo: { country: 'RU' } })).toBe(true);
    expect(peek(tracker, { at: T0 + 2 * MIN, result: 'FAILURE', geo: { country: 'DE' } })).toBe(true);
    // no value at all: never new
    expect(peek(tracker, { at: T0 + 2 * MIN })).toBe(false);
  });

  it('forgets a value one look-back after it was last seen', () => {
    const tracker = firstSeen({ scope: 'tenant', lookback: '30d' });
    step(tracker, { at: T0, geo: { country: 'US' } });
    step(tracker, { at: T0 + DAY, geo: { country: 'FR' } });
    expect(peek(tracker, { at: T0 + DAY + 30 * DAY - 1, geo: { country: 'FR' } })).toBe(false);
    expect(peek(tracker, { at: T0 + DAY + 30 * DAY, geo: { country: 'FR' } })).toBe(true);
    expect(tracker.size()).toBe(2);
    tracker.sweep(T0 + 30 * DAY);
    expect(tracker.size()).toBe(1);
    tracker.sweep(T0 + 31 * DAY);
    expect(tracker.size()).toBe(0);
  });

  it('stays quiet until the scope has minHistory of history', () => {
    const tracker = firstSeen({ scope: 'tenant', minHistory: '7d' });
    step(tracker, { at: T0, geo: { country: 'US' } });
    expect(step(tracker, { at: T0 + DAY, geo: { country: 'FR' } })).toBe(false);
    expect(peek(tracker, { at: T0 + 7 * DAY - 1, geo: { country: 'DE' } })).toBe(false);
    expect(peek(tracker, { at: T0 + 7 * DAY, geo: { country: 'DE' } })).toBe(true);
    // FR was recorded during the warm-up, so it is not new afterwards
    expect(peek(tracker, { at: T0 + 8 * DAY, geo: { country: 'FR' } })).toBe(false);
  });

  it('warms up per user in user scope', () => {
    const tracker = firstSeen({ scope: 'user', minHistory: '1d' });
    step(tracker, { at: T0, user: 'alice', geo: { country: 'US' } });
    step(tracker, { at: T0 + 5 * DAY, user: 'bob', geo: { country: 'US' } });
    expect(peek(tracker, { at: T0 + 5 * DAY + HOUR, user: 'alice', geo: { country: 'FR' } })).toBe(true);
    expect(peek(tracker, { at: T0 + 5 * DAY + HOUR, user: 'bob', geo: { country: 'FR' } })).toBe(false);
  });
});

describe('daysSinceLastSuccess (tracker)', () => {
  const tracker = createDaysSinceLastSuccess();
  const at = (user: Partial<EventUser>) => tracker.value(contextOf(makeEvent({ at: T0 }), { login: 'alice', ...user }));

  it('reads the directory lastSuccessAt, in days rounded down to a tenth', () => {
    expect(at({ lastSuccessAt: new Date(T0 - 45 * DAY).toISOString() })).toBe(45);
    expect(at({ lastSuccessAt: new Date(T0 - 10 * DAY - 13 * HOUR).toISOString() })).toBe(10.5);
    expect(at({ lastSuccessAt: new Date(T0 - 2 * HOUR).toISOString() })).toBe(0);
    expect(at({})).toBeUndefined();
  });
});

describe('listMember (tracker)', () => {
  const lists = new ListStore();
  lists.add(new NamedList('threat-ips', 'threat-ips.txt', ['# comment', '203.0.113.0/24  # range', '192.0.2.66', '2001:db8:dead::/48', '', 'Evil.Example']));
  const member = createListMember({ list: 'threat-ips', path: 'login.ip' }, { lists });
  const isMember = (ip: string | undefined) => member.value(contextOf(makeEvent({ at: T0, ip })));

  it('matches IPv4 and IPv6 CIDRs, single addresses and plain entries (case-insensitive)', () => {
    expect(isMember('203.0.113.200')).toBe(true);
    expect(isMember('203.0.114.1')).toBe(false);
    expect(isMember('192.0.2.66')).toBe(true);
    expect(isMember('192.0.2.67')).toBe(false);
    expect(isMember('2001:db8:dead:1::5')).toBe(true);
    expect(isMember('2001:db8:deaf::5')).toBe(false);
    expect(isMember('::ffff:203.0.113.5')).toBe(true);
    expect(isMember('evil.example')).toBe(true);
    expect(isMember(undefined)).toBe(false);
  });

  it('matches a listed single address in any textual form, also in a list without CIDRs', () => {
    const hostsOnly = new ListStore();
    hostsOnly.add(new NamedList('hosts', 'hosts.txt', ['192.0.2.66', '2001:db8:beef::13']));
    const inHosts = createListMember({ list: 'hosts', path: 'login.ip' }, { lists: hostsOnly });
    const check = (ip: string) => inHosts.value(contextOf(makeEvent({ at: T0, ip })));
    expect(check('192.0.2.66')).toBe(true);
    expect(check('::ffff:192.0.2.66')).toBe(true);
    expect(check('2001:db8:beef::13')).toBe(true);
    expect(check('2001:DB8:BEEF::13')).toBe(true);
    expect(check('2001:0db8:beef:0000:0000:0000:0000:0013')).toBe(true);
    expect(check('2001:db8:beef::14')).toBe(false);
    expect(check('192.0.2.67')).toBe(false);
  });
});

describe('state pruning', () => {
  const KEYS = 5000;
  const EVENTS = 200_000;
  const SPAN = 30 * DAY;
  const spacing = SPAN / EVENTS;
  // built once and shared: the trackers read `time` from the context, `event.time` is for show
  const stream: EvaluationContext[] = Array.from({ length: EVENTS }, (_, i) => {
    const time = T0 + Math.round(i * spacing);
    const event = { id: `e${i}`, time: '', provider: 'OKTA', type: 'login', user: { login: `user${i % KEYS}` }, login: { result: 'FAILURE', ip: `10.0.${(i >> 8) & 255}.${i & 255}` } } as IdentityEvent;
    return { event, time, user: event.user };
  });
  const bareEvent = (i: number) => stream[i]!;
  const lastTime = stream[EVENTS - 1]!.time;
  const inLastHour = stream.filter((ctx) => ctx.time > lastTime - HOUR).length;

  it('windowCount holds only the last window of a 30-day, 200,000-event stream after a sweep', () => {
    const tracker = createWindowCount(WindowCountParams.parse({ key: 'user.login', window: '1h', where: FAILED_LOGINS }));
    for (let i = 0; i < EVENTS; i++) {
      const ctx = bareEvent(i);
      tracker.value(ctx);
      tracker.observe(ctx);
    }
    tracker.sweep(lastTime);
    expect(inLastHour).toBeGreaterThan(250);
    expect(inLastHour).toBeLessThan(300);
    expect(tracker.size()).toBe(inLastHour);
  });

  it('windowDistinct likewise', () => {
    const tracker = createWindowDistinct(WindowDistinctParams.parse({ key: 'user.login', distinct: 'login.ip', window: '1h' }));
    for (let i = 0; i < EVENTS; i++) {
      const ctx = bareEvent(i);
      tracker.value(ctx);
      tracker.observe(ctx);
    }
    tracker.sweep(lastTime);
    expect(tracker.size()).toBe(inLastHour);
  });

  it('a TrackerSet sweeps on its own: its entries never grow with the stream', () => {
    const set = new TrackerSet({ lists: new ListStore() });
    set.register('windowCount', { key: 'user.login', window: '1h' });
    set.register('windowDistinct', { key: 'user.login', distinct: 'login.ip', window: '1h' });
    set.register('firstSeen', { scope: 'user', value: 'login.ip', lookback: '1d' });
    let peak = 0;
    for (let i = 0; i < EVENTS; i++) {
      set.observe(bareEvent(i));
      if (i % 1000 === 999) peak = Math.max(peak, set.entries());
    }
    // three trackers, each holding at most one sweep interval (20,000 events) plus a window
    expect(peak).toBeLessThan(3 * 20_000 + 10_000);
    expect(set.entries()).toBeLessThan(3 * 20_000 + 10_000);
    expect(set.count).toBe(3);
  });
});

describe('facts through the Detector', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function detectorFor(checks: Array<Record<string, unknown>>, lists: Record<string, string> = {}): Promise<Detector> {
    const dir = await mkdtemp(join(tmpdir(), 'sigfire-facts-'));
    dirs.push(dir);
    await mkdir(join(dir, 'lists'));
    for (const [name, text] of Object.entries(lists)) await writeFile(join(dir, 'lists', `${name}.txt`), text);
    for (const check of checks) await writeFile(join(dir, `${check.id as string}.json`), JSON.stringify(check));
    const catalog = await loadCatalog(dir);
    expect(catalog.problems).toEqual([]);
    return new Detector(catalog);
  }

  const check = (id: string, all: unknown[], extra: Record<string, unknown> = {}) => ({
    id,
    name: id,
    severity: 'high',
    category: 'threat',
    description: `test check ${id}`,
    recommendedActions: ['look'],
    eventTypes: ['login'],
    rule: { conditions: { all }, event: { type: id } },
    ...extra,
  });

  async function run(detector: Detector, specs: EventSpec[]): Promise<Finding[][]> {
    const out: Finding[][] = [];
    for (const spec of specs) out.push(await detector.process(makeEvent(spec)));
    return out;
  }
  const fired = (perEvent: Finding[][]) => perEvent.map((findings) => findings.map((f) => f.checkId).join(','));
  const actualOf = (finding: Finding | undefined, fact: string, path?: string) => finding?.why.find((c) => c.fact === fact && c.path === path)?.actual;

  it('windowCount: fires on the third failure within 5 minutes, counting failures of any event type it observes', async () => {
    const detector = await detectorFor([
      check('three-failures', [{ fact: 'windowCount', params: { key: 'user.login', window: '5m', where: { 'login.result': 'FAILURE' } }, operator: 'greaterThanInclusive', value: 3 }]),
    ]);
    const results = await run(detector, [
      { at: T0, result: 'FAILURE' },
      // an mfa event: no check runs on it, but it is still counted
      { at: T0 + MIN, type: 'mfa', result: 'FAILURE' },
      { at: T0 + 2 * MIN, result: 'SUCCESS' },
      { at: T0 + 3 * MIN, result: 'FAILURE' },
      { at: T0 + 3 * MIN, user: 'bob', result: 'FAILURE' },
      { at: T0 + 8 * MIN, result: 'FAILURE' },
    ]);
    expect(fired(results)).toEqual(['', '', '', 'three-failures', '', '']);
    expect(actualOf(results[3]![0], 'windowCount')).toBe(3);
  });

  it('windows compare instants, whatever zone offset the timestamps carry', async () => {
    const detector = await detectorFor([
      check('two-failures', [{ fact: 'windowCount', params: { key: 'user.login', window: '5m', where: { 'login.result': 'FAILURE' } }, operator: 'greaterThanInclusive', value: 2 }]),
    ]);
    const failure = (id: string, time: string) => IdentityEventSchema.parse({ id, time, provider: 'OKTA', type: 'login', user: { login: 'alice' }, login: { result: 'FAILURE' } });
    const ids: string[] = [];
    // 10:00+01:00 is 09:00Z; 09:04Z is four minutes later; 04:10-05:00 is 09:10Z
    for (const event of [failure('a', '2026-03-02T10:00:00+01:00'), failure('b', '2026-03-02T09:04:00Z'), failure('c', '2026-03-02T04:10:00-0500')]) {
      for (const finding of await detector.process(event)) ids.push(finding.event.id);
    }
    expect(ids).toEqual(['b']);
  });

  it('windowDistinct: password spray against 3 other accounts from one IP', async () => {
    const detector = await detectorFor([
      check('spray', [
        { fact: 'login', path: '$.result', operator: 'equal', value: 'FAILURE' },
        { fact: 'windowDistinct', params: { key: 'login.ip', distinct: 'user.login', window: '5m', where: { 'login.result': 'FAILURE' }, excludeCurrent: true }, operator: 'greaterThanInclusive', value: 3 },
      ]),
    ]);
    const ip = '198.18.0.1';
    const results = await run(detector, ['a', 'b', 'c', 'c', 'd'].map((user, i) => ({ at: T0 + i * SEC, user, ip, result: 'FAILURE' })));
    expect(fired(results)).toEqual(['', '', '', '', 'spray']);
    expect(actualOf(results[4]![0], 'windowDistinct')).toBe(3);
  });

  it('travel: impossible travel with speedKmh and distanceKm in `why`', async () => {
    const detector = await detectorFor([
      check('too-fast', [
        { fact: 'travel', path: '$.speedKmh', operator: 'greaterThan', value: 900 },
        { fact: 'travel', path: '$.sameIp', operator: 'equal', value: false },
      ]),
    ]);
    const results = await run(detector, [
      { at: T0, ip: '198.51.100.1', geo: AUSTIN },
      { at: T0 + 2 * HOUR, ip: '203.0.113.9', geo: MOSCOW },
      { at: T0 + 3 * HOUR, ip: '203.0.113.9', geo: AUSTIN },
    ]);
    expect(fired(results)).toEqual(['', 'too-fast', '']);
    expect(actualOf(results[1]![0], 'travel', '$.speedKmh')).toBe(4777.9);
    expect(actualOf(results[1]![0], 'travel', '$.sameIp')).toBe(false);
  });

  it('firstSeen: a new country for the tenant after a week of history', async () => {
    const detector = await detectorFor([
      check('new-country', [
        { fact: 'firstSeen', params: { scope: 'tenant', value: 'login.geo.country', lookback: '90d', minHistory: '7d' }, operator: 'equal', value: true },
      ]),
    ]);
    const results = await run(detector, [
      { at: T0, geo: { country: 'US' } },
      { at: T0 + DAY, user: 'bob', geo: { country: 'FR' } },
      { at: T0 + 8 * DAY, user: 'bob', geo: { country: 'FR' } },
      { at: T0 + 8 * DAY, user: 'carol', geo: { country: 'BR' } },
      { at: T0 + 9 * DAY, user: 'dave', geo: { country: 'BR' } },
    ]);
    expect(fired(results)).toEqual(['', '', '', 'new-country', '']);
  });

  it('daysSinceLastSuccess: from the directory lastSuccessAt and from replayed successes', async () => {
    const detector = await detectorFor([
      check('dormant', [{ fact: 'daysSinceLastSuccess', operator: 'greaterThan', value: 30 }], { eventTypes: ['login', 'user'] }),
    ]);
    const results = await run(detector, [
      // the directory knows alice last signed in 40 days ago
      { at: T0, type: 'user', action: 'created', userFields: { lastSuccessAt: new Date(T0 - 40 * DAY).toISOString() } },
      { at: T0 + HOUR, result: 'FAILURE' },
      { at: T0 + 2 * HOUR },
      // the success just replayed resets the clock
      { at: T0 + 3 * HOUR },
      // bob: known only from replayed successes
      { at: T0, user: 'bob' },
      { at: T0 + 31 * DAY, user: 'bob', result: 'FAILURE' },
      { at: T0 + 31 * DAY + HOUR, user: 'bob' },
      { at: T0 + 31 * DAY + 2 * HOUR, user: 'bob' },
    ]);
    expect(fired(results)).toEqual(['dormant', 'dormant', 'dormant', '', '', 'dormant', 'dormant', '']);
    expect(actualOf(results[0]![0], 'daysSinceLastSuccess')).toBe(40);
    expect(actualOf(results[5]![0], 'daysSinceLastSuccess')).toBe(31);
  });

  it('listMember: an IPv4 or IPv6 address inside a listed CIDR', async () => {
    const detector = await detectorFor(
      [check('bad-ip', [{ fact: 'listMember', params: { list: 'bad-ips', path: 'login.ip' }, operator: 'equal', value: true }])],
      { 'bad-ips': '203.0.113.0/24\n2001:db8:dead::/48\n192.0.2.66\n' },
    );
    const results = await run(detector, ['203.0.113.77', '203.0.112.1', '2001:db8:dead:42::1', '2001:db8:beef::1', '192.0.2.66', '192.0.2.65'].map((ip, i) => ({ at: T0 + i * SEC, user: `u${i}`, ip })));
    expect(fired(results)).toEqual(['bad-ip', '', 'bad-ip', '', 'bad-ip', '']);
  });
});
