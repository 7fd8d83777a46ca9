import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { loadCatalog } from '../src/checks/catalog.js';
import { Detector } from '../src/checks/detector.js';
import { describeWhy, findingId, type Finding } from '../src/checks/finding.js';
import { ListStore, NamedList } from '../src/checks/lists.js';
import { createOperators } from '../src/checks/operators.js';
import { UserDirectory } from '../src/checks/user-directory.js';
import { IdentityEventSchema, type EventUser, type IdentityEvent } from '../src/events/schema.js';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

interface EventSpec {
  at: number;
  id?: string;
  user?: string;
  type?: IdentityEvent['type'];
  action?: string;
  role?: string;
  result?: string;
  ip?: string;
  geo?: Record<string, unknown>;
  login?: Record<string, unknown>;
  userFields?: Partial<EventUser>;
}

let eventSeq = 0;
function makeEvent(spec: EventSpec): IdentityEvent {
  const type = spec.type ?? 'login';
  const login = type === 'user' ? undefined : { result: spec.result ?? 'SUCCESS', ip: spec.ip, geo: spec.geo, ...spec.login };
  return IdentityEventSchema.parse({
    id: spec.id ?? `evt-${++eventSeq}`,
    time: new Date(spec.at).toISOString(),
    provider: 'OKTA',
    type,
    ...(spec.action ? { action: spec.action } : {}),
    ...(spec.role ? { role: spec.role } : {}),
    user: { login: spec.user ?? 'alice@acme.example', ...spec.userFields },
    ...(login ? { login } : {}),
  });
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});
afterEach(() => {
  vi.useRealTimers();
});

async function catalogDir(checks: Array<Record<string, unknown>>, lists: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sigfire-detector-'));
  dirs.push(dir);
  await mkdir(join(dir, 'lists'));
  for (const [name, text] of Object.entries(lists)) await writeFile(join(dir, 'lists', `${name}.txt`), text);
  for (const check of checks) await writeFile(join(dir, `${check.id as string}.json`), JSON.stringify(check, null, 2));
  return dir;
}

async function detectorFor(checks: Array<Record<string, unknown>>, lists: Record<string, string> = {}): Promise<Detector> {
  const catalog = await loadCatalog(await catalogDir(checks, lists));
  expect(catalog.problems).toEqual([]);
  return new Detector(catalog);
}

function check(id: string, conditions: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    name: `Check ${id}`,
    severity: 'high',
    category: 'threat',
    description: `test check ${id}`,
    recommendedActions: ['look into it'],
    mitre: ['T1078'],
    eventTypes: ['login'],
    rule: { conditions, event: { type: id } },
    ...extra,
  };
}

async function run(detector: Detector, specs: EventSpec[]): Promise<Finding[][]> {
  const out: Finding[][] = [];
  for (const spec of specs) out.push(await detector.process(makeEvent(spec)));
  return out;
}
const fired = (perEvent: Finding[][]) => perEvent.map((findings) => findings.map((f) => f.checkId).sort().join(','));

const FAILED = { all: [{ fact: 'login', path: '$.result', operator: 'equal', value: 'FAILURE' }] };

