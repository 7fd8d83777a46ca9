import { buildSession, serviceApplicationOf, type SessionPlace } from './benign-session.js';
import { directoryEvent, loginEvent, type PendingEvent } from './event-builder.js';
import { CITIES, distanceKm, type City } from './geo.js';
import type { AddressPools } from './ip-pools.js';
import { EVERYDAY_ROLES, type SimUser } from './population.js';
import type { QuietSchedule } from './quiet-schedule.js';
import { Random } from './random.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Flights are planned at this speed (plus an hour at the airports), well under impossible-travel's 900 km/h. */
const TRAVEL_KMH = 700;
const FIRST_SESSION_LOCAL_HOUR = 7.5;
const LAST_SESSION_LOCAL_HOUR = 19.5;
const DEPARTURE_LOCAL_HOUR = 11;
/** Everyone signs in on the first days, so every home country is in the tenant's history early. */
const ONBOARDING_DAYS = 3;
const TRIP_CHANCE_PER_WORKDAY = 0.01;
const SERVICE_INTERVAL_MINUTES: readonly [number, number] = [25, 45];

export const ADMIN_ACTOR = 'it-helpdesk@acme-corp.com';
const PROVISIONING_ACTOR = 'provisioning@acme-corp.com';
const TITLES = ['Senior Engineer', 'Account Executive', 'Team Lead', 'Analyst', 'Manager', 'Specialist', 'Staff Engineer', 'Director'];

/** Where a person is and when they last signed in, carried from day to day. */
interface Whereabouts {
  city: City;
  tripIp?: string;
  returnDay?: number;
  lastSuccessMs: number;
  lastSuccessCity: City;
  lastEventMs: number;
}

export interface BenignOptions {
  seed: number;
  /** the run's first instant; nothing benign happens before it except the directory snapshot */
  startMs: number;
  /** scales how often people sign in (1 = normal), so small --events runs still span two weeks */
  activity: number;
}

/** Everyday traffic of the tenant, one day at a time. */
export class BenignTraffic {
  private readonly whereabouts: Whereabouts[];
  private readonly originMs: number;
  private readonly homeCities: City[];

  constructor(
    private readonly population: readonly SimUser[],
    private readonly pools: AddressPools,
    private readonly quiet: QuietSchedule,
    private readonly options: BenignOptions,
  ) {
    this.originMs = Math.floor(options.startMs / DAY) * DAY;
    this.whereabouts = population.map((user) => ({
      city: user.home,
      lastSuccessMs: -Infinity,
      lastSuccessCity: user.home,
      lastEventMs: -Infinity,
    }));
    this.homeCities = population.filter((user) => user.kind === 'person').map((user) => user.home);
  }

  /**
   * No event of day d+1 or later can be earlier than this: the latest instant up to which the
   * merged stream may be written after day d was generated.
   */
  horizonAfterDay(day: number): number {
    const maxOffset = Math.max(...CITIES.map((city) => city.utcOffsetHours));
    return this.originMs + (day + 1) * DAY - (maxOffset - Math.min(FIRST_SESSION_LOCAL_HOUR, 9)) * HOUR;
  }

  /** The directory as the IdPs know it at the start: one `created` event per user. */
  directorySnapshot(): PendingEvent[] {
    return this.population.map((user) =>
      directoryEvent(this.options.startMs + user.index * 10, user.provider, 'created', structuredClone(user.directory), PROVISIONING_ACTOR),
    );
  }

  day(day: number): PendingEvent[] {
    const random = Random.derive(this.options.seed, 'benign-day', day);
    const dateMs = this.originMs + day * DAY;
    const weekday = new Date(dateMs).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const events: PendingEvent[] = [];
    for (const user of this.population) {
      if (user.kind === 'person') this.personDay(user, day, dateMs, weekend, random, events);
      else if (user.kind === 'service') this.serviceDay(user, dateMs, random, events);
    }
    return events;
  }

  private personDay(user: SimUser, day: number, dateMs: number, weekend: boolean, random: Random, events: PendingEvent[]): void {
    const where = this.whereabouts[user.index]!;
    let nextCity: City | undefined;
    let nextTripIp: string | undefined;
    let nextReturnDay: number | undefined;
    if (where.returnDay === day) {
      nextCity = user.home;
    } else if (where.returnDay === undefined && !weekend && day >= ONBOARDING_DAYS && random.chance(TRIP_CHANCE_PER_WORKDAY)) {
      const destination = random.pick(this.homeCities);
      if (destination !== where.city) {
        nextCity = destination;
        nextTripIp = this.pools.people.next();
        nextReturnDay = day + random.int(2, 5);
      }
    }

    const localMidnight = dateMs - where.city.utcOffsetHours * HOUR;
    const lastStartHour = nextCity ? DEPARTURE_LOCAL_HOUR : LAST_SESSION_LOCAL_HOUR;
    let start = localMidnight + FIRST_SESSION_LOCAL_HOUR * HOUR + random.int(0, 150) * MINUTE;
    for (let n = this.sessionCount(user, day, weekend, random); n > 0; n--) {
      if (start > localMidnight + lastStartHour * HOUR) break;
      const session = buildSession(user, start, this.placeFor(user, where, random), random);
      if (this.canHappen(user, where, start, session.endMs)) {
        events.push(...session.events);
        where.lastEventMs = session.endMs;
        where.lastSuccessMs = session.endMs;
        where.lastSuccessCity = where.city;
      }
      start = session.endMs + random.int(20, 150) * MINUTE;
    }

    if (!weekend) this.directoryChanges(user, localMidnight, random, events);

    if (nextCity) {
      where.city = nextCity;
      where.tripIp = nextTripIp;
      where.returnDay = nextReturnDay;
    }
  }

