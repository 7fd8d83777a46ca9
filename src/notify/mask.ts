import type { LoadedConfig } from '../config/load-config.js';
import type { Config, TargetConfig } from '../config/schema.js';

/**
 * Printable copies of targets and config: secrets never leave unmasked. What is masked:
 * auth passwords / API key values / client secrets and signing secrets always; parameter
 * and OAuth `params` values that came from ${ENV} or whose name looks secret (api_key,
 * token, ...); a URL's password and its secret-looking query values.
 */

const MASK = '••••';
const MIN_LENGTH_TO_SHOW_ENDS = 16;

/** "ab••••••yz" for long values (2 characters each side), "••••" for short ones. */
export function maskSecret(value: string): string {
  if (value.length < MIN_LENGTH_TO_SHOW_ENDS) return MASK;
  return `${value.slice(0, 2)}••••••${value.slice(-2)}`;
}

const SECRET_NAME_PARTS = ['key', 'token', 'secret', 'pass', 'pwd', 'credential', 'assertion', 'signature', 'auth', 'cookie', 'session'];

/** True for names such as api_key, X-Api-Key, access_token, clientSecret, password, Authorization. */
export function looksSecretName(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_NAME_PARTS.some((part) => normalized.includes(part)) || normalized === 'sig';
}

/** Masks a URL's password and the values of its secret-looking query parameters. */
export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  let changed = false;
  if (parsed.password !== '') {
    parsed.password = MASK;
    changed = true;
  }
  const query = [...parsed.searchParams.entries()];
  if (query.some(([name]) => looksSecretName(name))) {
    parsed.search = '';
    for (const [name, value] of query) parsed.searchParams.append(name, looksSecretName(name) ? maskSecret(value) : value);
    changed = true;
  }
  return changed ? decodeMask(parsed.toString()) : url;
}

/** A copy of the target that is safe to print. `secretPaths` are relative to the target (LoadedConfig.targetSecretPaths). */
export function maskTarget(target: TargetConfig, secretPaths: Iterable<string>): TargetConfig {
  const fromEnv = new Set(secretPaths);
  const auth = target.auth;
  let maskedAuth: TargetConfig['auth'];
  if (auth.type === 'basic') maskedAuth = { ...auth, password: maskSecret(auth.password) };
  else if (auth.type === 'apiKey') maskedAuth = { ...auth, value: maskSecret(auth.value) };
  else if (auth.type === 'oauthClientCredentials') {
    maskedAuth = { ...auth, tokenUrl: maskUrl(auth.tokenUrl), clientSecret: maskSecret(auth.clientSecret) };
    if (auth.params) {
      maskedAuth.params = Object.fromEntries(
        Object.entries(auth.params).map(([name, value]) => [name, isSecretOAuthParam(name, fromEnv) ? maskSecret(value) : value]),
      );
    }
  } else maskedAuth = { ...auth };
  return {
    ...target,
    url: maskUrl(target.url),
    auth: maskedAuth,
    parameters: target.parameters.map((parameter, index) =>
      isSecretParameter(parameter.key, index, fromEnv) ? { ...parameter, value: maskSecret(String(parameter.value)) } : { ...parameter },
    ),
    ...(target.signingSecret !== undefined && { signingSecret: maskSecret(target.signingSecret) }),
  };
}

/** The whole config, safe to print (targets masked, the Redis URL's password hidden). */
export function maskConfig(loaded: Pick<LoadedConfig, 'config' | 'targetSecretPaths'>): Config {
  const { config } = loaded;
  return {
    ...config,
    redis: { ...config.redis, url: maskUrl(config.redis.url) },
    targets: config.targets.map((target) => maskTarget(target, loaded.targetSecretPaths[target.id] ?? [])),
  };
}

/**
 * Every secret value of a loaded config, longest first: exactly what maskConfig hides.
 * For redacting free text (error messages, response excerpts, logs) with redactSecrets.
 */
export function secretValues(loaded: Pick<LoadedConfig, 'config' | 'targetSecretPaths'>): string[] {
  const values = new Set<string>(urlSecrets(loaded.config.redis.url));
  for (const target of loaded.config.targets) {
    for (const value of targetSecretValues(target, loaded.targetSecretPaths[target.id] ?? [])) values.add(value);
  }
  return [...values].filter((value) => value !== '').sort((a, b) => b.length - a.length);
}

/** The secret values of one target: what maskTarget hides. `secretPaths` as for maskTarget. */
export function targetSecretValues(target: TargetConfig, secretPaths: Iterable<string> = []): string[] {
  const values = new Set<string>();
  const fromEnv = new Set(secretPaths);
  const auth = target.auth;
  if (auth.type === 'basic') values.add(auth.password);
  if (auth.type === 'apiKey') values.add(auth.value);
  if (auth.type === 'oauthClientCredentials') {
    values.add(auth.clientSecret);
    for (const secret of urlSecrets(auth.tokenUrl)) values.add(secret);
    for (const [name, value] of Object.entries(auth.params ?? {})) if (isSecretOAuthParam(name, fromEnv)) values.add(value);
  }
  if (target.signingSecret !== undefined) values.add(target.signingSecret);
  for (const secret of urlSecrets(target.url)) values.add(secret);
  target.parameters.forEach((parameter, index) => {
    if (isSecretParameter(parameter.key, index, fromEnv)) values.add(String(parameter.value));
  });
  return [...values].filter((value) => value !== '');
}

/** Replaces every occurrence of the given secrets (raw or URL-encoded) in `text` by their masked form. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret === '') continue;
    for (const form of new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)])) {
      result = result.split(form).join(maskSecret(secret));
    }
  }
  return result;
}

function isSecretParameter(key: string, index: number, fromEnv: ReadonlySet<string>): boolean {
  return looksSecretName(key) || fromEnv.has(`parameters[${index}].value`);
}

function isSecretOAuthParam(name: string, fromEnv: ReadonlySet<string>): boolean {
  return looksSecretName(name) || fromEnv.has(`auth.params.${name}`) || fromEnv.has(`auth.params[${JSON.stringify(name)}]`);
}

/** The password and secret-looking query values of a URL. */
function urlSecrets(url: string): string[] {
  try {
    const parsed = new URL(url);
    const secrets = [...parsed.searchParams.entries()].filter(([name]) => looksSecretName(name)).map(([, value]) => value);
    if (parsed.password !== '') secrets.push(decodeURIComponent(parsed.password));
    return secrets;
  } catch {
    return [];
  }
}

/** URL serialisation percent-encodes the mask character; the printable form shows it. */
function decodeMask(url: string): string {
  return url.split(encodeURIComponent('•')).join('•');
}