describe('custom operators', () => {
  const lists = new ListStore();
  lists.add(new NamedList('threats', 'threats.txt', ['203.0.113.0/24', '2001:db8:dead::/48', 'Evil.Example', '42']));
  lists.add(new NamedList('personal', 'personal.txt', ['gmail.com', 'Proton.ME']));
  // json-rules-engine's typings leave out Operator#evaluate (validator, then callback), which the engine calls
  type Evaluable = { name: string; evaluate(fact: unknown, value: unknown): boolean };
  const operators = new Map((createOperators(lists) as unknown as Evaluable[]).map((operator) => [operator.name, operator]));
  const op = (name: string) => (fact: unknown, value: unknown) => operators.get(name)!.evaluate(fact, value);

  it('inList: case-insensitive entries, CIDRs, numbers and arrays (any element)', () => {
    const inList = op('inList');
    expect(inList('EVIL.example', 'threats')).toBe(true);
    expect(inList('evil.example.org', 'threats')).toBe(false);
    expect(inList('203.0.113.250', 'threats')).toBe(true);
    expect(inList('203.0.115.1', 'threats')).toBe(false);
    expect(inList('2001:db8:dead::beef', 'threats')).toBe(true);
    expect(inList(42, 'threats')).toBe(true);
    expect(inList(['198.51.100.1', '203.0.113.9'], 'threats')).toBe(true);
    expect(inList(['198.51.100.1', 'good.example'], 'threats')).toBe(false);
    expect(inList([], 'threats')).toBe(false);
    expect(inList(undefined, 'threats')).toBe(false);
    expect(inList(null, 'threats')).toBe(false);
    expect(inList({ ip: '203.0.113.1' }, 'threats')).toBe(false);
  });

  it('inList on an unknown list is an error, not a silent false', () => {
    expect(() => op('inList')('x', 'no-such-list')).toThrow(/unknown list "no-such-list"/);
  });

  it('notInList: the opposite, but an absent value is not "not in"', () => {
    const notInList = op('notInList');
    expect(notInList('good.example', 'threats')).toBe(true);
    expect(notInList('203.0.113.1', 'threats')).toBe(false);
    expect(notInList('EVIL.EXAMPLE', 'threats')).toBe(false);
    expect(notInList(undefined, 'threats')).toBe(false);
    expect(notInList(null, 'threats')).toBe(false);
  });

  it('emailDomainInList: the domain after the last @, case-insensitive', () => {
    const domainIn = op('emailDomainInList');
    expect(domainIn('Bob@GMAIL.com', 'personal')).toBe(true);
    expect(domainIn('bob@proton.me', 'personal')).toBe(true);
    expect(domainIn('"a@b"@gmail.com', 'personal')).toBe(true);
    expect(domainIn('bob@acme.example', 'personal')).toBe(false);
    expect(domainIn('bob@mail.gmail.com', 'personal')).toBe(false);
    expect(domainIn('gmail.com', 'personal')).toBe(false);
    expect(domainIn(undefined, 'personal')).toBe(false);
  });

  it('cidr: one range or several, IPv4 and IPv6; non-addresses never match', () => {
    const cidr = op('cidr');
    expect(cidr('10.20.30.40', '10.0.0.0/8')).toBe(true);
    expect(cidr('11.0.0.1', '10.0.0.0/8')).toBe(false);
    expect(cidr('172.16.5.5', ['10.0.0.0/8', '172.16.0.0/12'])).toBe(true);
    expect(cidr('172.32.0.1', ['10.0.0.0/8', '172.16.0.0/12'])).toBe(false);
    expect(cidr('fd00::1', 'fc00::/7')).toBe(true);
    expect(cidr('fe00::1', 'fc00::/7')).toBe(false);
    expect(cidr('10.0.0.1', 'not-a-cidr')).toBe(false);
    expect(cidr('localhost', '10.0.0.0/8')).toBe(false);
    expect(cidr(167772161, '10.0.0.0/8')).toBe(false);
    expect(cidr(undefined, '0.0.0.0/0')).toBe(false);
  });

  it('regex: a bare pattern is case-sensitive, "/pattern/flags" takes flags', () => {
    const regex = op('regex');
    expect(regex('Administrator', '^admin')).toBe(false);
    expect(regex('Administrator', '/^admin/i')).toBe(true);
    expect(regex('admin', '^admin$')).toBe(true);
    expect(regex('python-requests/2.31', '/^(curl|python-requests)\\//')).toBe(true);
    expect(regex('a/b', '/a\\/b/')).toBe(true);
    expect(regex(42, '42')).toBe(false);
    expect(regex(undefined, '.*')).toBe(false);
  });

  it('regex: the same pattern gives the same answer every time, whatever its flags', () => {
    const regex = op('regex');
    const answers = Array.from({ length: 4 }, () => regex('curl/8.1', '/curl/gi'));
    expect(answers).toEqual([true, true, true, true]);
    expect(Array.from({ length: 3 }, () => regex('curl/8.1', '/curl/y'))).toEqual([true, true, true]);
    expect(regex('xcurl', '/curl/y')).toBe(false);
  });

  it('exists: true for any value but undefined and null; false for the reverse', () => {
    const exists = op('exists');
    for (const present of [0, '', false, [], 'x']) {
      expect(exists(present, true), JSON.stringify(present)).toBe(true);
      expect(exists(present, false), JSON.stringify(present)).toBe(false);
    }
    for (const absent of [undefined, null]) {
      expect(exists(absent, true)).toBe(false);
      expect(exists(absent, false)).toBe(true);
    }
  });

  it('work inside rules, on plain facts with paths', async () => {
    const detector = await detectorFor(
      [
        check('admin-from-script', {
          all: [
            { fact: 'user', path: '$.roles', operator: 'inList', value: 'admin-roles' },
            { fact: 'login', path: '$.userAgent', operator: 'regex', value: '/^(curl|python)/i' },
            { fact: 'login', path: '$.deviceId', operator: 'exists', value: false },
            { fact: 'login', path: '$.ip', operator: 'notInList', value: 'office' },
          ],
        }),
      ],
      { 'admin-roles': 'super_admin\n', office: '198.51.100.0/24\n' },
    );
    const admin = { roles: ['HELPDESK', 'SUPER_ADMIN'] };
    const results = await run(detector, [
      { at: T0, userFields: admin, ip: '203.0.113.1', login: { userAgent: 'Python-urllib/3.11' } },
      { at: T0 + 1, userFields: admin, ip: '203.0.113.1', login: { userAgent: 'Mozilla/5.0' } },
      { at: T0 + 2, userFields: admin, ip: '203.0.113.1', login: { userAgent: 'curl/8', deviceId: 'd1' } },
      { at: T0 + 3, userFields: admin, ip: '198.51.100.7', login: { userAgent: 'curl/8' } },
      { at: T0 + 4, userFields: { roles: ['HELPDESK'] }, ip: '203.0.113.1', login: { userAgent: 'curl/8' } },
      { at: T0 + 5, userFields: admin, login: { userAgent: 'curl/8' } },
    ]);
    expect(fired(results)).toEqual(['admin-from-script', '', '', '', '', '']);
  });
});

