import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, type CliResult } from '../support/cli.js';
import { makeTempDir, reportFigures, requireBuiltCli, writeConfig, type TempDir } from './support.js';

/**
 * Bad inputs through the compiled CLI: bad event records, a 10 MB line, broken check files
 * and broken config files. None may crash the process (no stack trace); each problem is one
 * line that says where it is; the good data beside it is still processed.
 */

const BAD_EVENTS_DIR = 'fixtures/bad';
const BAD_RULES_DIR = 'fixtures/bad-rules';
const STACK_FRAME = /^\s+at .+[(:]\d+/m;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * What each fixture holds, counted by hand from the files (see fixtures/bad/README.md):
 * the number of good records and the line of each bad one.
 */
const BAD_EVENT_FILES: Record<string, { good: number; badLines: number[] }> = {
  'binary-garbage.ndjson': { good: 3, badLines: [2, 4, 5] },
  'bom-crlf.ndjson': { good: 3, badLines: [] },
  'empty.ndjson': { good: 0, badLines: [] },
  // evt-2 on line 3 is a whole element; the junk after it is the error.
  'garbage-array.json': { good: 5, badLines: [3, 5, 7, 10] },
  'invalid-timestamps.ndjson': { good: 2, badLines: [2, 3, 4, 5, 6] },
  'mixed.ndjson': { good: 5, badLines: [2, 5, 7, 8, 10, 11, 12] },
  'truncated.json': { good: 2, badLines: [6] },
  'unknown-enum.ndjson': { good: 2, badLines: [2, 3, 4, 6] },
  'wrong-types.ndjson': { good: 2, badLines: [2, 3, 4, 5, 6, 7, 8] },
};

let dir: TempDir;
const env = { ...process.env, NO_COLOR: '1' };

beforeAll(async () => {
  requireBuiltCli();
  dir = await makeTempDir('bad-inputs');
});

afterAll(async () => {
  await dir?.remove();
});

interface ReplaySummary {
  events: number;
  skipped: number;
  findings: number;
  byCheck: Record<string, number>;
}

function summaryOf(result: CliResult): ReplaySummary {
  const last = result.stdout.trimEnd().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as ReplaySummary;
  } catch {
    throw new Error(`no JSON summary (exit code ${result.code})\nstdout: ${result.stdout.slice(0, 2000)}\nstderr: ${result.stderr.slice(0, 2000)}`);
  }
}

function stderrLines(result: CliResult): string[] {
  return result.stderr.split('\n').filter((line) => line !== '');
}

/** The CLI handled the input: no stack trace, no "sigfire: <crash>" line. */
function expectNoCrash(result: CliResult): void {
  expect(result.stderr).not.toMatch(STACK_FRAME);
  expect(result.stderr).not.toMatch(/^sigfire: /m);
}

/** A valid login event, numbered `n`; `overrides` replace top-level fields. */
function goodEvent(n: number, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: `good-${n}`,
    time: new Date(Date.UTC(2026, 10, 2, 9, 0, n)).toISOString(),
    provider: 'OKTA',
    type: 'login',
    user: { login: `user-${n}@acme.example` },
    login: { result: 'SUCCESS', ip: '203.0.113.7', factor: 'push' },
    ...overrides,
  });
}

