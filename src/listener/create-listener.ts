import { setMaxListeners } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeWebhookSecret, verifyWebhook } from '../notify/signing.js';
import { mergeBehaviour, validateBehaviour } from './behaviour.js';
import { decideResponse, type DecisionContext } from './decide-response.js';
import { summarizeEnvelope } from './envelope.js';
import { RequestLedger } from './ledger.js';
import { createPrng } from './prng.js';
import { profileRules } from './profiles.js';
import { readBody, type BodyResult } from './read-body.js';
import { RecordWriter } from './record-writer.js';
import { formatRequestLine } from './request-line.js';
import type { ListenerBehaviour, ListenerOptions, RunningListener } from './types.js';

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
// Longer than common client agents keep idle sockets, so a client never reuses a socket we just closed.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Starts a webhook receiver on loopback (by default) for demos, tests, QA and benchmarks. */
export async function createListener(options: ListenerOptions = {}): Promise<RunningListener> {
  const profile = options.profile ?? 'generic';
  if (profile !== 'xdr' && profile !== 'generic') throw new Error(`unknown profile "${String(profile)}": use xdr or generic`);
  validateBehaviour(options);
  if (options.secret !== undefined) decodeWebhookSecret(options.secret);
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? 1;
  const secret = options.secret;

  let behaviour: ListenerBehaviour = pickBehaviour(options);
  let nextFailureDraw = createPrng(seed);
  const context: Omit<DecisionContext, 'behaviour'> = {
    rules: profileRules(profile, options.apiKey),
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    verifySignature: secret === undefined ? undefined : (headers, body) => verifyWebhook(secret, headers, body),
  };
  const ledger = new RequestLedger();
  const recorder = options.recordFile === undefined ? undefined : await RecordWriter.open(options.recordFile);
  const log = options.quiet ? undefined : (options.log ?? ((line: string) => void process.stdout.write(line + '\n')));
  const shutdown = new AbortController();
  // Every request delayed by latencyMs waits on this signal: many at once is normal, not a leak.
  setMaxListeners(0, shutdown.signal);

  async function answerWebhook(request: IncomingMessage, response: ServerResponse, path: string, query: Record<string, string>): Promise<void> {
    const arrivedAt = new Date();
    const failureDraw = nextFailureDraw();
    const current = behaviour;
    let body: BodyResult;
    try {
      body = await readBody(request, context.maxBodyBytes);
    } catch {
      return; // the client went away: there is no one to answer
    }
    const json = body.tooLarge ? undefined : parseJson(body.body);
    const method = request.method ?? 'GET';
    const verdict = decideResponse(
      { method, head: { query, headers: request.headers }, body, json, failureDraw },
      { ...context, behaviour: current },
    );
    if (current.latencyMs) {
      try {
        await sleep(current.latencyMs, undefined, { signal: shutdown.signal });
      } catch {
        return; // closing
      }
    }

    const envelope = summarizeEnvelope(json);
    const received = ledger.record({
      time: arrivedAt.toISOString(),
      method,
      path,
      query,
      headers: flattenHeaders(request.headers),
      body: body.tooLarge ? '' : body.body,
      ...(json === undefined ? {} : { json }),
      status: verdict.status,
      envelopeId: envelope.envelopeId,
      detailType: envelope.detailType,
    });
    recorder?.write(received, { detailType: envelope.detailType, bytes: body.bytes, reason: verdict.reason });
    log?.(formatRequestLine(arrivedAt, { ...received, ...envelope, reason: verdict.reason }));

    const extraHeaders: Record<string, string> = {};
    if (current.retryAfterSeconds !== undefined && (verdict.status === 429 || verdict.status === 503)) {
      extraHeaders['retry-after'] = String(current.retryAfterSeconds);
    }
    // The rest of a too-large body was never read, so this connection cannot carry another request.
    if (body.tooLarge) extraHeaders.connection = 'close';
    if (verdict.status === 405) extraHeaders.allow = 'POST';
    sendJson(response, verdict.status, verdict.body, extraHeaders);
  }

  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, (request, response) => {
    const { path, query } = splitUrl(request.url ?? '/');
    if (request.method === 'GET' && path === '/healthz') return sendJson(response, 200, { ok: true });
    if (request.method === 'GET' && path === '/stats') return sendJson(response, 200, ledger.stats());
    answerWebhook(request, response, path, query).catch((error: unknown) => {
      log?.(`listener error: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) sendJson(response, 500, { error: 'listener error' });
    });
  });

  const port = await listen(server, options.port ?? 0, host);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    stats: () => ledger.stats(),
    requests: () => ledger.requests(),
    envelopeIds: () => ledger.envelopeIds(),
    reset() {
      ledger.reset();
      nextFailureDraw = createPrng(seed);
    },
    setBehaviour(partial) {
      behaviour = mergeBehaviour(behaviour, partial);
    },
    close() {
      closing ??= (async () => {
        shutdown.abort();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await recorder?.close();
      })();
      return closing;
    },
  };
}

function pickBehaviour(options: ListenerOptions): ListenerBehaviour {
  const { failRate, latencyMs, status, retryAfterSeconds } = options;
  return { failRate, latencyMs, status, retryAfterSeconds };
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const why = error.code === 'EADDRINUSE' ? 'address already in use' : error.message;
      reject(new Error(`cannot listen on ${host}:${port}: ${why}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function splitUrl(url: string): { path: string; query: Record<string, string> } {
  const mark = url.indexOf('?');
  if (mark < 0) return { path: url, query: {} };
  return { path: url.slice(0, mark), query: Object.fromEntries(new URLSearchParams(url.slice(mark + 1))) };
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}
