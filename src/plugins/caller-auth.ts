import { createHash, timingSafeEqual } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { CallerAuth } from '../config.js';

/** A JWT: three base64url parts. Anything else in `Authorization: Bearer` is taken as a static key. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Compares a presented key with every configured digest, in constant time and without stopping early. */
function keyMatches(key: string, digests: Buffer[]): boolean {
  const presented = createHash('sha256').update(key).digest();
  let match = false;
  for (const digest of digests) match = timingSafeEqual(presented, digest) || match;
  return match;
}

const unauthenticated = (message: string) =>
  new Response(JSON.stringify({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] }), {
    status: 401,
    headers: { 'content-type': 'application/graphql-response+json; charset=utf-8', 'www-authenticate': 'Bearer' },
  });

/**
 * Who may call: a static key (`Authorization: Bearer <key>` or `x-api-key`) from AUTH_API_KEYS, or
 * a JWT verified against AUTH_JWKS_URL (issuer and audience when set). Anything else on `/graphql`
 * gets HTTP 401 with `UNAUTHENTICATED` before parsing, so before any upstream call. The GraphiQL
 * page itself (GET text/html) and its assets load without credentials; its requests need them.
 */
export function callerAuthentication(auth: CallerAuth, graphiqlEnabled: boolean): Plugin | undefined {
  if (auth.apiKeyDigests.length === 0 && !auth.jwt) return undefined;
  const jwks = auth.jwt ? createRemoteJWKSet(auth.jwt.jwksUrl, { cooldownDuration: 30_000, timeoutDuration: 5_000 }) : undefined;
  const verifyOptions = {
    ...(auth.jwt?.issuer ? { issuer: auth.jwt.issuer } : {}),
    ...(auth.jwt?.audience ? { audience: auth.jwt.audience } : {}),
  };

  const authenticate = async (request: Request): Promise<string | undefined> => {
    const apiKey = request.headers.get('x-api-key');
    if (apiKey !== null) return keyMatches(apiKey, auth.apiKeyDigests) ? undefined : 'the API key is not valid';
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    if (bearer === undefined) return 'send `Authorization: Bearer <token>` or `x-api-key: <key>`';
    if (jwks && JWT_SHAPE.test(bearer)) {
      try {
        await jwtVerify(bearer, jwks, verifyOptions);
        return undefined;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        return `the token was refused (${typeof code === 'string' ? code : 'invalid'})`;
      }
    }
    return keyMatches(bearer, auth.apiKeyDigests) ? undefined : 'the API key is not valid';
  };

  return {
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== '/graphql') return undefined;
      // Yoga answers such a GET with the GraphiQL page and executes nothing.
      if (graphiqlEnabled && request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html')) return undefined;
      return authenticate(request).then((problem) => {
        if (problem) endResponse(unauthenticated(`Not authenticated: ${problem}.`));
      });
    },
  };
}
