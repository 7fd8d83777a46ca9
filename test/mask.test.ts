import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import type { TargetConfig } from '../src/config/schema.js';
import { looksSecretName, maskConfig, maskSecret, maskTarget, maskUrl, redactSecrets, secretValues } from '../src/notify/mask.js';

const base: TargetConfig = {
  id: 't',
  name: 't',
  description: '',
  url: 'https://hooks.example/in',
  enabled: true,
  auth: { type: 'none' },
  parameters: [],
  timeout: '5s',
  retry: { schedule: 'fast' },
};

describe('maskSecret', () => {
  it('shows two characters each side of a long value and nothing of a short one', () => {
    expect(maskSecret('abcdefghijklmnopqrstuvwxyz')).toBe('ab••••••yz');
    expect(maskSecret('abcdefghijklmnop')).toBe('ab••••••op');
    expect(maskSecret('abcdefghijklmno')).toBe('••••');
    expect(maskSecret('pw')).toBe('••••');
    expect(maskSecret('')).toBe('••••');
  });
});

describe('looksSecretName', () => {
  it('recognises key, token, secret and password names in any spelling', () => {
    for (const name of ['api_key', 'apiKey', 'X-Api-Key', 'access_token', 'clientSecret', 'password', 'Authorization', 'sig', 'client_assertion_key']) {
      expect(looksSecretName(name), name).toBe(true);
    }
    for (const name of ['tenant', 'Accept', 'Content-Type', 'audience', 'region']) expect(looksSecretName(name), name).toBe(false);
  });
});

describe('maskUrl', () => {
  it('hides the password and secret-looking query values, keeps the rest', () => {
    expect(maskUrl('https://user:hunter2@host/p?api_key=abcdefghijklmnopqrst&tenant=acme')).toBe('https://user:••••@host/p?api_key=ab••••••st&tenant=acme');
    expect(maskUrl('http://127.0.0.1:8787/xdr/webhook?x=1')).toBe('http://127.0.0.1:8787/xdr/webhook?x=1');
    expect(maskUrl('')).toBe('');
  });
});

describe('maskTarget', () => {
  it('masks every auth secret and the signing secret', () => {
    const signing = 'whsec_c2lnZmlyZS10ZXN0LXNpZ25pbmctc2VjcmV0LTAwMDE=';
    expect(maskTarget({ ...base, auth: { type: 'basic', username: 'u', password: 'correct horse battery staple' }, signingSecret: signing }, [])).toMatchObject({
      auth: { type: 'basic', username: 'u', password: 'co••••••le' },
      signingSecret: 'wh••••••E=',
    });
    expect(maskTarget({ ...base, auth: { type: 'apiKey', name: 'X-Api-Key', value: 'short' } }, []).auth).toEqual({ type: 'apiKey', name: 'X-Api-Key', value: '••••' });
    const oauth = maskTarget(
      { ...base, auth: { type: 'oauthClientCredentials', tokenUrl: 'https://idp/token', clientId: 'cid', clientSecret: 'sssssssssssssssssss', params: { audience: 'api', client_assertion: 'jwt-jwt-jwt-jwt-jwt', tenant_hint: 'from-env-value' } } },
      ['auth.params.tenant_hint'],
    );
    expect(oauth.auth).toEqual({
      type: 'oauthClientCredentials',
      tokenUrl: 'https://idp/token',
      clientId: 'cid',
      clientSecret: 'ss••••••ss',
      params: { audience: 'api', client_assertion: 'jw••••••wt', tenant_hint: '••••' },
    });
  });

  it('masks parameters that came from ${ENV} or whose name looks secret, including api_key in the query', () => {
    const masked = maskTarget(
      {
        ...base,
        parameters: [
          { in: 'query', key: 'api_key', value: 'demo-xdr-key' },
          { in: 'header', key: 'Accept', value: 'application/json' },
          { in: 'header', key: 'X-Tenant', value: 'tenant-from-env' },
          { in: 'body', key: 'token', value: 12345 },
        ],
      },
      ['parameters[2].value'],
    );
    expect(masked.parameters).toEqual([
      { in: 'query', key: 'api_key', value: '••••' },
      { in: 'header', key: 'Accept', value: 'application/json' },
      { in: 'header', key: 'X-Tenant', value: '••••' },
      { in: 'body', key: 'token', value: '••••' },
    ]);
  });

  it('does not change the target it is given', () => {
    const target: TargetConfig = { ...base, auth: { type: 'apiKey', name: 'X-Api-Key', value: 'the-key' }, parameters: [{ in: 'query', key: 'api_key', value: 'q' }] };
    const before = structuredClone(target);
    maskTarget(target, []);
    expect(target).toEqual(before);
  });
});

