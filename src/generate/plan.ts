import { ATTACK_IDS } from './attacks/catalog.js';
import type { AttackContext, AttackKind } from './attacks/types.js';
import type { City } from './geo.js';
import type { AddressPools } from './ip-pools.js';
import type { SimUser } from './population.js';
import { GenerateOptionsError } from './options-error.js';
import { QuietSchedule } from './quiet-schedule.js';
import { Random } from './random.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Benign events per user and day at normal activity (measured, rounded up so runs rather overshoot their days). */
export const EVENTS_PER_USER_DAY = 7.5;
/** One episode of each kind per this many events (at least one). */
export const EVENTS_PER_EPISODE = 100_000;
/** No episode before this day: the tenant needs a week of history before a country can be "new". */
export const FIRST_ATTACK_DAY = 8;
/** Smallest number of days an attack run can have: the first attack day, plus room for the longest episode. */
export const MIN_ATTACK_DAYS = 11;
/** How long a victim's own traffic is held back on each side of an episode. */
const HOLD_MS = 36 * HOUR;
/** Episodes prefer people not involved in another episode within this margin. */
const INVOLVEMENT_MARGIN_MS = 72 * HOUR;

export interface PlannedEpisode {
  /** "ep-1", "ep-2", ... in order of start */
  id: string;
  kind: AttackKind;
  /** which episode of its kind (0, 1, ...) */
  ordinal: number;
  startMs: number;
  victims: SimUser[];
}

export interface EpisodePlanInput {
  seed: number;
  startMs: number;
  days: number;
  attacks: readonly AttackKind[];
  perKind: number;
  population: readonly SimUser[];
  /**
   * Share of the days after FIRST_ATTACK_DAY that episodes may use (default 1). An --events
   * run ends when it has its events, which may be a little before its planned last day.
   */
  span?: number;
}

export function episodesPerKind(expectedEvents: number): number {
  return Math.max(1, Math.round(expectedEvents / EVENTS_PER_EPISODE));
}

/**
 * Places each kind's episodes evenly (with jitter) between FIRST_ATTACK_DAY and the last
 * full day, picks their people, and records when those people's own traffic must pause.
 */
export function planEpisodes(input: EpisodePlanInput, quiet: QuietSchedule): PlannedEpisode[] {
  const timing = Random.derive(input.seed, 'episode-times');
  const drafts: Array<{ kind: AttackKind; ordinal: number; startMs: number }> = [];
  for (const kind of input.attacks) {
    const lo = input.startMs + FIRST_ATTACK_DAY * DAY;
    const lastDay = input.startMs + (input.days - 1) * DAY;
    const hi = lo + (lastDay - lo) * (input.span ?? 1) - kind.maxDurationMs;
    if (hi <= lo) throw new GenerateOptionsError(`too few days for the ${kind.check} attack: it needs at least ${MIN_ATTACK_DAYS} days of traffic`);
    const segment = (hi - lo) / input.perKind;
    for (let ordinal = 0; ordinal < input.perKind; ordinal++) {
      const startMs = Math.floor((lo + segment * (ordinal + timing.between(0.05, 0.95))) / 1000) * 1000;
      drafts.push({ kind, ordinal, startMs });
    }
  }
  drafts.sort((a, b) => a.startMs - b.startMs || a.kind.check.localeCompare(b.kind.check));

  const involvement = new QuietSchedule();
  return drafts.map((draft, i) => {
    const picker = Random.derive(input.seed, 'episode-victims', draft.kind.check, draft.ordinal);
    const endMs = draft.startMs + draft.kind.maxDurationMs;
    const victims: SimUser[] = [];
    for (const group of draft.kind.victims) {
      const eligible = input.population.filter((user) => !victims.includes(user) && group.eligible(user, input.population));
      const wanted = group.count(picker);
      const free = eligible.filter((user) => involvement.isFree(user.index, draft.startMs, endMs, INVOLVEMENT_MARGIN_MS));
      const chosen = picker.sample(free, wanted);
      if (chosen.length < wanted) chosen.push(...picker.sample(eligible.filter((user) => !chosen.includes(user)), wanted - chosen.length));
      if (chosen.length < wanted) {
        throw new GenerateOptionsError(`the ${draft.kind.check} attack needs ${wanted} suitable users, the tenant has ${chosen.length}; generate more users`);
      }
      for (const user of chosen) {
        involvement.add(user.index, draft.startMs, endMs);
        if (group.hold === 'around') quiet.add(user.index, draft.startMs - HOLD_MS, endMs + HOLD_MS);
        if (group.hold === 'forever') quiet.add(user.index, draft.startMs - HOLD_MS, Infinity);
      }
      victims.push(...chosen);
    }
    return { id: `ep-${i + 1}`, kind: draft.kind, ordinal: draft.ordinal, startMs: draft.startMs, victims };
  });
}

/** The context an episode is built from: everything derived from the seed and the plan alone. */
export function episodeContext(
  seed: number,
  episode: PlannedEpisode,
  pools: AddressPools,
  tenantCities: readonly City[],
): AttackContext {
  // each kind draws from its own block of attacker addresses, 8 per episode
  const base = 8 * (ATTACK_IDS.indexOf(episode.kind.check) * 1000 + episode.ordinal);
  return {
    random: Random.derive(seed, 'episode', episode.kind.check, episode.ordinal),
    startMs: episode.startMs,
    victims: episode.victims,
    attackerIp: (n) => pools.attackers.at(base + n),
    threatIp: () => pools.threats.at(episode.ordinal),
    ordinal: episode.ordinal,
    rotation: Random.derive(seed, 'rotation', episode.kind.check).int(0, 999),
    tenantCities,
  };
}
