import { Pool } from 'undici';
import { z } from 'zod';
import { Secret } from '../support/secret.js';
import type { AtlasAuth } from './auth.js';
import { AtlasCredentialsError, AtlasInvalidBodyError } from './errors.js';
import { readBody } from './response-body.js';
import { parseJson, upstreamText } from './upstream-text.js';

/** Longest access token accepted (Atlas's are JWTs of about a kilobyte; a forwarded one may have 8 KiB too). */
const MAX_ACCESS_TOKEN_LENGTH = 8192;

/** `POST /api/oauth/token` answer (RFC 6749 §5.1). */
const tokenResponseSchema = z.object({
  access_token: z.string().min(1).max(MAX_ACCESS_TOKEN_LENGTH),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().positive(),
});

/** RFC 6749 §5.2 error body; only the code is kept, and only when it looks like one. */
const tokenErrorSchema = z.object({ error: z.string().regex(/^[a-z_]{1,64}$/) });

/** Options of the service-account token source. */
export interface ServiceAccountAuthOptions {
  /** The Atlas origin; the token endpoint is `/api/oauth/token` on it. */
  baseUrl: URL;
  clientId: string;
  clientSecret: Secret;
  userAgent: string;
  /** Deadline of one token request (ATLAS_TIMEOUT_MS). */
  timeoutMs: number;
  now?: () => number;
}

const OPERATION = 'createServiceAccountToken';

/** Largest token endpoint answer read: a token response is a few hundred bytes. */
const MAX_TOKEN_BODY_BYTES = 64 * 1024;

/**
 * OAuth 2.0 client credentials for an Atlas service account: one token is fetched for any number
 * of concurrent callers (single flight), cached until shortly before it expires, and dropped and
 * fetched again when Atlas answers 401 to it.
 */
export class ServiceAccountAuth implements AtlasAuth {
  readonly #options: ServiceAccountAuthOptions;
  readonly #pool: Pool;
  readonly #now: () => number;
  #token: { header: string; refreshAt: number } | undefined;
  /**
   * The current access token and the one before it, held as Secrets so that logs and Atlas text
   * (an echoed `Authorization`) are scrubbed of them; calls may still carry the previous one.
   */
  #tokenSecrets: Secret[] = [];
  #pending: Promise<string> | undefined;
  /** How many tokens were fetched; for logs and tests. */
  tokensFetched = 0;

  constructor(options: ServiceAccountAuthOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#pool = new Pool(options.baseUrl.origin, { connections: 2, keepAliveTimeout: 10_000 });
  }

  authorize(): Promise<string> {
    const token = this.#token;
    if (token && this.#now() < token.refreshAt) return Promise.resolve(token.header);
    this.#pending ??= this.#fetchToken().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  onResponse(
    status: number | undefined,
    _wwwAuthenticate: string | undefined,
    sentAuthorization: string | undefined,
  ): boolean {
    if (status !== 401 || sentAuthorization === undefined) return false;
    // Drop the refused token, unless a concurrent caller already replaced it.
    if (this.#token?.header === sentAuthorization) this.#token = undefined;
    return true;
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  async #fetchToken(): Promise<string> {
    const { clientId, clientSecret, userAgent, timeoutMs } = this.#options;
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret.reveal())}`).toString(
      'base64',
    );
    let status: number;
    let text: string;
    try {
      const response = await this.#pool.request({
        method: 'POST',
        path: '/api/oauth/token',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          'user-agent': userAgent,
        },
        body: 'grant_type=client_credentials',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.statusCode;
      text = await readBody(OPERATION, response.body, MAX_TOKEN_BODY_BYTES);
    } catch (error) {
      const explanation =
        error instanceof AtlasInvalidBodyError
          ? `the Atlas token endpoint answered with more than ${MAX_TOKEN_BODY_BYTES} bytes`
          : 'the Atlas token endpoint could not be reached';
      throw new AtlasCredentialsError(OPERATION, 'unavailable', explanation);
    }
    const json = parseJson(text).value;
    if (status === 400 || status === 401) {
      const code = tokenErrorSchema.safeParse(json);
      const detail = code.success ? ` (${upstreamText(code.data.error)})` : '';
      throw new AtlasCredentialsError(
        OPERATION,
        'rejected',
        `the Atlas token endpoint refused the service account credentials${detail}`,
      );
    }
    const parsed = tokenResponseSchema.safeParse(json);
    if (status !== 200 || !parsed.success) {
      throw new AtlasCredentialsError(OPERATION, 'unavailable', `the Atlas token endpoint failed (HTTP ${status})`);
    }
    const lifetimeMs = parsed.data.expires_in * 1000;
    // Refresh early: 10 % of the lifetime, at most a minute, so no call carries a token about to lapse.
    const header = `Bearer ${parsed.data.access_token}`;
    this.#tokenSecrets.push(new Secret(parsed.data.access_token));
    if (this.#tokenSecrets.length > 2) this.#tokenSecrets.shift()?.forget();
    this.#token = { header, refreshAt: this.#now() + lifetimeMs - Math.min(60_000, lifetimeMs * 0.1) };
    this.tokensFetched += 1;
    return header;
  }
}
