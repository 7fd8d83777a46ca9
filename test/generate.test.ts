import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Detector } from '../src/checks/detector.js';
import type { Finding } from '../src/checks/finding.js';
import { loadLists, type ListStore } from '../src/checks/lists.js';
import { IdentityEventSchema, type IdentityEvent } from '../src/events/schema.js';
import { ATTACK_IDS, selectAttacks } from '../src/generate/attacks/catalog.js';
import { iso } from '../src/generate/event-builder.js';
import { LabelScorer, parseLabelsFile, scoreFindings, type LabelsFile, type ScoredFinding } from '../src/generate/labels.js';
import { writeNdjson } from '../src/generate/ndjson-writer.js';
import { GenerateOptionsError, TrafficGenerator, type GenerateOptions } from '../src/generate/traffic-generator.js';
import { buildCli, REPO_ROOT } from './support/cli.js';

const RULES_DIR = resolve('rules');
const DAY = 86_400_000;

function generate(options: GenerateOptions): { generator: TrafficGenerator; lines: string[]; events: IdentityEvent[] } {
  const generator = new TrafficGenerator(options);
  const events = [...generator.events()];
  // serialize as the CLI does: what is compared is the bytes a user gets
  const lines = events.map((event) => JSON.stringify(event));
  return { generator, lines, events: lines.map((line) => JSON.parse(line) as IdentityEvent) };
}

