import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AdaptResult, RawRecord } from '../src/events/adapters/adapter-types.js';
import { oktaAdapter } from '../src/events/adapters/okta.js';
import { FACTOR_VALUES, OUTCOME_RESULTS } from '../src/events/adapters/okta-tables.js';
import type { IdentityEvent } from '../src/events/schema.js';
import { validateEvent } from '../src/events/validate-event.js';
import { selectAttacks } from '../src/generate/attacks/catalog.js';
import { encodeOktaEvent, oktaEncoder } from '../src/generate/formats/okta.js';
import { TrafficGenerator } from '../src/generate/traffic-generator.js';
import { checkView } from './support/check-view.js';

const DIR = 'fixtures/exports/okta';
const arrayExport = JSON.parse(readFileSync(`${DIR}/system-log.json`, 'utf8')) as RawRecord[];
const lineExport = ndjson('system-log.ndjson');
const malformed = ndjson('malformed.ndjson');
const samples = [...arrayExport, ...lineExport];
const adminRoles = readFileSync('rules/lists/admin-roles.txt', 'utf8')
  .split('\n')
  .map((line) => line.trim().toLowerCase())
  .filter((line) => line !== '' && !line.startsWith('#'));

function ndjson(name: string): RawRecord[] {
  return readFileSync(`${DIR}/${name}`, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RawRecord);
}

function sample(uuid: string): RawRecord {
  const record = samples.find((candidate) => candidate.uuid === uuid);
  if (!record) throw new Error(`no sample ${uuid}`);
  return record;
}

