import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError, type ConfigIssue } from './config-error.js';
import { checkReferences, checkTlsFiles } from './cross-checks.js';
import { expandEnvRefs, type Env } from './env-refs.js';
import { formatKeyPath, type KeyPath } from './key-path.js';
import { ConfigFileSchema, type Config, type ConfigFile, type TargetConfig } from './schema.js';
import { YamlLocations } from './yaml-locations.js';
import { describeZodIssues } from './zod-issues.js';

export interface LoadedConfig {
  /** absolute path of the config file */
  file: string;
  /** its directory: relative paths in the config are resolved against it */
  dir: string;
  /** absolute path of the check catalog (`rules`) */
  rulesDir: string;
  config: Config;
  /** key paths ("targets[0].auth.password") whose values are secrets: from ${ENV}, or secret by nature */
  secretPaths: string[];
  /** the same, per target id, relative to the target ("auth.password", "parameters[1].value") */
  targetSecretPaths: Record<string, string[]>;
}

/** Auth and signing fields that are secret whatever their source. */
const SECRET_TARGET_FIELDS: KeyPath[] = [['auth', 'password'], ['auth', 'value'], ['auth', 'clientSecret'], ['signingSecret']];

/**
 * Reads, expands (${ENV}) and validates a config file. Throws ConfigError listing every
 * problem as `file:line: key.path: what is wrong`; `file` is shown as given.
 */
export async function loadConfig(file: string, env: Env = process.env): Promise<LoadedConfig> {
  const absolute = path.resolve(file);
  const dir = path.dirname(absolute);
  const fail = (issues: ConfigIssue[]): never => {
    throw new ConfigError(file, issues);
  };

  let source: string;
  try {
    source = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail([{ path: [], message: code === 'ENOENT' ? 'config file not found' : `cannot read the config file (${code ?? String(error)})` }]);
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter });
  if (doc.errors.length > 0) {
    fail(doc.errors.map((error) => ({ path: [], line: error.linePos?.[0].line, message: `YAML syntax error: ${firstSentence(error.message)}` })));
  }
  const locations = new YamlLocations(doc, lineCounter);
  const locate = (issues: ConfigIssue[]): ConfigIssue[] =>
    issues
      .map((issue) => ({ ...issue, line: issue.line ?? locations.lineOf(issue.path) }))
      .sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));

  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) fail([{ path: [], line: 1, message: 'expected a mapping of config keys (rules, redis, targets, wiring, ...)' }]);

  const expanded = expandEnvRefs(raw, env);
  if (expanded.problems.length > 0) fail(locate(expanded.problems));

  const parsed = ConfigFileSchema.safeParse(expanded.data);
  if (!parsed.success) fail(locate(describeZodIssues(parsed.error.issues, expanded.data)));
  const configFile = parsed.data!;

  const crossIssues = [...checkReferences(configFile), ...(await checkTlsFiles(configFile, dir))];
  if (crossIssues.length > 0) fail(locate(crossIssues));

  const config = applyTargetDefaults(configFile, dir);
  const secretPaths = collectSecretPaths(config, expanded.envPaths);
  return {
    file: absolute,
    dir,
    rulesDir: path.resolve(dir, config.rules),
    config,
    secretPaths: secretPaths.map(formatKeyPath),
    targetSecretPaths: Object.fromEntries(
      config.targets.map((target, index) => [
        target.id,
        secretPaths.filter((p) => p[0] === 'targets' && p[1] === index).map((p) => formatKeyPath(p.slice(2))),
      ]),
    ),
  };
}

/** "Map keys must be unique at line 2, column 1:\n\n..." -> "Map keys must be unique" */
function firstSentence(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function applyTargetDefaults(file: ConfigFile, dir: string): Config {
  const targets: TargetConfig[] = file.targets.map((target) => ({
    ...target,
    name: target.name ?? target.id,
    retry: { ...target.retry, schedule: target.retry.schedule ?? file.delivery.schedule },
    ...(target.tls && { tls: { ...target.tls, ...(target.tls.ca !== undefined && { ca: path.resolve(dir, target.tls.ca) }) } }),
  }));
  return { ...file, targets };
}

function collectSecretPaths(config: Config, envPaths: KeyPath[]): KeyPath[] {
  const paths = [...envPaths];
  const seen = new Set(paths.map(formatKeyPath));
  config.targets.forEach((target, index) => {
    for (const field of SECRET_TARGET_FIELDS) {
      const value = field.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key as string], target);
      const full = ['targets', index, ...field];
      if (value !== undefined && !seen.has(formatKeyPath(full))) {
        seen.add(formatKeyPath(full));
        paths.push(full);
      }
    }
  });
  return paths;
}