describe.concurrent('bad event records: replay --dry-run --json', () => {
  const files = readdirSync(join(REPO_ROOT, BAD_EVENTS_DIR)).filter((name) => name !== 'README.md').sort();

  it('knows every fixture it has figures for', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(Object.keys(BAD_EVENT_FILES).filter((name) => !files.includes(name))).toEqual([]);
    const good = Object.values(BAD_EVENT_FILES).reduce((sum, file) => sum + file.good, 0);
    const bad = Object.values(BAD_EVENT_FILES).reduce((sum, file) => sum + file.badLines.length, 0);
    reportFigures('bad event fixtures', { files: files.length, goodRecords: good, badRecords: bad });
  });

  it.each(files)('%s: one file:line error per bad record, every good record replayed, no crash', async (name) => {
    const relative = `${BAD_EVENTS_DIR}/${name}`;
    const result = await runCli(['replay', relative, '--dry-run', '--json'], env);
    expectNoCrash(result);
    const summary = summaryOf(result);
    const lines = stderrLines(result);
    for (const line of lines) expect(line).toMatch(new RegExp(`^${escapeRegExp(relative)}:\\d+: \\S`));
    const errorLines = lines.map((line) => Number(line.slice(relative.length + 1).split(':')[0]));
    expect(summary.skipped).toBe(lines.length);

    const expected = BAD_EVENT_FILES[name];
    if (expected) {
      expect(errorLines).toEqual(expected.badLines);
      expect(summary.events).toBe(expected.good);
      expect(result.code).toBe(expected.badLines.length > 0 ? 1 : 0);
    } else {
      // A fixture added after this table: still no crash, and the exit code says whether anything was skipped.
      expect(result.code).toBe(lines.length > 0 ? 1 : 0);
    }
  });

  it('a 10 MB line between good records is skipped with a short error; the records around it are replayed', async () => {
    const huge = JSON.stringify({ ...JSON.parse(goodEvent(2)), note: 'x'.repeat(10 * 1024 * 1024) });
    const ndjson = dir.file('ten-mb-line.ndjson');
    await writeFile(ndjson, `${goodEvent(1)}\n${huge}\n${goodEvent(3)}\n`);
    // The same record as an element of a JSON array.
    const array = dir.file('ten-mb-element.json');
    await writeFile(array, `[\n${goodEvent(1)},\n${huge},\n${goodEvent(3)}\n]\n`);
    // A 10 MB line that is not even JSON (an unterminated string).
    const junk = dir.file('ten-mb-junk.ndjson');
    await writeFile(junk, `${goodEvent(1)}\n{"id":"cut","note":"${'y'.repeat(10 * 1024 * 1024)}\n${goodEvent(3)}\n`);

    for (const [file, badLine] of [
      [ndjson, 2],
      [array, 3],
      [junk, 2],
    ] as const) {
      const started = Date.now();
      const result = await runCli(['replay', file, '--dry-run', '--json'], env);
      expectNoCrash(result);
      expect(result.code).toBe(1);
      const lines = stderrLines(result);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^${escapeRegExp(file)}:${badLine}: .*(1 MiB|too long|limit)`));
      expect(lines[0]!.length).toBeLessThan(500);
      expect(summaryOf(result)).toMatchObject({ events: 2, skipped: 1 });
      reportFigures(`10 MB record (${file.split('/').at(-1)})`, { goodRecords: 2, skipped: 1, ms: Date.now() - started });
    }
  });
});

describe('bad check files', () => {
  const checkFiles = readdirSync(join(REPO_ROOT, BAD_RULES_DIR)).filter((name) => name.endsWith('.json'));
  const brokenChecks = checkFiles.filter((name) => name !== 'good-check.json');

  it('checks lint: one line per error naming the file and the JSON pointer (or list line); exit 1', async () => {
    const result = await runCli(['checks', 'lint', '--rules', BAD_RULES_DIR], env);
    expectNoCrash(result);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n').filter((line) => line !== '');
    const summary = lines.pop()!;
    const counted = /(\d+) checks and \d+ lists OK, (\d+) error\(s\)/.exec(summary);
    expect(counted, summary).not.toBeNull();
    expect(Number(counted![1])).toBe(1);
    expect(lines).toHaveLength(Number(counted![2]));
    for (const line of lines) expect(line).toMatch(/^fixtures\/bad-rules\/(?:[\w.-]+\.json#\/\S*|lists\/[\w.-]+\.txt:\d+): \S/);
    for (const name of brokenChecks) expect(lines.some((line) => line.startsWith(`${BAD_RULES_DIR}/${name}#/`)), name).toBe(true);
    expect(lines.some((line) => line.startsWith(`${BAD_RULES_DIR}/good-check.json`))).toBe(false);
    reportFigures('bad check files (checks lint)', { files: checkFiles.length, errors: lines.length, goodChecksLoaded: Number(counted![1]) });
  });

  it('replay: each broken check is skipped with its error, the good check still fires', async () => {
    // Four failed logins from the office range within two minutes: good-check's condition.
    const events = dir.file('office-failures.ndjson');
    const lines = Array.from({ length: 4 }, (_, n) =>
      goodEvent(n, { user: { login: 'mallory@acme.example' }, login: { result: 'FAILURE', ip: `198.51.100.${10 + n}` }, time: new Date(Date.UTC(2026, 10, 2, 9, 0, n * 30)).toISOString() }),
    );
    await writeFile(events, `${lines.join('\n')}\n`);
    const result = await runCli(['replay', events, '--rules', BAD_RULES_DIR, '--dry-run', '--json'], env);
    expectNoCrash(result);
    expect(result.code).toBe(1);
    const errors = stderrLines(result);
    for (const line of errors) expect(line).toMatch(/^fixtures\/bad-rules\/\S+: .+ \(check skipped\)$/);
    for (const name of brokenChecks) expect(errors.some((line) => line.startsWith(`${BAD_RULES_DIR}/${name}#/`)), name).toBe(true);
    const summary = summaryOf(result);
    expect(summary).toMatchObject({ events: 4, skipped: 0, byCheck: { 'good-check': 1 } });
    expect(summary.findings).toBe(1);
  });
});

