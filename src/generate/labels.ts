import { z } from 'zod';

/**
 * Ground truth of a generated run, and the scorer that holds a replay's findings up to it.
 * An episode is found when a finding of its check names one of its users (or comes from
 * one of its addresses) between its start and a minute after its end. A threat finding
 * that no episode, of any check, accounts for that way is unexplained: on generated
 * traffic it is a false positive. Posture findings are never unexplained (benign
 * traffic has posture problems on purpose).
 */

export interface EpisodeLabel {
  id: string;
  check: string;
  users: string[];
  ips: string[];
  start: string;
  end: string;
}

export interface LabelsFile {
  seed: number;
  events: number;
  episodes: EpisodeLabel[];
}

export interface ScoredFinding {
  checkId: string;
  category: string;
  time: string;
  user: { login: string };
  event: { login?: { ip?: string } };
}

export interface UnexplainedFinding {
  checkId: string;
  user: string;
  time: string;
  ip?: string;
}

export interface LabelScore {
  episodes: number;
  found: number;
  missed: EpisodeLabel[];
  unexplained: UnexplainedFinding[];
  /** found / episodes; 1 when there are no episodes */
  recall: number;
}

/** Findings may come one minute after an episode's last event (a window closing, say). */
export const EPISODE_GRACE_MS = 60_000;

interface IndexedEpisode {
  label: EpisodeLabel;
  startMs: number;
  endMs: number;
  users: Set<string>;
  ips: Set<string>;
}

/** Scores findings one at a time (a replay's stream), keeping only what the result needs. */
export class LabelScorer {
  private readonly episodes: IndexedEpisode[];
  private readonly byUser = new Map<string, IndexedEpisode[]>();
  private readonly byIp = new Map<string, IndexedEpisode[]>();
  private readonly found = new Set<IndexedEpisode>();
  private readonly unexplained: UnexplainedFinding[] = [];

  constructor(labels: LabelsFile) {
    this.episodes = labels.episodes.map((label) => ({
      label,
      startMs: Date.parse(label.start),
      endMs: Date.parse(label.end) + EPISODE_GRACE_MS,
      users: new Set(label.users),
      ips: new Set(label.ips),
    }));
    for (const episode of this.episodes) {
      for (const user of episode.users) append(this.byUser, user, episode);
      for (const ip of episode.ips) append(this.byIp, ip, episode);
    }
  }

  add(finding: ScoredFinding): void {
    const timeMs = Date.parse(finding.time);
    const login = finding.user.login;
    const ip = finding.event.login?.ip;
    let explained = false;
    for (const episode of this.candidates(login, ip)) {
      if (timeMs < episode.startMs || timeMs > episode.endMs) continue;
      explained = true;
      if (episode.label.check === finding.checkId) this.found.add(episode);
    }
    if (!explained && finding.category === 'threat') {
      this.unexplained.push({ checkId: finding.checkId, user: login, time: finding.time, ...(ip ? { ip } : {}) });
    }
  }

  result(): LabelScore {
    const missed = this.episodes.filter((episode) => !this.found.has(episode)).map((episode) => episode.label);
    const total = this.episodes.length;
    return {
      episodes: total,
      found: this.found.size,
      missed,
      unexplained: [...this.unexplained],
      recall: total === 0 ? 1 : this.found.size / total,
    };
  }

  private candidates(login: string, ip: string | undefined): Set<IndexedEpisode> {
    const out = new Set<IndexedEpisode>(this.byUser.get(login));
    if (ip !== undefined) for (const episode of this.byIp.get(ip) ?? []) out.add(episode);
    return out;
  }
}

export function scoreFindings(findings: Iterable<ScoredFinding>, labels: LabelsFile): LabelScore {
  const scorer = new LabelScorer(labels);
  for (const finding of findings) scorer.add(finding);
  return scorer.result();
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const isoString = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO 8601 timestamp');

export const LabelsFileSchema = z.looseObject({
  seed: z.number(),
  events: z.number().int().min(0),
  episodes: z.array(
    z.looseObject({
      id: z.string().min(1),
      check: z.string().min(1),
      users: z.array(z.string()),
      ips: z.array(z.string()),
      start: isoString,
      end: isoString,
    }),
  ),
});

/** Parses a labels file's text; throws an Error naming the first problem. */
export function parseLabelsFile(text: string, source = 'labels'): LabelsFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not JSON: ${(error as Error).message}`);
  }
  const parsed = LabelsFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${source}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}
