import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RawRecord } from '../src/events/adapters/adapter-types.js';
import { duoAdapter } from '../src/events/adapters/duo.js';
import {
  ADMIN_ACTIONS,
  DUO_FACTORS,
  DUO_RESULTS,
  ENCODED_FACTORS,
  PRIMARY_AUTHENTICATION,
  REASON_USER_STATE,
  SECOND_FACTOR_ONLY,
  TIMEOUT_REASONS,
} from '../src/events/adapters/duo-tables.js';
import { GAZETTEER, cityCoordinates } from '../src/events/adapters/gazetteer.js';
import { GENERATED_USER_STATE_KEYS } from '../src/events/adapters/record-fields.js';
import { validateEvent } from '../src/events/validate-event.js';
import type { IdentityEvent } from '../src/events/schema.js';
import { Detector } from '../src/checks/detector.js';
import { selectAttacks } from '../src/generate/attacks/catalog.js';
import { duoEncoder } from '../src/generate/formats/duo.js';
import { CITIES, DENIED_CITIES, FOREIGN_CITIES } from '../src/generate/geo.js';
import { TrafficGenerator } from '../src/generate/traffic-generator.js';
import { checkView } from './support/check-view.js';

const dir = resolve('fixtures/exports/duo');
const api = JSON.parse(readFileSync(resolve(dir, 'authlogs-api.json'), 'utf8')) as { stat: string; response: { authlogs: RawRecord[] } };
const authlogs = api.response.authlogs;
const ndjson = (file: string): RawRecord[] =>
  readFileSync(resolve(dir, file), 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as RawRecord);
const lines = ndjson('authlogs.ndjson');
const adminLog = ndjson('administrator-log.ndjson');
const malformed = ndjson('malformed.ndjson');

