import { loginEvent, mfaEvent, type PendingEvent } from '../event-builder.js';
import { mfaProviderOf, portalOf } from '../benign-session.js';
import { attackerPlace, spreadTimes } from './attacker.js';
import { MINUTE, SECOND, isRegularPerson, one, type AttackKind } from './types.js';

/** 6-10 push requests within 50 seconds, every one denied by the victim. */
export const mfaFlood: AttackKind = {
  check: 'mfa-flood',
  category: 'threat',
  victims: [{ count: one, eligible: isRegularPerson, hold: 'around' }],
  maxDurationMs: MINUTE,
  build(ctx) {
    const victim = ctx.victims[0]!;
    const place = attackerPlace(ctx);
    const times = spreadTimes(ctx, ctx.startMs, ctx.random.int(6, 10), ctx.random.int(30, 50) * SECOND);
    return times.map((t) =>
      mfaEvent(t, mfaProviderOf(victim), 'push_denied', victim, { ...place, result: 'DENIED', factor: 'push', application: portalOf(victim) }),
    );
  },
};

/** Four denied pushes, then the worn-down victim approves one; the attacker signs in. */
export const mfaFatigueAccepted: AttackKind = {
  check: 'mfa-fatigue-accepted',
  category: 'threat',
  victims: [{ count: one, eligible: isRegularPerson, hold: 'around' }],
  maxDurationMs: 10 * MINUTE,
  build(ctx) {
    const victim = ctx.victims[0]!;
    const place = attackerPlace(ctx);
    const provider = mfaProviderOf(victim);
    const base = { ...place, application: portalOf(victim) };
    const sessionId = ctx.random.hex(24);
    const events: PendingEvent[] = [];
    let t = ctx.startMs;
    for (let i = 0; i < 4; i++) {
      events.push(mfaEvent(t, provider, 'push_denied', victim, { ...base, result: 'DENIED', factor: 'push' }));
      t += ctx.random.int(70, 100) * SECOND;
    }
    t += ctx.random.int(0, 60) * SECOND;
    events.push(mfaEvent(t, provider, 'push_approved', victim, { ...base, result: 'SUCCESS', factor: 'push', sessionId }));
    events.push(loginEvent(t + 3 * SECOND, victim.provider, victim, { ...base, result: 'SUCCESS', factor: 'push', sessionId }));
    return events;
  },
};

/** A help-desk bypass code, talked out of the help desk, used by the attacker. */
export const bypassCodeUsed: AttackKind = {
  check: 'bypass-code-used',
  category: 'threat',
  victims: [{ count: one, eligible: isRegularPerson, hold: 'around' }],
  maxDurationMs: 5 * MINUTE,
  build(ctx) {
    const victim = ctx.victims[0]!;
    const place = attackerPlace(ctx);
    const base = { ...place, application: portalOf(victim), sessionId: ctx.random.hex(24) };
    const t = ctx.startMs;
    return [
      mfaEvent(t, mfaProviderOf(victim), 'bypass_code_used', victim, { ...base, result: 'SUCCESS', factor: 'bypass_code' }),
      loginEvent(t + ctx.random.int(2, 8) * SECOND, victim.provider, victim, { ...base, result: 'SUCCESS', factor: 'bypass_code' }),
    ];
  },
};
