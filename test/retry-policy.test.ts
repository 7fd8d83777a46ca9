import { describe, expect, it } from 'vitest';
import {
  classifyAttempt,
  MAX_RETRY_AFTER_MS,
  nextDelayMs,
  parseRetryAfter,
  resolveSchedule,
  SCHEDULE_PRESETS,
  type RetrySchedule,
} from '../src/notify/retry-policy.js';

const now = new Date('2024-05-01T10:00:00.000Z');
const classify = (status: number, extra: { retryAfter?: string; authRefreshedAlready?: boolean } = {}) =>
  classifyAttempt({ status, now, authRefreshedAlready: extra.authRefreshedAlready ?? true, retryAfter: extra.retryAfter });

describe('classifyAttempt', () => {
  it('counts every 2xx as delivered', () => {
    for (const status of [200, 201, 202, 204, 299]) expect(classify(status)).toEqual({ kind: 'delivered' });
  });

  it('retries network errors and timeouts', () => {
    expect(classifyAttempt({ errorCode: 'ECONNREFUSED', authRefreshedAlready: true, now })).toEqual({ kind: 'retry', reason: 'network error (ECONNREFUSED)' });
    expect(classifyAttempt({ errorCode: 'ECONNRESET', authRefreshedAlready: true, now })).toEqual({ kind: 'retry', reason: 'network error (ECONNRESET)' });
    expect(classifyAttempt({ errorCode: 'ETIMEDOUT', authRefreshedAlready: true, now })).toEqual({ kind: 'retry', reason: 'timeout (ETIMEDOUT)' });
    expect(classifyAttempt({ authRefreshedAlready: true, now })).toEqual({ kind: 'retry', reason: 'network error (no response)' });
  });

  it('retries 408, 409, 429 and every 5xx', () => {
    expect(classify(408)).toEqual({ kind: 'retry', reason: 'HTTP 408 Request Timeout' });
    expect(classify(409)).toEqual({ kind: 'retry', reason: 'HTTP 409 Conflict' });
    expect(classify(429)).toEqual({ kind: 'retry', reason: 'HTTP 429 Too Many Requests' });
    expect(classify(500)).toEqual({ kind: 'retry', reason: 'HTTP 500 Internal Server Error' });
    expect(classify(503)).toEqual({ kind: 'retry', reason: 'HTTP 503 Service Unavailable' });
    expect(classify(599)).toEqual({ kind: 'retry', reason: 'HTTP 599' });
  });

  it('honours Retry-After in seconds and as an HTTP-date', () => {
    expect(classify(429, { retryAfter: '120' })).toEqual({ kind: 'retry', reason: 'HTTP 429 Too Many Requests', retryAfterMs: 120_000 });
    expect(classify(503, { retryAfter: 'Wed, 01 May 2024 10:00:30 GMT' })).toEqual({ kind: 'retry', reason: 'HTTP 503 Service Unavailable', retryAfterMs: 30_000 });
    expect(classify(503, { retryAfter: 'soon' })).toEqual({ kind: 'retry', reason: 'HTTP 503 Service Unavailable' });
  });

  it('asks for one OAuth token refresh on a 401, then gives up', () => {
    expect(classify(401, { authRefreshedAlready: false })).toEqual({ kind: 'refresh-auth-and-retry', reason: 'HTTP 401 Unauthorized' });
    expect(classify(401, { authRefreshedAlready: true })).toEqual({ kind: 'permanent', reason: 'HTTP 401 Unauthorized' });
  });

  it('disables the target on 410 Gone', () => {
    expect(classify(410)).toEqual({ kind: 'permanent', reason: 'HTTP 410 Gone: the target asked not to be sent anything more', disableTarget: true });
  });

  it('fails other 4xx at once, naming the status', () => {
    expect(classify(400)).toEqual({ kind: 'permanent', reason: 'HTTP 400 Bad Request' });
    expect(classify(403, { authRefreshedAlready: false })).toEqual({ kind: 'permanent', reason: 'HTTP 403 Forbidden' });
    expect(classify(404)).toEqual({ kind: 'permanent', reason: 'HTTP 404 Not Found' });
    expect(classify(413)).toEqual({ kind: 'permanent', reason: 'HTTP 413 Payload Too Large' });
    expect(classify(422)).toEqual({ kind: 'permanent', reason: 'HTTP 422 Unprocessable Entity' });
    expect(classify(499)).toEqual({ kind: 'permanent', reason: 'HTTP 499' });
  });

  it('fails redirects at once (they are not followed)', () => {
    expect(classify(302)).toEqual({ kind: 'permanent', reason: 'HTTP 302 Found (redirects are not followed; fix the target URL)' });
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 5 ', now)).toBe(5000);
  });

  it('reads HTTP-dates relative to now, a past date being 0', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 10:02:00 GMT', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 01 May 2024 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores absent and invalid values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('tomorrow', now)).toBeUndefined();
  });
});

