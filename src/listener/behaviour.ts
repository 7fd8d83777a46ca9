import type { ListenerBehaviour } from './types.js';

/** Throws an Error that names the bad option; used at start-up and by `setBehaviour`. */
export function validateBehaviour(behaviour: ListenerBehaviour): void {
  const { failRate, latencyMs, status, retryAfterSeconds } = behaviour;
  if (failRate !== undefined && !(Number.isFinite(failRate) && failRate >= 0 && failRate <= 1)) {
    throw new Error(`fail rate must be a number from 0 to 1 (got ${failRate})`);
  }
  if (latencyMs !== undefined && !(Number.isFinite(latencyMs) && latencyMs >= 0)) {
    throw new Error(`latency must be a number of milliseconds >= 0 (got ${latencyMs})`);
  }
  if (status !== undefined && !(Number.isInteger(status) && status >= 200 && status <= 599)) {
    throw new Error(`status must be an HTTP status code from 200 to 599 (got ${status})`);
  }
  if (retryAfterSeconds !== undefined && !(Number.isInteger(retryAfterSeconds) && retryAfterSeconds >= 0)) {
    throw new Error(`retry-after must be a whole number of seconds >= 0 (got ${retryAfterSeconds})`);
  }
}

/** Applies a partial update; a key given as `undefined` turns that fault off. */
export function mergeBehaviour(current: ListenerBehaviour, update: Partial<ListenerBehaviour>): ListenerBehaviour {
  const next: ListenerBehaviour = { ...current };
  for (const key of ['failRate', 'latencyMs', 'status', 'retryAfterSeconds'] as const) {
    if (key in update) next[key] = update[key];
  }
  validateBehaviour(next);
  return next;
}