describe('generate: the stream', () => {
  const withAttacks = generate({ events: 20_000, seed: 1, attacks: selectAttacks('all') });

  it('is byte-identical for the same options and seed, and differs for another seed', () => {
    const again = generate({ events: 20_000, seed: 1, attacks: selectAttacks('all') });
    expect(again.lines.join('\n')).toBe(withAttacks.lines.join('\n'));
    const other = generate({ events: 20_000, seed: 2, attacks: selectAttacks('all') });
    expect(other.lines).toHaveLength(20_000);
    expect(other.lines.join('\n')).not.toBe(withAttacks.lines.join('\n'));
    expect(other.generator.labels()).not.toEqual(withAttacks.generator.labels());
  });

  it('writes exactly --events events, each valid against IdentityEventSchema, with unique ids', () => {
    expect(withAttacks.lines).toHaveLength(20_000);
    const invalid = withAttacks.events
      .map((event, line) => ({ line: line + 1, result: IdentityEventSchema.safeParse(event) }))
      .filter(({ result }) => !result.success)
      .slice(0, 3)
      .map(({ line, result }) => `line ${line}: ${JSON.stringify(result.error?.issues)}`);
    expect(invalid).toEqual([]);
    expect(new Set(withAttacks.events.map((event) => event.id)).size).toBe(20_000);
    expect(withAttacks.events[0]!.id).toBe('gen-1-1');
  });

  it('is in non-decreasing time order, from --start on', () => {
    const times = withAttacks.events.map((event) => Date.parse(event.time));
    const backwards = times.findIndex((time, i) => i > 0 && time < times[i - 1]!);
    expect(backwards).toBe(-1);
    expect(withAttacks.events[0]!.time).toBe('2026-10-01T00:00:00.000Z');

    const later = generate({ events: 500, start: '2027-03-15T12:00:00Z' });
    expect(later.events[0]!.time).toBe('2027-03-15T12:00:00.000Z');
    expect(later.events.every((event) => Date.parse(event.time) >= Date.parse('2027-03-15T12:00:00Z'))).toBe(true);
  });

  it('starts with the directory: a created event with the posture fields for every user', () => {
    const { population } = withAttacks.generator;
    const created = withAttacks.events.slice(0, population.length);
    expect(created.every((event) => event.type === 'user' && event.action === 'created')).toBe(true);
    expect(new Set(created.map((event) => event.user.login)).size).toBe(population.length);
    for (const event of created) {
      expect(event.user).toMatchObject({ status: 'ACTIVE', mfaEnabled: expect.any(Boolean), factors: expect.any(Array), roles: expect.any(Array) });
      expect(event.user.type).toMatch(/^(INTERNAL|EXTERNAL|SERVICE_ACCOUNT)$/);
    }
    expect(withAttacks.events.slice(population.length).some((event) => event.action === 'created')).toBe(false);
  });

  it('labels an episode for every requested attack, each backed by events of its users in its window', () => {
    const labels = withAttacks.generator.labels();
    expect(labels.seed).toBe(1);
    expect(labels.events).toBe(20_000);
    expect(new Set(labels.episodes.map((episode) => episode.check))).toEqual(new Set(ATTACK_IDS));
    expect(labels.episodes.map((episode) => episode.id)).toEqual(labels.episodes.map((_, i) => `ep-${i + 1}`));
    for (const episode of labels.episodes) {
      expect(Date.parse(episode.start)).toBeLessThanOrEqual(Date.parse(episode.end));
      expect(Date.parse(episode.start)).toBeGreaterThanOrEqual(Date.parse('2026-10-09T00:00:00Z'));
      expect(episode.users.length).toBeGreaterThan(0);
      const inside = withAttacks.events.filter(
        (event) => event.time >= episode.start && event.time <= episode.end && episode.users.includes(event.user.login),
      );
      expect(inside.length, `${episode.id} ${episode.check}`).toBeGreaterThan(0);
    }
    const spray = labels.episodes.find((episode) => episode.check === 'password-spray')!;
    expect(spray.users.length).toBeGreaterThanOrEqual(12);
    expect(spray.ips).toHaveLength(1);
    expect(Date.parse(spray.end) - Date.parse(spray.start)).toBeLessThanOrEqual(4 * 60_000);
  });

  it('stages only the requested attacks, one episode per kind per ~100,000 events', () => {
    const two = generate({ events: 8_000, attacks: selectAttacks('brute-force,mfa-flood') });
    expect(two.generator.labels().episodes.map((episode) => episode.check).sort()).toEqual(['brute-force', 'mfa-flood']);
    const many = new TrafficGenerator({ events: 300_000, attacks: selectAttacks('brute-force') });
    expect(many.episodes).toHaveLength(3);
    expect(new Set(many.episodes.map((episode) => episode.victims[0]!.index)).size).toBe(3);
  });

  it('sizes --users/--days runs by population and duration', () => {
    const run = generate({ users: 40, days: 14 });
    const { generator, events } = run;
    expect(generator.population).toHaveLength(40);
    expect(new Set(events.map((event) => event.user.login)).size).toBeLessThanOrEqual(40);
    const lastDay = Math.floor((Date.parse(events.at(-1)!.time) - Date.parse('2026-10-01T00:00:00Z')) / DAY);
    expect(lastDay).toBeGreaterThanOrEqual(13);
    expect(lastDay).toBeLessThanOrEqual(14);
    expect(events.length).toBeGreaterThan(40 * 14 * 4);
    expect(events.length).toBeLessThan(40 * 14 * 12);
    expect(generator.summary()).toMatchObject({ events: events.length, users: 40, episodes: 0 });
  });

  it('refuses options it cannot honour, saying why', () => {
    expect(() => new TrafficGenerator({ events: 1000, attacks: selectAttacks('all') })).toThrow(
      /--events 1000 is too few for these attacks: their episodes alone have \d+ events; use --events \d+ or more/,
    );
    expect(() => new TrafficGenerator({ users: 50, days: 5, attacks: selectAttacks('brute-force') })).toThrow(GenerateOptionsError);
    expect(() => new TrafficGenerator({ start: 'yesterday' })).toThrow(/--start takes an ISO 8601 time/);
    expect(() => selectAttacks('brute-force,nope')).toThrow(/unknown attack "nope"; known: all, mfa-flood/);
    expect(() => [...withAttacks.generator.events()]).toThrow(/runs once/);
  });
});

