import { createHash } from 'node:crypto';
import { AtlasCredentialsError } from './errors.js';
import { Secret } from '../support/secret.js';
import { digestAuthorization, parseDigestChallenge, type DigestChallenge } from './digest.js';

/**
 * Puts credentials on an upstream request. The client asks for a header before each attempt and,
 * after a 401, asks whether a second attempt with fresh credentials is worth making.
 */
export interface AtlasAuth {
  /** The `Authorization` value for this request, or undefined to send none. */
  authorize(method: string, path: string): Promise<string | undefined>;
  /**
   * Called after every attempt with its status (undefined when it failed before a response) and,
   * on a 401, the `WWW-Authenticate` header; true when one more attempt with fresh credentials can
   * succeed. Throws an AtlasCredentialsError when the challenge cannot be answered (too long to read).
   */
  onResponse(
    status: number | undefined,
    wwwAuthenticate: string | undefined,
    sentAuthorization: string | undefined,
  ): boolean;
  /**
   * Whose calls these are when they are not the server's own credentials (forward mode: a digest of
   * the caller's token, never the token): rate budgets are kept apart per identity.
   */
  readonly identity?: string;
}

/**
 * Holds as a Secret the part of an `Authorization` value we send that lets its holder act as us (the
 * bearer token, or the Digest `response`, good for its nonce), so that Atlas text echoing it and log
 * lines are scrubbed of it until the caller forgets it; undefined when there is none.
 */
export function holdSentCredential(authorization: string | undefined): Secret | undefined {
  if (authorization === undefined) return undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  const credential = bearer ?? /^Digest\s.*\bresponse="([0-9a-f]+)"/i.exec(authorization)?.[1];
  return credential === undefined ? undefined : new Secret(credential);
}

/** For an upstream that needs no credentials (a simulator run without keys). */
export const noAuth: AtlasAuth = {
  authorize: () => Promise.resolve(undefined),
  onResponse: () => false,
};

/**
 * HTTP Digest with an Atlas API key pair. The server nonce is reused with an incrementing `nc`
 * instead of paying a challenge round-trip per call; the first challenge is fetched once for all
 * concurrent callers; `stale=true` (or a new nonce) refreshes it.
 */
export class DigestAuth implements AtlasAuth {
  #challenge: DigestChallenge | undefined;
  #nonceCount = 0;
  #priming: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(
    private readonly publicKey: string,
    private readonly privateKey: Secret,
  ) {}

  async authorize(method: string, path: string): Promise<string | undefined> {
    if (!this.#challenge) {
      if (!this.#priming) {
        // This request goes out bare to fetch the challenge; the others wait for it.
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        this.#priming = { promise, resolve };
        return undefined;
      }
      await this.#priming.promise;
      if (!this.#challenge) return undefined;
    }
    const challenge = this.#challenge;
    this.#nonceCount += 1;
    try {
      return digestAuthorization({
        username: this.publicKey,
        password: this.privateKey.reveal(),
        method,
        uri: path,
        challenge,
        nc: this.#nonceCount,
      });
    } catch (error) {
      // An algorithm we cannot sign with: forget the challenge, so a later call asks Atlas afresh.
      if (this.#challenge === challenge) this.#challenge = undefined;
      throw error;
    }
  }

  onResponse(
    status: number | undefined,
    wwwAuthenticate: string | undefined,
    sentAuthorization: string | undefined,
  ): boolean {
    const challenge = status === 401 ? this.#readChallenge(wwwAuthenticate) : undefined;
    if (!challenge) {
      this.#releasePriming();
      return false;
    }
    this.#setChallenge(challenge);
    if (sentAuthorization === undefined) return true;
    // A signed request was refused: worth a retry only when the nonce, not the key, was the problem.
    const sentNonce = /nonce="([^"]*)"/.exec(sentAuthorization)?.[1];
    return challenge.stale || sentNonce !== challenge.nonce;
  }

  /** The challenge of a 401; one that cannot be read lets the callers waiting for a challenge go before it throws. */
  #readChallenge(wwwAuthenticate: string | undefined): DigestChallenge | undefined {
    try {
      return parseDigestChallenge(wwwAuthenticate);
    } catch (error) {
      this.#releasePriming();
      throw error;
    }
  }

  #setChallenge(challenge: DigestChallenge): void {
    if (this.#challenge?.nonce !== challenge.nonce) this.#nonceCount = 0;
    this.#challenge = challenge;
    this.#releasePriming();
  }

  #releasePriming(): void {
    const priming = this.#priming;
    this.#priming = undefined;
    priming?.resolve();
  }
}

/** An RFC 6750 bearer token: nothing that could break out of the header. */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Forward mode: the caller's own Atlas access token, for one GraphQL request only. A 401 is final
 * (we cannot refresh someone else's token).
 */
export function forwardedBearerAuth(authorizationHeader: string | null): AtlasAuth {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorizationHeader ?? '')?.[1];
  if (token === undefined || token.length > 8192 || !BEARER_TOKEN.test(token)) {
    return {
      authorize: () =>
        Promise.reject(
          new AtlasCredentialsError(
            'forwardedBearerToken',
            'missing',
            'this server forwards your Atlas access token: send `Authorization: Bearer <token>`',
          ),
        ),
      onResponse: () => false,
      // Its calls never leave; they count apart from every real token's.
      identity: 'no-token',
    };
  }
  const header = `Bearer ${token}`;
  const identity = createHash('sha256').update(token).digest('base64url').slice(0, 22);
  return { authorize: () => Promise.resolve(header), onResponse: () => false, identity };
}