describe('suppression', () => {
  it('fires once per user within the window, and again from the window edge on', async () => {
    const detector = await detectorFor([check('fail', FAILED, { suppress: { window: '1h' } })]);
    const results = await run(detector, [
      { at: T0, result: 'FAILURE' },
      { at: T0 + 30 * MIN, result: 'FAILURE' },
      { at: T0 + 31 * MIN, user: 'bob', result: 'FAILURE' },
      { at: T0 + HOUR - 1, result: 'FAILURE' },
      { at: T0 + HOUR, result: 'FAILURE' },
      { at: T0 + HOUR + MIN, result: 'FAILURE' },
      { at: T0 + 31 * MIN + HOUR, user: 'bob', result: 'FAILURE' },
    ]);
    expect(fired(results)).toEqual(['fail', '', 'fail', '', 'fail', '', 'fail']);
    expect(detector.stats()).toMatchObject({ events: 7, findings: 4, suppressed: 3 });
  });

  it('is keyed by a custom suppress.key', async () => {
    const detector = await detectorFor([check('fail-by-ip', FAILED, { suppress: { window: '1h', key: 'login.ip' } })]);
    const results = await run(detector, [
      { at: T0, user: 'a', ip: '198.18.0.1', result: 'FAILURE' },
      { at: T0 + MIN, user: 'b', ip: '198.18.0.1', result: 'FAILURE' },
      { at: T0 + 2 * MIN, user: 'a', ip: '198.18.0.2', result: 'FAILURE' },
      { at: T0 + 3 * MIN, user: 'c', ip: '198.18.0.2', result: 'FAILURE' },
    ]);
    expect(fired(results)).toEqual(['fail-by-ip', '', 'fail-by-ip', '']);
  });

  it('keeps checks apart, and a check without suppress fires every time', async () => {
    const detector = await detectorFor([check('quiet', FAILED, { suppress: { window: '1d' } }), check('loud', FAILED)]);
    const results = await run(detector, [
      { at: T0, result: 'FAILURE' },
      { at: T0 + MIN, result: 'FAILURE' },
      { at: T0 + 2 * MIN, result: 'FAILURE' },
    ]);
    expect(fired(results)).toEqual(['loud,quiet', 'loud', 'loud']);
  });

  it('runs on event time, not the wall clock', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const detector = await detectorFor([check('fail', FAILED, { suppress: { window: '1h' } })]);
    const first = await detector.process(makeEvent({ at: T0, result: 'FAILURE' }));
    // two hours pass on the wall clock, one minute in the events
    vi.setSystemTime(T0 + 2 * HOUR);
    const second = await detector.process(makeEvent({ at: T0 + MIN, result: 'FAILURE' }));
    // and the reverse: no time passes on the wall clock, two hours in the events
    const third = await detector.process(makeEvent({ at: T0 + 2 * HOUR, result: 'FAILURE' }));
    expect(fired([first, second, third])).toEqual(['fail', '', 'fail']);
  });
});

