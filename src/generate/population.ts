import type { EventUser } from '../events/schema.js';
import type { Device } from './devices.js';
import { personalDevices, serverDevice } from './devices.js';
import { CITIES, type City } from './geo.js';
import type { AddressPools } from './ip-pools.js';
import type { Random } from './random.js';

export const TENANT_DOMAIN = 'acme-corp.com';

export type MfaMethod = 'push' | 'totp' | 'webauthn' | 'none';
export type Provider = 'OKTA' | 'AZURE_AD';

/** A member of the simulated tenant, with everything needed to make their traffic. */
export interface SimUser {
  index: number;
  /** person: signs in on office hours; service: an API client around the clock; dormant: a stale account that never signs in */
  kind: 'person' | 'service' | 'dormant';
  provider: Provider;
  /** the directory record, as sent in the user's `created` event */
  directory: EventUser & { login: string; id: string; displayName: string; factors: string[]; roles: string[]; mfaEnabled: boolean };
  mfa: MfaMethod;
  home: City;
  devices: Device[];
  /** the laptop's address (home office) and the phone's (mobile carrier): nobody else uses them */
  ips: { laptop: string; phone: string };
  /** mean sessions on a working day */
  sessionsPerWorkday: number;
  /** a posture quirk worth a finding, for the summary only */
  posture?: 'no-mfa' | 'bypass-mfa' | 'personal-email' | 'legacy-browser';
}

const FIRST_NAMES = [
  'Alice', 'Bob', 'Carla', 'Deepak', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kavya', 'Liam', 'Maya', 'Nils',
  'Olga', 'Pedro', 'Qing', 'Rosa', 'Sanjay', 'Tara', 'Umar', 'Vera', 'Wei', 'Ximena', 'Yusuf', 'Zoe', 'Amara', 'Bruno',
  'Chloe', 'Diego', 'Emma', 'Felix', 'Hana', 'Ivan', 'Julia', 'Kenji', 'Lena', 'Marco', 'Noah', 'Priya',
];
const LAST_NAMES = [
  'Anderson', 'Becker', 'Chen', 'Dubois', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Iyer', 'Jensen', 'Kowalski', 'Larsen',
  'Moreau', 'Nakamura', 'Okafor', 'Patel', 'Quinn', 'Rossi', 'Schmidt', 'Tanaka', 'Ueda', 'Varga', 'Walsh', 'Xu', 'Young',
  'Zimmer', 'Silva', 'Kumar', 'Murphy', 'Novak', 'Olsen', 'Perez', 'Reyes', 'Sato', 'Torres', 'Wagner',
];
const DEPARTMENTS: ReadonlyArray<readonly [string, number]> = [
  ['Engineering', 30], ['Sales', 18], ['Support', 14], ['Marketing', 10], ['Finance', 8], ['People', 6], ['Legal', 4], ['IT', 5],
];
const SERVICES = ['svc-backup', 'svc-etl', 'svc-ci', 'svc-crm-sync', 'svc-reporting', 'svc-billing', 'svc-monitoring', 'svc-hr-feed'];

/** Non-privileged roles; none of these is on rules/lists/admin-roles.txt. */
export const EVERYDAY_ROLES = ['Salesforce User', 'Jira Software User', 'Confluence Editor', 'Zoom Licensed User', 'Tableau Viewer', 'GitHub Member', 'Expense Approver', 'Workday Manager'];

const DAY_MS = 86_400_000;

export function buildPopulation(count: number, random: Random, pools: AddressPools, startMs: number): SimUser[] {
  const services = Math.max(1, Math.round(count * 0.02));
  const dormant = Math.max(1, Math.round(count * 0.01));
  const persons = Math.max(1, count - services - dormant);
  const takenLogins = new Set<string>();
  const users: SimUser[] = [];
  const quirks = postureQuirks(persons, random);

  for (let i = 0; i < persons + dormant; i++) {
    const kind = i < persons ? 'person' : 'dormant';
    users.push(makePerson(users.length, kind, quirks.get(i), random, pools, startMs, takenLogins));
  }
  for (let i = 0; i < services; i++) users.push(makeService(users.length, i, random, pools, startMs));
  return users;
}

