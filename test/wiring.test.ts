import { describe, expect, it } from 'vitest';
import type { TargetConfig, WiringRule } from '../src/config/schema.js';
import { loadConfig } from '../src/config/load-config.js';
import { resolveWiring, ruleMatches, type WiredCheck } from '../src/notify/wiring.js';

const target = (id: string, enabled = true): TargetConfig => ({
  id,
  name: id,
  description: '',
  url: `http://127.0.0.1:9/${id}`,
  enabled,
  auth: { type: 'none' },
  parameters: [],
  timeout: '5s',
  retry: { schedule: 'fast' },
});

const checks: WiredCheck[] = [
  { id: 'mfa-flood', severity: 'high', category: 'threat', enabled: true },
  { id: 'impossible-travel', severity: 'critical', category: 'threat', enabled: true },
  { id: 'password-spray', severity: 'medium', category: 'threat', enabled: true },
  { id: 'no-mfa', severity: 'high', category: 'posture', enabled: true },
  { id: 'dormant-account', severity: 'low', category: 'posture', enabled: true },
  { id: 'admin-no-mfa', severity: 'critical', category: 'posture', enabled: false },
];

describe('ruleMatches', () => {
  const check = checks[0]!; // mfa-flood, high, threat

  it('needs every selector the rule gives to match', () => {
    expect(ruleMatches({ targets: ['t'], checks: ['mfa-flood'] }, check)).toBe(true);
    expect(ruleMatches({ targets: ['t'], severities: ['high', 'critical'] }, check)).toBe(true);
    expect(ruleMatches({ targets: ['t'], categories: ['threat'] }, check)).toBe(true);
    expect(ruleMatches({ targets: ['t'], categories: ['threat'], severities: ['critical'] }, check)).toBe(false);
    expect(ruleMatches({ targets: ['t'], checks: ['mfa-flood'], categories: ['posture'] }, check)).toBe(false);
    expect(ruleMatches({ targets: ['t'], checks: ['no-mfa'] }, check)).toBe(false);
  });

  it('matches nothing without a selector, or with an empty one', () => {
    expect(ruleMatches({ targets: ['t'] }, check)).toBe(false);
    expect(ruleMatches({ targets: ['t'], checks: [] }, check)).toBe(false);
  });
});

describe('resolveWiring', () => {
  const wiring: WiringRule[] = [
    { targets: ['xdr'], categories: ['threat'] },
    { targets: ['siem'], categories: ['posture'], severities: ['critical', 'high'] },
    { targets: ['siem', 'pager'], checks: ['impossible-travel', 'mfa-flod'] },
    { targets: ['paused'], checks: ['mfa-flood'] },
    { targets: ['soar'] },
  ];
  const config = { targets: [target('xdr'), target('siem'), target('pager'), target('paused', false), target('soar'), target('spare')], wiring };
  const resolved = resolveWiring(config, checks);

  it('routes each check to the enabled targets of every rule it matches, in config order, once each', () => {
    expect(resolved.targetsFor('mfa-flood').map((t) => t.id)).toEqual(['xdr']);
    expect(resolved.targetsFor('impossible-travel').map((t) => t.id)).toEqual(['xdr', 'siem', 'pager']);
    expect(resolved.targetsFor('password-spray').map((t) => t.id)).toEqual(['xdr']);
    expect(resolved.targetsFor('no-mfa').map((t) => t.id)).toEqual(['siem']);
    expect(resolved.targetsFor('dormant-account')).toEqual([]);
    expect(resolved.targetsFor('not-a-check')).toEqual([]);
    expect(resolved.targetsFor('mfa-flood')[0]).toBe(config.targets[0]);
  });

  it('lists the enabled checks of each target, in catalog order', () => {
    expect(resolved.checksFor('xdr')).toEqual(['mfa-flood', 'impossible-travel', 'password-spray']);
    expect(resolved.checksFor('siem')).toEqual(['impossible-travel', 'no-mfa']);
    expect(resolved.checksFor('pager')).toEqual(['impossible-travel']);
    expect(resolved.checksFor('paused')).toEqual(['mfa-flood']);
    expect(resolved.checksFor('soar')).toEqual([]);
    expect(resolved.checksFor('unknown')).toEqual([]);
  });

  it('flags targets no enabled check is wired to', () => {
    expect(resolved.noCheckTargets).toEqual(['soar', 'spare']);
  });

  it('does not count a disabled check as wiring', () => {
    const onlyDisabled = resolveWiring({ targets: [target('t')], wiring: [{ targets: ['t'], checks: ['admin-no-mfa'] }] }, checks);
    expect(onlyDisabled.noCheckTargets).toEqual(['t']);
    expect(onlyDisabled.checksFor('t')).toEqual([]);
  });

  it('flags enabled checks wired to no target', () => {
    expect(resolved.unwiredChecks).toEqual(['dormant-account']);
  });

  it('reports check ids in wiring that no check has', () => {
    expect(resolved.unknownCheckIds).toEqual(['mfa-flod']);
  });

  it('returns copies that callers may change', () => {
    resolved.targetsFor('mfa-flood').pop();
    resolved.checksFor('xdr').pop();
    expect(resolved.targetsFor('mfa-flood')).toHaveLength(1);
    expect(resolved.checksFor('xdr')).toHaveLength(3);
  });
});

describe('the shipped sigfire.yaml wiring', () => {
  it('sends threats to demo-xdr, high and critical posture checks to demo-siem, nothing to soar-staging', async () => {
    const { config } = await loadConfig('sigfire.yaml', {});
    const resolved = resolveWiring(config, checks);
    expect(resolved.checksFor('demo-xdr')).toEqual(['mfa-flood', 'impossible-travel', 'password-spray']);
    expect(resolved.checksFor('demo-siem')).toEqual(['no-mfa']);
    expect(resolved.noCheckTargets).toEqual(['soar-staging']);
    expect(resolved.unwiredChecks).toEqual(['dormant-account']);
  });
});