describe('generate: benign traffic', () => {
  let lists: ListStore;
  const benign = generate({ events: 20_000, seed: 3 });
  beforeAll(async () => {
    lists = await loadLists(join(RULES_DIR, 'lists'));
  });

  it('never comes from a threat-listed or anonymizing address, never rates risk high, never uses a bypass code', () => {
    const logins = benign.events.filter((event) => event.login);
    expect(logins.length).toBeGreaterThan(15_000);
    expect(logins.filter((event) => lists.has('threat-ips', event.login!.ip))).toEqual([]);
    expect(logins.filter((event) => event.login!.anonymizer !== false)).toEqual([]);
    expect(logins.filter((event) => event.login!.risk === 'high' || event.login!.factor === 'bypass_code')).toEqual([]);
    expect(logins.filter((event) => !/^(100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.|198\.51\.100\.)/.test(event.login!.ip ?? ''))).toEqual([]);
  });

  it('gives every user addresses of their own', () => {
    const owners = new Map<string, Set<string>>();
    for (const event of benign.events) {
      const ip = event.login?.ip;
      if (!ip) continue;
      if (!owners.has(ip)) owners.set(ip, new Set());
      owners.get(ip)!.add(event.user.login);
    }
    expect([...owners.entries()].filter(([, users]) => users.size > 1)).toEqual([]);
  });

  it('keeps one IP and user agent per session, assigns no admin role, and mixes OKTA, AZURE_AD and DUO', () => {
    const sessions = new Map<string, string>();
    for (const event of benign.events) {
      const session = event.login?.sessionId;
      if (!session) continue;
      const where = `${event.login!.ip}|${event.login!.userAgent}`;
      expect(sessions.get(session) ?? where).toBe(where);
      sessions.set(session, where);
    }
    expect(sessions.size).toBeGreaterThan(1000);
    const roles = benign.events.filter((event) => event.action === 'role_assigned').map((event) => event.role);
    expect(roles.filter((role) => lists.has('admin-roles', role))).toEqual([]);
    expect(new Set(benign.events.map((event) => event.provider))).toEqual(new Set(['OKTA', 'AZURE_AD', 'DUO']));
  });

  it('is mostly weekday office hours, with some mistyped passwords and missed pushes', () => {
    const people = benign.events.filter((event) => event.type === 'login' && !event.user.login.startsWith('svc-'));
    const weekend = people.filter((event) => [0, 6].includes(new Date(event.time).getUTCDay()));
    expect(weekend.length / people.length).toBeLessThan(0.12);
    const failures = benign.events.filter((event) => event.login?.result === 'FAILURE' && event.type === 'login');
    expect(failures.length).toBeGreaterThan(10);
    expect(failures.every((event) => event.login!.reason === 'INVALID_CREDENTIALS')).toBe(true);
    const denied = benign.events.filter((event) => event.type === 'mfa' && event.login?.result !== 'SUCCESS');
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.length).toBeLessThan(benign.events.filter((event) => event.type === 'mfa').length * 0.05);
  });
});