describe('user directory', () => {
  const statusCheck = check('suspended-login', { all: [{ fact: 'user', path: '$.status', operator: 'equal', value: 'SUSPENDED' }] });
  const noMfaCheck = check('no-mfa', { all: [{ fact: 'user', path: '$.mfaEnabled', operator: 'equal', value: false }] });
  const superAdminCheck = check('super-admin-login', { all: [{ fact: 'user', path: '$.roles', operator: 'contains', value: 'SUPER_ADMIN' }] });

  it('created -> status_changed SUSPENDED -> a later login sees status SUSPENDED', async () => {
    const detector = await detectorFor([statusCheck]);
    const results = await run(detector, [
      { at: T0, type: 'user', action: 'created', userFields: { status: 'ACTIVE', displayName: 'Alice' } },
      { at: T0 + HOUR },
      { at: T0 + 2 * HOUR, type: 'user', action: 'status_changed', userFields: { status: 'SUSPENDED' } },
      { at: T0 + 3 * HOUR },
    ]);
    expect(fired(results)).toEqual(['', '', '', 'suspended-login']);
    const finding = results[3]![0]!;
    expect(finding.user).toMatchObject({ login: 'alice@acme.example', status: 'SUSPENDED', displayName: 'Alice' });
    expect(finding.why).toEqual([{ fact: 'user', path: '$.status', operator: 'equal', expected: 'SUSPENDED', actual: 'SUSPENDED' }]);
  });

  it('mfa_removed sets mfaEnabled false; mfa_enrolled sets it back', async () => {
    const detector = await detectorFor([noMfaCheck]);
    const results = await run(detector, [
      { at: T0, type: 'user', action: 'created', userFields: { mfaEnabled: true } },
      { at: T0 + HOUR },
      { at: T0 + 2 * HOUR, type: 'user', action: 'mfa_removed' },
      { at: T0 + 3 * HOUR },
      { at: T0 + 4 * HOUR, type: 'user', action: 'mfa_enrolled' },
      { at: T0 + 5 * HOUR },
    ]);
    expect(fired(results)).toEqual(['', '', '', 'no-mfa', '', '']);
  });

  it('role_assigned appends the role once; role_removed takes it away', async () => {
    const detector = await detectorFor([superAdminCheck]);
    const results = await run(detector, [
      { at: T0, type: 'user', action: 'created', userFields: { roles: ['HELPDESK'] } },
      { at: T0 + HOUR },
      { at: T0 + 2 * HOUR, type: 'user', action: 'role_assigned', role: 'SUPER_ADMIN' },
      { at: T0 + 3 * HOUR, type: 'user', action: 'role_assigned', role: 'SUPER_ADMIN' },
      { at: T0 + 4 * HOUR },
      { at: T0 + 5 * HOUR, type: 'user', action: 'role_removed', role: 'SUPER_ADMIN' },
      { at: T0 + 6 * HOUR },
    ]);
    expect(fired(results)).toEqual(['', '', '', '', 'super-admin-login', '', '']);
    expect(results[4]![0]!.user.roles).toEqual(['HELPDESK', 'SUPER_ADMIN']);
  });

  it('a successful login updates lastSuccessAt; a failed one does not', async () => {
    const detector = await detectorFor([check('any-login', { all: [{ fact: 'type', operator: 'equal', value: 'login' }] })]);
    const results = await run(detector, [
      { at: T0 },
      { at: T0 + HOUR, result: 'FAILURE' },
      { at: T0 + 2 * HOUR },
      { at: T0 + 3 * HOUR },
    ]);
    const lastSuccess = results.map((findings) => findings[0]!.user.lastSuccessAt);
    expect(lastSuccess).toEqual([undefined, new Date(T0).toISOString(), new Date(T0).toISOString(), new Date(T0 + 2 * HOUR).toISOString()]);
  });

  it('UserDirectory on its own: view overlays the event, apply records after the checks', () => {
    const directory = new UserDirectory();
    const created = makeEvent({ at: T0, type: 'user', action: 'created', userFields: { status: 'ACTIVE', roles: ['A'], mfaEnabled: true } });
    directory.apply(created, directory.view(created));
    const changed = makeEvent({ at: T0 + MIN, type: 'user', action: 'status_changed', userFields: { status: 'LOCKED' } });
    // the event's own fields win in the view, before it is applied
    expect(directory.view(changed)).toMatchObject({ status: 'LOCKED', roles: ['A'], mfaEnabled: true });
    expect(directory.get('alice@acme.example')?.status).toBe('ACTIVE');
    directory.apply(changed, directory.view(changed));
    expect(directory.get('alice@acme.example')?.status).toBe('LOCKED');
    const deleted = makeEvent({ at: T0 + 2 * MIN, type: 'user', action: 'deleted' });
    directory.apply(deleted, directory.view(deleted));
    expect(directory.get('alice@acme.example')?.status).toBe('DEPROVISIONED');
    expect(directory.size).toBe(1);
  });
});

