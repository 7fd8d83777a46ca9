import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../support/cli.js';

/**
 * Helpers of the fault suite (test/faults/): temp config files for the compiled CLI, a
 * look at every Redis key of a prefix, and an OAuth token endpoint that checks the client
 * secret. Redis, the CLI runner and the scripted receiver come from test/support/.
 */

export const CLI_MAIN = join(REPO_ROOT, 'dist/src/cli/main.js');
export const RULES_DIR = join(REPO_ROOT, 'rules');

/** The CLI tests run the compiled `sigfire`; `npm test` builds it first. */
export function requireBuiltCli(): void {
  if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: run \`npm run build\` first (npm test does)`);
}

export interface TempDir {
  path: string;
  file(name: string): string;
  remove(): Promise<void>;
}

export async function makeTempDir(tag: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `sigfire-faults-${tag}-`));
  return { path, file: (name) => join(path, name), remove: () => rm(path, { recursive: true, force: true }) };
}

/** Writes a config file (an object, serialised as YAML, or YAML text as is) and returns its path. */
export async function writeConfig(path: string, config: Record<string, unknown> | string): Promise<string> {
  await writeFile(path, typeof config === 'string' ? config : stringify({ rules: RULES_DIR, ...config }));
  return path;
}

/** A child-process environment: REDIS_URL set, colours off, plus `extra`. */
export function cliEnv(redisUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, REDIS_URL: redisUrl, NO_COLOR: '1', ...extra };
}

/** Every key under `prefix` (SCAN MATCH, never KEYS). */
export async function keysWithPrefix(connection: Redis, prefix: string): Promise<string[]> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await connection.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** The whole content of one key as text, whatever its type (hash fields and values, list items, ...). */
export async function readKeyAsText(connection: Redis, key: string): Promise<string> {
  const type = await connection.type(key);
  switch (type) {
    case 'string':
      return (await connection.get(key)) ?? '';
    case 'hash':
      return Object.entries(await connection.hgetall(key)).flat().join('\n');
    case 'list':
      return (await connection.lrange(key, 0, -1)).join('\n');
    case 'set':
      return (await connection.smembers(key)).join('\n');
    case 'zset':
      return (await connection.zrange(key, 0, -1, 'WITHSCORES')).join('\n');
    case 'stream':
      return JSON.stringify(await connection.xrange(key, '-', '+'));
    case 'none':
      return '';
    default:
      throw new Error(`key ${key} has a type this test cannot read: ${type}`);
  }
}

/** The secret values (raw, URL-encoded, base64) that occur in `text`. */
export function leakedSecrets(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => {
    const forms = [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')];
    return forms.some((form) => text.includes(form));
  });
}

export interface CheckingTokenServer {
  tokenUrl: string;
  /** Token requests answered, with whether the client credentials were right. */
  requests: Array<{ at: number; credentialsOk: boolean }>;
  close(): Promise<void>;
}

/**
 * An OAuth 2.0 client-credentials token endpoint on loopback that hands out `accessToken`
 * only to `clientId` / `clientSecret` (HTTP Basic, as RFC 6749 2.3.1 prefers), else 401.
 */
export async function startCheckingTokenServer(credentials: { clientId: string; clientSecret: string; accessToken: string }): Promise<CheckingTokenServer> {
  const requests: CheckingTokenServer['requests'] = [];
  const expected = `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const credentialsOk = request.headers.authorization === expected;
      requests.push({ at: Date.now(), credentialsOk });
      const body = credentialsOk ? JSON.stringify({ access_token: credentials.accessToken, token_type: 'Bearer', expires_in: 3600 }) : '{"error":"invalid_client"}';
      response.writeHead(credentialsOk ? 200 : 401, { 'content-type': 'application/json' });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    tokenUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A figure for the README's Reliability section, printed so it shows in the test output. */
export function reportFigures(caseName: string, figures: Record<string, number | string>): void {
  console.log(`[reliability] ${caseName}: ${Object.entries(figures).map(([key, value]) => `${key}=${value}`).join(' ')}`);
}