describe('scoreFindings', () => {
  const labels: LabelsFile = {
    seed: 1,
    events: 100,
    episodes: [
      { id: 'ep-1', check: 'brute-force', users: ['ann@acme.test'], ips: ['198.18.0.1'], start: '2026-10-10T10:00:00.000Z', end: '2026-10-10T10:20:00.000Z' },
      { id: 'ep-2', check: 'password-spray', users: ['bob@acme.test', 'cy@acme.test'], ips: ['198.18.0.9'], start: '2026-10-11T08:00:00.000Z', end: '2026-10-11T08:04:00.000Z' },
      { id: 'ep-3', check: 'mfa-flood', users: ['dee@acme.test'], ips: ['198.18.0.17'], start: '2026-10-12T08:00:00.000Z', end: '2026-10-12T08:00:50.000Z' },
    ],
  };
  const finding = (checkId: string, user: string, time: string, ip?: string, category = 'threat'): ScoredFinding => ({
    checkId,
    category,
    time,
    user: { login: user },
    event: { login: ip ? { ip } : {} },
  });

  it('finds an episode by user or by address within its window plus a minute, and lists the missed', () => {
    const score = scoreFindings(
      [
        finding('brute-force', 'ann@acme.test', '2026-10-10T10:21:00.000Z'),
        finding('password-spray', 'someone-else@acme.test', '2026-10-11T08:03:00.000Z', '198.18.0.9'),
      ],
      labels,
    );
    expect(score).toMatchObject({ episodes: 3, found: 2, unexplained: [] });
    expect(score.recall).toBeCloseTo(2 / 3);
    expect(score.missed.map((episode) => episode.id)).toEqual(['ep-3']);
  });

  it('does not count a finding of another check, or one outside the window, as found', () => {
    const score = scoreFindings(
      [
        finding('impossible-travel', 'dee@acme.test', '2026-10-12T08:00:30.000Z'),
        finding('mfa-flood', 'dee@acme.test', '2026-10-12T08:01:51.000Z'),
        finding('mfa-flood', 'dee@acme.test', '2026-10-12T07:59:59.000Z'),
      ],
      labels,
    );
    expect(score.found).toBe(0);
    // the cross-fired impossible-travel is explained by ep-3; the two late/early mfa-floods are not
    expect(score.unexplained).toEqual([
      { checkId: 'mfa-flood', user: 'dee@acme.test', time: '2026-10-12T08:01:51.000Z' },
      { checkId: 'mfa-flood', user: 'dee@acme.test', time: '2026-10-12T07:59:59.000Z' },
    ]);
  });

  it('reports threat findings nobody staged as unexplained, never posture findings', () => {
    const scorer = new LabelScorer(labels);
    scorer.add(finding('impossible-travel', 'eve@acme.test', '2026-10-10T10:05:00.000Z', '100.64.0.5'));
    scorer.add(finding('no-mfa-configured', 'eve@acme.test', '2026-10-10T10:05:00.000Z', '100.64.0.5', 'posture'));
    scorer.add(finding('brute-force', 'ann@acme.test', '2026-10-10T10:05:00.000Z', '198.18.0.1'));
    const score = scorer.result();
    expect(score.unexplained).toEqual([{ checkId: 'impossible-travel', user: 'eve@acme.test', time: '2026-10-10T10:05:00.000Z', ip: '100.64.0.5' }]);
    expect(score.found).toBe(1);
  });

  it('gives recall 1 for a run without episodes', () => {
    expect(scoreFindings([], { seed: 1, events: 0, episodes: [] })).toEqual({ episodes: 0, found: 0, missed: [], unexplained: [], recall: 1 });
  });

  it('parses a labels file and names what is wrong with a bad one', () => {
    expect(parseLabelsFile(JSON.stringify(labels))).toEqual(labels);
    expect(() => parseLabelsFile('{"seed":1,"events":3,"episodes":[{"id":"ep-1","check":"x","users":[],"ips":[],"start":"soon","end":"2026-10-10T10:00:00Z"}]}', 'l.json')).toThrow(
      /^l\.json: episodes\.0\.start: expected an ISO 8601 timestamp$/,
    );
    expect(() => parseLabelsFile('nope', 'l.json')).toThrow(/^l\.json: not JSON/);
  });
});

describe('writeNdjson', () => {
  it('waits for a slow reader (backpressure) and keeps the order', async () => {
    const received: string[] = [];
    let waits = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        received.push(chunk.toString());
        waits++;
        setTimeout(callback, 1);
      },
    });
    let pulled = 0;
    function* items() {
      for (let i = 0; i < 5000; i++) {
        pulled++;
        yield { n: i };
      }
    }
    const result = await writeNdjson(items(), slow, 4096);
    expect(result).toEqual({ lines: 5000, closedEarly: false });
    expect(pulled).toBe(5000);
    expect(waits).toBeGreaterThan(5);
    const lines = received.join('').trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { n: number }).n)).toEqual([...Array(5000).keys()]);
  });

  it('stops pulling, without an error, when the reader goes away (EPIPE)', async () => {
    let pulled = 0;
    const closing = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    function* endless() {
      for (;;) {
        pulled++;
        yield { pulled };
      }
    }
    const result = await writeNdjson(endless(), closing, 1024);
    expect(result.closedEarly).toBe(true);
    expect(pulled).toBeLessThan(1000);
  });

  it('formats times as Date#toISOString does', () => {
    for (const ms of [0, 1, 999, 86_399_999, 1_790_812_800_123, Date.parse('2026-12-31T23:59:59.999Z')]) expect(iso(ms)).toBe(new Date(ms).toISOString());
  });
});

