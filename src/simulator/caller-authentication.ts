import type { IncomingMessage, ServerResponse } from 'node:http';
import { SimApiError } from './api-error.js';
import type { DigestVerifier } from './digest-verifier.js';
import { streamEndlessly, type Responder } from './fault-answers.js';
import type { FaultInjector } from './faults.js';
import type { SimRoleGrant } from './roles.js';
import type { RouteRequest } from './route.js';
import type { SimulatorStats } from './server.js';
import type { TokenIssuer } from './token-issuer.js';

/** What the simulator checks callers against, and where it counts and answers. */
interface CallerAuthenticationDeps {
  /** Undefined: no API keys configured. */
  digest: DigestVerifier | undefined;
  tokens: TokenIssuer;
  /** Each API key's grants by public key. */
  keyRoles: Map<string, Readonly<Record<string, SimRoleGrant>> | undefined>;
  stats: SimulatorStats;
  faults: FaultInjector;
  sendError: Responder['sendError'];
}

/** Who is calling: HTTP Digest or a bearer token on every operation, and the token endpoint that issues them. */
export function callerAuthentication({ digest, tokens, keyRoles, stats, faults, sendError }: CallerAuthenticationDeps) {
  /**
   * Checks Digest or bearer credentials and returns the caller's roles (an API key's grants; none
   * otherwise, so the projects' defaults apply); on failure answers 401 itself and returns false.
   */
  const authenticate = (
    req: IncomingMessage,
    res: ServerResponse,
    rawUrl: string,
  ): Pick<RouteRequest, 'roles'> | false => {
    if (!digest && !tokens.enabled) return {};
    const authorization = req.headers.authorization;
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (bearer !== undefined && tokens.isValid(bearer)) return {};
    if (digest && bearer === undefined) {
      const verdict = digest.verify(req.method ?? 'GET', rawUrl, authorization);
      if (verdict.ok) return { roles: keyRoles.get(verdict.publicKey) };
      stats.challenges += 1;
      // Atlas answers a bad digest key with a pretty-printed body and no `parameters`.
      res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': digest.challenge(verdict.stale) });
      const { parameters: _unused, ...body } = new SimApiError(
        401,
        'UNEXPECTED_ERROR',
        'You are not authorized for this resource.',
      ).envelope();
      res.end(JSON.stringify(body, null, 2));
      return false;
    }
    stats.bearerRejections += 1;
    sendError(res, new SimApiError(401, 'UNAUTHORIZED', 'The access token is missing, invalid or expired.'));
    return false;
  };

  /** `POST /api/oauth/token`: client credentials in HTTP Basic, form body. */
  const serveToken = async (req: IncomingMessage, res: ServerResponse) => {
    stats.tokenRequests += 1;
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const fault = faults.take('createServiceAccountToken', true);
    if (fault?.kind === 'stream') {
      streamEndlessly(res, fault, 'application/json');
      return;
    }
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'Content-Type': fault.contentType ?? 'application/json', ...fault.headers });
      res.end(fault.rawBody ?? JSON.stringify(fault.body ?? { error: 'server_error' }));
      return;
    }
    const verdict = tokens.issue(req.headers.authorization, body);
    res.writeHead(verdict.ok ? 200 : verdict.status, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
    });
    res.end(
      JSON.stringify(
        verdict.ok
          ? { access_token: verdict.token, token_type: 'Bearer', expires_in: verdict.expiresIn }
          : { error: verdict.error, error_description: verdict.description },
      ),
    );
  };

  return { authenticate, serveToken };
}
