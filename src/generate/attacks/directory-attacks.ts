import { directoryEvent, loginEvent, userRef } from '../event-builder.js';
import { portalOf } from '../benign-session.js';
import { ADMIN_ACTOR } from '../benign-traffic.js';
import type { SimUser } from '../population.js';
import { victimPlace } from './attacker.js';
import { HOUR, MINUTE, SECOND, isPerson, isRegularPerson, one, type AttackKind } from './types.js';

const SECURITY_ACTOR = 'it-security@acme-corp.com';

/** A compromised help-desk account grants someone the top admin role; security revokes it within the hour or two. */
export const adminRoleAssigned: AttackKind = {
  check: 'admin-role-assigned',
  category: 'threat',
  victims: [
    { count: one, eligible: isRegularPerson, hold: 'none' },
    { count: one, eligible: isPerson, hold: 'none' },
  ],
  maxDurationMs: 2 * HOUR,
  build(ctx) {
    const [victim, actor] = ctx.victims as [SimUser, SimUser];
    const role = victim.provider === 'OKTA' ? 'Super Administrator' : 'Global Administrator';
    const ref = { login: victim.directory.login, id: victim.directory.id };
    const revokedAt = ctx.startMs + ctx.random.int(30, 110) * MINUTE;
    return [
      directoryEvent(ctx.startMs, victim.provider, 'role_assigned', ref, actor.directory.login, role),
      directoryEvent(revokedAt, victim.provider, 'role_removed', ref, SECURITY_ACTOR, role),
    ];
  },
};

/** A leaver's account is suspended; hours later their old laptop still tries to sign in. */
export const loginToDisabledAccount: AttackKind = {
  check: 'login-to-disabled-account',
  category: 'posture',
  victims: [{ count: one, eligible: (user, population) => isRegularPerson(user) && sharesCountry(user, population, 3), hold: 'forever' }],
  maxDurationMs: 31 * HOUR,
  build(ctx) {
    const victim = ctx.victims[0]!;
    const place = victimPlace(victim);
    const attempt = ctx.startMs + ctx.random.int(2, 30) * HOUR;
    return [
      directoryEvent(ctx.startMs, victim.provider, 'status_changed', { ...userRef(victim), status: 'SUSPENDED' }, ADMIN_ACTOR),
      loginEvent(attempt, victim.provider, victim, { ...place, application: portalOf(victim), result: 'FAILURE', factor: 'password', reason: 'USER_SUSPENDED' }),
      loginEvent(attempt + ctx.random.int(5, 30) * SECOND, victim.provider, victim, { ...place, application: portalOf(victim), result: 'FAILURE', factor: 'password', reason: 'USER_SUSPENDED' }),
    ];
  },
};

/** True when at least `min` people (the user included) live in the user's country, so it stays in the tenant's history without them. */
function sharesCountry(user: SimUser, population: readonly SimUser[], min: number): boolean {
  let counts = residentsByCountry.get(population);
  if (!counts) {
    counts = new Map();
    for (const other of population) if (other.kind === 'person') counts.set(other.home.country, (counts.get(other.home.country) ?? 0) + 1);
    residentsByCountry.set(population, counts);
  }
  return (counts.get(user.home.country) ?? 0) >= min;
}

const residentsByCountry = new WeakMap<readonly SimUser[], Map<string, number>>();
