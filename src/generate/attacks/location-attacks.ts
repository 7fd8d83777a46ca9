import { loginEvent, mfaEvent } from '../event-builder.js';
import { mfaProviderOf, portalOf } from '../benign-session.js';
import { DENIED_CITIES, FOREIGN_CITIES } from '../geo.js';
import { attackerPlace, farCity, rotatingPick, victimPlace } from './attacker.js';
import { HOUR, MINUTE, SECOND, isRegularPerson, one, type AttackContext, type AttackKind } from './types.js';

const LEGACY_APP = 'Office 365 Exchange Online (IMAP)';

/** The victim signs in at home; two hours later "they" sign in again from the far side of the world. */
export const impossibleTravel: AttackKind = {
  check: 'impossible-travel',
  category: 'threat',
  victims: [{ count: one, eligible: isRegularPerson, hold: 'around' }],
  maxDurationMs: 3 * HOUR,
  build(ctx) {
    const victim = ctx.victims[0]!;
    const home = victimPlace(victim);
    const sessionId = ctx.random.hex(24);
    const base = { ...home, application: portalOf(victim), sessionId };
    const t = ctx.startMs;
    const attacker = attackerPlace(ctx, 0, farCity(ctx, victim.home, 3000));
    const later = t + ctx.random.int(90, 150) * MINUTE;
    return [
      mfaEvent(t, mfaProviderOf(victim), 'push_approved', victim, { ...base, result: 'SUCCESS', factor: 'push' }),
      loginEvent(t + 3 * SECOND, victim.provider, victim, { ...base, result: 'SUCCESS', factor: 'push' }),
      loginEvent(later, victim.provider, victim, { ...attacker, result: 'SUCCESS', factor: 'password', application: LEGACY_APP }),
    ];
  },
};

/** A stolen password used from a country where nobody in the tenant lives (a different one each episode). */
export const newCountryForTenant: AttackKind = {
  check: 'new-country-for-tenant',
  category: 'threat',
  victims: [{ count: one, eligible: isRegularPerson, hold: 'around' }],
  maxDurationMs: 5 * MINUTE,
  build: (ctx) => [singleForeignSignIn(ctx, rotatingPick(ctx, FOREIGN_CITIES))],
};

/** A sign-in from a sanctioned territory. */
export const accessFromDeniedTerritory: AttackKind = {
  check: 'access-from-denied-territory',
  category: 'posture',
  victims: [{ count: one, eligible: isRegularPerson, hold: 'around' }],
  maxDurationMs: 5 * MINUTE,
  build: (ctx) => [singleForeignSignIn(ctx, rotatingPick(ctx, DENIED_CITIES))],
};

function singleForeignSignIn(ctx: AttackContext, city: (typeof FOREIGN_CITIES)[number]) {
  const victim = ctx.victims[0]!;
  const place = attackerPlace(ctx, 0, city);
  return loginEvent(ctx.startMs, victim.provider, victim, { ...place, result: 'SUCCESS', factor: 'password', application: LEGACY_APP });
}