describe('findings', () => {
  const AUSTIN = { country: 'US', city: 'Austin', lat: 30.2672, lon: -97.7431 };
  const MOSCOW = { country: 'RU', city: 'Moscow', lat: 55.7558, lon: 37.6173 };
  const travelCheck = check('impossible-travel', {
    all: [
      { fact: 'login', path: '$.result', operator: 'equal', value: 'SUCCESS' },
      { fact: 'travel', path: '$.speedKmh', operator: 'greaterThan', value: 900 },
      { fact: 'travel', path: '$.sameIp', operator: 'equal', value: false },
    ],
  });
  const burstCheck = check(
    'burst',
    { any: [
      { fact: 'windowCount', params: { key: 'user.login', window: '1d' }, operator: 'greaterThanInclusive', value: 2 },
      { fact: 'login', path: '$.ip', operator: 'equal', value: '0.0.0.0' },
    ] },
    { severity: 'low', category: 'posture' },
  );
  const events: EventSpec[] = [
    { at: T0, id: 'e-austin', ip: '198.51.100.1', geo: AUSTIN },
    { at: T0 + 2 * HOUR, id: 'e-moscow', ip: '203.0.113.9', geo: MOSCOW },
  ];

  it('have deterministic ids: same check and event, same id, in any replay', async () => {
    const first = (await run(await detectorFor([travelCheck, burstCheck]), events)).flat();
    const second = (await run(await detectorFor([travelCheck, burstCheck]), events)).flat();
    expect(first.map((f) => `${f.checkId}@${f.event.id}`).sort()).toEqual(['burst@e-moscow', 'impossible-travel@e-moscow']);
    expect(second.map((f) => f.id)).toEqual(first.map((f) => f.id));
    for (const finding of first) {
      expect(finding.id).toMatch(/^[0-9a-f]{32}$/);
      expect(finding.id).toBe(findingId(finding.checkId, finding.event.id));
    }
    expect(new Set(first.map((f) => f.id)).size).toBe(2);
    expect(findingId('burst', 'e-moscow')).not.toBe(findingId('burst', 'e-austin'));
    expect(findingId('a', 'bc')).not.toBe(findingId('ab', 'c'));
  });

  it('carry the check metadata, the event time and the user', async () => {
    const [, atMoscow] = await run(await detectorFor([travelCheck]), events);
    const finding = atMoscow![0]!;
    expect(finding).toMatchObject({
      checkId: 'impossible-travel',
      checkName: 'Check impossible-travel',
      severity: 'high',
      category: 'threat',
      description: 'test check impossible-travel',
      recommendedActions: ['look into it'],
      mitre: ['T1078'],
      time: new Date(T0 + 2 * HOUR).toISOString(),
      user: { login: 'alice@acme.example' },
    });
    expect(finding.event.id).toBe('e-moscow');
  });

  it('`why` lists every fired condition with its actual value', async () => {
    const [, atMoscow] = await run(await detectorFor([travelCheck]), events);
    const why = atMoscow![0]!.why;
    expect(why).toEqual([
      { fact: 'login', path: '$.result', operator: 'equal', expected: 'SUCCESS', actual: 'SUCCESS' },
      { fact: 'travel', path: '$.speedKmh', operator: 'greaterThan', expected: 900, actual: 4777.9 },
      { fact: 'travel', path: '$.sameIp', operator: 'equal', expected: false, actual: false },
    ]);
    expect(typeof why[1]!.actual).toBe('number');
    expect(describeWhy(why)).toBe('login.result=SUCCESS, travel.speedKmh=4777.9 > 900, travel.sameIp=false');
  });

  it('`why` carries fact params and leaves out conditions that did not hold', async () => {
    const [, second] = await run(await detectorFor([burstCheck]), events);
    expect(second![0]!.why).toEqual([
      { fact: 'windowCount', params: { key: 'user.login', window: '1d' }, operator: 'greaterThanInclusive', expected: 2, actual: 2 },
    ]);
  });
});

