import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Detector } from '../src/checks/detector.js';
import type { RawRecord } from '../src/events/adapters/adapter-types.js';
import { entraAdapter } from '../src/events/adapters/entra.js';
import { EXPIRED_TOKEN_CODES, IGNORED_AUDIT_ACTIVITIES, INTERRUPT_CODES, METHOD_FACTORS, SIGN_IN_CODES } from '../src/events/adapters/entra-tables.js';
import type { IdentityEvent } from '../src/events/schema.js';
import { validateEvent } from '../src/events/validate-event.js';
import { selectAttacks } from '../src/generate/attacks/catalog.js';
import { entraEncoder } from '../src/generate/formats/entra.js';
import { TrafficGenerator } from '../src/generate/traffic-generator.js';
import { checkView } from './support/check-view.js';

const EXPORTS = fileURLToPath(new URL('../fixtures/exports/entra/', import.meta.url));
const RULES = fileURLToPath(new URL('../rules/', import.meta.url));

const graphFile = JSON.parse(readFileSync(`${EXPORTS}graph-signins.json`, 'utf8')) as { '@odata.context': string; value: RawRecord[] };
const graph = graphFile.value;
const diagnostic = ndjson('diagnostic-records.ndjson');
const malformed = ndjson('malformed.ndjson');

function ndjson(name: string): RawRecord[] {
  return readFileSync(`${EXPORTS}${name}`, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RawRecord);
}