/** The events a record maps to; each must also pass the event schema. */
function adaptAll(record: RawRecord | undefined): Array<Record<string, unknown>> {
  if (!record) throw new Error('no such sample record');
  const result = duoAdapter.adapt(record);
  if (result.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(result)}`);
  for (const event of result.events) {
    const validated = validateEvent(event, 'sample', 1);
    if (!validated.ok) throw new Error(`invalid event: ${JSON.stringify(validated.error)}`);
  }
  return result.events;
}

/** The one event a record maps to. */
function adaptOne(record: RawRecord | undefined): Record<string, unknown> {
  const events = adaptAll(record);
  expect(events).toHaveLength(1);
  return events[0]!;
}

/** A successful second factor of a real export: its mfa event (id txid:mfa), then its login (id txid). */
function adaptApproval(record: RawRecord | undefined): { mfa: Record<string, unknown>; login: Record<string, unknown> } {
  const events = adaptAll(record);
  expect(events.map((event) => [event.type, event.id])).toEqual([
    ['mfa', `${String(record!.txid)}:mfa`],
    ['login', record!.txid],
  ]);
  return { mfa: events[0]!, login: events[1]! };
}

const byTxid = (txid: string) => authlogs.find((record) => record.txid === txid) ?? lines.find((record) => record.txid === txid);
const byUser = (name: string) => authlogs.filter((record) => (record.user as { name: string }).name === name);

describe('Duo authentication log: MFA events', () => {
  it('maps a Duo Push approval field by field to an mfa event and the login it approved', () => {
    const aliceLogin = {
      result: 'SUCCESS',
      reason: 'user_approved',
      factor: 'push',
      application: 'Microsoft 365',
      ip: '203.0.113.10',
      geo: { country: 'US', city: 'New York', lat: 40.7128, lon: -74.006 },
      browser: 'Chrome 131',
      deviceId: 'EPA1IC3NYC0LAPT0P7Q2',
      sessionId: '4b0d9e21-6a7f-4c3e-9b15-3e2f1a0c7d55',
    };
    const alice = { login: 'alice', id: 'DUA1IC3000EXAMP1E001', email: 'alice@example.com' };
    const { mfa, login } = adaptApproval(byTxid('7c1e52a0-3b9d-4e11-a6f2-0d4c8b9e1a01'));
    expect(mfa).toEqual({
      id: '7c1e52a0-3b9d-4e11-a6f2-0d4c8b9e1a01:mfa',
      time: '2025-03-10T13:02:11.351346+00:00',
      provider: 'DUO',
      type: 'mfa',
      action: 'push_approved',
      user: alice,
      login: aliceLogin,
    });
    expect(login).toEqual({
      id: '7c1e52a0-3b9d-4e11-a6f2-0d4c8b9e1a01',
      time: '2025-03-10T13:02:11.351346+00:00',
      provider: 'DUO',
      type: 'login',
      user: alice,
      login: aliceLogin,
    });
  });

  it('reads a generated approval marked secondFactorOnly as the mfa event alone, id = txid', () => {
    const record: RawRecord = { ...byTxid('7c1e52a0-3b9d-4e11-a6f2-0d4c8b9e1a01')!, sigfire: { secondFactorOnly: true } };
    expect(adaptOne(record)).toMatchObject({ id: record.txid, type: 'mfa', action: 'push_approved' });
    expect(adaptApproval({ ...record, sigfire: { secondFactorOnly: false } }).login).toMatchObject({ type: 'login', login: { result: 'SUCCESS' } });
  });

  it('maps a passcode success to totp, country names to alpha-2 and known cities to coordinates', () => {
    const { mfa: event, login } = adaptApproval(byUser('bob')[0]);
    expect(event).toMatchObject({ type: 'mfa', action: 'totp_verified', user: { login: 'bob', email: 'bob@example.com' } });
    expect(login).toMatchObject({ type: 'login', user: { login: 'bob' }, login: { result: 'SUCCESS', factor: 'totp' } });
    expect(event.login).toEqual({
      result: 'SUCCESS',
      reason: 'valid_passcode',
      factor: 'totp',
      application: 'Salesforce',
      ip: '81.2.69.142',
      geo: { country: 'GB', city: 'London', lat: 51.5074, lon: -0.1278 },
      browser: 'Firefox 133',
      deviceId: 'EPB0BLAPT0P000000001',
    });
  });

  it('maps a burst of denied pushes to mfa DENIED push events only (no login failures), which fire MFA Flood', async () => {
    const denied = byUser('carol').filter((record) => record.result === 'denied');
    expect(denied.length).toBeGreaterThanOrEqual(5);
    const events = denied.map(adaptOne);
    for (const event of events) {
      expect(event).toMatchObject({ type: 'mfa', action: 'push_denied', user: { login: 'carol', email: 'carol@example.com' } });
      expect(event.login).toMatchObject({
        result: 'DENIED',
        factor: 'push',
        reason: 'user_mistake',
        ip: '198.51.100.23',
        browser: 'Chrome 120',
        geo: { country: 'RO', city: 'Bucharest', lat: 44.4268, lon: 26.1025 },
      });
    }
    const times = events.map((event) => Date.parse(event.time as string));
    expect(Math.max(...times) - Math.min(...times)).toBeLessThan(60_000);
    const fired = await firedChecks(authlogs);
    expect(fired).toContainEqual({ check: 'mfa-flood', login: 'carol' });
    expect(fired.filter((finding) => finding.check === 'brute-force')).toEqual([]);
  });

  it('maps a push the user marked as fraud to FRAUD', () => {
    const fraud = adaptOne(byUser('carol').find((record) => record.result === 'fraud'));
    expect(fraud).toMatchObject({ type: 'mfa', action: 'push_fraud', login: { result: 'FRAUD', factor: 'push', reason: 'user_marked_fraud' } });
  });

  it('maps a bypass code to factor bypass_code, which fires Bypass Code Used once', async () => {
    const { mfa, login } = adaptApproval(byUser('dave')[0]);
    const bypassLogin = { result: 'SUCCESS', factor: 'bypass_code', application: 'Cisco AnyConnect VPN', geo: { country: 'NG', city: 'Lagos', lat: 6.5244, lon: 3.3792 } };
    expect(mfa).toMatchObject({ type: 'mfa', action: 'bypass_code_used', user: { login: 'dave' }, login: bypassLogin });
    expect(login).toMatchObject({ type: 'login', user: { login: 'dave' }, login: bypassLogin });
    // both events match the check; its suppression window keeps it to one finding
    const fired = await firedChecks(authlogs);
    expect(fired.filter((finding) => finding.check === 'bypass-code-used')).toEqual([{ check: 'bypass-code-used', login: 'dave' }]);
  });

  it('maps an invalid passcode to totp_rejected, no response and call timeouts to TIMEOUT', () => {
    expect(adaptOne(byUser('grace')[0])).toMatchObject({ type: 'mfa', action: 'totp_rejected', login: { result: 'DENIED', factor: 'totp', reason: 'invalid_passcode', browser: 'Edge 131' } });
    expect(adaptOne(byUser('mia')[0])).toMatchObject({ type: 'mfa', action: 'push_timeout', login: { result: 'TIMEOUT', factor: 'push', reason: 'no_response' } });
    expect(adaptOne(byTxid('2f8c1d90-7e6b-4a5c-9d3e-1f0a2b3c4d03'))).toMatchObject({
      type: 'mfa',
      action: 'voice_timeout',
      login: { result: 'TIMEOUT', factor: 'voice', geo: { country: 'BR', city: 'Sao Paulo', lat: -23.5505, lon: -46.6333 } },
    });
  });

  it('reads verified pushes, WebAuthn display names, SMS passcodes and Duo usernames without an email', () => {
    expect(adaptApproval(byTxid('2f8c1d90-7e6b-4a5c-9d3e-1f0a2b3c4d01')).mfa).toMatchObject({
      action: 'push_approved',
      user: { login: 'nori', email: 'nori@example.com' },
      login: { factor: 'push', browser: 'Safari 18', geo: { country: 'JP', city: 'Tokyo', lat: 35.6762, lon: 139.6503 } },
    });
    expect(adaptApproval(byTxid('2f8c1d90-7e6b-4a5c-9d3e-1f0a2b3c4d02')).mfa).toMatchObject({ action: 'webauthn_verified', login: { factor: 'webauthn', browser: 'Chrome 131' } });
    const kim = adaptApproval(byUser('kim').find((record) => record.factor === 'sms_passcode')).mfa;
    expect(kim).toMatchObject({ action: 'sms_verified', user: { login: 'kim', id: 'DUKIM000000000000001' }, login: { factor: 'sms', result: 'SUCCESS' } });
    expect((kim.user as Record<string, unknown>).email).toBeUndefined();
  });

  it('reads Unix seconds when a record has no isotimestamp, and errors as ERROR', () => {
    const event = adaptOne(byTxid('2f8c1d90-7e6b-4a5c-9d3e-1f0a2b3c4d04'));
    expect(event).toMatchObject({ time: '2025-03-11T12:00:00.000Z', action: 'push_error', login: { result: 'ERROR', ip: '10.20.30.40' } });
    expect((event.login as Record<string, unknown>).geo).toBeUndefined();
  });

  it('maps Risk-Based Authentication low trust (policy enabled) to high risk on both events, and gives unknown cities no coordinates', () => {
    for (const event of Object.values(adaptApproval(byUser('judy')[0]))) {
      expect(event.login).toMatchObject({ risk: 'high', geo: { country: 'US', city: 'Ann Arbor' } });
      expect((event.login as { geo: Record<string, unknown> }).geo).not.toHaveProperty('lat');
    }
  });
});

describe('Duo authentication log: sign-ins without a second factor', () => {
  it('maps a remembered device to an SSO login on the same session', () => {
    const event = adaptOne(byTxid('e4f3a6b2-9d8c-4051-9fae-3c4d5e6f7081'));
    expect(event).toEqual({
      id: 'e4f3a6b2-9d8c-4051-9fae-3c4d5e6f7081',
      time: '2025-03-10T16:42:18.219774+00:00',
      provider: 'DUO',
      type: 'login',
      user: { login: 'alice', id: 'DUA1IC3000EXAMP1E001', email: 'alice@example.com' },
      login: {
        result: 'SUCCESS',
        reason: 'remembered_device',
        factor: 'sso',
        application: 'Salesforce',
        ip: '203.0.113.10',
        geo: { country: 'US', city: 'New York', lat: 40.7128, lon: -74.006 },
        browser: 'Chrome 131',
        deviceId: 'EPA1IC3NYC0LAPT0P7Q2',
        sessionId: '4b0d9e21-6a7f-4c3e-9b15-3e2f1a0c7d55',
      },
    });
  });

  it('maps a locked-out denial to a DENIED password login of a LOCKED user', () => {
    expect(adaptOne(byUser('frank')[0])).toMatchObject({
      type: 'login',
      user: { login: 'frank', email: 'frank@example.com', status: 'LOCKED' },
      login: { result: 'DENIED', factor: 'password', reason: 'locked_out', geo: { country: 'US', city: 'Chicago', lat: 41.8781, lon: -87.6298 } },
    });
  });

  it('takes directory state from bypass and unenrolled-user reasons', () => {
    expect(adaptOne(byUser('henry')[0])).toMatchObject({ type: 'login', user: { login: 'henry', bypassMfa: true }, login: { result: 'SUCCESS', factor: 'password' } });
    expect(adaptOne(byUser('ivan')[0])).toMatchObject({ type: 'login', user: { login: 'ivan', mfaEnabled: false }, login: { result: 'SUCCESS', factor: 'password' } });
  });

  it('flags anonymous IPs and drops the "-" location placeholders', () => {
    const event = adaptOne(byUser('leo')[0]);
    expect(event.login).toEqual({ result: 'DENIED', reason: 'anonymous_ip', factor: 'password', application: 'Microsoft 365', ip: '185.220.101.4', anonymizer: true, browser: 'Firefox 128' });
  });
});

describe('Duo authentication log: enrollment and ignored records', () => {
  it('maps a completed enrollment to a user mfa_enrolled event without a login block', () => {
    expect(adaptOne(byTxid('8d2f63b1-4cae-4f22-b703-1e5d9cafb2b2'))).toEqual({
      id: '8d2f63b1-4cae-4f22-b703-1e5d9cafb2b2',
      time: '2025-03-10T15:40:32.385977+00:00',
      provider: 'DUO',
      type: 'user',
      action: 'mfa_enrolled',
      user: { login: 'erin', id: 'DUER1N00000000000001', email: 'erin@example.com' },
    });
  });

  it('ignores SMS passcode refreshes, unfinished enrollments and unknown event types', () => {
    expect(duoAdapter.adapt(byUser('kim').find((record) => record.factor === 'sms_refresh')!)).toMatchObject({ kind: 'ignored' });
    const erin = byTxid('8d2f63b1-4cae-4f22-b703-1e5d9cafb2b2')!;
    expect(duoAdapter.adapt({ ...erin, result: 'denied' })).toMatchObject({ kind: 'ignored' });
    expect(duoAdapter.adapt({ ...erin, event_type: 'telephony' })).toMatchObject({ kind: 'ignored' });
  });

  it('reads the legacy upper-case results and strips a source port from the address', () => {
    const alice = byTxid('7c1e52a0-3b9d-4e11-a6f2-0d4c8b9e1a01')!;
    const event = adaptOne({ ...alice, result: 'FAILURE', reason: 'user_cancelled', access_device: { ip: '203.0.113.10:51234' } });
    expect(event.login).toMatchObject({ result: 'FAILURE', ip: '203.0.113.10' });
  });
});

describe('Duo authentication log: one user, states, addresses and risk as real exports write them', () => {
  const ravi = lines.filter((record) => (record.user as { name: string }).name === 'ravi');

  it('keys a user on the Duo username whether or not the record has the email', () => {
    expect(ravi.map((record) => record.email)).toEqual(['ravi@example.com', '', '']);
    const events = ravi.flatMap(adaptAll);
    expect(new Set(events.map((event) => (event.user as { login: string }).login))).toEqual(new Set(['ravi']));
    expect(events.map((event) => (event.user as { email?: string }).email)).toEqual(['ravi@example.com', 'ravi@example.com', undefined, undefined]);
  });

  it('places Portland, Maine in Maine and Portland, Oregon in Oregon', () => {
    const { mfa, login } = adaptApproval(ravi[0]);
    for (const event of [mfa, login]) expect((event.login as { geo: unknown }).geo).toEqual({ country: 'US', city: 'Portland', lat: 43.6591, lon: -70.2568 });
    const sam = adaptApproval(byTxid('2f8c1d90-7e6b-4a5c-9d3e-1f0a2b3c4d08')).login;
    expect((sam.login as { geo: unknown }).geo).toEqual({ country: 'US', city: 'Portland', lat: 45.5152, lon: -122.6784 });
  });

  it('reads no_keys_pressed on a phone call as a TIMEOUT', () => {
    expect(adaptOne(ravi[1])).toMatchObject({ type: 'mfa', action: 'voice_timeout', user: { login: 'ravi' }, login: { result: 'TIMEOUT', factor: 'voice', reason: 'no_keys_pressed' } });
  });

  it('marks a user_disabled denial SUSPENDED, and the replay fires Login to a Disabled Account after the admin log disabled the username', async () => {
    expect(adaptOne(ravi[2])).toMatchObject({
      type: 'login',
      user: { login: 'ravi', status: 'SUSPENDED' },
      login: { result: 'DENIED', factor: 'password', reason: 'user_disabled' },
    });
    expect(adaptOne(adminLog.find((record) => record.object === 'ravi'))).toMatchObject({ action: 'status_changed', user: { login: 'ravi', status: 'SUSPENDED' } });
    const fired = await firedChecks([...adminLog, ...lines]);
    expect(fired.filter((finding) => finding.check === 'login-to-disabled-account')).toEqual([{ check: 'login-to-disabled-account', login: 'ravi' }]);
  });

  it('lets the administrator log\'s status reach the username\'s sign-ins, email or not', async () => {
    const disable = adminLog.find((record) => record.object === 'ravi')!;
    const later = { ...ravi[0]!, txid: 'ravi-after-disable', isotimestamp: '2025-03-11T16:00:00.000000+00:00' };
    expect(await firedChecks([disable, later])).toContainEqual({ check: 'login-to-disabled-account', login: 'ravi' });
  });

  it('strips the brackets and port of an IPv6 address, and reads no risk from a more_secure_auth level in preview mode', () => {
    const record = byTxid('2f8c1d90-7e6b-4a5c-9d3e-1f0a2b3c4d08')!;
    expect((record.adaptive_trust_assessments as { more_secure_auth: Record<string, unknown> }).more_secure_auth).toMatchObject({ policy_enabled: false, trust_level: 'LOW' });
    const { mfa, login } = adaptApproval(record);
    for (const event of [mfa, login]) {
      expect(event.user).toEqual({ login: 'sam@example.com', id: 'DUSAM000000000000001', email: 'sam@example.com' });
      expect(event.login).toMatchObject({ ip: '2001:db8:85a3::8a2e:370:7334', browser: 'Edge 131' });
      expect(event.login).not.toHaveProperty('risk');
    }
    const enforced = { ...record, adaptive_trust_assessments: { more_secure_auth: { policy_enabled: true, trust_level: 'LOW' } } };
    expect(adaptApproval(enforced).login.login).toMatchObject({ risk: 'high' });
    const bracketsOnly = { ...record, access_device: { ip: '[2001:db8::7]' } };
    expect(adaptApproval(bracketsOnly).login.login).toMatchObject({ ip: '2001:db8::7' });
  });
});

describe('Duo administrator log', () => {
  const adminEvent = (action: string, index = 0) => adaptOne(adminLog.filter((record) => record.action === action)[index]);

  it('maps user_create with its status, email and real name', () => {
    const event = adminEvent('user_create');
    expect(event).toEqual({
      id: expect.stringMatching(/^duo-admin-[0-9a-f]{20}$/),
      time: '2025-03-09T09:00:12+00:00',
      provider: 'DUO',
      type: 'user',
      action: 'created',
      actor: { login: 'API (Admin API)' },
      user: { login: 'rosa', email: 'rosa@example.com', displayName: 'Rosa Diaz', status: 'ACTIVE', bypassMfa: false },
    });
    expect(adminEvent('user_create').id).toBe(event.id);
    expect(adminEvent('user_create', 1).id).not.toBe(event.id);
  });

  it('maps the Bypass status to bypassMfa, Disabled and Locked Out to status changes', () => {
    expect(adminEvent('user_create', 1)).toMatchObject({ action: 'created', user: { login: 'svc-backup', email: 'svc-backup@example.com', status: 'ACTIVE', bypassMfa: true } });
    expect(adminEvent('user_update', 0)).toMatchObject({ action: 'status_changed', actor: { login: 'Pat Admin' }, user: { login: 'tom@example.com', status: 'SUSPENDED' } });
    expect(adminEvent('user_update', 1)).toMatchObject({ action: 'status_changed', user: { login: 'uma@example.com', status: 'LOCKED' } });
    expect(adminEvent('user_update', 2)).toEqual(
      expect.objectContaining({ action: 'updated', user: { login: 'rosa', displayName: 'Rosa M. Diaz' } }),
    );
    expect(adminEvent('user_delete')).toMatchObject({ action: 'deleted', user: { login: 'tom@example.com' } });
  });

  it('maps a Duo administrator role grant to role_assigned, keyed on the email (an administrator has no username); the replay fires Admin Role Assigned and the Bypass user\'s check', async () => {
    const event = adminEvent('admin_create');
    expect(event).toMatchObject({ type: 'user', action: 'role_assigned', role: 'Owner', user: { login: 'victor@example.com', displayName: 'Victor Wu' } });
    expect((event.user as Record<string, unknown>).status).toBeUndefined();
    expect(await firedChecks(adminLog)).toEqual([
      { check: 'user-authorized-to-bypass-mfa', login: 'svc-backup' },
      { check: 'admin-role-assigned', login: 'victor@example.com' },
    ]);
  });

  it('ignores housekeeping: updates without a role, bypass codes, policies', () => {
    for (const action of ['admin_update', 'bypass_create', 'policy_update']) {
      expect(duoAdapter.adapt(adminLog.find((record) => record.action === action)!)).toMatchObject({ kind: 'ignored' });
    }
  });
});

describe('malformed Duo records', () => {
  it('give an error naming the source field', () => {
    const results = malformed.map((record) => duoAdapter.adapt(record));
    expect(results.map((result) => (result.kind === 'error' ? result.field : result.kind))).toEqual([
      'isotimestamp',
      'txid',
      'user.name',
      'access_device.ip',
      'result',
      'access_device',
      'user.name',
      'object',
      'description',
      'sigfire.user',
      'isotimestamp',
    ]);
    for (const result of results) expect(result.kind === 'error' && result.message.length > 0).toBe(true);
  });
});

describe('recognizes', () => {
  it('is true for Duo authentication and administrator log records', () => {
    for (const record of [...authlogs, ...lines, ...adminLog]) expect(duoAdapter.recognizes(record)).toBe(true);
  });

  it('is false for other vendors, other Duo logs and sigfire events', () => {
    const others: RawRecord[] = [
      { uuid: 'a1', published: '2025-03-10T13:02:11.351Z', eventType: 'user.session.start', actor: { alternateId: 'a@example.com' }, outcome: { result: 'SUCCESS' } },
      { id: 'b2', createdDateTime: '2025-03-10T13:02:11Z', userPrincipalName: 'a@example.com', status: { errorCode: 0 }, ipAddress: '192.0.2.1' },
      { id: 'c3', activityDateTime: '2025-03-10T13:02:11Z', activityDisplayName: 'Add member to role', initiatedBy: {}, targetResources: [] },
      { context: 'authentication', credits: 1, isotimestamp: '2025-03-10T13:02:11+00:00', phone: '+15555550100', timestamp: 1741611731, type: 'sms' },
      { id: 'gen-1-1', time: '2025-03-10T13:02:11.000Z', provider: 'DUO', type: 'mfa', action: 'push_denied', user: { login: 'a@example.com' } },
    ];
    for (const record of others) expect(duoAdapter.recognizes(record)).toBe(false);
  });
});

describe('the mapping tables', () => {
  const sources = duoAdapter.mapping.flatMap((table) => table.rows.map((row) => row.source)).join('\n');

  it('show every factor, result, reason and administrator action the adapter maps, and the generated files\' conventions', () => {
    const mapped = [...Object.keys(DUO_FACTORS), ...Object.keys(DUO_RESULTS), ...Object.keys(ADMIN_ACTIONS), ...TIMEOUT_REASONS, ...Object.keys(REASON_USER_STATE)];
    for (const name of [...mapped, PRIMARY_AUTHENTICATION, SECOND_FACTOR_ONLY, 'policy_enabled', 'state', 'user.name']) {
      expect(sources).toContain(name);
    }
  });

  it('encode each factor the generator uses as a Duo factor that reads back as the same factor', () => {
    for (const factor of ['push', 'totp', 'webauthn', 'sms', 'voice', 'bypass_code', 'sso', 'password'] as const) {
      expect(DUO_FACTORS[ENCODED_FACTORS[factor]]?.factor).toBe(factor);
    }
  });
});

describe('the gazetteer', () => {
  it('holds every generator city with the generator\'s coordinates', () => {
    for (const city of [...CITIES, ...FOREIGN_CITIES, ...DENIED_CITIES]) {
      expect(cityCoordinates(city.city, city.country), city.city).toEqual({ lat: city.lat, lon: city.lon });
    }
  });

  it('holds about a hundred more large cities, once each, with sane coordinates', () => {
    const generator = CITIES.length + FOREIGN_CITIES.length + DENIED_CITIES.length;
    expect(GAZETTEER.length - generator).toBeGreaterThanOrEqual(100);
    const keys = GAZETTEER.map((place) => `${place.city}|${place.state ?? ''}|${place.country}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const place of GAZETTEER) {
      expect(place.country).toMatch(/^[A-Z]{2}$/);
      expect(Math.abs(place.lat)).toBeLessThanOrEqual(90);
      expect(Math.abs(place.lon)).toBeLessThanOrEqual(180);
    }
  });

  it('matches aliases, case and diacritics, and needs the right country', () => {
    expect(cityCoordinates('São Paulo', 'BR')).toEqual(cityCoordinates('Sao Paulo', 'BR'));
    expect(cityCoordinates('bengaluru', 'IN')).toEqual({ lat: 12.9716, lon: 77.5946 });
    expect(cityCoordinates('London', 'CA')).toBeUndefined();
    expect(cityCoordinates('Ann Arbor', 'US')).toBeUndefined();
  });

  it('lets the state choose between cities of one name, and gives none when it cannot', () => {
    expect(cityCoordinates('Portland', 'US', 'Maine')).toEqual({ lat: 43.6591, lon: -70.2568 });
    expect(cityCoordinates('Portland', 'US', 'oregon')).toEqual({ lat: 45.5152, lon: -122.6784 });
    expect(cityCoordinates('Portland', 'US')).toBeUndefined();
    expect(cityCoordinates('Springfield', 'US', 'Missouri')).toEqual({ lat: 37.209, lon: -93.2923 });
    expect(cityCoordinates('Springfield', 'US', 'Ohio')).toBeUndefined();
    expect(cityCoordinates('Kansas City', 'US', 'Kansas')).toEqual({ lat: 39.1142, lon: -94.6275 });
    // a small town named after a big city is not the big city
    expect(cityCoordinates('Austin', 'US', 'Minnesota')).toBeUndefined();
    expect(cityCoordinates('Austin', 'US', 'Texas')).toEqual({ lat: 30.2672, lon: -97.7431 });
    expect(cityCoordinates('Austin', 'US')).toEqual({ lat: 30.2672, lon: -97.7431 });
    // rows without a state (outside the US, Canada and Australia) match whatever state the export writes
    expect(cityCoordinates('London', 'GB', 'England')).toEqual({ lat: 51.5074, lon: -0.1278 });
  });

  it('gives a state to every row whose name repeats in its country', () => {
    const byName = new Map<string, number>();
    for (const place of GAZETTEER) byName.set(`${place.city}|${place.country}`, (byName.get(`${place.city}|${place.country}`) ?? 0) + 1);
    for (const place of GAZETTEER) if (byName.get(`${place.city}|${place.country}`)! > 1) expect(place.state, place.city).toBeDefined();
    expect([...byName.values()].filter((count) => count > 1).length).toBeGreaterThanOrEqual(6);
  });
});

