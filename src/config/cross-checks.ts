import { access } from 'node:fs/promises';
import path from 'node:path';
import type { ConfigIssue } from './config-error.js';
import type { ConfigFile } from './schema.js';

/** Checks that need the whole config: unique ids, wiring references, TLS only on https. */
export function checkReferences(config: ConfigFile): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const firstIndexOf = new Map<string, number>();
  config.targets.forEach((target, index) => {
    const first = firstIndexOf.get(target.id);
    if (first === undefined) firstIndexOf.set(target.id, index);
    else issues.push({ path: ['targets', index, 'id'], message: `duplicate target id "${target.id}" (also targets[${first}])` });
    if (target.tls && new URL(target.url).protocol === 'http:') {
      issues.push({ path: ['targets', index, 'tls'], message: 'tls settings apply only to https:// URLs' });
    }
  });
  const known = [...firstIndexOf.keys()];
  config.wiring.forEach((rule, ruleIndex) => {
    rule.targets.forEach((targetId, index) => {
      if (!firstIndexOf.has(targetId)) {
        const choices = known.length > 0 ? `targets are: ${known.join(', ')}` : 'no targets are configured';
        issues.push({ path: ['wiring', ruleIndex, 'targets', index], message: `unknown target "${targetId}" (${choices})` });
      }
    });
  });
  return issues;
}

/** tls.ca files are resolved against the config file's directory and must exist. */
export async function checkTlsFiles(config: ConfigFile, configDir: string): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  for (const [index, target] of config.targets.entries()) {
    const ca = target.tls?.ca;
    if (ca === undefined) continue;
    const file = path.resolve(configDir, ca);
    try {
      await access(file);
    } catch {
      issues.push({ path: ['targets', index, 'tls', 'ca'], message: `file not found: ${file}` });
    }
  }
  return issues;
}
