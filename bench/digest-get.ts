import { Pool } from 'undici';
import { DigestAuth } from '../src/atlas/auth.js';
import { Secret } from '../src/support/secret.js';

/** An Atlas answer as it came: status and body text. */
export interface DigestAnswer {
  status: number;
  body: string;
}

/**
 * The least a client can do for an Atlas GET, shared by the benchmark's comparison servers (the
 * pass-through, the naive Yoga server): one keep-alive undici pool of 128 connections, HTTP Digest
 * with nonce reuse, one retry after a challenge.
 */
export function digestGetter(
  origin: string,
  publicKey: string,
  privateKey: string,
): (path: string) => Promise<DigestAnswer> {
  const auth = new DigestAuth(publicKey, new Secret(privateKey));
  const pool = new Pool(origin, { connections: 128, keepAliveTimeout: 30_000 });
  return async (path) => {
    for (let attempt = 0; ; attempt += 1) {
      const authorization = await auth.authorize('GET', path);
      const response = await pool.request({
        method: 'GET',
        path,
        headers: { accept: 'application/vnd.atlas.2023-01-01+json', ...(authorization ? { authorization } : {}) },
      });
      const body = await response.body.text();
      const challenge = response.headers['www-authenticate'];
      const retry = auth.onResponse(
        response.statusCode,
        Array.isArray(challenge) ? challenge[0] : challenge,
        authorization,
      );
      if (!retry || attempt > 0) return { status: response.statusCode, body };
    }
  };
}