/** The record's events, each checked against the event schema as the replay will. */
function eventsOf(record: RawRecord): IdentityEvent[] {
  const result = entraAdapter.adapt(record);
  if (result.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(result)}`);
  return result.events.map((candidate) => {
    const item = validateEvent(candidate, 'entra', 1);
    if (!item.ok) throw new Error(`invalid event: ${JSON.stringify(item.error)}`);
    return item.event;
  });
}

function only(record: RawRecord): IdentityEvent {
  const events = eventsOf(record);
  expect(events).toHaveLength(1);
  return events[0]!;
}

const byId = (records: RawRecord[], id: string) => records.find((r) => r.id === id || (r.properties as RawRecord | undefined)?.id === id)!;
const signInsOf = (login: string) => graph.filter((r) => r.userPrincipalName === login);
/** The diagnostic record on line n + 1 of diagnostic-records.ndjson. */
const line = (n: number) => diagnostic[n]!;

describe('entra adapter: Graph signIns export', () => {
  it('is an @odata list in newest-first order, as Graph returns it', () => {
    expect(graphFile['@odata.context']).toContain('auditLogs/signIns');
    const times = graph.map((r) => Date.parse(r.createdDateTime as string));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('maps a password + push sign-in to the push approval and the login, field by field', () => {
    const [mfa, login] = eventsOf(byId(graph, '5b8a2f41-9c3e-4d7a-8e12-a0c4d6f81b01'));
    const shared = {
      application: 'Microsoft Office 365 Portal',
      ip: '198.51.100.23',
      geo: { country: 'US', city: 'Seattle', lat: 47.6062, lon: -122.3321 },
      asn: 8075,
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      browser: 'Edge 131',
      deviceId: 'd5e1c0a4-2b6f-4e8d-9a13-7c2e5f8b9a01',
      sessionId: '00a1b2c3-d4e5-4f60-8a71-b2c3d4e5f601',
      risk: 'none',
      riskState: 'none',
      clientApp: 'Browser',
      correlationId: '10b18f6d-9c3e-4d7a-8e12-a0c4d6f81b01',
      interactive: true,
    };
    const user = { login: 'megan.bowen@contoso.com', id: '4f2c1d9e-8a7b-4c6d-9e1f-2a3b4c5d6e01', displayName: 'Megan Bowen', type: 'INTERNAL', status: 'ACTIVE' };
    expect(mfa).toEqual({
      id: '5b8a2f41-9c3e-4d7a-8e12-a0c4d6f81b01:mfa',
      time: '2025-03-10T08:02:11Z',
      provider: 'AZURE_AD',
      type: 'mfa',
      action: 'push_approved',
      user,
      login: { result: 'SUCCESS', factor: 'push', ...shared },
    });
    expect(login).toEqual({
      id: '5b8a2f41-9c3e-4d7a-8e12-a0c4d6f81b01',
      time: '2025-03-10T08:02:11Z',
      provider: 'AZURE_AD',
      type: 'login',
      user,
      login: { result: 'SUCCESS', factor: 'push', ...shared },
    });
  });

  it('takes the browser from deviceDetail ("Chrome 131.0.0" -> "Chrome 131") when the record has no user agent', () => {
    const event = only(byId(graph, '5b8a2f41-9c3e-4d7a-8e12-a0c4d6f81b02'));
    expect(event.type).toBe('login');
    expect(event.login).toMatchObject({ result: 'SUCCESS', factor: 'sso', browser: 'Chrome 131', sessionId: '00a1b2c3-d4e5-4f60-8a71-b2c3d4e5f601' });
    expect(event.login?.userAgent).toBeUndefined();
    expect(only(byId(graph, '4e5f6a7b-8c9d-4e0f-8a1b-3c4d5e6f7a11')).login?.browser).toBe('Internet Explorer 11');
  });

  it('maps the burst of wrong passwords (50126) to login failures: 22 for one user within an hour', () => {
    const events = signInsOf('alex.wilber@contoso.com').map(only);
    expect(events.length).toBeGreaterThanOrEqual(20);
    for (const event of events) {
      expect(event.type).toBe('login');
      expect(event.user).toEqual({ login: 'alex.wilber@contoso.com', id: '7a1e3c5b-9d2f-4b8a-a6c4-1e3f5a7b9c02', displayName: 'Alex Wilber', type: 'INTERNAL' });
      expect(event.login).toMatchObject({
        result: 'FAILURE',
        reason: 'INVALID_CREDENTIALS',
        factor: 'password',
        ip: '203.0.113.45',
        geo: { country: 'NL', city: 'Amsterdam' },
        browser: 'python-requests 2.31',
        clientApp: 'Mobile Apps and Desktop clients',
      });
    }
    const times = events.map((e) => Date.parse(e.time));
    expect(Math.max(...times) - Math.min(...times)).toBeLessThan(60 * 60_000);
  });

  it('marks the user SUSPENDED on a sign-in to a disabled account (50057); a 50053 is a failure that sets no status', () => {
    const disabled = only(signInsOf('lynne.robbins@contoso.com')[0]!);
    expect(disabled.user.status).toBe('SUSPENDED');
    expect(disabled.login).toMatchObject({ result: 'FAILURE', reason: 'USER_SUSPENDED', factor: 'password', application: 'Microsoft Teams' });
    // 50053 is also "blocked from a malicious IP", where nothing is locked: a LOCKED status would stop Inactive User for good
    const locked = only(signInsOf('diego.siciliani@contoso.com')[0]!);
    expect(locked.user).not.toHaveProperty('status');
    expect(locked.login).toMatchObject({ result: 'FAILURE', reason: 'ACCOUNT_LOCKED' });
  });

  it('marks the user ACTIVE on every success (code 0): a disabled account cannot sign in', () => {
    expect(only(byId(graph, '5b8a2f41-9c3e-4d7a-8e12-a0c4d6f81b02')).user.status).toBe('ACTIVE');
    for (const event of eventsOf(byId(graph, '5b8a2f41-9c3e-4d7a-8e12-a0c4d6f81b01'))) expect(event.user.status).toBe('ACTIVE');
    for (const event of signInsOf('alex.wilber@contoso.com').map(only)) expect(event.user).not.toHaveProperty('status');
  });

  it('reads a Graph sign-in with isInteractive false, or signInEventTypes nonInteractiveUser only, as a session event', () => {
    const record = structuredClone(byId(graph, '5b8a2f41-9c3e-4d7a-8e12-a0c4d6f81b02'));
    record.isInteractive = false;
    expect(only(record)).toMatchObject({ type: 'session', action: 'token_refresh', login: { result: 'SUCCESS', interactive: false } });
    delete record.isInteractive;
    record.signInEventTypes = ['nonInteractiveUser'];
    expect(only(record)).toMatchObject({ type: 'session', login: { interactive: false } });
    expect(only(record).login).not.toHaveProperty('sessionId');
  });

  it('maps failed MFA (500121) to mfa events only: declined -> push_denied, unanswered -> push_timeout', () => {
    const [timedOut, denied] = signInsOf('isaiah.langer@contoso.com').map(only);
    expect(denied).toMatchObject({ id: 'f1e2d3c4-b5a6-4978-8a6b-5c4d3e2f1a05', type: 'mfa', action: 'push_denied', login: { result: 'DENIED', factor: 'push', ip: '203.0.113.99' } });
    expect(timedOut).toMatchObject({ id: 'f1e2d3c4-b5a6-4978-8a6b-5c4d3e2f1a06', type: 'mfa', action: 'push_timeout', login: { result: 'TIMEOUT', factor: 'push' } });
    expect(denied?.login?.reason).toBeUndefined();
  });

  it('maps Identity Protection risk: high stays high, confirmed compromised is high, hidden (no P2) is left out', () => {
    const risky = only(signInsOf('adele.vance@contoso.com')[0]!);
    expect(risky.login).toMatchObject({ result: 'SUCCESS', risk: 'high', riskState: 'atRisk', riskEventTypes: ['unfamiliarFeatures', 'suspiciousIPAddress'], geo: { country: 'NG' } });
    expect(only(signInsOf('grady.archie@contoso.com')[0]!).login).toMatchObject({ risk: 'high', riskState: 'confirmedCompromised' });
    const hidden = only(signInsOf('pradeep.gupta@contoso.com')[0]!);
    expect(hidden.login).not.toHaveProperty('risk');
    expect(only(signInsOf('megan.bowen@contoso.com')[0]!).login?.risk).toBe('none');
  });

  it('flags a sign-in with the anonymizedIPAddress detection as through an anonymizer', () => {
    const event = only(signInsOf('johanna.lorenz@contoso.com')[0]!);
    expect(event.login).toMatchObject({ result: 'SUCCESS', anonymizer: true, risk: 'medium', ip: '185.220.101.7', geo: { country: 'DE' }, asn: 60729 });
    expect(only(signInsOf('adele.vance@contoso.com')[0]!).login).not.toHaveProperty('anonymizer');
  });

  it('maps a Temporary Access Pass sign-in to the bypass_code factor', () => {
    expect(only(signInsOf('miriam.graham@contoso.com')[0]!)).toMatchObject({
      type: 'login',
      login: { result: 'SUCCESS', factor: 'bypass_code', application: 'My Signins', ip: '203.0.113.61' },
    });
  });

  it('ignores an MFA-required interrupt (50074), whose outcome comes in a later record', () => {
    const result = entraAdapter.adapt(signInsOf('nestor.wilke@contoso.com')[0]!);
    expect(result).toEqual({ kind: 'ignored', reason: expect.stringContaining('50074') as string });
  });
});

describe('entra adapter: diagnostic-settings records (storage-account NDJSON)', () => {
  it('reads a SignInLogs record from properties, keeping the 7-digit time', () => {
    const [mfa, login] = eventsOf(line(0));
    expect(mfa).toMatchObject({ id: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e21:mfa', type: 'mfa', action: 'push_approved' });
    expect(login).toEqual({
      id: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e21',
      time: '2025-03-11T07:58:03.1234567Z',
      provider: 'AZURE_AD',
      type: 'login',
      user: { login: 'patti.fernandez@contoso.com', id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c21', displayName: 'Patti Fernandez', type: 'INTERNAL', status: 'ACTIVE' },
      login: {
        result: 'SUCCESS',
        factor: 'push',
        application: 'Office365 Shell WCSS-Client',
        ip: '198.51.100.140',
        geo: { country: 'GB', city: 'London', lat: 51.5074, lon: -0.1278 },
        asn: 2856,
        userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
        browser: 'Chrome 131',
        sessionId: '5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b21',
        risk: 'none',
        riskState: 'none',
        clientApp: 'Browser',
        correlationId: '6a2b9c1d-3e4f-4a5b-8c6d-7e8f9a0b1c21',
        interactive: true,
      },
    });
  });

  it('reads a NonInteractiveUserSignInLogs token refresh as a session event without its shared sessionId, field by field', () => {
    expect(only(line(1))).toEqual({
      id: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e22',
      time: '2025-03-11T08:04:40.5551234Z',
      provider: 'AZURE_AD',
      type: 'session',
      action: 'token_refresh',
      user: { login: 'patti.fernandez@contoso.com', id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c21', displayName: 'Patti Fernandez', type: 'INTERNAL', status: 'ACTIVE' },
      login: {
        result: 'SUCCESS',
        factor: 'sso',
        application: 'Microsoft Teams',
        ip: '198.51.100.140',
        geo: { country: 'GB', city: 'London', lat: 51.5074, lon: -0.1278 },
        risk: 'none',
        riskState: 'none',
        clientApp: 'Mobile Apps and Desktop clients',
        correlationId: '8b3c0d2e-4f5a-4b6c-9d7e-8f9a0b1c2d22',
        interactive: false,
      },
    });
  });

  it('keeps a non-interactive wrong password (50126, legacy SMTP) a login failure, without a sessionId', () => {
    expect(only(line(14))).toEqual({
      id: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e34',
      time: '2025-03-11T13:40:09.5000000Z',
      provider: 'AZURE_AD',
      type: 'login',
      user: { login: 'lee.gu@contoso.com', id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d31', displayName: 'Lee Gu', type: 'INTERNAL' },
      login: {
        result: 'FAILURE',
        reason: 'INVALID_CREDENTIALS',
        factor: 'password',
        application: 'Office 365 Exchange Online',
        ip: '203.0.113.88',
        geo: { country: 'NL', city: 'Amsterdam', lat: 52.3676, lon: 4.9041 },
        userAgent: 'BAV2ROPC',
        risk: 'none',
        riskState: 'none',
        clientApp: 'Authenticated SMTP',
        correlationId: '9a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c34',
        interactive: false,
      },
    });
  });

  it('reads a Conditional Access block (53003) as DENIED, not a failure, field by field', () => {
    expect(only(line(11))).toEqual({
      id: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e31',
      time: '2025-03-11T13:05:12.4410000Z',
      provider: 'AZURE_AD',
      type: 'login',
      user: { login: 'lee.gu@contoso.com', id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d31', displayName: 'Lee Gu', type: 'INTERNAL' },
      login: {
        result: 'DENIED',
        reason: 'BLOCKED_BY_CONDITIONAL_ACCESS',
        factor: 'password',
        application: 'Office 365 SharePoint Online',
        ip: '102.89.34.21',
        geo: { country: 'NG', city: 'Lagos', lat: 6.4541, lon: 3.3947 },
        userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
        browser: 'Edge 131',
        sessionId: '6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d31',
        risk: 'none',
        riskState: 'none',
        clientApp: 'Browser',
        correlationId: '9a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c31',
        interactive: true,
      },
    });
  });

  it('reads a code in no table (65001, consent) as an ERROR with the code and Entra\'s text as the reason', () => {
    const event = only(line(12));
    expect(event.type).toBe('login');
    expect(event.user).not.toHaveProperty('status');
    expect(event.login).toMatchObject({
      result: 'ERROR',
      reason: "AADSTS65001: The user or administrator has not consented to use the application with ID 'd3590ed6-52b3-4102-aeff-aad2292ab01c' named 'Microsoft Office'. Send an interactive authorization request for this user and resource.",
      factor: 'sso',
      application: 'Microsoft Office',
    });
  });

  it('ignores an expired refresh token (700082): no credential was judged', () => {
    expect(entraAdapter.adapt(line(13))).toEqual({ kind: 'ignored', reason: expect.stringContaining('700082 (refresh token expired after inactivity)') as string });
  });

  it('clears the SUSPENDED of a 50057 on a later success (the account was enabled again, audit log or not)', () => {
    const [disabled, enabled] = [only(line(15)), only(line(16))];
    expect(disabled).toMatchObject({ type: 'login', user: { login: 'christie.cline@contoso.com', status: 'SUSPENDED' }, login: { result: 'FAILURE', reason: 'USER_SUSPENDED' } });
    expect(disabled.login).not.toHaveProperty('sessionId');
    expect(enabled).toMatchObject({ type: 'login', user: { login: 'christie.cline@contoso.com', status: 'ACTIVE' }, login: { result: 'SUCCESS', factor: 'password' } });
  });

  it('keeps a sign-in whose countryOrRegion is no ISO country ("EU"), without the country', () => {
    const record = structuredClone(line(0));
    ((record.properties as RawRecord).location as RawRecord).countryOrRegion = 'EU';
    const login = eventsOf(record)[1]!.login!;
    expect(login.geo).toEqual({ city: 'London', lat: 51.5074, lon: -0.1278 });
  });

  it('keeps a sign-in whose riskLevelDuringSignIn is unknown, without the risk', () => {
    const record = structuredClone(line(0));
    (record.properties as RawRecord).riskLevelDuringSignIn = 'elevated';
    expect(eventsOf(record)[1]!.login).not.toHaveProperty('risk');
  });

  it('takes the time from properties when the diagnostic time has no zone, and says what is wrong when there is none', () => {
    const record = structuredClone(line(3));
    record.time = '2025-03-11T09:40:02';
    expect(only(record).time).toBe('2025-03-11T09:40:02.7000000+00:00');
    delete (record.properties as RawRecord).createdDateTime;
    expect(entraAdapter.adapt(record)).toEqual({ kind: 'error', field: 'time', message: 'not an ISO 8601 timestamp with a zone: "2025-03-11T09:40:02"' });
    const audit = structuredClone(line(6));
    audit.time = '2025-03-11T12:00:00';
    expect(only(audit).time).toBe('2025-03-11T12:00:00.0000000+00:00');
  });

  it('reads a 500121 with no authentication steps from status.additionalDetails: an unanswered push', () => {
    expect(only(line(2))).toMatchObject({ type: 'mfa', action: 'push_timeout', user: { login: 'lidia.holloway@contoso.com' }, login: { result: 'TIMEOUT', factor: 'push', browser: 'HeadlessChrome 129' } });
  });

  it('reads a legacy-protocol (IMAP4) wrong password as a login failure', () => {
    expect(only(line(3)).login).toMatchObject({ result: 'FAILURE', reason: 'INVALID_CREDENTIALS', factor: 'password', clientApp: 'IMAP4', geo: { country: 'UA' } });
  });

  it('falls back to resultType when properties.status has no errorCode', () => {
    const record = structuredClone(line(3));
    (record.properties as RawRecord).status = { failureReason: 'Device is not in required device state: compliant.' };
    record.resultType = '53000';
    expect(only(record).login).toMatchObject({ result: 'DENIED', reason: 'BLOCKED_BY_CONDITIONAL_ACCESS' });
    record.resultType = '9002341';
    expect(only(record).login).toMatchObject({ result: 'ERROR', reason: 'AADSTS9002341: Device is not in required device state: compliant.' });
  });

  it('maps the AuditLogs role grant and revocation to role_assigned / role_removed with the role and actor', () => {
    expect(only(line(4))).toEqual({
      id: 'Directory_1e6f3a5b-7c8d-4e9f-8a0b-2c3d4e5f6a25_KX2QZ_113457001',
      time: '2025-03-11T10:15:44.2000000Z',
      provider: 'AZURE_AD',
      type: 'user',
      action: 'role_assigned',
      role: 'Global Administrator',
      actor: { login: 'helpdesk.admin@contoso.com' },
      user: { login: 'miriam.graham@contoso.com', id: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e25' },
    });
    expect(only(line(5))).toMatchObject({ action: 'role_removed', role: 'Global Administrator', actor: { login: 'it-security@contoso.com' } });
  });

  it('maps Disable account, Add user and Admin registered security info to user events', () => {
    expect(only(line(6))).toMatchObject({ type: 'user', action: 'status_changed', user: { login: 'lynne.robbins@contoso.com', status: 'SUSPENDED' } });
    expect(only(line(7)).user).toEqual({
      login: 'joni.sherman@contoso.com',
      id: '5e6f7a8b-9c0d-4e1f-8a2b-4c5d6e7f8a28',
      displayName: 'Joni Sherman',
      department: 'Legal',
      status: 'ACTIVE',
      type: 'INTERNAL',
      createdAt: '2025-03-11T12:30:00.0000000Z',
    });
    expect(only(line(8))).toMatchObject({ action: 'mfa_enrolled', user: { login: 'joni.sherman@contoso.com' } });
  });

  it('ignores the removal of one authentication method: the log does not say which methods remain', () => {
    expect(entraAdapter.adapt(line(17))).toEqual({ kind: 'ignored', reason: 'audit activity "User deleted security info": one authentication method removed: the log does not say which methods remain' });
    const byAdmin = structuredClone(line(17));
    (byAdmin.properties as RawRecord).activityDisplayName = 'Admin deleted security info';
    expect(entraAdapter.adapt(byAdmin)).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('which methods remain') as string });
  });

  it('ignores a role granted to a service principal (no user target), where it used to be an error', () => {
    expect(entraAdapter.adapt(line(18))).toEqual({ kind: 'ignored', reason: 'audit activity "Add member to role" on no user (targets: ServicePrincipal, Role): nothing a user check reads' });
  });

  it('maps Delete user to the live UPN: the object-id prefix Entra writes on deleted users is stripped', () => {
    expect(only(line(19))).toEqual({
      id: 'Directory_8f3a0b2c-4d5e-4f6a-9b7c-9d0e1f2a3b39_RTY78_440033',
      time: '2025-03-11T17:02:48.0000000Z',
      provider: 'AZURE_AD',
      type: 'user',
      action: 'deleted',
      actor: { login: 'helpdesk.admin@contoso.com' },
      user: { login: 'alice.lopez@contoso.com', id: '1e0a4b2c-3d4e-4f5a-8b6c-7d8e9f0a6666' },
    });
    // a UPN that only looks like it (another id's prefix) is left alone
    const other = structuredClone(line(19));
    (((other.properties as RawRecord).targetResources as RawRecord[])[0]!).id = '2e0a4b2c-3d4e-4f5a-8b6c-7d8e9f0a6666';
    expect(only(other).user.login).toBe('1e0a4b2c3d4e4f5a8b6c7d8e9f0a6666alice.lopez@contoso.com');
  });

  it('ignores audit housekeeping and service-principal sign-ins', () => {
    expect(entraAdapter.adapt(line(9))).toEqual({ kind: 'ignored', reason: expect.stringContaining('Update application') as string });
    expect(entraAdapter.adapt(line(10))).toEqual({ kind: 'ignored', reason: expect.stringContaining('ServicePrincipalSignInLogs') as string });
    const failed = structuredClone(line(4));
    (failed.properties as RawRecord).result = 'failure';
    expect(entraAdapter.adapt(failed).kind).toBe('ignored');
  });
});

describe('entra adapter: malformed records', () => {
  const expected = [
    'createdDateTime',
    'userPrincipalName',
    'location.geoCoordinates.latitude',
    'riskLevelDuringSignIn',
    'authenticationDetails',
    'location.countryOrRegion',
    'properties.status.errorCode',
    'properties',
    'time',
    'resultType',
    'properties.targetResources',
  ];

  it('names the source field of each malformed record', () => {
    expect(malformed.map((record) => entraAdapter.adapt(record))).toEqual(
      expected.map((field) => ({ kind: 'error', field, message: expect.any(String) as string })),
    );
  });

  it('says what is wrong', () => {
    expect(entraAdapter.adapt(malformed[2]!)).toMatchObject({ message: 'expected a number, got string "47.6"' });
    expect(entraAdapter.adapt(malformed[8]!)).toMatchObject({ message: 'required' });
  });
});

describe('entra adapter: recognizes', () => {
  it('accepts Graph signIns, Graph directoryAudits and diagnostic records of any category', () => {
    for (const record of [...graph, ...diagnostic]) expect(entraAdapter.recognizes(record)).toBe(true);
    const directoryAudit = { ...(diagnostic[4]!.properties as RawRecord) };
    expect(entraAdapter.recognizes(directoryAudit)).toBe(true);
    expect(only(directoryAudit)).toMatchObject({ action: 'role_assigned', role: 'Global Administrator', time: '2025-03-11T10:15:44.2000000+00:00' });
  });

  it('rejects other vendors and sigfire events', () => {
    const okta = {
      uuid: 'f1c3a0de-0b7e-11ef-9a3c-2b1b6e0f1a01',
      published: '2025-03-10T08:00:00.000Z',
      eventType: 'user.session.start',
      actor: { id: '00u1', type: 'User', alternateId: 'megan.bowen@contoso.com' },
      outcome: { result: 'SUCCESS' },
      client: { ipAddress: '198.51.100.23' },
    };
    const duo = { timestamp: 1741593600, txid: 'b1c2', user: { name: 'megan.bowen' }, factor: 'duo_push', result: 'success', reason: 'user_approved', access_device: { ip: '198.51.100.23' } };
    const sigfire = { id: 'evt-1', time: '2025-03-10T08:00:00Z', provider: 'AZURE_AD', type: 'login', user: { login: 'megan.bowen@contoso.com' }, login: { result: 'SUCCESS' } };
    for (const record of [okta, duo, sigfire, {}]) expect(entraAdapter.recognizes(record)).toBe(false);
  });
});

describe('entra adapter: sigfire.user overlay (generated files only)', () => {
  it('overlays directory state only', () => {
    const record = { ...structuredClone(diagnostic[7]!), sigfire: { user: { roles: ['Everyone'], mfaEnabled: true, login: 'someone.else@contoso.com', status: 'STAGED' } } };
    expect(only(record).user).toMatchObject({ login: 'joni.sherman@contoso.com', roles: ['Everyone'], mfaEnabled: true, status: 'STAGED' });
  });

  it('reports an overlay that is not an object', () => {
    expect(entraAdapter.adapt({ ...diagnostic[7]!, sigfire: { user: 'admin' } })).toMatchObject({ kind: 'error', field: 'sigfire.user' });
  });
});

describe('entra adapter: mapping tables', () => {
  it('lists every error code and authentication method the code knows', () => {
    const text = JSON.stringify(entraAdapter.mapping);
    for (const { code } of [...SIGN_IN_CODES, ...INTERRUPT_CODES, ...EXPIRED_TOKEN_CODES]) expect(text).toContain(`${code} (`);
    for (const activity of Object.keys(IGNORED_AUDIT_ACTIVITIES)) expect(text).toContain(`activityDisplayName = ${activity}`);
    for (const [method] of METHOD_FACTORS) expect(text).toContain(method);
    expect(text).toContain('(generated files only)');
  });
});

describe('entra adapter: the samples through the checks', () => {
  it('fires the checks the samples were written for', async () => {
    const detector = await Detector.create({ rulesDir: RULES });
    const events = [...graph, ...diagnostic].flatMap((record) => (entraAdapter.adapt(record).kind === 'events' ? eventsOf(record) : []));
    events.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    const fired = new Set<string>();
    for (const event of events) for (const finding of await detector.process(event)) fired.add(`${finding.checkId} ${finding.user.login}`);
    expect([...fired]).toEqual(
      expect.arrayContaining([
        'brute-force alex.wilber@contoso.com',
        'login-to-disabled-account lynne.robbins@contoso.com',
        'sign-in-threat-detected adele.vance@contoso.com',
        'sign-in-threat-detected grady.archie@contoso.com',
        'ip-threat-detected johanna.lorenz@contoso.com',
        'blocked-browser pradeep.gupta@contoso.com',
        'admin-role-assigned miriam.graham@contoso.com',
        'bypass-code-used miriam.graham@contoso.com',
        'login-to-disabled-account christie.cline@contoso.com',
      ]),
    );
  });

  it('fires once on a 50057 and not on the success that follows it', async () => {
    const detector = await Detector.create({ rulesDir: RULES });
    const findings = [];
    for (const event of [only(line(15)), only(line(16))]) findings.push(...(await detector.process(event)).map((f) => `${f.checkId} ${f.event.id}`));
    expect(findings).toEqual(['login-to-disabled-account 7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e35']);
  });

  it('fires nothing on everyday noise: token refreshes, consent errors, Conditional Access blocks', async () => {
    const detector = await Detector.create({ rulesDir: RULES });
    const start = Date.parse('2025-03-12T06:00:00Z');
    const at = (ms: number) => new Date(start + ms).toISOString();
    const events: IdentityEvent[] = [];
    // 1,100 non-interactive refreshes in 20 hours, two networks and two clients on one sessionId (Unusually High Activity, Compromised Session)
    for (let i = 0; i < 1_100; i++) {
      const record = structuredClone(line(1));
      const properties = record.properties as RawRecord;
      Object.assign(properties, { id: `refresh-${i}`, ipAddress: i % 2 ? '198.51.100.140' : '203.0.113.200', userAgent: i % 2 ? 'Teams/1.7' : 'Outlook/16.0' });
      record.time = at(i * 65_000);
      events.push(only(record));
    }
    // 25 consent errors in an hour (Brute Force), 12 users without a compliant device (53000) behind one office IP in 4 minutes (Password Spray)
    for (let i = 0; i < 25; i++) {
      const record = structuredClone(line(12));
      Object.assign(record.properties as RawRecord, { id: `consent-${i}` });
      record.time = at(21 * 3_600_000 + i * 120_000);
      events.push(only(record));
    }
    for (let i = 0; i < 12; i++) {
      const record = structuredClone(line(11));
      Object.assign(record.properties as RawRecord, { id: `ca-${i}`, userPrincipalName: `user${i}@contoso.com`, status: { errorCode: 53000, failureReason: 'Device is not in required device state: compliant.' } });
      record.time = at(23 * 3_600_000 + i * 20_000);
      events.push(only(record));
    }
    const fired: string[] = [];
    for (const event of events) for (const finding of await detector.process(event)) fired.push(`${finding.checkId} ${finding.user.login}`);
    expect(events.filter((event) => event.type === 'session')).toHaveLength(1_100);
    expect(fired).toEqual([]);
  });
});

describe('entra encoder', () => {
  it('round-trips generated traffic: one record per event, same id, same check view', () => {
    const generator = new TrafficGenerator({ events: 20_000, seed: 1, attacks: selectAttacks('all') });
    let events = 0;
    let disabledSignIns = 0;
    let successes = 0;
    const kinds = new Set<string>();
    for (const original of generator.events()) {
      events++;
      const record = JSON.parse(JSON.stringify(entraEncoder.encode(original))) as RawRecord;
      const adapted = eventsOf(record);
      expect(adapted).toHaveLength(1);
      const event = adapted[0]!;
      expect(event.id).toBe(original.id);
      kinds.add(`${event.type} ${event.action ?? ''}`.trim());
      // Where the adapter says more than the generated event, by design (the directory already knew it):
      // 50057 tells that the account is disabled, and a success (code 0, login or MFA) that it is enabled.
      const status = original.login?.reason === 'USER_SUSPENDED' ? ('SUSPENDED' as const) : original.login?.result === 'SUCCESS' ? ('ACTIVE' as const) : undefined;
      const expected = status ? { ...original, user: { ...original.user, status } } : original;
      if (status === 'SUSPENDED') disabledSignIns++;
      if (status === 'ACTIVE') successes++;
      expect(checkView(event)).toEqual(checkView(expected));
    }
    expect(events).toBe(20_000);
    expect(disabledSignIns).toBeGreaterThan(0);
    expect(successes).toBeGreaterThan(10_000);
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining(['login', 'mfa push_approved', 'mfa push_denied', 'mfa push_timeout', 'mfa bypass_code_used', 'user created', 'user role_assigned', 'user role_removed', 'user status_changed']),
    );
  });

  it('writes sign-ins (sso too) and MFA challenges as interactive SignInLogs records and directory changes as AuditLogs', () => {
    const generator = new TrafficGenerator({ events: 3_000, seed: 2 });
    const categories = new Map<string, string>();
    for (const event of generator.events()) {
      const record = entraEncoder.encode(event);
      categories.set(`${event.type}${event.login?.factor === 'sso' ? ' sso' : ''}`, record.category as string);
      expect(entraAdapter.recognizes(JSON.parse(JSON.stringify(record)) as RawRecord)).toBe(true);
    }
    expect(Object.fromEntries(categories)).toEqual({
      user: 'AuditLogs',
      login: 'SignInLogs',
      // an sso login is interactive: a NonInteractiveUserSignInLogs record would read back as a session event
      'login sso': 'SignInLogs',
      mfa: 'SignInLogs',
    });
  });

  it('puts in sigfire.user only the directory state the audit record cannot say', () => {
    const created = entraEncoder.encode({
      id: 'gen-1-1',
      time: '2026-10-01T00:00:00.000Z',
      provider: 'AZURE_AD',
      type: 'user',
      action: 'created',
      actor: { login: 'provisioning@acme-corp.com' },
      user: { login: 'a@acme-corp.com', status: 'ACTIVE', type: 'INTERNAL', roles: ['Everyone'], mfaEnabled: true, createdAt: '2024-01-01T00:00:00.000Z' },
    });
    expect(created).toMatchObject({ category: 'AuditLogs', operationName: 'Add user', properties: { activityDisplayName: 'Add user' } });
    expect(created.sigfire).toEqual({ user: { roles: ['Everyone'], mfaEnabled: true, createdAt: '2024-01-01T00:00:00.000Z' } });
    const disabled = entraEncoder.encode({ id: 'gen-1-2', time: '2026-10-02T00:00:00.000Z', provider: 'OKTA', type: 'user', action: 'status_changed', user: { login: 'a@acme-corp.com', status: 'SUSPENDED' } });
    expect(disabled).toMatchObject({ operationName: 'Disable account' });
    expect(disabled).not.toHaveProperty('sigfire');
  });

  it('writes a session event as a non-interactive sign-in, read back as a token refresh', () => {
    const record = JSON.parse(JSON.stringify(entraEncoder.encode({
      id: 'gen-1-3',
      time: '2026-10-03T00:00:00.000Z',
      provider: 'AZURE_AD',
      type: 'session',
      user: { login: 'a@acme-corp.com' },
      login: { result: 'SUCCESS', factor: 'sso', application: 'Microsoft Teams', ip: '198.51.100.9', sessionId: 's-1' },
    }))) as RawRecord;
    expect(record).toMatchObject({ category: 'NonInteractiveUserSignInLogs', properties: { isInteractive: false } });
    expect(only(record)).toMatchObject({ type: 'session', action: 'token_refresh', login: { result: 'SUCCESS', factor: 'sso', ip: '198.51.100.9' } });
  });

  it('writes an mfa_removed as an Update user carrying the state it leaves (Entra logs no "MFA removed")', () => {
    const record = JSON.parse(JSON.stringify(entraEncoder.encode({
      id: 'gen-1-4',
      time: '2026-10-04T00:00:00.000Z',
      provider: 'AZURE_AD',
      type: 'user',
      action: 'mfa_removed',
      actor: { login: 'helpdesk@acme-corp.com' },
      user: { login: 'a@acme-corp.com' },
    }))) as RawRecord;
    expect(record).toMatchObject({ operationName: 'Update user', sigfire: { user: { mfaEnabled: false, factors: [] } } });
    expect(only(record)).toMatchObject({ type: 'user', action: 'updated', user: { login: 'a@acme-corp.com', mfaEnabled: false, factors: [] } });
  });
});
