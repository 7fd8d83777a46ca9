import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './support/cli.js';

const OKTA = 'fixtures/exports/okta/system-log.json';
const ENTRA = 'fixtures/exports/entra/graph-signins.json';
const DUO = 'fixtures/exports/duo/authlogs-api.json';

interface FindingLine {
  checkId: string;
  time: string;
  user: { login: string };
  event: { provider: string };
  why: Array<{ fact: string; path?: string; actual: unknown }>;
}

function parseJsonOutput(stdout: string): { findings: FindingLine[]; summary: Record<string, any> } {
  const lines = stdout.trim().split('\n').map((line) => JSON.parse(line));
  return { findings: lines.slice(0, -1), summary: lines.at(-1) };
}

describe('replay of the three providers\' sample exports together', () => {
  it('fires the checks each provider\'s sample was written for, in one time-ordered stream', async () => {
    const { code, stdout, stderr } = await runCli(['replay', OKTA, ENTRA, DUO, '--dry-run', '--json'], process.env);
    expect(code).toBe(0);
    const { findings, summary } = parseJsonOutput(stdout);
    const fired = (checkId: string, login: string) => findings.filter((f) => f.checkId === checkId && f.user.login === login);

    // a Duo push-deny burst -> MFA Flood (Duo users are keyed on the Duo username, user.name)
    expect(fired('mfa-flood', 'carol')).toHaveLength(1);
    expect(fired('mfa-flood', 'carol')[0]!.event.provider).toBe('DUO');
    // an Okta sign-in with securityContext.isProxy -> IP Threat Detected, because of the anonymizer
    const proxy = fired('ip-threat-detected', 'alice.chen@acme-corp.com');
    expect(proxy).toHaveLength(1);
    expect(proxy[0]!.event.provider).toBe('OKTA');
    expect(proxy[0]!.why).toContainEqual(expect.objectContaining({ fact: 'login', path: '$.anonymizer', actual: true }));
    // a burst of Entra 50126 -> Brute Force
    expect(fired('brute-force', 'alex.wilber@contoso.com')).toHaveLength(1);
    // a sign-in to a 50057 (disabled) account -> Login to a Disabled Account
    expect(fired('login-to-disabled-account', 'lynne.robbins@contoso.com')).toHaveLength(1);

    const times = findings.map((f) => Date.parse(f.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(summary.skipped).toBe(0);
    expect(summary.sources.map((s: { format: string; order: string }) => [s.format, s.order])).toEqual([
      ['okta', 'ascending'],
      ['entra', 'descending'],
      ['duo', 'ascending'],
    ]);
    expect(stderr).toContain(`${OKTA}: Okta System Log (detected)`);
    expect(stderr).toContain(`${ENTRA}: Microsoft Entra ID sign-in logs (detected; records in value[]; newest-first, read from its end)`);
    expect(stderr).toContain(`${DUO}: Duo Admin API logs (authentication, administrator) (detected; records in response.authlogs[])`);
  });

  it('reads a file as the --format given, and names the provider\'s fields when that is wrong', async () => {
    const { code, stderr } = await runCli(['replay', ENTRA, '--format', 'okta', '--dry-run', '--json'], process.env);
    expect(code).toBe(1);
    expect(stderr).toContain(`${ENTRA}: Okta System Log (--format; records in value[])`);
    expect(stderr).toMatch(new RegExp(`^${ENTRA.replace(/\./g, '\\.')}:4: eventType: required$`, 'm'));
  });

  it('gives a file in no known format one line, and replays the others', async () => {
    const { code, stdout, stderr } = await runCli(['replay', 'package.json', DUO, '--dry-run', '--json'], process.env);
    expect(code).toBe(1);
    const errors = stderr.split('\n').filter((line) => line.startsWith('package.json'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^package\.json:1: not a format sigfire knows: expected sigfire events .*Okta System Log .*Microsoft Entra ID .*Duo .*--format sigfire\|okta\|entra\|duo$/);
    expect(parseJsonOutput(stdout).summary.events).toBeGreaterThan(15);
  });

  it('reports every malformed record of each provider as file:line: source field: message, and counts them', async () => {
    const files = ['okta', 'entra', 'duo'].map((vendor) => `fixtures/exports/${vendor}/malformed.ndjson`);
    const { code, stdout, stderr } = await runCli(['replay', ...files, '--dry-run', '--json'], process.env);
    expect(code).toBe(1);
    const errors = stderr.split('\n').filter((line) => /^fixtures\/exports\/\w+\/malformed\.ndjson:\d+: /.test(line));
    const { summary } = parseJsonOutput(stdout);
    expect(errors).toHaveLength(summary.skipped);
    expect(summary.skipped).toBeGreaterThanOrEqual(30);
    for (const line of errors) expect(line).toMatch(/^[^:]+:\d+: [\w.[\]]+: \S/);
  });
});

describe('generate --format | replay -', () => {
  const exec = promisify(execFile);
  it.each(['okta', 'entra', 'duo'])('%s: the same findings as the sigfire-format stream', async (format) => {
    const generate = `node dist/src/cli/main.js generate --events 5000 --seed 9 --attacks all`;
    const replay = 'node dist/src/cli/main.js replay - --dry-run --json';
    const native = await exec('sh', ['-c', `${generate} 2>/dev/null | ${replay}`], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
    const vendor = await exec('sh', ['-c', `${generate} --format ${format} 2>/dev/null | ${replay}`], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
    const key = (stdout: string) => parseJsonOutput(stdout).findings.map((f) => `${f.checkId} ${f.user.login} ${Date.parse(f.time)}`);
    expect(key(vendor.stdout)).toEqual(key(native.stdout));
    expect(parseJsonOutput(vendor.stdout).summary).toMatchObject({ events: 5000, skipped: 0, ignored: 0 });
    expect(vendor.stderr).toMatch(new RegExp(`^<stdin>: .* \\(detected\\)$`, 'm'));
  }, 60_000);
});