describe('the Duo encoder', () => {
  let generated: IdentityEvent[];
  beforeAll(() => {
    generated = [...new TrafficGenerator({ events: 20_000, seed: 1, attacks: selectAttacks('all') }).events()];
  });

  it('round-trips every generated event 1:1 with everything checks read', () => {
    expect(generated).toHaveLength(20_000);
    const mismatches: unknown[] = [];
    let disabledSignIns = 0;
    for (const [index, original] of generated.entries()) {
      const record = JSON.parse(JSON.stringify(duoEncoder.encode(original))) as RawRecord;
      const result = duoAdapter.adapt(record);
      if (result.kind !== 'events' || result.events.length !== 1) {
        mismatches.push({ id: original.id, result });
        continue;
      }
      const validated = validateEvent(result.events[0], 'round-trip', index + 1);
      if (!validated.ok) {
        mismatches.push({ id: original.id, error: validated.error });
        continue;
      }
      // user_disabled tells that the account is disabled: the event carries what the directory already knew
      const expected = original.login?.reason === 'USER_SUSPENDED' ? { ...original, user: { ...original.user, status: 'SUSPENDED' as const } } : original;
      if (expected !== original) disabledSignIns++;
      if (JSON.stringify(checkView(validated.event)) !== JSON.stringify(checkView(expected))) {
        expect(checkView(validated.event)).toEqual(checkView(expected));
      }
    }
    expect(mismatches).toEqual([]);
    expect(disabledSignIns).toBeGreaterThan(0);
  });

  it('writes Duo-shaped records and keeps its own member to ids, directory state and the secondFactorOnly mark', () => {
    const kinds = new Set<string>();
    let approvals = 0;
    for (const original of generated) {
      const record = duoEncoder.encode(original);
      expect(duoAdapter.recognizes(record)).toBe(true);
      const sigfire = record.sigfire as { id?: string; user?: Record<string, unknown>; secondFactorOnly?: boolean } | undefined;
      if (sigfire) {
        expect(Object.keys(sigfire).every((key) => key === 'id' || key === 'user' || key === 'secondFactorOnly')).toBe(true);
        for (const key of Object.keys(sigfire.user ?? {})) expect(GENERATED_USER_STATE_KEYS).toContain(key);
      }
      // a generated approval's sign-in is a primary_authentication record of its own: the approval says so
      const approval = original.type === 'mfa' && original.login?.result === 'SUCCESS' && DUO_FACTORS[String(record.factor)]!.secondFactor;
      if (approval) approvals++;
      if (original.type === 'login' || original.type === 'mfa') expect(sigfire).toEqual(approval ? { secondFactorOnly: true } : undefined);
      kinds.add(String(record.event_type ?? record.action));
    }
    expect(approvals).toBeGreaterThan(0);
    expect([...kinds].sort()).toEqual(['admin_create', 'admin_delete', 'authentication', 'enrollment', PRIMARY_AUTHENTICATION, 'user_create', 'user_update'].sort());
  });

  it('writes a wrong password as primary authentication and a suspended account\'s attempt as Duo\'s user_disabled', () => {
    const wrongPassword = generated.find((event) => event.login?.reason === 'INVALID_CREDENTIALS')!;
    expect(duoEncoder.encode(wrongPassword)).toMatchObject({ event_type: PRIMARY_AUTHENTICATION, factor: 'not_available', result: 'failure', reason: 'invalid_credentials' });
    const suspended = generated.find((event) => event.login?.reason === 'USER_SUSPENDED')!;
    expect(duoEncoder.encode(suspended)).toMatchObject({ event_type: 'authentication', factor: 'not_available', result: 'failure', reason: 'user_disabled' });
  });

  it('writes a high risk as an enforced more_secure_auth LOW level', () => {
    const risky = generated.find((event) => event.login?.risk === 'high')!;
    expect(duoEncoder.encode(risky)).toMatchObject({ adaptive_trust_assessments: { more_secure_auth: { policy_enabled: true, trust_level: 'LOW' } } });
  });
});

/** The (check, user) pairs a replay of these records fires, in time order. */
async function firedChecks(records: RawRecord[]): Promise<Array<{ check: string; login: string }>> {
  const detector = await Detector.create({ rulesDir: resolve('rules') });
  const events: IdentityEvent[] = [];
  for (const record of records) {
    const result = duoAdapter.adapt(record);
    if (result.kind !== 'events') continue;
    for (const event of result.events) {
      const validated = validateEvent(event, 'replay', 1);
      if (validated.ok) events.push(validated.event);
    }
  }
  events.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const fired: Array<{ check: string; login: string }> = [];
  for (const event of events) for (const finding of await detector.process(event)) fired.push({ check: finding.checkId, login: finding.user.login });
  return fired;
}
