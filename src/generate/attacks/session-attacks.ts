import { loginEvent, mfaEvent, type PendingEvent } from '../event-builder.js';
import { APPLICATIONS, mfaProviderOf, portalOf, serviceApplicationOf } from '../benign-session.js';
import { attackerPlace, spreadTimes, victimPlace } from './attacker.js';
import { HOUR, MINUTE, SECOND, isRegularPerson, one, type AttackKind } from './types.js';

/** The victim signs in; later their session cookie is replayed from another address and browser. */
export const compromisedSession: AttackKind = {
  check: 'compromised-session',
  category: 'threat',
  victims: [{ count: one, eligible: isRegularPerson, hold: 'around' }],
  maxDurationMs: 3 * HOUR,
  build(ctx) {
    const victim = ctx.victims[0]!;
    const sessionId = ctx.random.hex(24);
    const home = { ...victimPlace(victim), sessionId };
    const events: PendingEvent[] = [];
    let t = ctx.startMs;
    events.push(mfaEvent(t, mfaProviderOf(victim), 'push_approved', victim, { ...home, application: portalOf(victim), result: 'SUCCESS', factor: 'push' }));
    events.push(loginEvent((t += 3 * SECOND), victim.provider, victim, { ...home, application: portalOf(victim), result: 'SUCCESS', factor: 'push' }));
    events.push(loginEvent((t += ctx.random.int(2, 15) * MINUTE), victim.provider, victim, { ...home, application: ctx.random.pick(APPLICATIONS), result: 'SUCCESS', factor: 'sso' }));

    const thief = { ...attackerPlace(ctx), sessionId };
    t += ctx.random.int(20, 90) * MINUTE;
    for (let i = ctx.random.int(2, 4); i > 0; i--) {
      events.push(loginEvent(t, victim.provider, victim, { ...thief, application: ctx.random.pick(APPLICATIONS), result: 'SUCCESS', factor: 'sso' }));
      t += ctx.random.int(1, 10) * MINUTE;
    }
    return events;
  },
};

/** A service account's credentials in a runaway (or hostile) script: 1,100 sign-ins in 20 hours. */
export const unusuallyHighActivity: AttackKind = {
  check: 'unusually-high-activity',
  category: 'threat',
  victims: [{ count: one, eligible: (user) => user.kind === 'service', hold: 'around' }],
  maxDurationMs: 20 * HOUR,
  build(ctx) {
    const account = ctx.victims[0]!;
    const place = { ip: account.ips.laptop, device: account.devices[0]!, city: account.home };
    const application = serviceApplicationOf(account);
    return spreadTimes(ctx, ctx.startMs, 1100, ctx.random.int(16, 20) * HOUR).map((t) =>
      loginEvent(t, account.provider, account, { ...place, application, result: 'SUCCESS', factor: 'password' }),
    );
  },
};

/** A successful sign-in from a known-bad address, or (every other episode) through an anonymizer. */
export const ipThreatDetected: AttackKind = {
  check: 'ip-threat-detected',
  category: 'threat',
  victims: [{ count: one, eligible: isRegularPerson, hold: 'around' }],
  maxDurationMs: 5 * MINUTE,
  build(ctx) {
    const victim = ctx.victims[0]!;
    const place = attackerPlace(ctx);
    const viaAnonymizer = ctx.ordinal % 2 === 1;
    const ip = viaAnonymizer ? place.ip : ctx.threatIp();
    return [
      loginEvent(ctx.startMs, victim.provider, victim, {
        ...place,
        ip,
        anonymizer: viaAnonymizer,
        application: 'Office 365 Exchange Online (IMAP)',
        result: 'SUCCESS',
        factor: 'password',
      }),
    ];
  },
};

/** The IdP itself rates a sign-in as high risk (leaked credentials, unfamiliar properties). */
export const signInThreatDetected: AttackKind = {
  check: 'sign-in-threat-detected',
  category: 'threat',
  victims: [{ count: one, eligible: isRegularPerson, hold: 'around' }],
  maxDurationMs: 5 * MINUTE,
  build(ctx) {
    const victim = ctx.victims[0]!;
    const place = attackerPlace(ctx);
    const sessionId = ctx.random.hex(24);
    const base = { ...place, application: portalOf(victim), sessionId, risk: 'high' } as const;
    const t = ctx.startMs;
    return [
      mfaEvent(t, mfaProviderOf(victim), 'push_approved', victim, { ...base, result: 'SUCCESS', factor: 'push', risk: undefined }),
      loginEvent(t + ctx.random.int(2, 6) * SECOND, victim.provider, victim, { ...base, result: 'SUCCESS', factor: 'push' }),
    ];
  },
};