describe('masking a loaded config never leaks a secret', () => {
  it('hides every secret of a config that uses them all', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sigfire-mask-'));
    try {
      const file = path.join(dir, 'sigfire.yaml');
      await writeFile(
        file,
        `redis:
  url: redis://:\${REDIS_PASSWORD}@127.0.0.1:6379/0
targets:
  - id: basic
    url: https://ops:\${URL_PASSWORD}@siem.example/hook?token=\${URL_TOKEN}
    auth: { type: basic, username: sigfire, password: "\${BASIC_PASSWORD}" }
    signingSecret: \${SIGNING_SECRET}
  - id: key
    url: https://xdr.example/hook
    auth: { type: apiKey, value: literal-api-key-value }
    parameters:
      - { in: query, key: api_key, value: "\${XDR_API_KEY}" }
      - { in: header, key: X-Correlation, value: "\${CORRELATION_SECRET}" }
      - { in: body, key: client_password, value: literal-body-password }
  - id: oauth
    url: https://soar.example/hook
    auth:
      type: oauthClientCredentials
      tokenUrl: https://idp.example/token
      clientId: sigfire
      clientSecret: \${CLIENT_SECRET}
      params: { audience: soar, assertion: "\${ASSERTION}" }
`,
      );
      const env = {
        REDIS_PASSWORD: 'redis-pass-1234567',
        URL_PASSWORD: 'url-pass-abcdefgh',
        URL_TOKEN: 'url-token-abcdefgh',
        BASIC_PASSWORD: 'basic-pass-abcdefgh',
        SIGNING_SECRET: 'whsec_c2lnZmlyZS10ZXN0LXNpZ25pbmctc2VjcmV0LTAwMDE=',
        XDR_API_KEY: 'xdr-api-key-abcdefgh',
        CORRELATION_SECRET: 'correlation-abcdefgh',
        CLIENT_SECRET: 'client-secret-abcdefgh',
        ASSERTION: 'assertion-abcdefgh',
      };
      const loaded = await loadConfig(file, env);
      const secrets = [...Object.values(env), 'literal-api-key-value', 'literal-body-password'];

      const printed = JSON.stringify(maskConfig(loaded));
      for (const secret of secrets) expect(printed, secret).not.toContain(secret);
      for (const secret of secrets) expect(printed, secret).not.toContain(secret.slice(2, -2));
      expect(printed).toContain('sigfire'); // the rest is still there
      expect(printed).toContain('https://idp.example/token');

      expect([...secretValues(loaded)].sort()).toEqual([...secrets].sort());
      const logLine = `POST https://xdr.example/hook?api_key=${encodeURIComponent(env.XDR_API_KEY)} failed; auth ${env.CLIENT_SECRET}`;
      const redacted = redactSecrets(logLine, secretValues(loaded));
      for (const secret of secrets) expect(redacted).not.toContain(secret);
      expect(redacted).toBe('POST https://xdr.example/hook?api_key=xd••••••gh failed; auth cl••••••gh');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('hides the shipped demo secrets', async () => {
    const loaded = await loadConfig('sigfire.yaml', {});
    const printed = JSON.stringify(maskConfig(loaded));
    for (const secret of ['demo-xdr-key', 'demo-siem-key', loaded.config.targets[0]!.signingSecret!]) expect(printed).not.toContain(secret);
    expect(maskConfig(loaded).targets[0]!.parameters[0]).toEqual({ in: 'query', key: 'api_key', value: '••••' });
  });
});
