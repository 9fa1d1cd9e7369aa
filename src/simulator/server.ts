import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimApiError } from './api-error.js';
import { serveControl } from './control-api.js';
import { callerAuthentication } from './caller-authentication.js';
import { DigestVerifier, type SimApiKey } from './digest-verifier.js';
import { matchRoute, parseJsonBody, readBody } from './dispatch.js';
import { applyFault, type Responder } from './fault-answers.js';
import { FaultInjector } from './faults.js';
import { GroupRateLimits } from './group-rate-limit.js';
import { attachCloudBackups } from './cloud-backup-seed.js';
import { Lifecycles, type OutcomeTarget, type SimOutcome } from './lifecycle.js';
import { negotiate, type RateLimitBucket, type Route, type RouteRequest } from './route.js';
import { routes } from './routes.js';
import { createSeedProjects, type SimProject } from './seed.js';
import { SimClock, type SimClockOptions } from './sim-clock.js';
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
   * Serve `/__simulator/stats`, `/reset`, `/latency?ms=N`, `/clock` and `/outcome` (control-api.ts),
   * for a simulator in another process (the benchmark). Off by default.
   */
  controlApi?: boolean;
  /** `RateLimit-Limit` per minute (as observed on the flex backup endpoints). @default 1200 */
  rateLimit?: number;
  /** `RateLimit-Limit` of the cluster endpoints, a separate bucket (observed, README §10.5). @default 10000 */
  clusterRateLimit?: number;
  /**
   * Enforces a rate limit, as Atlas does: a token bucket of this many calls a minute per project
   * and RateLimit bucket (backup, cluster); past it a call is answered 429 with `Retry-After`, and
   * every answer's RateLimit headers show that bucket. @default undefined (headers only, never 429)
   */
  rateLimitPerMinutePerGroup?: number;
  /** Where the simulator clock starts and whether it stands still between `advance` calls. @default real time */
  clock?: SimClockOptions;
}

