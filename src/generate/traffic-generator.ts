import type { IdentityEvent } from '../events/schema.js';
import type { AttackKind } from './attacks/types.js';
import { BenignTraffic } from './benign-traffic.js';
import type { PendingEvent } from './event-builder.js';
import { TimeHeap } from '../util/time-heap.js';
import type { City } from './geo.js';
import { createAddressPools, type AddressPools } from './ip-pools.js';
import type { EpisodeLabel, LabelsFile } from './labels.js';
import {
  EVENTS_PER_USER_DAY,
  MIN_ATTACK_DAYS,
  episodeContext,
  episodesPerKind,
  planEpisodes,
  type EpisodePlanInput,
  type PlannedEpisode,
} from './plan.js';
import { buildPopulation, type SimUser } from './population.js';
import { GenerateOptionsError } from './options-error.js';
import { QuietSchedule } from './quiet-schedule.js';
import { Random } from './random.js';

const DAY = 86_400_000;
export const DEFAULT_START = '2026-10-01T00:00:00.000Z';
export const DEFAULT_EVENTS = 10_000;
/** An --events run spans at least two weeks, so day-of-week rhythm and tenant history exist. */
const MIN_EVENTS_RUN_DAYS = 14;
const MIN_USERS = 20;
const MAX_USERS = 5000;
const EVENTS_PER_USER = 500;
/** Share of an --events run's attack days that episodes use (see EpisodePlanInput.span). */
const EVENTS_RUN_ATTACK_SPAN = 0.8;

export interface GenerateOptions {
  seed?: number;
  /** ISO 8601; default DEFAULT_START */
  start?: string;
  /** exact number of events to write (default 10,000 unless users/days are given) */
  events?: number;
  users?: number;
  days?: number;
  attacks?: readonly AttackKind[];
}

export interface GenerateSummary {
  events: number;
  users: number;
  days: number;
  episodes: number;
}

export { GenerateOptionsError };

interface EpisodeProgress {
  plan: PlannedEpisode;
  total: number;
  written: number;
  firstMs: number;
  lastMs: number;
  users: Set<string>;
  ips: Set<string>;
}

interface RunShape {
  users: number;
  days: number;
  activity: number;
  limit?: number;
  perKind: number;
}

/**
 * Synthetic identity traffic: a tenant's benign sign-ins day by day, with attack episodes
 * merged in, yielded lazily in time order. Same options, same events, byte for byte.
 */
export class TrafficGenerator {
  readonly seed: number;
  readonly startMs: number;
  readonly population: readonly SimUser[];
  readonly episodes: readonly PlannedEpisode[];
  readonly plannedDays: number;
  private readonly shape: RunShape;
  private readonly pools: AddressPools;
  private readonly tenantCities: City[];
  private readonly benign: BenignTraffic;
  private readonly progress = new Map<number, EpisodeProgress>();
  private written = 0;
  private lastMs: number;
  private started = false;

  constructor(options: GenerateOptions = {}) {
    this.seed = options.seed ?? 1;
    this.startMs = parseStart(options.start ?? DEFAULT_START);
    this.lastMs = this.startMs;
    const attacks = options.attacks ?? [];
    this.pools = createAddressPools();

    const sized = sizeRun(options, attacks.length > 0);
    this.population = buildPopulation(sized.users, Random.derive(this.seed, 'population'), this.pools, this.startMs);
    this.tenantCities = [...new Set(this.population.filter((user) => user.kind === 'person').map((user) => user.home))];
    this.shape = sized.limit !== undefined && attacks.length > 0 ? this.fitAttacks(sized, attacks) : sized;
    this.plannedDays = this.shape.days;

    const quiet = new QuietSchedule();
    this.episodes = this.plan(attacks, quiet);
    this.benign = new BenignTraffic(this.population, this.pools, quiet, { seed: this.seed, startMs: this.startMs, activity: this.shape.activity });
  }

  /**
   * The events, in non-decreasing time order; ids are "gen-<seed>-<n>" in output order.
   * One pass per generator: the simulation moves on as it goes.
   */
  *events(): Generator<IdentityEvent> {
    if (this.started) throw new Error('TrafficGenerator.events() runs once; create another generator for a second pass');
    this.started = true;
    const heap = new TimeHeap<PendingEvent>();
    const limit = this.shape.limit ?? Infinity;
    const episodes = [...this.episodes.entries()];
    let nextEpisode = 0;
    heap.pushAll(this.benign.directorySnapshot());

    // a fixed-size run stops after its days; an --events run goes on until it has its events
    const lastDay = this.shape.limit === undefined ? this.shape.days : this.shape.days * 3 + 30;
    for (let day = 0; day < lastDay && this.written < limit; day++) {
      heap.pushAll(this.benign.day(day));
      const horizon = this.benign.horizonAfterDay(day);
      while (nextEpisode < episodes.length && episodes[nextEpisode]![1].startMs < horizon) {
        const [index, plan] = episodes[nextEpisode++]!;
        heap.pushAll(this.materialize(index, plan));
      }
      while (this.written < limit && (heap.peekTime() ?? Infinity) < horizon) yield this.emit(heap.pop()!);
    }
    while (nextEpisode < episodes.length) {
      const [index, plan] = episodes[nextEpisode++]!;
      heap.pushAll(this.materialize(index, plan));
    }
    while (this.written < limit && heap.size > 0) yield this.emit(heap.pop()!);
  }

