import type { PendingEvent } from '../event-builder.js';
import type { City } from '../geo.js';
import type { SimUser } from '../population.js';
import type { Random } from '../random.js';

/** What an episode builder gets: its own random stream, its people, and its own addresses. */
export interface AttackContext {
  random: Random;
  startMs: number;
  /** the people the plan picked, group after group, in the order of `AttackKind.victims` */
  victims: SimUser[];
  /** the n-th attacker address of this episode (fresh infrastructure, on no threat list) */
  attackerIp(n: number): string;
  /** an address on rules/lists/threat-ips.txt */
  threatIp(): string;
  /** which episode of its kind this is (0, 1, ...), to rotate through places */
  ordinal: number;
  /** a seed-derived offset, so the rotation differs from seed to seed */
  rotation: number;
  /** cities where tenant members live: sign-ins from these are not new to the tenant */
  tenantCities: readonly City[];
}

/**
 * Who takes part in an episode. `hold` keeps the people's own benign traffic away from the
 * episode (`around`: 36 hours either side; `forever`: from 36 hours before, for good), so
 * their real sign-ins do not mix with the attacker's.
 */
export interface VictimGroup {
  count: (random: Random) => number;
  eligible: (user: SimUser, population: readonly SimUser[]) => boolean;
  hold: 'around' | 'forever' | 'none';
}

export interface AttackKind {
  /** the check the episode must fire */
  check: string;
  category: 'threat' | 'posture';
  victims: VictimGroup[];
  /** the longest the episode can last, from its start */
  maxDurationMs: number;
  /** the episode's events; every event's time is >= ctx.startMs */
  build(ctx: AttackContext): PendingEvent[];
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

export const one = (): number => 1;

/** A regular member of staff with push MFA and no posture quirk: a believable target. */
export function isRegularPerson(user: SimUser): boolean {
  return user.kind === 'person' && user.posture === undefined && user.mfa === 'push';
}

export function isPerson(user: SimUser): boolean {
  return user.kind === 'person';
}
