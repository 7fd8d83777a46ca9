import type { Finding } from '../checks/finding.js';
import type { EnvelopeSettings } from '../config/schema.js';
import type { DeliveryRequest } from '../queue/delivery-queues.js';
import { buildFailedCheckEnvelope } from './payload.js';
import type { Wiring } from './wiring.js';

/** One delivery per target wired to the finding's check, each with its own envelope (and id). */
export function routeFinding(finding: Finding, wiring: Wiring, envelope: EnvelopeSettings): DeliveryRequest[] {
  return wiring.targetsFor(finding.checkId).map((target) => ({
    target,
    envelope: buildFailedCheckEnvelope(finding, target, envelope),
    findingId: finding.id,
    checkId: finding.checkId,
  }));
}