/** A few people get one posture quirk each (at least one of each kind once the tenant has 10 people). */
function postureQuirks(persons: number, random: Random): Map<number, NonNullable<SimUser['posture']>> {
  const kinds = ['no-mfa', 'bypass-mfa', 'personal-email', 'legacy-browser'] as const;
  const perKind = persons < 10 ? 0 : Math.max(1, Math.round(persons * 0.015));
  const chosen = random.sample([...Array(persons).keys()], perKind * kinds.length);
  const quirks = new Map<number, NonNullable<SimUser['posture']>>();
  chosen.forEach((index, n) => quirks.set(index, kinds[n % kinds.length]!));
  return quirks;
}

function makePerson(
  index: number,
  kind: 'person' | 'dormant',
  posture: SimUser['posture'],
  random: Random,
  pools: AddressPools,
  startMs: number,
  takenLogins: Set<string>,
): SimUser {
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const domain = posture === 'personal-email' ? 'gmail.com' : TENANT_DOMAIN;
  const login = uniqueLogin(`${first}.${last}`.toLowerCase(), domain, takenLogins);
  const department = random.weighted(DEPARTMENTS);
  const provider: Provider = random.chance(0.6) ? 'OKTA' : 'AZURE_AD';
  const mfa: MfaMethod = posture === 'no-mfa' || posture === 'bypass-mfa' ? 'none' : random.weighted<MfaMethod>([['push', 80], ['totp', 12], ['webauthn', 8]]);
  const factors = posture === 'no-mfa' ? ['password'] : posture === 'bypass-mfa' ? ['password', 'push'] : ['password', mfa];
  const createdAt = startMs - random.int(30, 1500) * DAY_MS - random.int(0, DAY_MS);
  const lastSuccess = kind === 'dormant' ? startMs - random.int(60, 400) * DAY_MS : startMs - random.int(1, 72) * 3_600_000;
  const roles = ['Everyone', `${department} Staff`, ...random.sample(EVERYDAY_ROLES, random.int(0, 2))];

  return {
    index,
    kind,
    provider,
    directory: {
      login,
      id: `${provider === 'OKTA' ? '00u' : 'aad-'}${random.hex(16)}`,
      displayName: `${first} ${last}`,
      email: login,
      status: 'ACTIVE',
      type: posture === 'personal-email' ? 'EXTERNAL' : 'INTERNAL',
      department,
      roles,
      mfaEnabled: posture !== 'no-mfa',
      factors,
      bypassMfa: posture === 'bypass-mfa',
      createdAt: new Date(createdAt).toISOString(),
      lastSuccessAt: new Date(lastSuccess).toISOString(),
    },
    mfa,
    home: random.weighted(CITIES.map((city) => [city, city.weight] as const)),
    devices: personalDevices(random, posture === 'legacy-browser'),
    ips: { laptop: pools.people.next(), phone: pools.people.next() },
    sessionsPerWorkday: random.between(1, 2.6),
    ...(posture ? { posture } : {}),
  };
}

function makeService(index: number, n: number, random: Random, pools: AddressPools, startMs: number): SimUser {
  const base = SERVICES[n % SERVICES.length]!;
  const login = `${base}${n >= SERVICES.length ? `-${Math.floor(n / SERVICES.length) + 1}` : ''}@${TENANT_DOMAIN}`;
  const device = serverDevice(random);
  const ip = pools.servers.next();
  return {
    index,
    kind: 'service',
    provider: random.chance(0.5) ? 'OKTA' : 'AZURE_AD',
    directory: {
      login,
      id: `svc-${random.hex(16)}`,
      displayName: login.split('@')[0]!,
      status: 'ACTIVE',
      type: 'SERVICE_ACCOUNT',
      roles: ['API Client'],
      mfaEnabled: false,
      factors: ['password'],
      bypassMfa: false,
      createdAt: new Date(startMs - random.int(100, 900) * DAY_MS).toISOString(),
      lastSuccessAt: new Date(startMs - random.int(5, 40) * 60_000).toISOString(),
    },
    mfa: 'none',
    home: random.pick(CITIES.slice(0, 3)),
    devices: [device],
    ips: { laptop: ip, phone: ip },
    sessionsPerWorkday: 0,
  };
}

function uniqueLogin(local: string, domain: string, taken: Set<string>): string {
  let candidate = `${local}@${domain}`;
  for (let n = 2; taken.has(candidate); n++) candidate = `${local}${n}@${domain}`;
  taken.add(candidate);
  return candidate;
}
