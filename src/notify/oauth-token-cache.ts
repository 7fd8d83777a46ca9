import type { Got } from 'got';
import type { TargetConfig } from '../config/schema.js';

type OAuthAuth = Extract<TargetConfig['auth'], { type: 'oauthClientCredentials' }>;

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Refresh this long before the server's expiry, so a token never dies in flight. */
const EXPIRY_MARGIN_MS = 30_000;
const DEFAULT_LIFETIME_S = 3600;

/**
 * OAuth 2.0 client-credentials tokens, one per target: fetched once, shared by every
 * concurrent delivery (a single in-flight request), cached until expiry, dropped on a 401.
 */
export class OAuthTokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<string>>();
  /** Token requests made, per target (tests and `targets` read it). */
  readonly fetches = new Map<string, number>();

  constructor(private readonly http: Got) {}

  async token(targetId: string, auth: OAuthAuth): Promise<string> {
    const cached = this.tokens.get(targetId);
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    let request = this.pending.get(targetId);
    if (!request) {
      request = this.fetchToken(targetId, auth).finally(() => this.pending.delete(targetId));
      this.pending.set(targetId, request);
    }
    return request;
  }

  /**
   * Drops the target's token after a 401. With `rejected` (the token the 401 answered), only
   * that token is dropped: a late 401 for an old token must not throw away a fresh one.
   */
  invalidate(targetId: string, rejected?: string): void {
    if (rejected !== undefined && this.tokens.get(targetId)?.token !== rejected) return;
    this.tokens.delete(targetId);
  }

  private async fetchToken(targetId: string, auth: OAuthAuth): Promise<string> {
    this.fetches.set(targetId, (this.fetches.get(targetId) ?? 0) + 1);
    const form: Record<string, string> = { grant_type: 'client_credentials', ...(auth.scope ? { scope: auth.scope } : {}), ...(auth.params ?? {}) };
    const response = await this.http.post(auth.tokenUrl, {
      form,
      username: auth.clientId,
      password: auth.clientSecret,
      throwHttpErrors: false,
      retry: { limit: 0 },
      timeout: { request: 10_000 },
      headers: { accept: 'application/json' },
    });
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw new OAuthTokenError(`token request to ${auth.tokenUrl} answered HTTP ${response.statusCode}`);
    }
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(response.body) as typeof body;
    } catch {
      throw new OAuthTokenError(`token response from ${auth.tokenUrl} is not JSON`);
    }
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new OAuthTokenError(`token response from ${auth.tokenUrl} has no access_token`);
    }
    const lifetimeS = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_LIFETIME_S;
    this.tokens.set(targetId, { token: body.access_token, expiresAt: Date.now() + Math.max(lifetimeS * 1000 - EXPIRY_MARGIN_MS, 1000) });
    return body.access_token;
  }
}

export class OAuthTokenError extends Error {}
