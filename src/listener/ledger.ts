import type { ListenerStats, ReceivedRequest } from './types.js';

const HISTORY_LIMIT = 10_000;

export interface AnsweredRequest extends Omit<ReceivedRequest, 'duplicate'> {
  detailType?: string;
}

/**
 * Counts answered requests, tells duplicates apart and keeps a bounded history.
 * A duplicate is a request whose envelope id was already *accepted*: a retry after a 500 is not a
 * duplicate, a second delivery of something the receiver already took is.
 */
export class RequestLedger {
  private counts = emptyStats();
  private acceptedIds = new Set<string>();
  private history: ReceivedRequest[] = [];
  private historyStart = 0;

  /** Records one answered request and returns it with its `duplicate` flag. */
  record(answered: AnsweredRequest): ReceivedRequest {
    const { detailType, ...rest } = answered;
    const accepted = answered.status >= 200 && answered.status < 300;
    const duplicate = answered.envelopeId !== undefined && this.acceptedIds.has(answered.envelopeId);
    if (accepted && answered.envelopeId !== undefined) this.acceptedIds.add(answered.envelopeId);

    const counts = this.counts;
    counts.received += 1;
    if (accepted) counts.accepted += 1;
    else counts.rejected += 1;
    if (duplicate) counts.duplicates += 1;
    counts.byStatus[answered.status] = (counts.byStatus[answered.status] ?? 0) + 1;
    if (detailType !== undefined) counts.byDetailType[detailType] = (counts.byDetailType[detailType] ?? 0) + 1;

    const request: ReceivedRequest = { ...rest, duplicate };
    this.remember(request);
    return request;
  }

  stats(): ListenerStats {
    return {
      ...this.counts,
      unique: this.acceptedIds.size,
      byStatus: { ...this.counts.byStatus },
      byDetailType: { ...this.counts.byDetailType },
    };
  }

  requests(): ReceivedRequest[] {
    return [...this.history.slice(this.historyStart), ...this.history.slice(0, this.historyStart)];
  }

  envelopeIds(): Set<string> {
    return new Set(this.acceptedIds);
  }

  reset(): void {
    this.counts = emptyStats();
    this.acceptedIds = new Set();
    this.history = [];
    this.historyStart = 0;
  }

  /** A ring buffer: once full, the oldest entry is overwritten. */
  private remember(request: ReceivedRequest): void {
    if (this.history.length < HISTORY_LIMIT) {
      this.history.push(request);
      return;
    }
    this.history[this.historyStart] = request;
    this.historyStart = (this.historyStart + 1) % HISTORY_LIMIT;
  }
}

function emptyStats(): ListenerStats {
  return { received: 0, accepted: 0, rejected: 0, unique: 0, duplicates: 0, byStatus: {}, byDetailType: {} };
}