/** The valid sigfire events one record becomes. */
function adaptAll(record: RawRecord): IdentityEvent[] {
  const result = oktaAdapter.adapt(record);
  if (result.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(result)}`);
  return result.events.map((candidate) => {
    const validated = validateEvent(candidate, 'okta', 1);
    if (!validated.ok) throw new Error(`invalid event: ${JSON.stringify(validated.error)}`);
    return validated.event;
  });
}

function adaptOne(uuid: string): IdentityEvent {
  const events = adaptAll(sample(uuid));
  expect(events).toHaveLength(1);
  return events[0]!;
}

const CHROME_131_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const CHROME_120_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const ALICE = { login: 'alice.chen@acme-corp.com', id: '00u1a2b3c4d5e6f7g8h9', displayName: 'Alice Chen' };
const BOB = { login: 'bob.becker@acme-corp.com', id: '00u2b3c4d5e6f7g8h9i0', displayName: 'Bob Becker' };
const CARLA = { login: 'carla.dubois@acme-corp.com', id: '00u3c4d5e6f7g8h9i0j1', displayName: 'Carla Dubois' };
const AMSTERDAM = { country: 'NL', city: 'Amsterdam', lat: 52.374, lon: 4.8897 };
const BUCHAREST = { country: 'RO', city: 'Bucharest', lat: 44.4268, lon: 26.1025 };
const CARLA_BROWSER = {
  ip: '198.51.100.23',
  geo: BUCHAREST,
  asn: 8708,
  asOrg: 'rcs & rds sa',
  anonymizer: false,
  userAgent: CHROME_120_WINDOWS,
  browser: 'Chrome 120',
  sessionId: '102Xk4pQw8ZrT1mNb6vLc3hYs',
};

describe('okta adapter: sign-ins', () => {
  it('maps a successful sign-in through an anonymizing proxy, country name to ISO code', () => {
    expect(adaptOne('6f1c2e8a-9e7b-11f1-a3c4-0b52d7e9f1a6')).toEqual({
      id: '6f1c2e8a-9e7b-11f1-a3c4-0b52d7e9f1a6',
      time: '2026-09-30T08:14:07.418Z',
      provider: 'OKTA',
      type: 'login',
      user: ALICE,
      login: {
        result: 'SUCCESS',
        application: 'Okta Dashboard',
        ip: '198.51.100.77',
        geo: AMSTERDAM,
        asn: 9009,
        asOrg: 'm247 europe srl',
        anonymizer: true,
        userAgent: CHROME_131_WINDOWS,
        browser: 'Chrome 131',
        deviceId: '9c4e1b7a2d6f8e03b5a7c9d1e3f50a62',
        sessionId: '102Tq7rVh2KxW9mLp4sNc8dEw',
      },
    });
  });

  it('maps INVALID_CREDENTIALS failures; the pre-session id "unknown" is no session', () => {
    for (const [uuid, user] of [
      ['0a9be3f6-9e7c-11f1-b5d1-6e2f8a3c7b90', BOB],
      ['0aa41c27-9e7c-11f1-b5d1-6e2f8a3c7b90', CARLA],
    ] as const) {
      const event = adaptOne(uuid);
      expect(event.type).toBe('login');
      expect(event.user).toEqual(user);
      expect(event.login).toEqual({
        result: 'FAILURE',
        reason: 'INVALID_CREDENTIALS',
        ip: '203.0.113.47',
        geo: BUCHAREST,
        asn: 47583,
        asOrg: 'hostinger international limited',
        anonymizer: false,
        userAgent: 'python-requests/2.32.3',
        browser: 'python-requests 2.32',
      });
    }
  });

  it('maps an SSO to an app: factor sso, the AppInstance as the application', () => {
    const event = adaptOne('e81c5b37-9e83-11f1-87c2-5a0e3d9b1f64');
    expect(event).toMatchObject({ type: 'login', user: ALICE, time: '2026-09-30T08:16:40.051Z' });
    expect(event.login).toEqual({
      result: 'SUCCESS',
      factor: 'sso',
      application: 'Salesforce',
      ip: '198.51.100.77',
      geo: AMSTERDAM,
      asn: 9009,
      asOrg: 'm247 europe srl',
      anonymizer: true,
      userAgent: CHROME_131_WINDOWS,
      browser: 'Chrome 131',
      sessionId: '102Tq7rVh2KxW9mLp4sNc8dEw',
    });
  });

  it('maps a risky sign-in: debugData.risk level=HIGH -> login.risk high', () => {
    const event = adaptOne('ab9f01c7-9e82-11f1-a0d4-9b1c6e3f7a28');
    expect(event).toMatchObject({ type: 'login', user: CARLA });
    expect(event.login).toEqual({ result: 'SUCCESS', ...CARLA_BROWSER, deviceId: '5740d739064fe1bfde671e63a53959fb', risk: 'high' });
  });
});

describe('okta adapter: MFA', () => {
  it('maps a Classic Okta Verify deny_push to push_denied / DENIED', () => {
    const event = adaptOne('57e3b9a8-9e81-11f1-a0d4-9b1c6e3f7a28');
    expect(event).toMatchObject({ type: 'mfa', action: 'push_denied', user: CARLA });
    expect(event.login).toEqual({ result: 'DENIED', factor: 'push', ...CARLA_BROWSER });
  });

  it('maps an Identity Engine push rejection (auth_via_mfa FAILURE, OV_RESPONSE_DENY) to push_denied', () => {
    const event = adaptOne('5a01c2d3-9e81-11f1-a0d4-9b1c6e3f7a28');
    expect(event).toMatchObject({ type: 'mfa', action: 'push_denied', user: CARLA, time: '2026-09-30T09:04:02.335Z' });
    expect(event.login).toEqual({
      result: 'DENIED',
      reason: 'INVALID_CREDENTIALS',
      factor: 'push',
      ...CARLA_BROWSER,
      deviceId: '5740d739064fe1bfde671e63a53959fb',
    });
  });

  it('maps an approved push', () => {
    const event = adaptOne('ab92c4e1-9e82-11f1-a0d4-9b1c6e3f7a28');
    expect(event).toMatchObject({ type: 'mfa', action: 'push_approved', user: CARLA });
    expect(event.login).toEqual({
      result: 'SUCCESS',
      factor: 'push',
      application: 'Okta Dashboard',
      ...CARLA_BROWSER,
      deviceId: '5740d739064fe1bfde671e63a53959fb',
    });
  });

  it("maps a Temporary Access Code (Okta's bypass code) to bypass_code_used", () => {
    const event = adaptOne('c7d1e2f3-9e8a-11f1-8c2d-4f6a1b3e5d70');
    expect(event).toMatchObject({ type: 'mfa', action: 'bypass_code_used', user: BOB });
    expect(event.login).toMatchObject({ result: 'SUCCESS', factor: 'bypass_code', ip: '192.0.2.140', geo: { country: 'DE', city: 'Berlin' } });
    expect(event.login?.browser).toBe('Firefox 133');
  });

  it('reads every factor value of the mapping table as the table says', () => {
    const base = sample('ab92c4e1-9e82-11f1-a0d4-9b1c6e3f7a28');
    for (const row of FACTOR_VALUES.filter((candidate) => candidate.sigfire !== 'password')) {
      const record = structuredClone(base) as { debugContext: { debugData: Record<string, string> } };
      record.debugContext.debugData.factor = row.okta.toLowerCase();
      const [event] = adaptAll(record as unknown as RawRecord);
      expect(event!.login?.factor, row.okta).toBe(row.sigfire);
    }
  });
});

describe('okta adapter: risk', () => {
  it('maps user.risk.detect to a risk event for the target user', () => {
    const event = adaptOne('abb3d2e4-9e82-11f1-a0d4-9b1c6e3f7a28');
    expect(event).toMatchObject({ type: 'risk', action: 'risk_detected', user: CARLA });
    expect(event.login).toMatchObject({ result: 'SUCCESS', risk: 'high', ip: '198.51.100.23', sessionId: '102Xk4pQw8ZrT1mNb6vLc3hYs' });
  });

  it('maps a ThreatInsight detection for a known user to a high-risk event', () => {
    const event = adaptOne('c41d7a02-9e7b-11f1-8f2e-3b6a0c9d4e17');
    expect(event).toMatchObject({ type: 'risk', action: 'threat_detected', user: BOB });
    expect(event.login).toMatchObject({ result: 'DENIED', reason: 'Password Spray', risk: 'high', ip: '203.0.113.47' });
  });
});

describe('okta adapter: directory changes', () => {
  it('maps a Super administrator grant: the target is the user, the admin the actor; the role is on the admin-roles list', () => {
    const event = adaptOne('2a992f80-d1ad-4f62-900e-8c68bb72a21b');
    expect(event).toEqual({
      id: '2a992f80-d1ad-4f62-900e-8c68bb72a21b',
      time: '2026-09-30T09:25:03.496Z',
      provider: 'OKTA',
      type: 'user',
      action: 'role_assigned',
      role: 'Super administrator',
      actor: { login: 'it-helpdesk@acme-corp.com' },
      user: CARLA,
    });
    expect(adminRoles).toContain(event.role!.toLowerCase());
  });

  it('splits a grant of several roles into one event each, scope dropped', () => {
    const events = adaptAll(sample('3b0a3f91-d1ad-4f62-900e-8c68bb72a21c'));
    expect(events.map((event) => [event.id, event.role, event.action, event.user.login])).toEqual([
      ['3b0a3f91-d1ad-4f62-900e-8c68bb72a21c#1', 'Organization administrator', 'role_assigned', ALICE.login],
      ['3b0a3f91-d1ad-4f62-900e-8c68bb72a21c#2', 'Application administrator', 'role_assigned', ALICE.login],
    ]);
    for (const event of events) expect(adminRoles).toContain(event.role!.toLowerCase());
  });

  it('maps user lifecycle and account events', () => {
    expect(adaptOne('5d2e7f80-9e8d-11f1-9b3e-2c4d6e8f0a12')).toEqual({
      id: '5d2e7f80-9e8d-11f1-9b3e-2c4d6e8f0a12',
      time: '2026-09-30T11:02:44.006Z',
      provider: 'OKTA',
      type: 'user',
      action: 'created',
      actor: { login: 'provisioning@acme-corp.com' },
      user: { login: 'dana.levi@acme-corp.com', id: '00u4d5e6f7g8h9i0j1k2', displayName: 'Dana Levi', createdAt: '2026-09-30T11:02:44.006Z' },
    });
    expect(adaptOne('6e3f8091-9e8d-11f1-9b3e-2c4d6e8f0a12')).toMatchObject({
      type: 'user',
      action: 'status_changed',
      actor: { login: 'it-helpdesk@acme-corp.com' },
      user: { ...BOB, status: 'SUSPENDED' },
    });
    expect(adaptOne('0d4a62f9-9e83-11f1-87c2-5a0e3d9b1f64')).toMatchObject({ type: 'user', action: 'mfa_enrolled', user: CARLA });
  });

  it('keeps a group membership as a role named after the group', () => {
    expect(adaptOne('7f4091a2-9e8d-11f1-9b3e-2c4d6e8f0a12')).toMatchObject({
      type: 'user',
      action: 'role_assigned',
      role: 'Salesforce Users',
      actor: { login: 'it-helpdesk@acme-corp.com' },
      user: ALICE,
    });
  });

  it('maps an impersonation to a session event for the impersonated user', () => {
    const event = adaptOne('8051a2b3-9e8d-11f1-9b3e-2c4d6e8f0a12');
    expect(event).toMatchObject({ type: 'session', action: 'impersonation_started', actor: { login: 'support.engineer@okta.com' }, user: ALICE });
    expect(event.login).toMatchObject({ result: 'SUCCESS', ip: '192.0.2.200', geo: { country: 'US' } });
  });
});

describe('okta adapter: ignored and malformed records', () => {
  it('ignores records with nothing a check reads, saying why', () => {
    const reasons = Object.fromEntries(
      [
        '4c02a7d3-9e81-11f1-9a63-1d4f7b2e8c05', // system.push.send_factor_verify_push
        '6f1a0b3c-9e7b-11f1-a3c4-0b52d7e9f1a6', // policy.evaluate_sign_on
        '6f0e9a2b-9e7b-11f1-a3c4-0b52d7e9f1a6', // auth_via_mfa, the password step
        '91627384-9e8d-11f1-9b3e-2c4d6e8f0a12', // system.org.rate_limit.warning (housekeeping)
        'a2738495-9e8d-11f1-9b3e-2c4d6e8f0a12', // user.session.end
        'c55e8b13-9e7b-11f1-8f2e-3b6a0c9d4e17', // security.threat.detected, actor unknown
      ].map((uuid) => {
        const result = oktaAdapter.adapt(sample(uuid));
        expect(result.kind, uuid).toBe('ignored');
        return [uuid, (result as Extract<AdaptResult, { kind: 'ignored' }>).reason];
      }),
    );
    expect(reasons['4c02a7d3-9e81-11f1-9a63-1d4f7b2e8c05']).toMatch(/^system\.push\.send_factor_verify_push: a push was sent/);
    expect(reasons['6f1a0b3c-9e7b-11f1-a3c4-0b52d7e9f1a6']).toMatch(/^policy\.evaluate_sign_on:/);
    expect(reasons['6f0e9a2b-9e7b-11f1-a3c4-0b52d7e9f1a6']).toMatch(/password step/);
    expect(reasons['91627384-9e8d-11f1-9b3e-2c4d6e8f0a12']).toBe("system.org.rate_limit.warning: nothing sigfire's checks read");
    expect(reasons['a2738495-9e8d-11f1-9b3e-2c4d6e8f0a12']).toMatch(/sign-out/);
    expect(reasons['c55e8b13-9e7b-11f1-8f2e-3b6a0c9d4e17']).toMatch(/no known user/);
  });

  it('every other sample record maps to valid events', () => {
    const mapped = samples.filter((record) => oktaAdapter.adapt(record).kind === 'events');
    expect(mapped).toHaveLength(samples.length - 6);
    for (const record of mapped) expect(adaptAll(record).length).toBeGreaterThan(0);
  });

  it('reports a malformed record with the source field at fault, never throwing', () => {
    const errors = malformed.map((record) => oktaAdapter.adapt(record));
    expect(errors.map((result) => (result.kind === 'error' ? result.field : result.kind))).toEqual([
      'published',
      'published',
      'actor.alternateId',
      'outcome.result',
      'securityContext.isProxy',
      'client.geographicalContext.geolocation.lat',
      'debugContext.debugData.privilegeGranted',
      'debugContext.debugData.risk',
      'target',
      'uuid',
    ]);
    expect(errors[3]).toMatchObject({ message: expect.stringMatching(/^unknown value "MAYBE"; expected one of SUCCESS\|ALLOW\|/) });
    expect(errors[4]).toMatchObject({ message: 'expected true or false, got string "true"' });
  });

  it('names the field of a wrong-typed nested object and a missing eventType', () => {
    const base = sample('6f1c2e8a-9e7b-11f1-a3c4-0b52d7e9f1a6');
    expect(oktaAdapter.adapt({ ...base, client: 'somewhere' })).toMatchObject({ kind: 'error', field: 'client' });
    expect(oktaAdapter.adapt({ ...base, target: [42] })).toMatchObject({ kind: 'error', field: 'target.0' });
    expect(oktaAdapter.adapt({ ...base, eventType: undefined })).toMatchObject({ kind: 'error', field: 'eventType', message: 'required' });
  });

  it('reads every outcome.result of the mapping table as the table says', () => {
    const base = sample('0a9be3f6-9e7c-11f1-b5d1-6e2f8a3c7b90');
    for (const row of OUTCOME_RESULTS) {
      const [event] = adaptAll({ ...base, outcome: { reason: null, result: row.okta } });
      expect(event!.login?.result, row.okta).toBe(row.sigfire);
    }
  });
});

describe('okta adapter: recognizes', () => {
  it('recognizes every Okta sample record, the malformed ones too (they still name an eventType)', () => {
    for (const record of [...samples, ...malformed]) expect(oktaAdapter.recognizes(record), String(record.uuid)).toBe(true);
  });

  it('does not recognize other vendors or sigfire events', () => {
    const others: RawRecord[] = [
      { id: 'gen-1-1', time: '2026-10-01T00:00:00.000Z', provider: 'OKTA', type: 'login', user: { login: 'a@b.c' } },
      {
        id: '8c2f6d1e-0000-4a5b-9c7d-1e2f3a4b5c6d',
        createdDateTime: '2026-09-30T08:14:07Z',
        userPrincipalName: 'alice@contoso.com',
        appDisplayName: 'Office 365 Exchange Online',
        ipAddress: '198.51.100.77',
        status: { errorCode: 0 },
      },
      { txid: 'b1c2', timestamp: 1790000000, isotimestamp: '2026-09-30T08:14:07+00:00', event_type: 'authentication', factor: 'duo_push', result: 'success', user: { name: 'alice' } },
      { value: [] },
      {},
    ];
    for (const record of others) expect(oktaAdapter.recognizes(record), JSON.stringify(record).slice(0, 40)).toBe(false);
  });
});

describe('okta encoder', () => {
  const generated = [...new TrafficGenerator({ events: 20_000, seed: 1, attacks: selectAttacks('all') }).events()].map(
    (event) => JSON.parse(JSON.stringify(event)) as IdentityEvent,
  );

  it('round-trips every generated event: one record, one event, same id, same check view', () => {
    const mismatches: string[] = [];
    for (const original of generated) {
      const record = JSON.parse(JSON.stringify(oktaEncoder.encode(original))) as RawRecord;
      const result = oktaAdapter.adapt(record);
      if (result.kind !== 'events' || result.events.length !== 1) {
        mismatches.push(`${original.id}: ${JSON.stringify(result).slice(0, 200)}`);
        continue;
      }
      const validated = validateEvent(result.events[0], 'okta', 1);
      if (!validated.ok) {
        mismatches.push(`${original.id}: ${JSON.stringify(validated.error)}`);
        continue;
      }
      try {
        expect(checkView(validated.event)).toEqual(checkView(original));
      } catch {
        mismatches.push(`${original.id}: ${JSON.stringify(checkView(validated.event))} != ${JSON.stringify(checkView(original))}`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(generated).toHaveLength(20_000);
  });

  it('writes generated traffic in the shapes a real export has', () => {
    const kinds = new Map<string, RawRecord>();
    for (const event of generated) {
      const key = `${event.type}/${event.action ?? event.login?.factor}/${event.role ? /admin/i.test(event.role) : ''}`;
      if (!kinds.has(key)) kinds.set(key, encodeOktaEvent(event));
    }
    const byType = (eventType: string) => [...kinds.values()].filter((record) => record.eventType === eventType);
    expect(byType('user.mfa.okta_verify.deny_push').length).toBeGreaterThan(0);
    expect(byType('user.account.privilege.grant')[0]?.debugContext).toMatchObject({ debugData: { privilegeGranted: expect.stringMatching(/Administrator$/) } });
    expect((byType('group.user_membership.add')[0]?.target as RawRecord[])[1]).toMatchObject({ type: 'UserGroup' });
    for (const record of [...byType('user.session.start'), ...byType('user.authentication.sso'), ...byType('user.authentication.auth_via_mfa')]) {
      expect(record.sigfire, 'sign-ins carry no generated-only member').toBeUndefined();
      expect(record.client).toMatchObject({ geographicalContext: { country: expect.stringMatching(/^[A-Z][a-z]+/) } });
      expect(oktaAdapter.recognizes(record)).toBe(true);
    }
    expect(byType('user.lifecycle.create')[0]?.sigfire).toMatchObject({ user: { status: 'ACTIVE', roles: expect.any(Array), mfaEnabled: expect.any(Boolean) } });
    expect(byType('user.lifecycle.suspend')[0]?.sigfire, 'the event type says SUSPENDED itself').toBeUndefined();
  });
});