describe('generated traffic through the checks in rules/', () => {
  it('fires every staged attack (recall 1.0) and no threat check the episodes do not explain', async () => {
    const detector = await Detector.create({ rulesDir: RULES_DIR });
    const generator = new TrafficGenerator({ events: 30_000, seed: 1, attacks: selectAttacks('all') });
    const findings: Finding[] = [];
    for (const event of generator.events()) findings.push(...(await detector.process(JSON.parse(JSON.stringify(event)) as IdentityEvent)));
    const score = scoreFindings(findings, generator.labels());
    expect(score.missed).toEqual([]);
    expect(score.unexplained).toEqual([]);
    expect(score.recall).toBe(1);
    expect(score.episodes).toBe(ATTACK_IDS.length);
  }, 300_000);

  it('fires no threat check on benign traffic alone', async () => {
    const detector = await Detector.create({ rulesDir: RULES_DIR });
    const threats: string[] = [];
    for (const event of new TrafficGenerator({ events: 30_000, seed: 1 }).events()) {
      for (const finding of await detector.process(JSON.parse(JSON.stringify(event)) as IdentityEvent)) {
        if (finding.category === 'threat') threats.push(`${finding.checkId} ${finding.user.login} ${finding.time}`);
      }
    }
    expect(threats).toEqual([]);
  }, 300_000);
});

describe('sigfire generate (compiled CLI)', () => {
  let dir: string;
  const runner = (args: string[]) => ['dist/src/cli/main.js', 'generate', ...args];

  beforeAll(async () => {
    const build = await buildCli();
    if (!existsSync(join(REPO_ROOT, 'dist/src/cli/main.js'))) throw new Error(`npm run build produced no dist/src/cli/main.js:\n${build.stdout}\n${build.stderr}`);
    dir = await mkdtemp(join(tmpdir(), 'sigfire-generate-'));
  }, 180_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes NDJSON to stdout, labels to --labels, and a one-line summary to stderr', async () => {
    const labelsFile = join(dir, 'labels.json');
    const result = await run(runner(['--events', '12000', '--seed', '4', '--attacks', 'brute-force,password-spray', '--labels', labelsFile]));
    expect(result.stderr).toMatch(/^generated 12,000 events: 24 users, \d+ days, 2 attack episodes in [\d.]+ s; labels in .*labels\.json\n$/);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(12_000);
    expect(lines.join('\n')).toBe(generate({ events: 12_000, seed: 4, attacks: selectAttacks('brute-force,password-spray') }).lines.join('\n'));
    const labels = parseLabelsFile(await readFile(labelsFile, 'utf8'));
    expect(labels).toMatchObject({ seed: 4, events: 12_000 });
    expect(labels.episodes.map((episode) => episode.check).sort()).toEqual(['brute-force', 'password-spray']);
  }, 60_000);

  it('exits cleanly when the reader stops early (| head)', async () => {
    const result = await run(runner(['--events', '2000000']), { closeStdoutAfterBytes: 100_000 });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^generated [\d,]+ events: .*\(output closed early\)\n$/);
  }, 60_000);

  it('rejects bad options in one line, with exit code 2', async () => {
    for (const [args, message] of [
      [['--events', '5', '--users', '3'], /give either --events, or --users with --days, not both/],
      [['--attacks', 'brute-force,nope'], /--attacks: unknown attack "nope"/],
      [['--events', 'many'], /--events takes a whole number of at least 1, got "many"/],
      [['--events', '1000', '--attacks', 'all'], /--events 1000 is too few for these attacks/],
    ] as const) {
      const result = await run(runner([...args]));
      expect(result.stderr).toMatch(new RegExp(`^sigfire: .*${message.source}.*\\n$`));
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
    }
  }, 60_000);
});

function run(args: string[], options: { closeStdoutAfterBytes?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let bytes = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      bytes += chunk.length;
      if (options.closeStdoutAfterBytes !== undefined) {
        if (bytes >= options.closeStdoutAfterBytes) child.stdout.destroy();
        return;
      }
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