describe('guards (checks skipped up front by their login.result / login.factor / action conditions)', () => {
  const result = (operator: string, value: unknown) => ({ fact: 'login', path: '$.result', operator, value });
  const checks = [
    check('failed-push', { all: [result('in', ['FAILURE', 'DENIED']), { fact: 'login', path: '$.factor', operator: 'equal', value: 'push' }] }, { eventTypes: ['login', 'mfa'] }),
    check('success-via-event', { all: [{ fact: 'event', path: '$.login.result', operator: 'equal', value: 'SUCCESS' }] }),
    check('role-assigned', { all: [{ fact: 'action', operator: 'equal', value: 'role_assigned' }] }, { eventTypes: ['user'] }),
    check('narrowed', { all: [result('in', ['FAILURE', 'SUCCESS']), result('equal', 'SUCCESS')] }),
    check('either', { any: [result('equal', 'SUCCESS'), { fact: 'login', path: '$.factor', operator: 'equal', value: 'sms' }] }),
    check('same-as-reason', { all: [result('equal', { fact: 'login', path: '$.reason' })] }),
  ];

  it('never change which checks fire', async () => {
    const detector = await detectorFor(checks);
    const results = await run(detector, [
      { at: T0, result: 'FAILURE', login: { factor: 'push' } },
      { at: T0 + 1, type: 'mfa', result: 'DENIED', login: { factor: 'push' } },
      { at: T0 + 2, result: 'FAILURE', login: { factor: 'sms' } },
      { at: T0 + 3, result: 'SUCCESS', login: { factor: 'push' } },
      { at: T0 + 4, type: 'user', action: 'role_assigned', role: 'X' },
      { at: T0 + 5, type: 'user', action: 'updated' },
      { at: T0 + 6, result: 'TIMEOUT', login: { factor: 'push', reason: 'TIMEOUT' } },
      // the same guard key again: the cached engine must give the same answer
      { at: T0 + 7, user: 'bob', result: 'FAILURE', login: { factor: 'push' } },
    ]);
    expect(fired(results)).toEqual([
      'failed-push',
      'failed-push',
      'either',
      'either,narrowed,success-via-event',
      'role-assigned',
      '',
      'same-as-reason',
      'failed-push',
    ]);
  });
});

describe('which checks run', () => {
  it('only on their eventTypes, only when enabled, only those picked by `only`', async () => {
    const always = { all: [{ fact: 'event', path: '$.provider', operator: 'equal', value: 'OKTA' }] };
    const dir = await catalogDir([
      check('on-login', always),
      check('on-mfa', always, { eventTypes: ['mfa'] }),
      check('on-both', always, { eventTypes: ['login', 'mfa'] }),
      check('switched-off', always, { enabled: false }),
    ]);
    const detector = await Detector.create({ rulesDir: dir });
    expect(detector.checks.map((c) => c.id).sort()).toEqual(['on-both', 'on-login', 'on-mfa']);
    const results = await run(detector, [{ at: T0 }, { at: T0 + 1, type: 'mfa' }, { at: T0 + 2, type: 'user', action: 'updated' }]);
    expect(fired(results)).toEqual(['on-both,on-login', 'on-both,on-mfa', '']);

    const picked = await Detector.create({ rulesDir: dir, only: (c) => c.id === 'on-mfa' });
    expect(fired(await run(picked, [{ at: T0 }, { at: T0 + 1, type: 'mfa' }]))).toEqual(['', 'on-mfa']);
  });
});
