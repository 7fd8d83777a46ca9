import { loginEvent, type PendingEvent } from '../event-builder.js';
import { portalOf } from '../benign-session.js';
import { attackerPlace, spreadTimes } from './attacker.js';
import { HOUR, MINUTE, SECOND, isPerson, isRegularPerson, one, type AttackKind } from './types.js';

const INVALID = { result: 'FAILURE', factor: 'password', reason: 'INVALID_CREDENTIALS' } as const;
/** Legacy protocols check the password only: how a stolen password gets in past MFA. */
const LEGACY_APP = 'Office 365 Exchange Online (IMAP)';

/** 25 wrong passwords for one account from one address within half an hour. */
export const bruteForce: AttackKind = {
  check: 'brute-force',
  category: 'threat',
  victims: [{ count: one, eligible: isPerson, hold: 'around' }],
  maxDurationMs: 30 * MINUTE,
  build(ctx) {
    const victim = ctx.victims[0]!;
    const place = attackerPlace(ctx);
    const times = spreadTimes(ctx, ctx.startMs, ctx.random.int(25, 30), ctx.random.int(18, 28) * MINUTE);
    return times.map((t) => loginEvent(t, victim.provider, victim, { ...place, ...INVALID, application: portalOf(victim) }));
  },
};

/** One address trying one password against 12-16 accounts within four minutes. */
export const passwordSpray: AttackKind = {
  check: 'password-spray',
  category: 'threat',
  victims: [{ count: (random) => random.int(12, 16), eligible: isPerson, hold: 'none' }],
  maxDurationMs: 5 * MINUTE,
  build(ctx) {
    const place = attackerPlace(ctx);
    const times = spreadTimes(ctx, ctx.startMs, ctx.victims.length, ctx.random.int(150, 240) * SECOND);
    return ctx.victims.map((victim, i) => loginEvent(times[i]!, victim.provider, victim, { ...place, ...INVALID, application: portalOf(victim) }));
  },
};

/** An address fails against six accounts over two hours, then gets into a seventh. */
export const activeAccountUnderHeavyAttack: AttackKind = {
  check: 'active-account-under-heavy-attack',
  category: 'threat',
  victims: [
    { count: () => 6, eligible: isPerson, hold: 'none' },
    { count: one, eligible: isRegularPerson, hold: 'around' },
  ],
  maxDurationMs: 4 * HOUR,
  build(ctx) {
    const place = attackerPlace(ctx);
    const targets = ctx.victims.slice(0, 6);
    const victim = ctx.victims[6]!;
    const events: PendingEvent[] = [];
    const times = spreadTimes(ctx, ctx.startMs, targets.length, ctx.random.int(60, 150) * MINUTE);
    targets.forEach((target, i) => {
      const attempts = ctx.random.int(1, 2);
      for (let n = 0; n < attempts; n++) {
        events.push(loginEvent(times[i]! + n * ctx.random.int(5, 20) * SECOND, target.provider, target, { ...place, ...INVALID, application: LEGACY_APP }));
      }
    });
    const last = events.reduce((max, e) => Math.max(max, e.timeMs), ctx.startMs);
    const success = last + ctx.random.int(10, 60) * MINUTE;
    events.push(loginEvent(success, victim.provider, victim, { ...place, result: 'SUCCESS', factor: 'password', application: LEGACY_APP }));
    return events;
  },
};

/** Wrong passwords against an account nobody has used for months. */
export const inactiveAccountProbing: AttackKind = {
  check: 'inactive-account-probing',
  category: 'posture',
  victims: [{ count: one, eligible: (user) => user.kind === 'dormant', hold: 'none' }],
  maxDurationMs: HOUR,
  build(ctx) {
    const victim = ctx.victims[0]!;
    const place = attackerPlace(ctx);
    const times = spreadTimes(ctx, ctx.startMs, ctx.random.int(3, 5), ctx.random.int(10, 40) * MINUTE);
    return times.map((t) => loginEvent(t, victim.provider, victim, { ...place, ...INVALID, application: portalOf(victim) }));
  },
};
