import { CliError } from '../cli/cli-error.js';
import { formatKeyPath, type KeyPath } from './key-path.js';

/** One thing wrong with a config file, located by key path and (when known) line. */
export interface ConfigIssue {
  path: KeyPath;
  line?: number;
  message: string;
}

/** `sigfire.yaml:23: targets[1].auth.type: expected one of none|basic|apiKey|oauthClientCredentials` */
export function formatConfigIssue(file: string, issue: ConfigIssue): string {
  const where = issue.line === undefined ? file : `${file}:${issue.line}`;
  const path = formatKeyPath(issue.path);
  return path === '' ? `${where}: ${issue.message}` : `${where}: ${path}: ${issue.message}`;
}

const MAX_LISTED_ISSUES = 20;

/** A config file that cannot be used. The message lists every issue, one per line. */
export class ConfigError extends CliError {
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    const lines = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => formatConfigIssue(file, issue));
    if (issues.length > MAX_LISTED_ISSUES) lines.push(`... and ${issues.length - MAX_LISTED_ISSUES} more problems in ${file}`);
    super(lines.join('\n'));
    this.name = 'ConfigError';
  }
}
