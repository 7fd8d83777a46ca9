import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One token request as the token endpoint saw it. */
export interface TokenRequest {
  at: number;
  method: string;
  path: string;
  contentType?: string;
  /** Basic credentials decoded, split at the first ":" */
  basic?: { username: string; password: string };
  form: Record<string, string>;
  /** the token handed out */
  token: string;
}

export interface TokenServer {
  tokenUrl: string;
  requests: TokenRequest[];
  close(): Promise<void>;
}

/**
 * A minimal OAuth 2.0 client-credentials token endpoint (RFC 6749 4.4) on 127.0.0.1:
 * answers token-1, token-2, ... after `delayMs`, so concurrent callers overlap one fetch.
 */
export async function startTokenServer(options: { delayMs?: number; expiresIn?: number } = {}): Promise<TokenServer> {
  const requests: TokenRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const token = `token-${requests.length + 1}`;
      requests.push({
        at: Date.now(),
        method: request.method ?? '',
        path: request.url ?? '',
        contentType: request.headers['content-type'],
        basic: decodeBasic(request.headers.authorization),
        form: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))),
        token,
      });
      const body = JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: options.expiresIn ?? 3600 });
      setTimeout(() => {
        response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        response.end(body);
      }, options.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    tokenUrl: `http://127.0.0.1:${port}/oauth2/token`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function decodeBasic(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic (.+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