/** One write the simulator received (authenticated and routed), whatever its answer. */
export interface SimWrite {
  operation: string;
  method: string;
  /** The raw path, query included. */
  path: string;
  /** The parsed JSON body; the raw text when it was not JSON; undefined for a DELETE. */
  body: unknown;
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
  /** Authenticated requests per operation, writes included (the "upstream calls" of a query). */
  byOperation: Record<string, number>;
  /** Every write received, oldest first (the latest 10,000): tests count POSTs and read their bodies. */
  writes: SimWrite[];
  /** Requests being served right now, and the most at once since the last reset. */
  inFlight: number;
  maxInFlight: number;
  /** Requests whose client closed the connection before the response was complete. */
  clientAborts: number;
  /** TCP connections accepted: keep-alive keeps this small. */
  connections: number;
  /** 429s answered by the enforced rate limit (`rateLimitPerMinutePerGroup`). */
  rateLimited: number;
  /** When each authenticated operation call arrived (ms since the epoch), the latest 10,000. */
  callTimes: number[];
  /**
   * The W3C `traceparent` each authenticated operation call carried (undefined: none), oldest first,
   * the latest 10,000: tests follow a trace from the service's caller to Atlas.
   */
  traceparents: { operation: string; traceparent: string | undefined }[];
  /** The last authenticated operation call: its raw path and the headers that matter to Atlas. */
  lastCall:
    | {
        method: string;
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
  /**
   * The simulator's "now": resources created by writes progress over its time, computed when a
   * request is served (or the clock moves). `advance(ms)`, `fastForward()` (every resource to its end).
   */
  readonly clock: SimClock;
  /**
   * How resources created by writes end: the next one (of `target.operation`, `target.times` of
   * them) or the one in flight with `target.id` ends `outcome` ('failed': a failed snapshot, a
   * failed restore job, a Failed export, a FAILED Flex job). Cleared by `reset()`.
   */
  planOutcome(outcome: SimOutcome, target?: OutcomeTarget): void;
  /** Authenticated calls over all operations. */
  upstreamCalls(): number;
  /** Zeroes the counters, clears every fault and every planned outcome (the clock and the data stay). */
  reset(): void;
  close(): Promise<void>;
}

const emptyStats = (): SimulatorStats => ({
  requests: 0,
  challenges: 0,
  bearerRejections: 0,
  tokenRequests: 0,
  byOperation: {},
  writes: [],
  inFlight: 0,
  maxInFlight: 0,
  clientAborts: 0,
  connections: 0,
  rateLimited: 0,
  callTimes: [],
  traceparents: [],
  lastCall: undefined,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A response before it is written: status, headers and (except for a 204) a body. */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body?: string | undefined;
}

/** Starts an Atlas simulator: a real HTTP server that serves the backup operations as the spec describes them. */
export async function startAtlasSimulator(options: AtlasSimulatorOptions = {}): Promise<AtlasSimulator> {
  const stats = emptyStats();
  const faults = new FaultInjector();
  const projects = attachCloudBackups(createSeedProjects({ benchData: options.benchData ?? false }));
  const clock = new SimClock(options.clock);
  const lifecycles = new Lifecycles(clock);
  const digest = options.apiKeys?.length
    ? new DigestVerifier(options.apiKeys, options.nonceLifetimeMs, options.digestAlgorithm)
    : undefined;
  const tokens = new TokenIssuer(options.serviceAccounts ?? [], options.tokenLifetimeSeconds);
  const limits: Record<RateLimitBucket, number> = {
    backup: options.rateLimit ?? 1200,
    cluster: options.clusterRateLimit ?? 10_000,
  };
  const windows = { backup: { start: Date.now(), count: 0 }, cluster: { start: Date.now(), count: 0 } };
  const groupLimits =
    options.rateLimitPerMinutePerGroup === undefined
      ? undefined
      : new GroupRateLimits(options.rateLimitPerMinutePerGroup);
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

  /** An Atlas error as an answer: the envelope, `X-Error-Code` and the RateLimit headers. */
  const errorAnswer = (
    error: SimApiError,
    extra: Record<string, string> = {},
    pretty = false,
    bucket: RateLimitBucket = 'backup',
  ): Answer => ({
    status: error.status,
    headers: {
      'Content-Type': 'application/json',
      'X-Error-Code': error.errorCode,
      ...rateLimitHeaders(bucket),
      ...extra,
    },
    body: JSON.stringify(error.envelope(), null, pretty ? 2 : undefined),
  });

  const sendAnswer = (res: ServerResponse, answer: Answer) => {
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };

  const sendError: Responder['sendError'] = (res, error, extra, pretty, bucket) =>
    sendAnswer(res, errorAnswer(error, extra, pretty, bucket));

  const { authenticate, serveToken } = callerAuthentication({ digest, tokens, keyRoles, stats, faults, sendError });

  /** The gone version of `route` for `path`: 410 VERSION_GONE, as Atlas words it (README §3). */
  const versionGone = (mediaType: string, path: string) => {
    const version = mediaType.replace(/^application\/vnd\.atlas\.(.*)\+json$/, '$1');
    const resource = path.replace(/^\//, '');
    return new SimApiError(410, 'VERSION_GONE', `Version ${version} of ${resource} is no longer available.`, [
      version,
      resource,
    ]);
  };

  /**
   * The answer of an authenticated, routed call: sunset and version checks, then a write's body
   * (`body` holds its parse error, if any), then the operation: 200 with its body, 204 without one.
   */
  const respond = (route: Route, request: RouteRequest, accept: string | undefined, bodyError?: SimApiError) => {
    const bucket = route.rateLimitBucket;
    if (route.retired && simulator.serverlessSunset) return errorAnswer(versionGone(route.mediaType, request.path));
    const negotiated = negotiate(route, accept);
    if (negotiated === undefined || 'gone' in negotiated) {
      const error = negotiated
        ? versionGone(negotiated.gone, request.path)
        : new SimApiError(406, 'INVALID_VERSION_DATE', 'Invalid accept header or version date.');
      return errorAnswer(error, {}, false, bucket);
    }
    request.mediaType = negotiated.mediaType;
    const deprecation: Record<string, string> = route.sunset
      ? { Deprecation: 'Wed, 10 Dec 2025 00:00:00 GMT', Sunset: route.sunset }
      : negotiated.headers;
    try {
      if (bodyError) throw bodyError;
      const result: unknown = route.handle(request);
      const body = route.noContent ? undefined : JSON.stringify(result);
      const headers = {
        'Content-Type': `${negotiated.mediaType};charset=utf-8`,
        ...rateLimitHeaders(bucket),
        ...deprecation,
      };
      return { status: route.noContent ? 204 : 200, headers, body };
    } catch (error) {
      if (!(error instanceof SimApiError)) throw error;
      return errorAnswer(error, deprecation, false, bucket);
    }
  };

  /** Counts an authenticated, routed call (and keeps a write with its body) before it is answered. */
  const record = (req: IncomingMessage, route: Route, rawUrl: string, body: unknown) => {
    const method = req.method ?? 'GET';
    stats.byOperation[route.name] = (stats.byOperation[route.name] ?? 0) + 1;
    if (stats.callTimes.push(Date.now()) > 10_000) stats.callTimes.shift();
    const header = req.headers.traceparent;
    const traceparent = Array.isArray(header) ? header.join(', ') : header;
    if (stats.traceparents.push({ operation: route.name, traceparent }) > 10_000) stats.traceparents.shift();
    if (method !== 'GET' && stats.writes.push({ operation: route.name, method, path: rawUrl, body }) > 10_000) {
      stats.writes.shift();
    }
    stats.lastCall = {
      method,
      path: rawUrl,
      accept: req.headers.accept,
      userAgent: req.headers['user-agent'],
      headers: { ...req.headers },
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    const query = new URLSearchParams(queryAt === -1 ? '' : rawUrl.slice(queryAt + 1));

    if (options.controlApi && path.startsWith('/__simulator/')) {
      serveControl(simulator, path, query, res);
      return;
    }
    if (path === '/api/oauth/token' && req.method === 'POST') {
      await serveToken(req, res);
      return;
    }
    const caller = authenticate(req, res, rawUrl);
    if (!caller) return;

    let matched: ReturnType<typeof matchRoute>;
    try {
      matched = matchRoute(routes, req.method ?? 'GET', path);
    } catch (error) {
      if (!(error instanceof SimApiError)) throw error;
      sendError(res, error);
      return;
    }
    const { route, params } = matched;
    const raw = route.method === 'POST' || route.method === 'PATCH' ? await readBody(req) : '';
    if (raw === undefined) {
      const tooLarge = new SimApiError(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than 64 KiB.');
      if (!req.destroyed) sendError(res, tooLarge, { Connection: 'close' });
      return;
    }
    let body: Record<string, unknown> | undefined;
    let bodyError: SimApiError | undefined;
    try {
      if (route.method === 'POST' || route.method === 'PATCH') body = parseJsonBody(raw);
    } catch (error) {
      bodyError = error as SimApiError;
    }
    clock.settle();
    record(req, route, rawUrl, body ?? (raw || undefined));
    const limited =
      groupLimits && params.groupId !== undefined
        ? groupLimits.take(params.groupId, route.rateLimitBucket ?? 'backup', path)
        : undefined;
    if (limited?.refusal) {
      stats.rateLimited += 1;
      sendError(res, limited.refusal, limited.headers, false, route.rateLimitBucket);
      return;
    }

    const delay = faults.delayFor(route.name);
    if (delay > 0) await sleep(delay);
    const request: RouteRequest = {
      params,
      query,
      origin,
      path,
      projects,
      mediaType: route.mediaType,
      lifecycles,
      ...(body ? { body } : {}),
      ...caller,
    };
    const fault = faults.take(route.name);
    if (fault) {
      const calls = {
        body: () => JSON.stringify(route.handle(request)) ?? '',
        apply: () => void respond(route, request, req.headers.accept, bodyError),
      };
      applyFault(req, res, fault, route, calls, { sendError, rateLimitHeaders });
      return;
    }
    const answer = respond(route, request, req.headers.accept, bodyError);
    if (limited) Object.assign(answer.headers, limited.headers);
    sendAnswer(res, answer);
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
    clock,
    planOutcome: (outcome, target) => lifecycles.plan(outcome, target),
    upstreamCalls: () => Object.values(stats.byOperation).reduce((a, b) => a + b, 0),
    reset() {
      Object.assign(stats, emptyStats(), { inFlight: stats.inFlight });
      faults.clear();
      lifecycles.clearPlans();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return simulator;
}
