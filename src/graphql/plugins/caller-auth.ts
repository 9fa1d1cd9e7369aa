import { createHash, timingSafeEqual } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { digestPrefix, type ApiKey } from '../../config/api-keys.js';
import type { CallerAuth } from '../../config/config.js';
import type { Scope } from '../../config/scopes.js';
import type { RoutedContext } from '../../http/routes.js';
import { errorResponse, requestError } from '../errors.js';
import { recordFor } from '../request-record.js';
import { scopesOfJwt } from './jwt-scopes.js';

/** A JWT: three base64url parts. Anything else in `Authorization: Bearer` is taken as a static key. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * What the door concludes of a request: who the caller is (`caller`, for its budgets; `name`, for the
 * audit log) and what it may do, or what is wrong with its credentials.
 */
type Outcome = { caller: string; name: string; scopes: readonly Scope[] } | { problem: string };

/**
 * Compares a presented key with every configured digest, in constant time and without stopping
 * early; an accepted key's caller is named by its digest (a prefix: an identity, not a secret).
 */
function byKey(key: string, keys: readonly ApiKey[]): Outcome {
  const presented = createHash('sha256').update(key).digest();
  let match: ApiKey | undefined;
  for (const candidate of keys) if (timingSafeEqual(presented, candidate.digest)) match = candidate;
  if (!match) return { problem: 'the API key is not valid' };
  return { caller: `key:${digestPrefix(presented)}`, name: match.name, scopes: match.scopes };
}

/** Checks a request's credentials against AUTH_API_KEYS and AUTH_JWKS_URL (see callerAuthentication). */
function authenticator(auth: CallerAuth): (request: Request) => Promise<Outcome> {
  const jwks = auth.jwt
    ? createRemoteJWKSet(auth.jwt.jwksUrl, { cooldownDuration: 30_000, timeoutDuration: 5_000 })
    : undefined;
  const verifyOptions = {
    ...(auth.jwt?.issuer ? { issuer: auth.jwt.issuer } : {}),
    ...(auth.jwt?.audience ? { audience: auth.jwt.audience } : {}),
  };
  return async (request) => {
    const apiKey = request.headers.get('x-api-key');
    if (apiKey !== null) return byKey(apiKey, auth.apiKeys);
    // Forward mode: Authorization carries the caller's Atlas token, never their key for this service.
    if (!auth.bearer) return { problem: 'send `x-api-key: <key>` (Authorization carries your Atlas token to Atlas)' };
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    if (bearer === undefined) return { problem: 'send `Authorization: Bearer <token>` or `x-api-key: <key>`' };
    if (!jwks || !JWT_SHAPE.test(bearer)) return byKey(bearer, auth.apiKeys);
    try {
      const { payload } = await jwtVerify(bearer, jwks, verifyOptions);
      const subject = subjectOf(payload, bearer);
      // Each part encoded, so that no two (issuer, subject) pairs make the same id.
      const caller = `jwt:${encodeURIComponent(payload.iss ?? '-')}/${encodeURIComponent(subject)}`;
      return { caller, name: subject, scopes: scopesOfJwt(payload, auth.jwt?.scopesClaim) };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return { problem: `the token was refused (${typeof code === 'string' ? code : 'invalid'})` };
    }
  };
}

/**
 * Whom a JWT names: `sub`, else the client it was issued to (`azp`, `client_id`: machine tokens often
 * carry no `sub`), else the token itself (a digest): tokens that name nobody share nothing (budgets,
 * idempotency keys, audit identity).
 */
