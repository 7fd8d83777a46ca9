import type { TargetConfig } from '../config/schema.js';
import { maskUrl } from '../notify/mask.js';
import type { DeliveryRuntime } from '../queue/delivery-runtime.js';
import { withDeliveryQueue } from '../queue/queue-names.js';
import type { ConnectivityTestResult } from './status-store.js';

export type TargetState = 'no-checks' | 'ok' | 'failing' | 'disabled';

/** A dead letter within this long keeps a target "failing" even after a later success. */
export const RECENT_DEAD_LETTER_MS = 60 * 60 * 1000;

export interface TargetOverview {
  id: string;
  name: string;
  url: string;
  state: TargetState;
  stateReason?: string;
  wiredChecks: number;
  delivered: number;
  waiting: number;
  retrying: number;
  deadLetters: number;
  lastDeliveryAt?: string;
  lastStatus?: number;
  lastError?: string;
  lastTest?: ConnectivityTestResult;
}

/**
 * The one place that derives a target's status: disabled (by config, a 410 or a failing
 * streak) wins, then no-checks (CII's amber "no checks configured"), then failing (a run of
 * failed attempts or a recent dead letter), else ok.
 */
export function deriveTargetState(input: {
  enabledInConfig: boolean;
  disabled: boolean;
  disabledReason?: string;
  wiredChecks: number;
  failingSince?: string;
  lastDeadAt?: string;
  now: number;
}): { state: TargetState; reason?: string } {
  if (!input.enabledInConfig) return { state: 'disabled', reason: 'enabled: false in the config' };
  if (input.disabled) return { state: 'disabled', reason: input.disabledReason };
  if (input.wiredChecks === 0) return { state: 'no-checks', reason: 'no checks configured' };
  if (input.failingSince) return { state: 'failing', reason: `failing since ${input.failingSince}` };
  if (input.lastDeadAt && input.now - Date.parse(input.lastDeadAt) < RECENT_DEAD_LETTER_MS) return { state: 'failing', reason: `dead letter at ${input.lastDeadAt}` };
  return { state: 'ok' };
}

export async function targetOverview(runtime: DeliveryRuntime, target: TargetConfig): Promise<TargetOverview> {
  const record = await runtime.status.target(target.id);
  const counts = await withDeliveryQueue(runtime.connection, runtime.prefix, target.id, (queue) =>
    queue.getJobCounts('wait', 'prioritized', 'waiting-children', 'active', 'delayed', 'failed'),
  );
  const wiredChecks = runtime.wiring.checksFor(target.id).length;
  const { state, reason } = deriveTargetState({
    enabledInConfig: target.enabled,
    disabled: record.disabled,
    disabledReason: record.disabledReason,
    wiredChecks,
    failingSince: record.failingSince,
    lastDeadAt: record.lastDeadAt,
    now: Date.now(),
  });
  return {
    id: target.id,
    name: target.name,
    url: maskUrl(target.url),
    state,
    ...(reason ? { stateReason: reason } : {}),
    wiredChecks,
    delivered: record.delivered,
    waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0) + (counts['waiting-children'] ?? 0) + (counts.active ?? 0),
    retrying: counts.delayed ?? 0,
    deadLetters: counts.failed ?? 0,
    lastDeliveryAt: record.lastDeliveryAt,
    lastStatus: record.lastStatus,
    lastError: record.lastError,
    lastTest: record.lastTest,
  };
}
