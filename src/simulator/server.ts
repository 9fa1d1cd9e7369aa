import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_ERROR_CODES, SimApiError } from './api-error.js';
import { DigestVerifier, type SimApiKey } from './digest-verifier.js';
import { FaultInjector, type Fault } from './faults.js';
import { attachCloudBackups } from './cloud-backup-seed.js';
import { negotiate, type RateLimitBucket, type Route, type RouteRequest } from './route.js';
import { routes } from './routes.js';
import { createSeedProjects, type SimProject } from './seed.js';
import { TokenIssuer, type SimServiceAccount } from './token-issuer.js';

/** Options of one simulator instance. */
export interface AtlasSimulatorOptions {
  /** @default 127.0.0.1 */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** Keys accepted with HTTP Digest; none means no authentication is asked for. */
  apiKeys?: SimApiKey[];
  /** Lifetime of a digest nonce before it goes stale. @default 300000 */
  nonceLifetimeMs?: number;
  /** The `algorithm` of Digest challenges (RFC 7616: MD5, SHA-256, SHA-512-256, each also `-sess`). @default MD5 */
  digestAlgorithm?: string;
  /** Service accounts accepted at `POST /api/oauth/token`; their bearer tokens are accepted on every operation. */
  serviceAccounts?: SimServiceAccount[];
  /** Lifetime of issued access tokens, in seconds. @default 3600 */
  tokenLifetimeSeconds?: number;
  /** Answer the serverless backup operations as retired (410 VERSION_GONE). @default false */
  serverlessSunset?: boolean;
  /** Seed the benchmark's 5,000-snapshot serverless instance too (see seed.ts). @default false */
  benchData?: boolean;
  /**
   * Serve `/__simulator/stats`, `/__simulator/reset` and `/__simulator/latency?ms=N`, for a simulator
   * in another process (the benchmark). Off by default.
   */
  controlApi?: boolean;
  /** `RateLimit-Limit` per minute (as observed on the flex backup endpoints). @default 1200 */
  rateLimit?: number;
  /** `RateLimit-Limit` of the cluster endpoints, a separate bucket (observed, README §10.5). @default 10000 */
  clusterRateLimit?: number;
}

/** What the simulator saw; tests assert on these counts. */
export interface SimulatorStats {
  /** Every HTTP request received, challenges included. */
  requests: number;
  /** 401 Digest challenges sent. */
  challenges: number;
  /** 401s sent for a missing, unknown or expired bearer token. */
  bearerRejections: number;
  /** Requests to the token endpoint. */
  tokenRequests: number;
  /** Authenticated requests per operation (the "upstream calls" of a query). */
  byOperation: Record<string, number>;
  /** Requests being served right now, and the most at once since the last reset. */
  inFlight: number;
  maxInFlight: number;
  /** Requests whose client closed the connection before the response was complete. */
  clientAborts: number;
  /** TCP connections accepted: keep-alive keeps this small. */
  connections: number;
  /** When each authenticated operation call arrived (ms since the epoch), the latest 10,000. */
  callTimes: number[];
  /** The last authenticated operation call: its raw path and the headers that matter to Atlas. */
  lastCall:
    | {
        path: string;
        accept: string | undefined;
        userAgent: string | undefined;
        headers: Record<string, string | string[] | undefined>;
      }
    | undefined;
}

/** A running simulator. */
export interface AtlasSimulator {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly stats: SimulatorStats;
  readonly faults: FaultInjector;
  /** The token endpoint: lifetime of new tokens, count issued, revocation. */
  readonly tokens: TokenIssuer;
  /** Whether the serverless backup operations answer as retired; tests may flip it. */
  serverlessSunset: boolean;
  /** The live data; tests may add or change snapshots. */
  readonly projects: Map<string, SimProject>;
  /** Authenticated calls over all operations. */
  upstreamCalls(): number;
  /** Zeroes the counters and clears every fault. */
  reset(): void;
  close(): Promise<void>;
}

