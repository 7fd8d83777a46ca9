import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a scripted receiver saw it. */
export interface ReceivedCall {
  /** Date.now() when the whole body had arrived. */
  at: number;
  /** Date.now() when the answer was sent (after any delay). */
  answeredAt?: number;
  method: string;
  /** path and query exactly as sent */
  rawUrl: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** the exact body bytes */
  body: Buffer;
  json?: any;
  envelopeId?: string;
  status?: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (a stalling receiver). */
  delayMs?: number;
}

export type Script = (call: ReceivedCall, index: number) => Reply | Promise<Reply>;

export interface ScriptedReceiver {
  url: string;
  port: number;
  calls: ReceivedCall[];
  /** Calls answered 2xx. */
  accepted(): ReceivedCall[];
  setScript(script: Script): void;
  close(): Promise<void>;
}

export const ok: Script = () => ({ status: 200, body: '{"ok":true}' });

/**
 * A webhook receiver on 127.0.0.1 (port 0) whose every answer comes from `script`, recording
 * each request with its arrival time and exact body. Closing ends stalled requests at once.
 */
export async function startReceiver(script: Script = ok): Promise<ScriptedReceiver> {
  let current = script;
  const calls: ReceivedCall[] = [];
  const stalls = new Set<NodeJS.Timeout>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const rawUrl = request.url ?? '/';
      const parsed = new URL(rawUrl, 'http://receiver.invalid');
      const call: ReceivedCall = {
        at: Date.now(),
        method: request.method ?? '',
        rawUrl,
        path: parsed.pathname,
        query: Object.fromEntries(parsed.searchParams),
        headers: request.headers,
        body,
        json: parseJson(body),
      };
      call.envelopeId = typeof call.json?.id === 'string' ? call.json.id : undefined;
      calls.push(call);
      void Promise.resolve(current(call, calls.length - 1)).then((reply) => {
        const send = () => answer(response, call, reply);
        if (!reply.delayMs) return send();
        const timer = setTimeout(() => {
          stalls.delete(timer);
          send();
        }, reply.delayMs);
        stalls.add(timer);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    calls,
    accepted: () => calls.filter((call) => call.status !== undefined && call.status >= 200 && call.status < 300),
    setScript(next) {
      current = next;
    },
    async close() {
      for (const timer of stalls) clearTimeout(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function answer(response: ServerResponse, call: ReceivedCall, reply: Reply): void {
  if (response.destroyed) return; // the client gave up (timeout)
  call.status = reply.status;
  call.answeredAt = Date.now();
  const body = reply.body ?? JSON.stringify({ status: reply.status });
  response.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...reply.headers });
  response.end(body);
}

function parseJson(body: Buffer): any {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
