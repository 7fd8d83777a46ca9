import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { formatProblem } from '../checks/catalog.js';
import { Detector } from '../checks/detector.js';
import { describeWhy, type Finding } from '../checks/finding.js';
import { formatRecordError, type RecordError } from '../events/records.js';
import { parseLabelsFile, scoreFindings, type LabelScore, type ScoredFinding } from '../generate/labels.js';
import { parseRebase, parseSpeed } from '../replay/pacing.js';
import { runReplay, type ReplayCounters } from '../replay/run-replay.js';
import { DeliverySink } from '../replay/delivery-sink.js';
import { SOURCE_FORMATS, type SourceFormat } from '../events/adapters/adapter-types.js';
import { adapterFor } from '../events/adapters/registry.js';
import { DEFAULT_REORDER_WINDOW_MS } from '../events/read-events.js';
import type { SourceReport } from '../events/source-report.js';
import { formatDuration, parseDuration } from '../util/duration.js';
import { CliError } from './cli-error.js';
import { deadLetterCounts, openRuntimeForCli, reportDelivery } from './delivery-report.js';
import { DEFAULT_CONFIG_FILE, DEFAULT_RULES_DIR } from './defaults.js';
import { formatCount, paint, ProgressLine, SEVERITY_COLOUR, table } from './output.js';

interface ReplayCliOptions {
  rules: string;
  dryRun?: boolean;
  explain?: boolean;
  speed: string;
  rebase?: string;
  json?: boolean;
  strict?: boolean;
  maxRecordBytes: string;
  only?: string;
  deliver?: boolean;
  wait?: boolean;
  waitTimeout: string;
  config: string;
  resend?: boolean;
  labels?: string;
  format: string;
  reorderWindow: string;
}

const MAX_PRINTED_ERRORS = 100;

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('Replay identity events or IdP exports (Okta, Entra ID, Duo) through the checks and print each finding')
    .argument('<file...>', 'event files or exports, merged in event-time order; "-" reads stdin')
    .addOption(new Option('--format <format>', 'the format of every file (default: detected per file from its first record)').choices(['auto', ...SOURCE_FORMATS]).default('auto'))
    .option('--reorder-window <duration>', 'events out of order by up to this much (event time) are put back in order; 0 turns it off', formatDuration(DEFAULT_REORDER_WINDOW_MS))
    .option('--rules <dir>', 'check catalog directory', DEFAULT_RULES_DIR)
    .option('--dry-run', 'evaluate only: print findings, deliver nothing')
    .option('--explain', 'print every condition that fired, with the fact params and values')
    .option('--speed <max|N>', 'replay as fast as possible (max) or at N x real time on event timestamps', 'max')
    .option('--rebase <now|ISO>', 'shift all timestamps so the first event happens now (or at the given time); gaps are kept')
    .option('--only <ids>', 'comma-separated check ids to run (default: every enabled check)')
    .option('--strict', 'stop at the first bad record')
    .option('--max-record-bytes <n>', 'skip records longer than this', String(1024 * 1024))
    .option('--deliver', 'enqueue a delivery for each finding to every target wired to its check (needs Redis; run `sigfire worker` to send them)')
    .option('--wait', 'with --deliver: wait until every delivery is delivered or dead (a disabled target\'s are held)')
    .option('--wait-timeout <duration>', 'with --wait: give up after this long', '5m')
    .option('--resend', 'with --deliver: enqueue again findings already enqueued by an earlier replay (same envelope ids)')
    .option('-c, --config <file>', 'config file (targets, wiring, Redis)', DEFAULT_CONFIG_FILE)
    .option('--labels <file>', 'score the findings against `sigfire generate --labels` ground truth (read after the replay ends, so it works in a pipe); exit 1 on a missed episode or an unexplained threat finding')
    .option('--json', 'print findings as NDJSON; the last line is the summary {events, skipped, findings, byCheck}')
    .addHelpText(
      'after',
      `
Formats: sigfire events, an Okta System Log export (/api/v1/logs), Microsoft Entra ID
sign-in logs (Graph signIns value[], or diagnostic-settings / Event Hub records), Duo
authentication logs (Admin API v2 response.authlogs[]); as NDJSON (one record a line),
a JSON array, or the API's own wrapper object. Each file's format is detected and shown
on stderr. Several files, of any providers, replay as one stream in event-time order; a
newest-first file is read from its end.

Bad records are reported as file:line: field: what is wrong, skipped and counted; the
good records around them are still replayed. The exit code is 1 if anything was skipped.
Records that carry nothing a check can use (admin housekeeping) are counted as ignored.

Examples:
  sigfire replay fixtures/events/demo.ndjson --dry-run
  sigfire generate --events 100000 --attacks all | sigfire replay - --dry-run --json
  sigfire replay okta-logs.json entra-signins.json duo-authlogs.json --dry-run
  sigfire replay okta-export.json --speed 60 --rebase now
  sigfire replay fixtures/events/demo.ndjson --deliver --wait   (with \`sigfire worker\` running)`,
    )
    .action(async (files: string[], options: ReplayCliOptions) => replayAction(files, options));
}

