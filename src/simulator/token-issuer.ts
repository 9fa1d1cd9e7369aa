import { randomBytes } from 'node:crypto';

/** A service account the simulator accepts at its token endpoint. */
export interface SimServiceAccount {
  clientId: string;
  clientSecret: string;
}

type TokenVerdict =
  { ok: true; token: string; expiresIn: number } | { ok: false; status: number; error: string; description: string };

/**
 * The simulator's `POST /api/oauth/token` (client credentials, HTTP Basic) and the check of the
 * bearer tokens it issued. Lifetimes are short and settable so that tests see real expiry.
 */
export class TokenIssuer {
  readonly #accounts: Map<string, string>;
  readonly #tokens = new Map<string, number>();
  /** Lifetime of new tokens, in seconds (Atlas: 3600). */
  lifetimeSeconds: number;
  issued = 0;

  constructor(accounts: SimServiceAccount[], lifetimeSeconds = 3600) {
    this.#accounts = new Map(accounts.map((a) => [a.clientId, a.clientSecret]));
    this.lifetimeSeconds = lifetimeSeconds;
  }

  /** Handles one token request from its `Authorization` header and form body. */
  issue(authorization: string | undefined, body: string): TokenVerdict {
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '')?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent) : [];
    if (!id || this.#accounts.get(id) !== secret) {
      return { ok: false, status: 401, error: 'invalid_client', description: 'Invalid client credentials.' };
    }
    if (new URLSearchParams(body).get('grant_type') !== 'client_credentials') {
      return {
        ok: false,
        status: 400,
        error: 'unsupported_grant_type',
        description: 'Only client_credentials is supported.',
      };
    }
    const token = randomBytes(32).toString('base64url');
    this.#tokens.set(token, Date.now() + this.lifetimeSeconds * 1000);
    this.issued += 1;
    return { ok: true, token, expiresIn: this.lifetimeSeconds };
  }

  /** Whether `token` was issued here and has not expired or been revoked. */
  isValid(token: string): boolean {
    const expiresAt = this.#tokens.get(token);
    return expiresAt !== undefined && Date.now() < expiresAt;
  }

  /** Invalidates every token issued so far (as a secret rotation would). */
  revokeAll(): void {
    this.#tokens.clear();
  }

  get enabled(): boolean {
    return this.#accounts.size > 0;
  }
}
