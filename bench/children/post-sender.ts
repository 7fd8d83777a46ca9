import { readFile } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import got from 'got';
import { serveCalls } from '../ipc.js';

/**
 * The delivery ceilings: the same signed requests sigfire sends (url, headers, body built
 * by buildRequest), POSTed straight at the receiver with the same concurrency over a
 * keep-alive agent, by plain got or by bare node:http. No queue, no Redis, no status.
 */
interface PreparedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

type Post = (request: PreparedRequest) => Promise<number>;

let requests: PreparedRequest[] = [];

function gotPoster(concurrency: number): Post {
  const client = got.extend({ agent: { http: new Agent({ keepAlive: true, maxSockets: concurrency }) }, retry: { limit: 0 } });
  return async (request) => (await client.post(request.url, { headers: request.headers, body: request.body })).statusCode;
}

function httpPoster(concurrency: number): Post {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  return (prepared) =>
    new Promise((resolve, reject) => {
      const url = new URL(prepared.url);
      const outgoing = httpRequest(
        { method: 'POST', host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, agent, headers: { ...prepared.headers, 'content-length': Buffer.byteLength(prepared.body) } },
        (response) => {
          response.resume();
          response.once('end', () => resolve(response.statusCode ?? 0));
          response.once('error', reject);
        },
      );
      outgoing.once('error', reject);
      outgoing.end(prepared.body);
    });
}

const posters = new Map<string, Post>();

serveCalls({
  load: async ({ file }: { file: string }) => {
    requests = (await readFile(file, 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as PreparedRequest);
    return requests.length;
  },
  /** POSTs requests[from, from + count) with `concurrency` in flight; the time is the child's own. */
  run: async ({ client, from, count, concurrency }: { client: 'got' | 'http'; from: number; count: number; concurrency: number }) => {
    const key = `${client}/${concurrency}`;
    let post = posters.get(key);
    if (!post) posters.set(key, (post = client === 'got' ? gotPoster(concurrency) : httpPoster(concurrency)));
    if (from + count > requests.length) throw new Error(`only ${requests.length} requests loaded`);
    let next = from;
    let ok = 0;
    let failed = 0;
    const startedAt = Date.now();
    const lane = async () => {
      while (next < from + count) {
        const status = await post(requests[next++]!);
        if (status >= 200 && status < 300) ok++;
        else failed++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    return { startedAt, endedAt: Date.now(), ok, failed };
  },
  /**
   * Offers requests[from, from + count) at a fixed rate: every 10 ms, sends what the rate owes
   * (at most `concurrency` in flight, the rest wait their turn). Returns each request's
   * webhook-id (the envelope id) with the time it was due to go out.
   */
  paced: async ({ client, from, count, rate, concurrency }: { client: 'got' | 'http'; from: number; count: number; rate: number; concurrency: number }) => {
    const key = `${client}/${concurrency}`;
    let post = posters.get(key);
    if (!post) posters.set(key, (post = client === 'got' ? gotPoster(concurrency) : httpPoster(concurrency)));
    const sentAt: Array<[string, number]> = [];
    const waiting: PreparedRequest[] = [];
    let inFlight = 0;
    let failed = 0;
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => (done = resolve));
    let answered = 0;
    const pump = () => {
      while (inFlight < concurrency && waiting.length > 0) {
        const request = waiting.shift()!;
        inFlight++;
        post(request)
          .then((status) => {
            if (status < 200 || status >= 300) failed++;
          }, () => failed++)
          .finally(() => {
            inFlight--;
            if (++answered === count) done();
            pump();
          });
      }
    };
    const started = Date.now();
    let due = 0;
    while (due < count) {
      const owed = Math.min(count, Math.floor(((Date.now() - started) / 1000) * rate));
      const at = Date.now();
      for (; due < owed; due++) {
        const request = requests[from + due]!;
        sentAt.push([request.headers['webhook-id'] ?? '', at]);
        waiting.push(request);
      }
      pump();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await finished;
    if (failed > 0) throw new Error(`${failed} paced requests were not answered 2xx`);
    return sentAt;
  },
});
