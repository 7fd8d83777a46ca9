/** Durations in rule files and config: "30s", "5m", "24h", "7d", "250ms", or a number of milliseconds. */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new Error(`invalid duration ${input}: expected a non-negative number of milliseconds`);
    return input;
  }
  if (/^\s*0\s*$/.test(input)) return 0; // zero needs no unit
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/.exec(input);
  if (!match) throw new Error(`invalid duration ${JSON.stringify(input)}: expected e.g. "30s", "5m", "24h", "7d"`);
  return Math.round(Number(match[1]) * UNITS[match[2]!]!);
}

export function isDuration(input: unknown): boolean {
  try {
    parseDuration(input as string | number);
    return true;
  } catch {
    return false;
  }
}

export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0 && ms > 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
