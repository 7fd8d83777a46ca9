import { describe, expect, it } from 'vitest';
import { formatDuration, isDuration, parseDuration } from '../src/util/duration.js';

describe('parseDuration', () => {
  it('converts every unit to milliseconds', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('2w')).toBe(1_209_600_000);
  });

  it('takes fractions (rounded to the millisecond), zero and surrounding blanks', () => {
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('0.0015s')).toBe(2);
    expect(parseDuration('0s')).toBe(0);
    expect(parseDuration('0')).toBe(0); // zero needs no unit; '5' still does
    expect(parseDuration(' 5 m ')).toBe(300_000);
  });

  it('takes a plain number as milliseconds', () => {
    expect(parseDuration(1500)).toBe(1500);
    expect(parseDuration(0)).toBe(0);
  });

  it('rejects unknown units, missing numbers, negatives and non-finite numbers with a message', () => {
    for (const bad of ['', '5', 'm', '5M', '5 minutes', '5y', '-5m', '1e3ms', '5m30s', '.5h']) {
      expect(() => parseDuration(bad), JSON.stringify(bad)).toThrow(/invalid duration .*expected e\.g\. "30s"/);
    }
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => parseDuration(bad), String(bad)).toThrow(/non-negative number of milliseconds/);
    }
  });
});

describe('isDuration', () => {
  it('is true exactly when parseDuration succeeds', () => {
    expect(isDuration('5m')).toBe(true);
    expect(isDuration(0)).toBe(true);
    expect(isDuration('5')).toBe(false);
    expect(isDuration(-1)).toBe(false);
    expect(isDuration(undefined)).toBe(false);
    expect(isDuration(null)).toBe(false);
    expect(isDuration({})).toBe(false);
  });
});

describe('formatDuration', () => {
  it('uses the largest whole unit', () => {
    expect(formatDuration(172_800_000)).toBe('2d');
    expect(formatDuration(7_200_000)).toBe('2h');
    expect(formatDuration(300_000)).toBe('5m');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(1500)).toBe('1500ms');
    expect(formatDuration(0)).toBe('0s');
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [1, 999, 1000, 61_000, 3_600_000, 90_000_000, 86_400_000 * 30]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});
