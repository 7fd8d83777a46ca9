import { STATUS_CODES } from 'node:http';
import type { ScheduleName, ScheduleSpec } from '../config/schema.js';
import { parseDuration } from '../util/duration.js';

/**
 * The one place that decides what a delivery attempt's result means (Alertmanager's
 * Retrier idea): delivered, retry later, refresh the OAuth token and retry, or give up.
 * Delivery code reports what happened; it never interprets status codes itself.
 */

export type AttemptOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'refresh-auth-and-retry'; reason: string }
  | { kind: 'permanent'; reason: string; disableTarget?: boolean };

export interface AttemptResult {
  /** the HTTP status, when a response arrived */
  status?: number;
  /** the network error code when no response arrived (ETIMEDOUT, ECONNREFUSED, ...) */
  errorCode?: string;
  /** the response's Retry-After header */
  retryAfter?: string;
  /** true once the token was refreshed for this attempt, and for targets without OAuth (nothing to refresh) */
  authRefreshedAlready: boolean;
  now: Date;
}

/** Statuses worth another try: the receiver may accept the same request later. */
const RETRYABLE_STATUSES = new Set([408, 409, 429]);

export function classifyAttempt(result: AttemptResult): AttemptOutcome {
  const { status } = result;
  if (status === undefined) {
    const code = result.errorCode ?? 'no response';
    return { kind: 'retry', reason: isTimeout(code) ? `timeout (${code})` : `network error (${code})` };
  }
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  const reason = `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
  if (status >= 500 || RETRYABLE_STATUSES.has(status)) {
    const retryAfterMs = parseRetryAfter(result.retryAfter, result.now);
    return retryAfterMs === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, retryAfterMs };
  }
  if (status === 401 && !result.authRefreshedAlready) return { kind: 'refresh-auth-and-retry', reason };
  if (status === 410) return { kind: 'permanent', reason: `${reason}: the target asked not to be sent anything more`, disableTarget: true };
  if (status >= 300 && status < 400) return { kind: 'permanent', reason: `${reason} (redirects are not followed; fix the target URL)` };
  return { kind: 'permanent', reason };
}

function isTimeout(code: string): boolean {
  return code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || code === 'ERR_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT';
}

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP-date (a past date is 0). */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // HTTP-dates always name the zone ("GMT"); requiring a letter keeps plain numbers like "1.5" out.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

export interface RetrySchedule {
  /** The wait before attempt `attempt` (1-based; attempt 1 is the first send), undefined past the last. */
  delays: (attempt: number) => number | undefined;
  maxAttempts: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * CII sends through Amazon EventBridge, whose documented default retry policy is
 * "exponential back-off with jitter, up to 185 attempts, for 24 hours". We assume the
 * back-off starts at 1 s and doubles, each wait capped at 24 h, and keep the 185-attempt
 * limit; the 24-hour overall age limit is not modelled (delivery.disableAfter usually ends
 * a hopeless run long before).
 */
const CII_FIRST_DELAY_MS = SECOND;
const CII_MAX_DELAY_MS = 24 * HOUR;
const CII_MAX_ATTEMPTS = 185;

export const SCHEDULE_PRESETS: Record<ScheduleName, RetrySchedule> = {
  cii: {
    maxAttempts: CII_MAX_ATTEMPTS,
    delays: (attempt) => {
      if (!Number.isInteger(attempt) || attempt < 1 || attempt > CII_MAX_ATTEMPTS) return undefined;
      if (attempt === 1) return 0;
      return Math.min(CII_FIRST_DELAY_MS * 2 ** (attempt - 2), CII_MAX_DELAY_MS);
    },
  },
  // Svix's schedule, as published with the Standard Webhooks spec, extended to a day.
  'standard-webhooks': listSchedule([0, 5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR, 24 * HOUR]),
  // For demos and tests: six attempts within ten seconds.
  fast: listSchedule([0, 200, 500, SECOND, 2 * SECOND, 5 * SECOND]),
};

/**
 * A schedule from config: a preset, or a list of waits (durations) before each attempt.
 * `maxAttempts` cuts the schedule short, or lengthens it by repeating its last wait.
 */
export function resolveSchedule(spec: ScheduleSpec, maxAttempts?: number): RetrySchedule {
  const base = typeof spec === 'string' ? SCHEDULE_PRESETS[spec] : listSchedule(spec.map((entry) => parseDuration(entry)));
  if (maxAttempts === undefined || maxAttempts === base.maxAttempts) return base;
  const lastDelay = base.delays(base.maxAttempts) ?? 0;
  return {
    maxAttempts,
    delays: (attempt) => {
      if (!Number.isInteger(attempt) || attempt < 1 || attempt > maxAttempts) return undefined;
      return attempt <= base.maxAttempts ? base.delays(attempt) : lastDelay;
    },
  };
}

function listSchedule(delaysMs: readonly number[]): RetrySchedule {
  const delays = [...delaysMs];
  return {
    maxAttempts: delays.length,
    delays: (attempt) => (Number.isInteger(attempt) && attempt >= 1 ? delays[attempt - 1] : undefined),
  };
}

export const JITTER_RATIO = 0.2;
/** A Retry-After beyond this is treated as this: one answer must not park a delivery for weeks. */
export const MAX_RETRY_AFTER_MS = 24 * HOUR;

/**
 * The wait before the next attempt, after `attemptsMade` attempts; undefined when the
 * schedule is exhausted (dead-letter). The scheduled wait gets +-20% jitter (none on 0),
 * and a longer Retry-After (capped at 24 h) wins. `random` returns [0, 1), like Math.random.
 */
export function nextDelayMs(schedule: RetrySchedule, attemptsMade: number, random: () => number, retryAfterMs?: number): number | undefined {
  const scheduled = schedule.delays(attemptsMade + 1);
  if (scheduled === undefined) return undefined;
  const jittered = scheduled === 0 ? 0 : Math.round(scheduled * (1 + (random() * 2 - 1) * JITTER_RATIO));
  if (retryAfterMs === undefined) return jittered;
  return Math.max(jittered, Math.min(Math.max(0, retryAfterMs), MAX_RETRY_AFTER_MS));
}