const allDelays = (schedule: RetrySchedule) => Array.from({ length: schedule.maxAttempts }, (_, index) => schedule.delays(index + 1));

describe('schedules', () => {
  it('fast: six attempts within ten seconds', () => {
    expect(allDelays(SCHEDULE_PRESETS.fast)).toEqual([0, 200, 500, 1000, 2000, 5000]);
    expect(SCHEDULE_PRESETS.fast.delays(7)).toBeUndefined();
    expect(SCHEDULE_PRESETS.fast.delays(0)).toBeUndefined();
  });

  it('standard-webhooks: 0, 5s, 5m, 30m, 2h, 5h, 10h, 14h, 20h, 24h', () => {
    const h = 3_600_000;
    expect(allDelays(SCHEDULE_PRESETS['standard-webhooks'])).toEqual([0, 5000, 300_000, 1_800_000, 2 * h, 5 * h, 10 * h, 14 * h, 20 * h, 24 * h]);
  });

  it('cii: 1s doubling, each wait capped at 24h, 185 attempts', () => {
    const cii = SCHEDULE_PRESETS.cii;
    expect(cii.maxAttempts).toBe(185);
    expect(allDelays(cii).slice(0, 6)).toEqual([0, 1000, 2000, 4000, 8000, 16_000]);
    expect(cii.delays(18)).toBe(65_536_000); // 2^16 s, just under a day
    expect(cii.delays(19)).toBe(86_400_000);
    expect(cii.delays(185)).toBe(86_400_000);
    expect(cii.delays(186)).toBeUndefined();
  });

  it('resolves a preset name or a list of durations', () => {
    expect(resolveSchedule('fast')).toBe(SCHEDULE_PRESETS.fast);
    const custom = resolveSchedule([0, '1s', '2m', 1500]);
    expect(custom.maxAttempts).toBe(4);
    expect(allDelays(custom)).toEqual([0, 1000, 120_000, 1500]);
  });

  it('cuts a schedule short, or repeats its last wait, to reach maxAttempts', () => {
    const short = resolveSchedule('standard-webhooks', 3);
    expect(short.maxAttempts).toBe(3);
    expect(allDelays(short)).toEqual([0, 5000, 300_000]);
    expect(short.delays(4)).toBeUndefined();
    const long = resolveSchedule('fast', 8);
    expect(allDelays(long)).toEqual([0, 200, 500, 1000, 2000, 5000, 5000, 5000]);
    expect(long.delays(9)).toBeUndefined();
  });
});

describe('nextDelayMs', () => {
  const schedule = resolveSchedule([0, '10s', '1m']);

  it('gives the scheduled wait before the next attempt, with no jitter on 0', () => {
    expect(nextDelayMs(schedule, 0, () => 0.99)).toBe(0);
    expect(nextDelayMs(schedule, 1, () => 0.5)).toBe(10_000);
    expect(nextDelayMs(schedule, 2, () => 0.5)).toBe(60_000);
  });

  it('is undefined once the schedule is exhausted', () => {
    expect(nextDelayMs(schedule, 3, () => 0.5)).toBeUndefined();
    expect(nextDelayMs(schedule, 3, () => 0.5, 1000)).toBeUndefined();
  });

  it('keeps jitter within +-20%', () => {
    expect(nextDelayMs(schedule, 1, () => 0)).toBe(8000);
    expect(nextDelayMs(schedule, 1, () => 0.999_999)).toBe(12_000);
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const seen = Array.from({ length: 2000 }, () => nextDelayMs(schedule, 1, random)!);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(8000);
    expect(Math.max(...seen)).toBeLessThanOrEqual(12_000);
    expect(Math.max(...seen) - Math.min(...seen)).toBeGreaterThan(3000); // it does spread
  });

  it('waits at least as long as Retry-After asks, capped at a day', () => {
    expect(nextDelayMs(schedule, 1, () => 0.5, 30_000)).toBe(30_000);
    expect(nextDelayMs(schedule, 1, () => 0.5, 1000)).toBe(10_000);
    expect(nextDelayMs(schedule, 0, () => 0.5, 2000)).toBe(2000);
    expect(nextDelayMs(schedule, 1, () => 0.5, 90 * 86_400_000)).toBe(MAX_RETRY_AFTER_MS);
  });
});