  private sessionCount(user: SimUser, day: number, weekend: boolean, random: Random): number {
    const onboarding = day < ONBOARDING_DAYS;
    if (weekend) return onboarding || random.chance(0.12 * this.options.activity) ? 1 : 0;
    if (!onboarding && random.chance(0.04)) return 0;
    const mean = user.sessionsPerWorkday * this.options.activity;
    const count = Math.floor(mean) + (random.chance(mean - Math.floor(mean)) ? 1 : 0);
    return onboarding ? Math.max(1, count) : count;
  }

  private placeFor(user: SimUser, where: Whereabouts, random: Random): SessionPlace {
    const phone = user.devices[1];
    const usePhone = phone !== undefined && random.chance(0.25);
    const device = usePhone ? phone : user.devices[0]!;
    return { city: where.city, ip: where.tripIp ?? (usePhone ? user.ips.phone : user.ips.laptop), device };
  }

  /** A session is dropped when it would overlap the last one, outrun a plane, predate the run, or fall in a quiet range. */
  private canHappen(user: SimUser, where: Whereabouts, startMs: number, endMs: number): boolean {
    if (startMs < this.options.startMs + 2 * MINUTE) return false;
    if (startMs < where.lastEventMs + 5 * MINUTE) return false;
    if (where.city !== where.lastSuccessCity) {
      const flightMs = (distanceKm(where.lastSuccessCity, where.city) / TRAVEL_KMH) * HOUR + HOUR;
      if (startMs < where.lastSuccessMs + flightMs) return false;
    }
    return !this.quiet.overlaps(user.index, startMs, endMs);
  }

  /** The odd profile change, factor enrolment or everyday role, made by the help desk during office hours. */
  private directoryChanges(user: SimUser, localMidnight: number, random: Random, events: PendingEvent[]): void {
    const roll = random.next();
    const at = localMidnight + 9 * HOUR + random.int(0, 8 * 60) * MINUTE;
    if (roll >= 0.004 || at < this.options.startMs + 2 * MINUTE || this.quiet.overlaps(user.index, at, at)) return;
    const ref = { login: user.directory.login, id: user.directory.id };
    if (roll < 0.0015) {
      events.push(directoryEvent(at, user.provider, 'updated', { ...ref, title: random.pick(TITLES) }, ADMIN_ACTOR));
    } else if (roll < 0.0025) {
      if (user.mfa === 'none' || user.directory.factors.includes('webauthn')) return;
      user.directory.factors = [...user.directory.factors, 'webauthn'];
      events.push(directoryEvent(at, user.provider, 'mfa_enrolled', { ...ref, factors: user.directory.factors, mfaEnabled: true }, ADMIN_ACTOR));
    } else {
      const role = EVERYDAY_ROLES.find((candidate) => !user.directory.roles.includes(candidate));
      if (!role) return;
      user.directory.roles = [...user.directory.roles, role];
      events.push(directoryEvent(at, user.provider, 'role_assigned', { ...ref, roles: user.directory.roles }, ADMIN_ACTOR, role));
    }
  }

  /** An API client signing in every half hour or so, around the clock, from its one server. */
  private serviceDay(user: SimUser, dateMs: number, random: Random, events: PendingEvent[]): void {
    const [low, high] = SERVICE_INTERVAL_MINUTES;
    const scale = 1 / Math.max(this.options.activity, 0.05);
    const device = user.devices[0]!;
    const application = serviceApplicationOf(user);
    for (let t = dateMs + random.int(0, high) * MINUTE; t < dateMs + DAY; t += Math.round(random.int(low, high) * scale) * MINUTE + random.int(0, 59) * SECOND) {
      if (t < this.options.startMs + 2 * MINUTE || this.quiet.overlaps(user.index, t, t)) continue;
      events.push(loginEvent(t, user.provider, user, { result: 'SUCCESS', factor: 'password', application, ip: user.ips.laptop, city: user.home, device }));
    }
  }
}