const emptyStats = (): SimulatorStats => ({
  requests: 0,
  challenges: 0,
  bearerRejections: 0,
  tokenRequests: 0,
  byOperation: {},
  inFlight: 0,
  maxInFlight: 0,
  clientAborts: 0,
  connections: 0,
  callTimes: [],
  lastCall: undefined,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts an Atlas simulator: a real HTTP server that serves the backup operations as the spec describes them. */
export async function startAtlasSimulator(options: AtlasSimulatorOptions = {}): Promise<AtlasSimulator> {
  const stats = emptyStats();
  const faults = new FaultInjector();
  const projects = attachCloudBackups(createSeedProjects({ benchData: options.benchData ?? false }));
  const digest = options.apiKeys?.length
    ? new DigestVerifier(options.apiKeys, options.nonceLifetimeMs, options.digestAlgorithm)
    : undefined;
  const tokens = new TokenIssuer(options.serviceAccounts ?? [], options.tokenLifetimeSeconds);
  const limits: Record<RateLimitBucket, number> = {
    backup: options.rateLimit ?? 1200,
    cluster: options.clusterRateLimit ?? 10_000,
  };
  const windows = { backup: { start: Date.now(), count: 0 }, cluster: { start: Date.now(), count: 0 } };
  const keyRoles = new Map((options.apiKeys ?? []).map((key) => [key.publicKey, key.roles]));
  let origin = '';

  const rateLimitHeaders = (bucket: RateLimitBucket = 'backup') => {
    const window = windows[bucket];
    if (Date.now() - window.start > 60_000) Object.assign(window, { start: Date.now(), count: 0 });
    window.count += 1;
    return {
      'RateLimit-Limit': String(limits[bucket]),
      'RateLimit-Remaining': String(Math.max(0, limits[bucket] - window.count)),
    };
  };

  const sendError = (
    res: ServerResponse,
    error: SimApiError,
    extra: Record<string, string> = {},
    pretty = false,
    bucket: RateLimitBucket = 'backup',
  ) => {
    const body = JSON.stringify(error.envelope(), null, pretty ? 2 : undefined);
    res.writeHead(error.status, {
      'Content-Type': 'application/json',
      'X-Error-Code': error.errorCode,
      ...rateLimitHeaders(bucket),
      ...extra,
    });
    res.end(body);
  };

  /** Writes `fault.chunk` until the client goes away: an endless body, paced by the client's reading or `intervalMs`. */
  const streamEndlessly = (res: ServerResponse, fault: Extract<Fault, { kind: 'stream' }>, contentType: string) => {
    let closed = false;
    res.once('close', () => (closed = true));
    res.writeHead(fault.status ?? 200, { 'Content-Type': fault.contentType ?? contentType });
    if (fault.prefix) res.write(fault.prefix);
    const pump = () => {
      while (!closed) {
        if (!res.write(fault.chunk)) {
          res.once('drain', pump);
          return;
        }
        if (fault.intervalMs) {
          setTimeout(pump, fault.intervalMs);
          return;
        }
      }
    };
    pump();
  };

  const applyFault = (req: IncomingMessage, res: ServerResponse, fault: Fault, route: Route, body: () => string) => {
    switch (fault.kind) {
      case 'stream':
        streamEndlessly(res, fault, `${route.mediaType};charset=utf-8`);
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return;
      case 'echo-authorization': {
        const code = DEFAULT_ERROR_CODES[fault.status] ?? 'UNEXPECTED_ERROR';
        const detail = `Authorization: ${req.headers.authorization ?? '(none)'}`;
        sendError(res, new SimApiError(fault.status, code, detail), undefined, false, route.rateLimitBucket);
        return;
      }
      case 'reset-mid-body': {
        const text = body();
        res.writeHead(200, {
          'Content-Type': `${route.mediaType};charset=utf-8`,
          'Content-Length': String(Buffer.byteLength(text)),
        });
        res.write(text.slice(0, Math.floor(text.length / 2)), () => req.socket.destroy());
        return;
      }
      case 'status': {
        if (fault.rawBody !== undefined || fault.body !== undefined) {
          const text = fault.rawBody ?? JSON.stringify(fault.body);
          const rawType = fault.status < 300 ? `${route.mediaType};charset=utf-8` : 'text/html';
          const type = fault.contentType ?? (fault.rawBody !== undefined ? rawType : 'application/json');
          res.writeHead(fault.status, {
            'Content-Type': type,
            ...rateLimitHeaders(route.rateLimitBucket),
            ...fault.headers,
          });
          res.end(text);
          return;
        }
        const code = DEFAULT_ERROR_CODES[fault.status] ?? 'UNEXPECTED_ERROR';
        sendError(
          res,
          new SimApiError(fault.status, code, `Injected ${fault.status} for ${route.name}.`),
          fault.headers,
          false,
          route.rateLimitBucket,
        );
      }
    }
  };

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

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    const query = new URLSearchParams(queryAt === -1 ? '' : rawUrl.slice(queryAt + 1));

    if (options.controlApi && path.startsWith('/__simulator/')) {
      if (path === '/__simulator/reset') simulator.reset();
      if (path === '/__simulator/latency') faults.latencyMs = Number(query.get('ms') ?? 0);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          ...stats,
          lastCall: undefined,
          callTimes: undefined,
          upstreamCalls: simulator.upstreamCalls(),
        }),
      );
      return;
    }
    if (path === '/api/oauth/token' && req.method === 'POST') {
      await serveToken(req, res);
      return;
    }
    const caller = authenticate(req, res, rawUrl);
    if (!caller) return;

    if (req.method !== 'GET') {
      sendError(res, new SimApiError(405, 'METHOD_NOT_ALLOWED', `Method ${req.method} is not allowed here.`));
      return;
    }
    let matched: { route: Route; params: Record<string, string> } | undefined;
    for (const route of routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      try {
        const params = Object.fromEntries(route.paramNames.map((name, i) => [name, decodeURIComponent(m[i + 1]!)]));
        matched = { route, params };
      } catch {
        sendError(res, new SimApiError(400, 'INVALID_PATH', 'The request path is not valid.'));
        return;
      }
      break;
    }
    if (!matched) {
      sendError(res, new SimApiError(404, 'RESOURCE_NOT_FOUND', `Cannot find resource ${path}.`, [path]));
      return;
    }
    const { route, params } = matched;
    stats.byOperation[route.name] = (stats.byOperation[route.name] ?? 0) + 1;
    if (stats.callTimes.push(Date.now()) > 10_000) stats.callTimes.shift();
    stats.lastCall = {
      path: rawUrl,
      accept: req.headers.accept,
      userAgent: req.headers['user-agent'],
      headers: { ...req.headers },
    };

    const delay = faults.delayFor(route.name);
    if (delay > 0) await sleep(delay);
    const request: RouteRequest = { params, query, origin, path, projects, mediaType: route.mediaType, ...caller };
    const bucket = route.rateLimitBucket;
    const fault = faults.take(route.name);
    if (fault) {
      applyFault(req, res, fault, route, () => JSON.stringify(route.handle(request)));
      return;
    }

    if (route.retired && simulator.serverlessSunset) {
      const version = route.mediaType.replace(/^application\/vnd\.atlas\.(.*)\+json$/, '$1');
      const resource = path.replace(/^\//, '');
      sendError(
        res,
        new SimApiError(410, 'VERSION_GONE', `Version ${version} of ${resource} is no longer available.`, [
          version,
          resource,
        ]),
      );
      return;
    }
    const negotiated = negotiate(route, req.headers.accept);
    if (negotiated === undefined || 'gone' in negotiated) {
      const version = negotiated?.gone.replace(/^application\/vnd\.atlas\.(.*)\+json$/, '$1');
      const resource = path.replace(/^\//, '');
      const error = version
        ? new SimApiError(410, 'VERSION_GONE', `Version ${version} of ${resource} is no longer available.`, [
            version,
            resource,
          ])
        : new SimApiError(406, 'INVALID_VERSION_DATE', 'Invalid accept header or version date.');
      sendError(res, error, {}, false, bucket);
      return;
    }
    request.mediaType = negotiated.mediaType;
    const deprecation: Record<string, string> = route.sunset
      ? { Deprecation: 'Wed, 10 Dec 2025 00:00:00 GMT', Sunset: route.sunset }
      : negotiated.headers;
    try {
      const body = JSON.stringify(route.handle(request));
      res.writeHead(200, {
        'Content-Type': `${negotiated.mediaType};charset=utf-8`,
        ...rateLimitHeaders(bucket),
        ...deprecation,
      });
      res.end(body);
    } catch (error) {
      if (!(error instanceof SimApiError)) throw error;
      sendError(res, error, deprecation, false, bucket);
    }
  };

  const server = createServer((req, res) => {
    stats.requests += 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      stats.inFlight -= 1;
    };
    res.on('finish', finish);
    res.on('close', () => {
      if (!res.writableFinished) stats.clientAborts += 1;
      finish();
    });
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, new SimApiError(500, 'UNEXPECTED_ERROR', 'Unexpected error.'));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', () => {
    stats.connections += 1;
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${host}:${address.port}`;

  const simulator: AtlasSimulator = {
    url: origin,
    serverlessSunset: options.serverlessSunset ?? false,
    stats,
    faults,
    tokens,
    projects,
    upstreamCalls: () => Object.values(stats.byOperation).reduce((a, b) => a + b, 0),
    reset() {
      Object.assign(stats, emptyStats(), { inFlight: stats.inFlight });
      faults.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return simulator;
}
