import type { IdentityEvent } from '../../src/events/schema.js';

/**
 * The parts of an event that checks (and finding ids) read, normalised so two events that
 * any check would treat alike compare equal: times as epoch ms, absent anonymizer = false,
 * absent risk = 'none', factor lists sorted. Used to prove an export adapter and its
 * encoder round-trip generated traffic.
 */
export function checkView(event: IdentityEvent): Record<string, unknown> {
  const user = event.user;
  const login = event.login;
  const ms = (time: string | undefined) => (time === undefined ? undefined : Date.parse(time));
  const directory =
    event.type === 'user' || event.type === 'admin'
      ? {
          type: user.type,
          roles: user.roles && [...user.roles].sort(),
          mfaEnabled: user.mfaEnabled,
          factors: user.factors && [...user.factors].sort(),
          bypassMfa: user.bypassMfa,
          createdAt: ms(user.createdAt),
          lastSuccessAt: ms(user.lastSuccessAt),
        }
      : {};
  return stripUndefined({
    id: event.id,
    time: ms(event.time),
    type: event.type,
    action: event.action,
    role: event.role,
    user: { login: user.login, status: user.status, ...directory },
    login: login && {
      result: login.result,
      factor: login.factor,
      application: login.application,
      ip: login.ip,
      country: login.geo?.country,
      city: login.geo?.city,
      lat: login.geo?.lat,
      lon: login.geo?.lon,
      anonymizer: login.anonymizer ?? false,
      userAgent: login.userAgent,
      browser: login.browser,
      deviceId: login.deviceId,
      sessionId: login.sessionId,
      risk: login.risk ?? 'none',
    },
  });
}

function stripUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(stripUndefined) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = stripUndefined(v);
  return out as T;
}
