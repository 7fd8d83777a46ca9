import type { Device } from './devices.js';
import { loginEvent, mfaEvent, type PendingEvent, type SignInFields } from './event-builder.js';
import type { City } from './geo.js';
import type { SimUser } from './population.js';
import type { Random } from './random.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export const APPLICATIONS = [
  'Salesforce', 'Slack', 'Google Workspace', 'Jira', 'Confluence', 'GitHub', 'Zoom', 'Workday', 'Box',
  'ServiceNow', 'Tableau', 'Microsoft Teams', 'Outlook', 'DocuSign', 'Zendesk',
];

export function portalOf(user: SimUser): string {
  return user.provider === 'OKTA' ? 'Okta Dashboard' : 'Microsoft 365';
}

/** What a service account signs in to: "svc-crm-sync-2" -> "Crm-sync API". */
export function serviceApplicationOf(user: SimUser): string {
  const name = user.directory.displayName.replace(/^svc-/, '').replace(/-\d+$/, '');
  return `${name.charAt(0).toUpperCase()}${name.slice(1)} API`;
}

/** Who reports a user's MFA: Duo for push users, the IdP itself otherwise. */
export function mfaProviderOf(user: SimUser): 'DUO' | SimUser['provider'] {
  return user.mfa === 'push' ? 'DUO' : user.provider;
}

export interface SessionPlace {
  city: City;
  ip: string;
  device: Device;
}

export interface BuiltSession {
  events: PendingEvent[];
  endMs: number;
}

/**
 * One working session: the odd mistyped password, the MFA challenge (rarely missed once,
 * then approved), the sign-in, and a few apps opened over the next hours — all on one
 * sessionId, from one IP and one user agent.
 */
export function buildSession(user: SimUser, startMs: number, place: SessionPlace, random: Random): BuiltSession {
  const events: PendingEvent[] = [];
  const portal = portalOf(user);
  const risk: SignInFields['risk'] = user.provider === 'AZURE_AD' ? (random.chance(0.06) ? 'low' : 'none') : undefined;
  const sessionId = random.hex(24);
  // one literal shape for every sign-in of the session (this is the generator's hot path)
  const fields = (result: SignInFields['result'], factor: SignInFields['factor'], application: string, inSession: boolean, reason?: string): SignInFields => ({
    result,
    factor,
    application,
    ip: place.ip,
    city: place.city,
    device: place.device,
    reason,
    sessionId: inSession ? sessionId : undefined,
    risk,
  });
  let t = startMs;

  if (random.chance(0.04)) {
    const failures = random.chance(0.7) ? 1 : 2;
    for (let i = 0; i < failures; i++) {
      events.push(loginEvent(t, user.provider, user, fields('FAILURE', 'password', portal, false, 'INVALID_CREDENTIALS')));
      t += random.int(6, 25) * SECOND;
    }
  }

  const factor = mfaStep(user, t, (result, mfaFactor) => fields(result, mfaFactor, portal, true), random, events);
  t = (events.at(-1)?.timeMs ?? t) + random.int(1, 4) * SECOND;
  events.push(loginEvent(t, user.provider, user, fields('SUCCESS', factor, portal, true)));

  const durationMs = random.int(20, 240) * MINUTE;
  const apps = random.int(1, 5);
  const offsets: number[] = [];
  for (let i = 0; i < apps; i++) offsets.push(random.int(30 * SECOND, durationMs));
  offsets.sort((a, b) => a - b);
  for (const offset of offsets) events.push(loginEvent(t + offset, user.provider, user, fields('SUCCESS', 'sso', random.pick(APPLICATIONS), true)));
  return { events, endMs: events.at(-1)!.timeMs };
}

type MfaFields = (result: SignInFields['result'], factor: SignInFields['factor']) => SignInFields;

/** Appends the MFA events of a sign-in; returns the factor the sign-in completed with. */
function mfaStep(user: SimUser, startMs: number, fields: MfaFields, random: Random, events: PendingEvent[]): SignInFields['factor'] {
  if (user.mfa === 'none') return 'password';
  const provider = mfaProviderOf(user);
  let t = startMs + random.int(2, 6) * SECOND;
  if (user.mfa === 'push') {
    if (random.chance(0.025)) {
      const timedOut = random.chance(0.6);
      events.push(mfaEvent(t, provider, timedOut ? 'push_timeout' : 'push_denied', user, fields(timedOut ? 'TIMEOUT' : 'DENIED', 'push')));
      t += (timedOut ? 60 : 0) * SECOND + random.int(15, 50) * SECOND;
    }
    events.push(mfaEvent(t + random.int(3, 12) * SECOND, provider, 'push_approved', user, fields('SUCCESS', 'push')));
    return 'push';
  }
  if (user.mfa === 'totp') {
    if (random.chance(0.02)) {
      events.push(mfaEvent(t, provider, 'totp_rejected', user, fields('FAILURE', 'totp')));
      t += random.int(10, 30) * SECOND;
    }
    events.push(mfaEvent(t + random.int(5, 20) * SECOND, provider, 'totp_verified', user, fields('SUCCESS', 'totp')));
    return 'totp';
  }
  events.push(mfaEvent(t + random.int(2, 6) * SECOND, provider, 'webauthn_verified', user, fields('SUCCESS', 'webauthn')));
  return 'webauthn';
}