  /** The episodes whose every event was written, as ground truth for a replay. */
  labels(): LabelsFile {
    const episodes: EpisodeLabel[] = [];
    for (const progress of this.progress.values()) {
      if (progress.written < progress.total) continue;
      episodes.push({
        id: progress.plan.id,
        check: progress.plan.kind.check,
        users: [...progress.users],
        ips: [...progress.ips],
        start: new Date(progress.firstMs).toISOString(),
        end: new Date(progress.lastMs).toISOString(),
      });
    }
    return { seed: this.seed, events: this.written, episodes };
  }

  summary(): GenerateSummary {
    return {
      events: this.written,
      users: this.population.length,
      days: Math.max(1, Math.ceil((this.lastMs - this.startMs) / DAY)),
      episodes: this.labels().episodes.length,
    };
  }

  get eventsWritten(): number {
    return this.written;
  }

  private emit(pending: PendingEvent): IdentityEvent {
    this.written++;
    this.lastMs = pending.timeMs;
    pending.event.id = `gen-${this.seed}-${this.written}`;
    if (pending.episode !== undefined) this.progress.get(pending.episode)!.written++;
    return pending.event;
  }

  private materialize(index: number, plan: PlannedEpisode): PendingEvent[] {
    const events = plan.kind.build(episodeContext(this.seed, plan, this.pools, this.tenantCities));
    const progress: EpisodeProgress = { plan, total: events.length, written: 0, firstMs: Infinity, lastMs: -Infinity, users: new Set(), ips: new Set() };
    for (const pending of events) {
      pending.episode = index;
      progress.firstMs = Math.min(progress.firstMs, pending.timeMs);
      progress.lastMs = Math.max(progress.lastMs, pending.timeMs);
      progress.users.add(pending.event.user.login);
      const ip = pending.event.login?.ip;
      if (ip) progress.ips.add(ip);
    }
    this.progress.set(index, progress);
    return events;
  }

  private plan(attacks: readonly AttackKind[], quiet: QuietSchedule): PlannedEpisode[] {
    if (attacks.length === 0) return [];
    return planEpisodes(this.episodeInput(attacks, this.shape), quiet);
  }

  private episodeInput(attacks: readonly AttackKind[], shape: RunShape): EpisodePlanInput {
    return {
      seed: this.seed,
      startMs: this.startMs,
      days: shape.days,
      attacks,
      perKind: shape.perKind,
      population: this.population,
      // an --events run stops at its count, maybe a day or two before its planned last day
      ...(shape.limit !== undefined ? { span: EVENTS_RUN_ATTACK_SPAN } : {}),
    };
  }

  /**
   * An --events run counts attack events against its budget: plan once to count them, then
   * give the benign traffic what is left (fewer days, or calmer days for small runs).
   */
  private fitAttacks(sized: RunShape, attacks: readonly AttackKind[]): RunShape {
    const limit = sized.limit!;
    const probe = planEpisodes(this.episodeInput(attacks, sized), new QuietSchedule());
    const attackEvents = probe.reduce((sum, episode) => sum + episode.kind.build(episodeContext(this.seed, episode, this.pools, this.tenantCities)).length, 0);
    if (attackEvents * 2 > limit) {
      throw new GenerateOptionsError(
        `--events ${limit} is too few for these attacks: their episodes alone have ${attackEvents} events; use --events ${attackEvents * 2} or more`,
      );
    }
    return { ...sized, ...benignDays(limit - attackEvents, sized.users) };
  }
}

function sizeRun(options: GenerateOptions, withAttacks: boolean): RunShape {
  if (options.users !== undefined || options.days !== undefined) {
    const users = options.users ?? 100;
    const days = options.days ?? 30;
    if (!Number.isInteger(users) || users < 1) throw new GenerateOptionsError(`--users takes a whole number of at least 1, got ${users}`);
    if (!Number.isInteger(days) || days < 1) throw new GenerateOptionsError(`--days takes a whole number of at least 1, got ${days}`);
    if (withAttacks && days < MIN_ATTACK_DAYS) {
      throw new GenerateOptionsError(`attacks need at least ${MIN_ATTACK_DAYS} days of traffic (a week of tenant history first), got --days ${days}`);
    }
    if (withAttacks && users < MIN_USERS) throw new GenerateOptionsError(`attacks need at least ${MIN_USERS} users, got --users ${users}`);
    return { users, days, activity: 1, perKind: episodesPerKind(users * days * EVENTS_PER_USER_DAY), ...(options.events !== undefined ? { limit: options.events } : {}) };
  }
  const limit = options.events ?? DEFAULT_EVENTS;
  if (!Number.isInteger(limit) || limit < 1) throw new GenerateOptionsError(`--events takes a whole number of at least 1, got ${limit}`);
  const users = Math.min(MAX_USERS, Math.max(MIN_USERS, Math.round(limit / EVENTS_PER_USER)));
  return { users, limit, perKind: episodesPerKind(limit), ...benignDays(limit, users) };
}

/** Days (and activity) for a benign budget: at least two weeks, calmer days when the budget is small. */
function benignDays(budget: number, users: number): { days: number; activity: number } {
  const rawDays = Math.max(0, budget - users) / (users * EVENTS_PER_USER_DAY);
  if (rawDays >= MIN_EVENTS_RUN_DAYS) return { days: Math.ceil(rawDays), activity: 1 };
  return { days: MIN_EVENTS_RUN_DAYS, activity: Math.max(0.05, rawDays / MIN_EVENTS_RUN_DAYS) };
}

function parseStart(start: string): number {
  const ms = Date.parse(start);
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(start) || Number.isNaN(ms)) {
    throw new GenerateOptionsError(`--start takes an ISO 8601 time such as 2026-10-01T00:00:00Z, got ${JSON.stringify(start)}`);
  }
  return ms;
}
