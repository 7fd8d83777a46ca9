/**
 * Time ranges in which a user's benign traffic is held back because an attack episode
 * uses their account: the victim's own sign-ins next to an attacker's would otherwise
 * look like impossible travel or extend a failure count past the episode.
 */
export class QuietSchedule {
  private readonly ranges = new Map<number, Array<[number, number]>>();

  add(userIndex: number, fromMs: number, toMs: number): void {
    let list = this.ranges.get(userIndex);
    if (!list) this.ranges.set(userIndex, (list = []));
    list.push([fromMs, toMs]);
  }

  /** True when [fromMs, toMs] touches a quiet range of the user. */
  overlaps(userIndex: number, fromMs: number, toMs: number): boolean {
    const list = this.ranges.get(userIndex);
    if (!list) return false;
    for (const [from, to] of list) if (fromMs <= to && toMs >= from) return true;
    return false;
  }

  /** True when the user has no quiet range, or none that touches [fromMs, toMs] widened by `marginMs`. */
  isFree(userIndex: number, fromMs: number, toMs: number, marginMs: number): boolean {
    return !this.overlaps(userIndex, fromMs - marginMs, toMs + marginMs);
  }
}