describe.concurrent('bad config files: sigfire targets --config BAD', () => {
  const target = (id: string, extra: Record<string, unknown> = {}) => ({ id, url: 'http://127.0.0.1:9/hook', ...extra });
  const wiring = [{ targets: ['alpha'], checks: ['bypass-code-used'] }];
  const cases: Array<{ name: string; config: Record<string, unknown>; keyPath: string; message: RegExp }> = [
    { name: 'unknown key', config: { targets: [target('alpha', { timeoutt: '5s' })], wiring }, keyPath: 'targets[0].timeoutt', message: /unknown key.*"timeout"/ },
    { name: 'wrong type', config: { delivery: { concurrency: 'many' }, targets: [target('alpha')], wiring }, keyPath: 'delivery.concurrency', message: /expected number/ },
    {
      name: 'missing ${ENV}',
      config: { targets: [target('alpha', { auth: { type: 'basic', username: 'u', password: '${SIGFIRE_FAULTS_UNSET_VARIABLE}' } })], wiring },
      keyPath: 'targets[0].auth.password',
      message: /environment variable SIGFIRE_FAULTS_UNSET_VARIABLE is not set/,
    },
    { name: 'duplicate target id', config: { targets: [target('alpha'), target('alpha')], wiring }, keyPath: 'targets[1].id', message: /duplicate target id "alpha"/ },
    { name: 'wiring to an unknown target', config: { targets: [target('alpha')], wiring: [{ targets: ['nowhere'], checks: ['bypass-code-used'] }] }, keyPath: 'wiring[0].targets[0]', message: /unknown target "nowhere"/ },
  ];

  it.each(cases)('$name: one clear error naming $keyPath, exit code 2, no stack trace', async ({ name, config, keyPath, message }) => {
    const file = await writeConfig(dir.file(`${name.replace(/\W+/g, '-')}.yaml`), { redis: { prefix: '{sft-faults-config}' }, ...config });
    const result = await runCli(['targets', '--config', file], { ...env, SIGFIRE_FAULTS_UNSET_VARIABLE: undefined });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(STACK_FRAME);
    const lines = stderrLines(result);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^sigfire: ${escapeRegExp(file)}:\\d+: ${escapeRegExp(keyPath)}: `));
    expect(lines[0]).toMatch(message);
  });
});
