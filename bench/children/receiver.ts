import { createListener } from '../../src/listener/index.js';
import { serveCalls } from '../ipc.js';

/**
 * The loopback webhook receiver every delivery figure is measured at: sigfire's own
 * listener (generic profile, 200 to any JSON POST), verifying Standard Webhooks signatures
 * so "signing on" is checked end to end. Runs in its own process so that it does not share
 * an event loop with what sends to it.
 *
 * argv: <signing secret>
 */
const secret = process.argv[2];
const listener = await createListener({ quiet: true, profile: 'generic', ...(secret ? { secret } : {}) });

/** Arrival times by envelope id, collected while a latency run is on. */
let arrivals: Array<[string, number]> | undefined;
let seen = 0;
let arrivalTimer: NodeJS.Timeout | undefined;

function collectArrivals(): void {
  const received = listener.stats().received;
  const fresh = received - seen;
  if (fresh <= 0 || !arrivals) return;
  seen = received;
  // the listener keeps the last 10,000 requests; polled every 50 ms, far fewer arrive in between
  for (const request of listener.requests().slice(-fresh)) {
    if (request.envelopeId && request.status >= 200 && request.status < 300) arrivals.push([request.envelopeId, Date.parse(request.time)]);
  }
}

serveCalls({
  url: () => listener.url,
  reset: () => {
    listener.reset();
    seen = 0;
    return true;
  },
  stats: () => listener.stats(),
  /** Answers once `count` requests were accepted (2xx) since the last reset, with the time then. */
  waitForAccepted: ({ count, timeoutMs }: { count: number; timeoutMs: number }) =>
    new Promise((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const poll = setInterval(() => {
        const stats = listener.stats();
        if (stats.accepted >= count) {
          clearInterval(poll);
          resolve({ at: Date.now(), accepted: stats.accepted, rejected: stats.rejected });
        } else if (Date.now() > deadline) {
          clearInterval(poll);
          reject(new Error(`only ${stats.accepted} of ${count} requests accepted (${stats.rejected} rejected) after ${timeoutMs} ms`));
        }
      }, 2);
    }),
  startArrivals: () => {
    arrivals = [];
    seen = listener.stats().received;
    arrivalTimer = setInterval(collectArrivals, 50);
    return true;
  },
  takeArrivals: () => {
    collectArrivals();
    clearInterval(arrivalTimer);
    const taken = arrivals ?? [];
    arrivals = undefined;
    return taken;
  },
});

process.on('SIGTERM', () => {
  void listener.close().then(() => process.exit(0));
});