async function replayAction(files: string[], options: ReplayCliOptions): Promise<void> {
  let speed: number | 'max';
  let rebaseTo: number | undefined;
  try {
    speed = parseSpeed(options.speed);
    rebaseTo = options.rebase ? parseRebase(options.rebase) : undefined;
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  let reorderWindowMs: number;
  try {
    reorderWindowMs = parseDuration(options.reorderWindow);
  } catch (error) {
    throw new CliError(`--reorder-window: ${(error as Error).message}`);
  }
  const format = options.format === 'auto' ? undefined : (options.format as SourceFormat);
  const maxRecordBytes = Number(options.maxRecordBytes);
  if (!Number.isInteger(maxRecordBytes) || maxRecordBytes < 1) throw new CliError('--max-record-bytes takes a positive whole number');
  if (files.filter((f) => f === '-').length > 1) throw new CliError('stdin ("-") can be given once');

  if (options.deliver && options.dryRun) throw new CliError('--dry-run and --deliver exclude each other');
  if (!options.deliver && (options.wait || options.resend)) throw new CliError('--wait and --resend go with --deliver');
  let waitTimeoutMs: number;
  try {
    waitTimeoutMs = parseDuration(options.waitTimeout);
  } catch (error) {
    throw new CliError(`--wait-timeout: ${(error as Error).message}`);
  }

  const only = options.only ? new Set(options.only.split(',').map((id) => id.trim())) : undefined;
  const detector = await Detector.create({ rulesDir: resolve(options.rules), only: only ? (check) => only.has(check.id) : undefined });
  const catalogErrors = detector.catalog.problems.filter((p) => p.level === 'error');
  for (const problem of catalogErrors) process.stderr.write(`${formatProblem(problem)} (check skipped)\n`);
  if (only) {
    const unknown = [...only].filter((id) => !detector.checks.some((check) => check.id === id));
    if (unknown.length > 0) throw new CliError(`--only: no enabled check with id ${unknown.join(', ')} (see sigfire checks list)`);
  }
  if (detector.checks.length === 0) throw new CliError(`no checks loaded from ${options.rules}`);

  const runtime = options.deliver ? await openRuntimeForCli(options.config) : undefined;
  const sink = runtime ? new DeliverySink(runtime, { resend: options.resend }) : undefined;
  const deadBefore = runtime ? await deadLetterCounts(runtime) : undefined;

  const counters: ReplayCounters = { events: 0, skipped: 0, findings: 0, byCheck: {} };
  const started = Date.now();
  const progress = new ProgressLine(() => {
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    return `events ${formatCount(counters.events)}  findings ${formatCount(counters.findings)}  skipped ${formatCount(counters.skipped)}  (${formatCount(Math.round(counters.events / seconds))} events/s)`;
  });
  let printedErrors = 0;
  const onRecordError = (error: RecordError) => {
    if (++printedErrors > MAX_PRINTED_ERRORS) return;
    progress.clear();
    process.stderr.write(`${formatRecordError(error)}\n`);
  };
  const scored: ScoredFinding[] = [];
  const onFinding = (finding: Finding) => {
    if (options.labels) scored.push({ checkId: finding.checkId, category: finding.category, time: finding.time, user: { login: finding.user.login }, event: { login: { ip: finding.event.login?.ip } } });
    progress.clear();
    process.stdout.write(options.json ? `${JSON.stringify(finding)}\n` : formatFinding(finding, options.explain === true));
    return sink?.add(finding);
  };

  let summary;
  try {
    // sigfire's own files read oldest-first need no word; an export, or anything unusual, does
    const onSourceReady = (report: SourceReport) => {
      if (report.format === undefined || (report.format === 'sigfire' && report.order === 'ascending' && !report.warning)) return;
      progress.clear();
      process.stderr.write(`${describeSource(report)}\n`);
    };
    summary = await runReplay(
      detector,
      { sources: files, strict: options.strict, speed, rebaseTo, maxRecordBytes, format, reorderWindowMs },
      { onFinding, onRecordError, onSourceReady },
      counters,
    );
    await sink?.close();
  } catch (error) {
    await runtime?.close();
    throw error;
  } finally {
    progress.stop();
  }
  if (printedErrors > MAX_PRINTED_ERRORS) process.stderr.write(`... and ${formatCount(printedErrors - MAX_PRINTED_ERRORS)} more bad records\n`);

  const delivery = runtime && sink ? await reportDelivery(runtime, sink, deadBefore!, { wait: options.wait === true, waitTimeoutMs, json: options.json === true }) : undefined;

  const labelScore = options.labels ? await scoreAgainstLabels(options.labels, scored) : undefined;

  if (options.json) {
    const { events, skipped, findings, byCheck, durationMs, stopped } = summary;
    const ignored = summary.sources.reduce((sum, s) => sum + s.ignored, 0);
    const late = summary.sources.reduce((sum, s) => sum + s.late, 0);
    const sources = summary.sources.map(({ source, format, order, records, events, ignored, errors, late }) => ({ source, format, order, records, events, ignored, errors, late }));
    const labels = labelScore && { episodes: labelScore.episodes, found: labelScore.found, recall: labelScore.recall, missed: labelScore.missed, unexplained: labelScore.unexplained };
    process.stdout.write(`${JSON.stringify({ events, skipped, ignored, late, findings, byCheck, durationMs, sources, ...(stopped ? { stopped } : {}), ...(delivery ? { delivery } : {}), ...(labels ? { labels } : {}) })}\n`);
  } else {
    process.stdout.write(formatSummary(summary, detector));
    process.stdout.write(formatSourceNotes(summary.sources, reorderWindowMs));
    if (delivery) process.stdout.write(delivery.text);
    if (labelScore) process.stdout.write(formatLabelScore(labelScore));
  }
  if (labelScore && (labelScore.missed.length > 0 || labelScore.unexplained.length > 0)) process.exitCode = 1;
  if (delivery && (delivery.deadLetters > 0 || delivery.timedOut)) process.exitCode = 1;
  if (summary.stopped) process.stderr.write('stopped at the first bad record (--strict)\n');
  if (summary.skipped > 0 || catalogErrors.length > 0) process.exitCode = 1;
}

async function scoreAgainstLabels(file: string, findings: ScoredFinding[]): Promise<LabelScore> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`--labels: cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return scoreFindings(findings, parseLabelsFile(text, file));
  } catch (error) {
    throw new CliError(`--labels: ${(error as Error).message}`);
  }
}

function formatLabelScore(score: LabelScore): string {
  const lines = [
    `\nlabelled episodes: ${score.found}/${score.episodes} found (recall ${(score.recall * 100).toFixed(1)}%), ${score.unexplained.length} threat findings outside any episode`,
    ...score.missed.slice(0, 20).map((e) => `  missed ${e.id}: ${e.check} for ${[...e.users, ...e.ips].join(', ')} ${e.start} .. ${e.end}`),
    ...score.unexplained.slice(0, 20).map((u) => `  unexplained ${u.checkId} for ${u.user}${u.ip ? ` from ${u.ip}` : ''} at ${u.time}`),
  ];
  return `${lines.join('\n')}\n`;
}

function formatFinding(finding: Finding, explain: boolean): string {
  const severity = paint(finding.severity.toUpperCase().padEnd(8), SEVERITY_COLOUR[finding.severity]!);
  const head = `${finding.time}  ${severity}  ${finding.checkId.padEnd(34)}  ${finding.user.login.padEnd(28)}  ${describeWhy(finding.why)}\n`;
  if (!explain) return head;
  const lines = [
    `    ${finding.checkName} (${finding.category}${finding.mitre.length ? `, ${finding.mitre.join(' ')}` : ''}): ${finding.description}`,
    `    event ${finding.event.id} ${finding.event.provider} ${finding.event.type}${finding.event.action ? `/${finding.event.action}` : ''}` +
      (finding.event.login ? ` result=${finding.event.login.result ?? '-'} ip=${finding.event.login.ip ?? '-'} country=${finding.event.login.geo?.country ?? '-'}` : ''),
    ...finding.why.map((c) => `    because ${c.fact}${c.path ? ` ${c.path}` : ''}${c.params ? ` ${JSON.stringify(c.params)}` : ''} = ${JSON.stringify(c.actual)} ${c.operator} ${JSON.stringify(c.expected)}`),
    `    finding ${finding.id}`,
  ];
  return `${head}${lines.join('\n')}\n`;
}

function formatSummary(summary: ReplayCounters & { durationMs: number }, detector: Detector): string {
  const names = new Map(detector.checks.map((check) => [check.id, check]));
  const rows = Object.entries(summary.byCheck)
    .sort((a, b) => b[1] - a[1])
    .map(([id, count]) => {
      const check = names.get(id);
      return [id, check ? paint(check.severity, SEVERITY_COLOUR[check.severity]!) : '', check?.category ?? '', formatCount(count)];
    });
  const rate = Math.round(summary.events / Math.max(0.001, summary.durationMs / 1000));
  return (
    `\n${formatCount(summary.events)} events, ${formatCount(summary.skipped)} skipped, ${formatCount(summary.findings)} findings ` +
    `in ${(summary.durationMs / 1000).toFixed(1)} s (${formatCount(rate)} events/s)\n` +
    (rows.length ? `\n${table(['CHECK', 'SEVERITY', 'CATEGORY', 'FINDINGS'], rows)}\n` : '')
  );
}

/** "okta.json: Okta System Log (detected; newest-first, read from its end)" */
function describeSource(report: SourceReport): string {
  const name = report.source === '-' ? '<stdin>' : report.source;
  const how = [report.detected ? 'detected' : '--format'];
  if (report.layout?.kind === 'wrapper') how.push(`records in ${report.layout.path}[]`);
  if (report.order === 'descending') how.push('newest-first, read from its end');
  const formatName = report.format ? (adapterFor(report.format)?.name ?? report.format) : 'no format recognised yet';
  const line = `${name}: ${formatName} (${how.join('; ')})`;
  return report.warning ? `${line}\n${name}: warning: ${report.warning}` : line;
}

/** Ignored records and late events, per source, when there are any. */
function formatSourceNotes(sources: SourceReport[], reorderWindowMs: number): string {
  const lines: string[] = [];
  for (const report of sources) {
    const name = report.source === '-' ? '<stdin>' : report.source;
    if (report.ignored > 0) lines.push(`${name}: ${formatCount(report.ignored)} of ${formatCount(report.records)} records ignored (nothing a check can use)`);
    if (report.late > 0) {
      const events = report.late === 1 ? '1 event was' : `${formatCount(report.late)} events were`;
      lines.push(`${name}: ${events} more than ${formatDuration(reorderWindowMs)} out of order and replayed late (raise --reorder-window)`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
