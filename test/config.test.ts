import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONFIG_KEYS } from '../src/config/config-keys.js';
import { ConfigError } from '../src/config/config-error.js';
import { expandEnvRefsInString } from '../src/config/env-refs.js';
import { loadConfig } from '../src/config/load-config.js';
import { ConfigFileSchema } from '../src/config/schema.js';

let dir: string;
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sigfire-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeConfig(text: string): Promise<string> {
  const file = path.join(dir, `config-${++counter}.yaml`);
  await writeFile(file, text);
  return file;
}

/** The ConfigError's lines, with the temp file's path shown as "sigfire.yaml". */
async function errorLines(text: string, env: Record<string, string> = {}): Promise<string[]> {
  const file = await writeConfig(text);
  try {
    await loadConfig(file, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message.split(file).join('sigfire.yaml').split('\n');
  }
  throw new Error('expected the config to be rejected');
}

const minimalTarget = (extra = '') => `targets:\n  - id: t1\n    url: http://127.0.0.1:9/hook\n${extra}`;

describe('loadConfig: the shipped sigfire.yaml', () => {
  it('loads with no environment set, using every ${VAR:-default}', async () => {
    const loaded = await loadConfig('sigfire.yaml', {});
    expect(loaded.file).toBe(path.resolve('sigfire.yaml'));
    expect(loaded.rulesDir).toBe(path.resolve('rules'));
    expect(loaded.config.redis).toEqual({ url: '', prefix: '{sigfire}' });
    expect(loaded.config.delivery).toEqual({ concurrency: 16, schedule: 'fast', disableAfter: '10m', attemptsKept: 50, lockDuration: '30s' });
    expect(loaded.config.targets.map((t) => t.id)).toEqual(['demo-xdr', 'demo-siem', 'soar-staging']);
    const [xdr, siem, soar] = loaded.config.targets;
    expect(xdr!.url).toBe('http://127.0.0.1:8787/xdr/webhook');
    expect(xdr!.parameters).toEqual([
      { in: 'query', key: 'api_key', value: 'demo-xdr-key' },
      { in: 'header', key: 'Accept', value: 'application/json' },
      { in: 'header', key: 'Content-Type', value: 'application/json' },
    ]);
    expect(xdr!.signingSecret).toMatch(/^whsec_/);
    expect(siem!.auth).toEqual({ type: 'apiKey', name: 'X-Api-Key', value: 'demo-siem-key' });
    expect(soar!.url).toBe('http://127.0.0.1:9/unused');
    expect(loaded.config.wiring).toEqual([
      { targets: ['demo-xdr'], categories: ['threat'] },
      { targets: ['demo-siem'], categories: ['posture'], severities: ['critical', 'high'] },
    ]);
  });

  it('takes values from the environment and records which paths held secrets', async () => {
    const loaded = await loadConfig('sigfire.yaml', { SIGFIRE_LISTENER_PORT: '9999', XDR_API_KEY: 'real-key', SIEM_API_KEY: 'siem-key' });
    expect(loaded.config.targets[0]!.url).toBe('http://127.0.0.1:9999/xdr/webhook');
    expect(loaded.config.targets[0]!.parameters[0]!.value).toBe('real-key');
    expect(loaded.secretPaths).toEqual([
      'redis.url',
      'redis.prefix',
      'targets[0].url',
      'targets[0].parameters[0].value',
      'targets[0].signingSecret',
      'targets[1].url',
      'targets[1].auth.value',
    ]);
    expect(loaded.targetSecretPaths).toEqual({
      'demo-xdr': ['url', 'parameters[0].value', 'signingSecret'],
      'demo-siem': ['url', 'auth.value'],
      'soar-staging': [],
    });
  });
});

describe('loadConfig: defaults', () => {
  it('fills every default around a minimal target', async () => {
    const loaded = await loadConfig(await writeConfig(minimalTarget()), {});
    expect(loaded.config).toEqual({
      rules: 'rules',
      redis: { url: '', prefix: '{sigfire}' },
      envelope: { source: 'sigfire.identity-intelligence', account: 'sigfire-demo', region: 'local' },
      delivery: { concurrency: 16, schedule: 'fast', disableAfter: '10m', attemptsKept: 50, lockDuration: '30s' },
      targets: [
        {
          id: 't1',
          name: 't1',
          description: '',
          url: 'http://127.0.0.1:9/hook',
          enabled: true,
          auth: { type: 'none' },
          parameters: [],
          timeout: '5s',
          retry: { schedule: 'fast' },
        },
      ],
      wiring: [],
    });
    expect(loaded.rulesDir).toBe(path.join(dir, 'rules'));
    expect(loaded.secretPaths).toEqual([]);
  });

  it('gives targets the delivery schedule unless they set their own', async () => {
    const text = `delivery:\n  schedule: [0, 1s, 1m]\ntargets:\n  - { id: a, url: "http://x/" }\n  - { id: b, url: "http://x/", retry: { schedule: cii, maxAttempts: 3 } }\n`;
    const loaded = await loadConfig(await writeConfig(text), {});
    expect(loaded.config.targets.map((t) => t.retry)).toEqual([{ schedule: [0, '1s', '1m'] }, { schedule: 'cii', maxAttempts: 3 }]);
  });

  it('accepts an empty file', async () => {
    const loaded = await loadConfig(await writeConfig(''), {});
    expect(loaded.config.targets).toEqual([]);
    expect(loaded.config.delivery.concurrency).toBe(16);
  });

  it('resolves tls.ca against the config directory', async () => {
    await writeFile(path.join(dir, 'ca.pem'), 'not really a cert');
    const loaded = await loadConfig(await writeConfig(`targets:\n  - id: t1\n    url: https://x/\n    tls: { ca: ca.pem }\n`), {});
    expect(loaded.config.targets[0]!.tls).toEqual({ ca: path.join(dir, 'ca.pem'), insecure: false });
  });

  it('marks auth secrets as secret even when written literally', async () => {
    const text = `targets:
  - id: basic
    url: http://x/
    auth: { type: basic, username: u, password: p }
  - id: oauth
    url: https://x/
    auth: { type: oauthClientCredentials, tokenUrl: "https://idp/token", clientId: c, clientSecret: s, params: { audience: a } }
`;
    const loaded = await loadConfig(await writeConfig(text), {});
    expect(loaded.secretPaths).toEqual(['targets[0].auth.password', 'targets[1].auth.clientSecret']);
  });
});

describe('loadConfig: ${ENV} references', () => {
  it('names the missing variable, the key path and the line', async () => {
    const lines = await errorLines(minimalTarget('    auth:\n      type: basic\n      username: u\n      password: ${XDR_PASSWORD}\n'));
    expect(lines).toEqual([
      'sigfire.yaml:7: targets[0].auth.password: environment variable XDR_PASSWORD is not set (write ${XDR_PASSWORD:-default} to give a default)',
    ]);
  });

  it('uses the default when the variable is unset or empty, the value otherwise', async () => {
    const text = minimalTarget('    description: "${A:-fallback} ${B:-other}"\n');
    const unset = await loadConfig(await writeConfig(text), { B: '' });
    expect(unset.config.targets[0]!.description).toBe('fallback other');
    const set = await loadConfig(await writeConfig(text), { A: 'from-env', B: 'b' });
    expect(set.config.targets[0]!.description).toBe('from-env b');
  });

  it('turns numeric and boolean strings from the environment into numbers and booleans', async () => {
    const text = `delivery:\n  concurrency: \${CONCURRENCY:-4}\n${minimalTarget('    enabled: ${T1_ENABLED}\n    rateLimit: ${RATE}\n')}`;
    const loaded = await loadConfig(await writeConfig(text), { T1_ENABLED: 'false', RATE: '2.5' });
    expect(loaded.config.delivery.concurrency).toBe(4);
    expect(loaded.config.targets[0]!.enabled).toBe(false);
    expect(loaded.config.targets[0]!.rateLimit).toBe(2.5);
  });

  it('rejects a non-numeric value for a number', async () => {
    const lines = await errorLines(`delivery:\n  concurrency: \${CONCURRENCY}\n`, { CONCURRENCY: 'many' });
    expect(lines).toEqual(['sigfire.yaml:2: delivery.concurrency: expected number, got string "many"']);
  });

  it('keeps $${ as a literal ${ and reports malformed references', () => {
    expect(expandEnvRefsInString('a $${NOT_A_REF} b', {})).toEqual({ value: 'a ${NOT_A_REF} b', usedEnv: false, problems: [] });
    expect(expandEnvRefsInString('${A}${B:-x}', { A: '1' })).toEqual({ value: '1x', usedEnv: true, problems: [] });
    expect(expandEnvRefsInString('${A-x}', {}).problems).toEqual([
      'malformed reference "${A-x}": expected ${NAME} or ${NAME:-default} (write $${ for a literal ${)',
    ]);
  });

  it('does not count a literal $${ as a secret', async () => {
    const loaded = await loadConfig(await writeConfig(minimalTarget('    description: "cost: $${X}"\n')), {});
    expect(loaded.config.targets[0]!.description).toBe('cost: ${X}');
    expect(loaded.secretPaths).toEqual([]);
  });
});

describe('loadConfig: errors name the line and the key path', () => {
  it('rejects an unknown auth type', async () => {
    const text = `targets:
  - id: a
    url: http://x/
  - id: b
    url: http://x/
    auth:
      type: bearer
`;
    expect(await errorLines(text)).toEqual([
      'sigfire.yaml:7: targets[1].auth.type: expected one of none|basic|apiKey|oauthClientCredentials, got "bearer"',
    ]);
  });

  it('reports unknown keys at their own line, with a suggestion', async () => {
    const text = `delivery:
  concurency: 3
targets:
  - id: a
    url: http://x/
    retyr: { schedule: fast }
    headers: {}
`;
    expect(await errorLines(text)).toEqual([
      'sigfire.yaml:2: delivery.concurency: unknown key (did you mean "concurrency"?)',
      'sigfire.yaml:6: targets[0].retyr: unknown key (did you mean "retry"?)',
      'sigfire.yaml:7: targets[0].headers: unknown key (expected one of id, name, description, url, enabled, auth, parameters, timeout, retry, rateLimit, signingSecret, tls)',
    ]);
  });

  it('lists every problem, in line order', async () => {
    const text = `delivery:
  schedule: [0, 1s, 5x]
  disableAfter: soon
targets:
  - id: Demo_XDR
    url: ftp://x/
    timeout: 0
    parameters:
      - { in: body, key: detail, value: 1 }
      - { in: header, key: "bad header", value: x }
      - { in: cookie, key: a, value: b }
      - { in: query, key: api_key, value: { nested: 1 } }
  - id: b
    auth: {}
wiring:
  - targets: []
    severities: [huge]
`;
    expect(await errorLines(text)).toEqual([
      'sigfire.yaml:2: delivery.schedule[2]: expected a duration such as "250ms", "5s", "10m", "24h" (or a number of milliseconds)',
      'sigfire.yaml:3: delivery.disableAfter: expected a duration such as "250ms", "5s", "10m", "24h" (or a number of milliseconds)',
      'sigfire.yaml:5: targets[0].id: expected a kebab-case id such as "demo-xdr"',
      'sigfire.yaml:6: targets[0].url: expected an http:// or https:// URL',
      'sigfire.yaml:7: targets[0].timeout: expected a duration longer than 0 such as "5s" or "1500ms"',
      'sigfire.yaml:9: targets[0].parameters[0].key: "detail" is an envelope field; body parameters may only add new top-level keys',
      'sigfire.yaml:10: targets[0].parameters[1].key: "bad header" is not a valid HTTP header name',
      'sigfire.yaml:11: targets[0].parameters[2].in: expected one of header|query|body, got "cookie"',
      'sigfire.yaml:12: targets[0].parameters[3].value: expected a string, number or boolean',
      'sigfire.yaml:13: targets[1].url: is required',
      'sigfire.yaml:14: targets[1].auth.type: is required (one of none|basic|apiKey|oauthClientCredentials)',
      'sigfire.yaml:16: wiring[0].targets: expected at least 1 item',
      'sigfire.yaml:17: wiring[0].severities[0]: expected one of critical|high|medium|low, got "huge"',
    ]);
  });

  it('rejects an unknown schedule name', async () => {
    expect(await errorLines(`delivery:\n  schedule: slow\n`)).toEqual([
      'sigfire.yaml:2: delivery.schedule: expected one of cii|standard-webhooks|fast, or a list of durations such as [0, 1s, 30s, 5m]',
    ]);
  });

  it('rejects duplicate target ids and wiring to unknown targets', async () => {
    const text = `targets:
  - { id: a, url: "http://x/" }
  - { id: b, url: "http://x/" }
  - { id: a, url: "http://y/" }
wiring:
  - targets: [a, c]
    checks: [mfa-flood]
`;
    expect(await errorLines(text)).toEqual([
      'sigfire.yaml:4: targets[2].id: duplicate target id "a" (also targets[0])',
      'sigfire.yaml:6: wiring[0].targets[1]: unknown target "c" (targets are: a, b)',
    ]);
  });

  it('rejects tls settings on a plain-http URL but allows auth there', async () => {
    const text = minimalTarget('    auth: { type: basic, username: u, password: p }\n    tls:\n      insecure: true\n');
    expect(await errorLines(text)).toEqual(['sigfire.yaml:5: targets[0].tls: tls settings apply only to https:// URLs']);
  });

  it('rejects a tls.ca file that does not exist', async () => {
    const lines = await errorLines(`targets:\n  - id: a\n    url: https://x/\n    tls: { ca: missing.pem }\n`);
    expect(lines).toEqual([`sigfire.yaml:4: targets[0].tls.ca: file not found: ${path.join(dir, 'missing.pem')}`]);
  });

  it('rejects a signing secret that is not whsec_ + base64', async () => {
    expect(await errorLines(minimalTarget('    signingSecret: hunter2!\n'))).toEqual([
      'sigfire.yaml:4: targets[0].signingSecret: expected a Standard Webhooks secret: "whsec_" followed by base64',
    ]);
  });

  it('reports YAML syntax errors with their line', async () => {
    expect(await errorLines(`rules: rules\ntargets:\n  - id: a\n    url: http://x/\nrules: again\n`)).toEqual([
      'sigfire.yaml:5: YAML syntax error: Map keys must be unique',
    ]);
  });

  it('rejects a file that is not a mapping', async () => {
    expect(await errorLines(`- a\n- b\n`)).toEqual(['sigfire.yaml:1: expected a mapping of config keys (rules, redis, targets, wiring, ...)']);
  });

  it('says when the file does not exist', async () => {
    await expect(loadConfig(path.join(dir, 'nope.yaml'), {})).rejects.toThrow(`${path.join(dir, 'nope.yaml')}: config file not found`);
  });
});

describe('CONFIG_KEYS', () => {
  /** Every key path the schema accepts, as CONFIG_KEYS writes them ("targets[].auth.type"). */
  function schemaKeys(node: Record<string, unknown>, prefix: string, into: Set<string>): void {
    for (const alternative of [...((node.anyOf ?? node.oneOf ?? []) as Array<Record<string, unknown>>)]) schemaKeys(alternative, prefix, into);
    const properties = node.properties as Record<string, Record<string, unknown>> | undefined;
    for (const [key, child] of Object.entries(properties ?? {})) {
      const keyPath = prefix === '' ? key : `${prefix}.${key}`;
      into.add(keyPath);
      schemaKeys(child, keyPath, into);
      const items = child.items as Record<string, unknown> | undefined;
      if (items && (items.properties || items.anyOf || items.oneOf)) schemaKeys(items, `${keyPath}[]`, into);
    }
  }

  it('documents exactly the keys the schema accepts', () => {
    const keys = new Set<string>();
    schemaKeys(z.toJSONSchema(ConfigFileSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>, '', keys);
    expect(CONFIG_KEYS.map((doc) => doc.key).sort()).toEqual([...keys].sort());
  });

  it('states the same defaults as the schema', () => {
    const defaults = ConfigFileSchema.parse({ targets: [{ id: 'a', url: 'http://x/' }] });
    const documented = (key: string) => CONFIG_KEYS.find((doc) => doc.key === key)?.default;
    expect(documented('delivery.concurrency')).toBe(String(defaults.delivery.concurrency));
    expect(documented('delivery.schedule')).toBe(defaults.delivery.schedule);
    expect(documented('delivery.disableAfter')).toBe(defaults.delivery.disableAfter);
    expect(documented('delivery.attemptsKept')).toBe(String(defaults.delivery.attemptsKept));
    expect(documented('envelope.source')).toBe(defaults.envelope.source);
    expect(documented('targets[].timeout')).toBe(defaults.targets[0]!.timeout);
    expect(documented('rules')).toBe(defaults.rules);
  });
});
