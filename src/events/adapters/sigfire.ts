import type { SourceAdapter } from './adapter-types.js';

/** sigfire's own event shape (fixtures, `sigfire generate`): records are events already. */
export const sigfireAdapter: SourceAdapter = {
  format: 'sigfire',
  name: 'sigfire events',
  expects: 'id, time, provider, type, user',
  // loose on purpose: a sigfire event missing a field is still one, and validation names the field
  recognizes: (record) => 'provider' in record && 'type' in record,
  adapt: (record) => ({ kind: 'events', events: [record] }),
  mapping: [],
};
