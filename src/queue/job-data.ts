import type { Envelope } from '../notify/payload.js';

/** What one delivery job carries: the envelope is built once, at enqueue time. */
export interface DeliveryJobData {
  targetId: string;
  envelope: Envelope;
  findingId: string;
  checkId: string;
  enqueuedAt: number;
}
