import { setTimeout as sleep } from 'node:timers/promises';
import type { IdentityEvent } from '../events/schema.js';

/**
 * `--speed N`: replays at N x real time on event timestamps (the gap between two events
 * becomes gap / N of wall time). `max` never waits.
 */
export class ReplayPacer {
  private firstEventTime: number | undefined;
  private wallStart = 0;

  constructor(private readonly speed: number | 'max') {}

  async wait(eventTime: number): Promise<void> {
    if (this.speed === 'max') return;
    if (this.firstEventTime === undefined) {
      this.firstEventTime = eventTime;
      this.wallStart = Date.now();
      return;
    }
    const due = this.wallStart + (eventTime - this.firstEventTime) / this.speed;
    const delay = due - Date.now();
    if (delay > 1) await sleep(delay);
  }
}

export function parseSpeed(text: string): number | 'max' {
  if (text === 'max') return 'max';
  const speed = Number(text);
  if (!Number.isFinite(speed) || speed <= 0) throw new Error(`--speed takes "max" or a positive number (x real time), got ${JSON.stringify(text)}`);
  return speed;
}

const USER_TIME_FIELDS = ['createdAt', 'lastSuccessAt'] as const;

/**
 * `--rebase now`: shifts every timestamp by one offset so the first event happens now; the
 * gaps between events (which the checks' windows depend on) are unchanged.
 */
export class TimeRebaser {
  private offset: number | undefined;

  constructor(private readonly anchor: number) {}

  rebase(event: IdentityEvent): IdentityEvent {
    const time = Date.parse(event.time);
    this.offset ??= this.anchor - time;
    const shift = (iso: string) => new Date(Date.parse(iso) + this.offset!).toISOString();
    const user = { ...event.user };
    for (const field of USER_TIME_FIELDS) if (user[field]) user[field] = shift(user[field]);
    return { ...event, time: shift(event.time), user };
  }
}

export function parseRebase(text: string): number {
  if (text === 'now') return Date.now();
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new Error(`--rebase takes "now" or an ISO 8601 time, got ${JSON.stringify(text)}`);
  return time;
}
