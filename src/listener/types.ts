export type ListenerProfile = 'xdr' | 'generic';

/** Fault injection that can be changed while the listener runs (`setBehaviour`). */
export interface ListenerBehaviour {
  /** 0..1: fraction of webhook requests answered 500, drawn from a PRNG seeded with `seed`. */
  failRate?: number;
  /** Delay before answering, in milliseconds. */
  latencyMs?: number;
  /** Answer every webhook request with this status (e.g. 410, 429, 400), before any other check. */
  status?: number;
  /** Adds `Retry-After: <seconds>` to 429 and 503 answers. */
  retryAfterSeconds?: number;
}

export interface ListenerOptions extends ListenerBehaviour {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 'generic'. */
  profile?: ListenerProfile;
  /** xdr profile: the expected `api_key` query value; without it any non-empty value is accepted. */
  apiKey?: string;
  /** PRNG seed for `failRate`, default 1: the same seed gives the same sequence of failures. */
  seed?: number;
  /** Bodies over this many bytes are answered 413 without being read further. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Verify Standard Webhooks signatures with this secret ("whsec_..."); a bad one is answered 401. */
  secret?: string;
  /** Append one NDJSON line per request to this file (secrets masked). */
  recordFile?: string;
  /** No per-request lines. */
  quiet?: boolean;
  /** Where per-request lines go (default stdout). */
  log?: (line: string) => void;
}

export interface ListenerStats {
  /** Webhook requests answered (GET /stats and /healthz are not counted). */
  received: number;
  /** Answered 2xx. */
  accepted: number;
  /** Answered anything else. */
  rejected: number;
  /** Distinct envelope ids accepted. */
  unique: number;
  /** Requests whose envelope id had already been accepted before. */
  duplicates: number;
  byStatus: Record<string, number>;
  byDetailType: Record<string, number>;
}

export interface ReceivedRequest {
  time: string;
  method: string;
  path: string;
  /** As received (not masked): this stays in memory for tests. */
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  json?: unknown;
  status: number;
  envelopeId?: string;
  duplicate: boolean;
}

export interface RunningListener {
  url: string;
  port: number;
  stats(): ListenerStats;
  /** The last 10,000 requests, oldest first. */
  requests(): ReceivedRequest[];
  /** Envelope ids accepted (answered 2xx) at least once. */
  envelopeIds(): Set<string>;
  close(): Promise<void>;
  /** Clears stats, requests and envelope ids, and restarts the fail-rate sequence from the seed. */
  reset(): void;
  setBehaviour(partial: Partial<Pick<ListenerOptions, 'failRate' | 'latencyMs' | 'status' | 'retryAfterSeconds'>>): void;
}