function subjectOf(payload: Record<string, unknown>, token: string): string {
  for (const claim of ['sub', 'azp', 'client_id']) {
    const value = payload[claim];
    if (typeof value === 'string' && value !== '') return claim === 'sub' ? value : `${claim}:${value}`;
  }
  return `token:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
}

/** A browser asking for the GraphiQL page: a GET that accepts HTML. */
const isGraphiQLPage = (request: Request) =>
  request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html');

/** A GraphQL error for a caller that is not authenticated; HTTP 401 whatever the response media type. */
const unauthenticatedError = (message: string) =>
  requestError('UNAUTHENTICATED', message, { headers: { 'www-authenticate': 'Bearer' } });

/**
 * Who may call: a static key (`Authorization: Bearer <key>` or `x-api-key`) from AUTH_API_KEYS, or
 * a JWT verified against AUTH_JWKS_URL (issuer and audience when set). In forward mode
 * (`auth.bearer` false) only `x-api-key`: Authorization is the caller's Atlas token, forwarded to Atlas.
 * An accepted caller's id, name and scopes go on the request record, for createContext.
 *
 * Enforced twice, at two depths. At the door: every request without an accepted caller gets HTTP
 * 401 `UNAUTHENTICATED` before its body is read (so before any parsing or upstream call), unless
 * the router (src/http/routes.ts) approved it for another endpoint (`/health`, `/readiness`,
 * `/metrics`, GraphiQL's assets) and Yoga sees it at that same path: a request the router did not
 * pass, or whose path Yoga computes differently, is authenticated. The GraphiQL page itself (GET
 * text/html on `graphqlPath`) loads without credentials, its requests need them. Where GraphQL
 * executes: every operation — whatever path, method, body type or operation type brought it there,
 * `_service` and `_entities` included — runs only for a request the door accepted; any other gets
 * `UNAUTHENTICATED` and no resolver runs.
 */
export function callerAuthentication(
  auth: CallerAuth,
  options: { graphqlPath: string; graphiql: boolean },
): CallerDoor | undefined {
  if (auth.apiKeys.length === 0 && !auth.jwt) return undefined;
  const authenticate = authenticator(auth);

  /** Requests whose caller the door accepted; execution looks here. */
  const accepted = new WeakSet<object>();
  /** Checks `request`'s credentials: accepted (undefined), or what is wrong with them. */
  const admit = async (request: Request): Promise<string | undefined> => {
    const outcome = await authenticate(request);
    if ('problem' in outcome) return outcome.problem;
    accepted.add(request);
    // Who the caller is, for its share of what callers share (see createContext) and the request
    // log; its name and scopes, for the schema's scope checks and the audit log.
    const record = recordFor(request);
    record.caller = outcome.caller;
    record.callerName = outcome.name;
    record.scopes = outcome.scopes;
    return undefined;
  };
  /** Lets an operation run only for an accepted request. */
  const gate = ({ args, setResultAndStopExecution }: GateHookArgs) => {
    // Yoga's context carries the request object the door saw (whatwg-node's, not necessarily the global Request class).
    const request = (args.contextValue as { request?: unknown } | null)?.request;
    if (typeof request === 'object' && request !== null && accepted.has(request)) return;
    setResultAndStopExecution({
      errors: [unauthenticatedError('Not authenticated: this request carries no accepted credentials.')],
    });
  };

  return {
    onRequest(payload) {
      const { request, url } = payload;
      const routed = (payload.serverContext as Partial<RoutedContext> | undefined)?.routedPath;
      // Only another endpoint the router approved, seen at that same path by Yoga, goes by without a caller.
      if (routed !== undefined && routed !== options.graphqlPath && url.pathname === routed) return undefined;
      // Yoga answers such a GET with the GraphiQL page and executes nothing (and the gate would stop it if it did).
      if (options.graphiql && routed === url.pathname && isGraphiQLPage(request)) return undefined;
      return admit(request).then((problem) => {
        if (problem !== undefined)
          payload.endResponse(errorResponse(unauthenticatedError(`Not authenticated: ${problem}.`)));
      });
    },
    onExecute: gate,
    onSubscribe: gate,
    admit,
  };
}

/**
 * The door as a Yoga plugin, and its check on its own: a WebSocket connection's `connectionParams`
 * (as headers of a request made for it) are admitted the same way, and the gate then lets that
 * request's operations run (ws-transport.ts).
 */
export type CallerDoor = Plugin & { admit: (request: Request) => Promise<string | undefined> };

/** What the gate needs of envelop's onExecute/onSubscribe arguments. */
interface GateHookArgs {
  args: { contextValue: unknown };
  setResultAndStopExecution: (result: { errors: GraphQLError[] }) => void;
}
