export { createListener } from './create-listener.js';
export type { ListenerBehaviour, ListenerOptions, ListenerProfile, ListenerStats, ReceivedRequest, RunningListener } from './types.js';
