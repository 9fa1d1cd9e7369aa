import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { DigestAuth, forwardedBearerAuth, type AtlasAuth } from './atlas/auth.js';
import { startBreakerProbe } from './atlas/breaker-probe.js';
import type { BreakerState } from './atlas/breaker.js';
import { AtlasClient } from './atlas/client.js';
import { ServiceAccountAuth } from './atlas/service-account-auth.js';
import { ServerlessLookupRouter } from './backups/serverless-lookup-router.js';
import { ActionRunner } from './backups/actions/action-runner.js';
import { MemoryIdempotencyStore, type IdempotencyStore } from './backups/actions/idempotency.js';
import { BackupReader } from './backups/backup-reader.js';
import { describeFailureWith } from './graphql/action-errors.js';
import { toGraphQLError } from './graphql/errors.js';
import type { Config } from './config/config.js';
import type { AtlasCredentials } from './config/credentials.js';
import { exampleQuery } from './graphql/example-query.js';
import { createMetrics } from './support/metrics.js';
import { startMetricsServer } from './http/metrics-server.js';
import { routeRequest, type RoutedContext } from './http/routes.js';
import { createGraphQLServer, GRAPHQL_PATH, servedRoutes } from './graphql/server.js';
import { attachWebSocketTransport } from './graphql/ws-transport.js';
import { SharedRedis } from './fleet/redis.js';
import { fleetRateBudget } from './fleet/redis-rate-budget.js';
import { traceRedisCommands } from './fleet/redis-tracing.js';
import { startTracing } from './support/tracing.js';
import { RedisIdempotencyStore } from './fleet/redis-idempotency.js';
import { recordCacheFor } from './fleet/redis-read-cache.js';
import { FleetWatch } from './fleet/redis-watch.js';
import { watchErrorCodec } from './graphql/live-status.js';
import { USER_AGENT } from './support/version.js';

/** The idempotency keys of one process (IDEMPOTENCY_TTL_S, IDEMPOTENCY_MAX_KEYS). */
const memoryIdempotency = (config: Pick<Config, 'idempotency'>) =>
  new MemoryIdempotencyStore(config.idempotency.ttlMs, config.idempotency.maxKeys);

/**
 * The backup actions' runner over `client`: idempotency keys in `idempotency` (default: in memory),
 * audit lines to `logger`.
 */
export const createActionRunner = (
  client: AtlasClient,
  config: Pick<Config, 'idempotency'>,
  logger: Logger,
  idempotency: IdempotencyStore = memoryIdempotency(config),
) =>
  new ActionRunner({
    client,
    idempotency,
    // Audit lines are written whatever LOG_LEVEL says (they are records, not diagnostics).
    logger: logger.child({}, { level: 'info' }),
    describeFailure: describeFailureWith(toGraphQLError),
  });

/** A listening service: the GraphQL server, its Atlas client and, in demo mode, the simulator. */
export interface RunningApp {
  /** `http://host:port/graphql` */
  readonly graphqlUrl: string;
  /** The operation GraphiQL opens with (with the simulator's ids in demo mode). */
  readonly example: string;
  /** Whether calls currently reach Atlas (`closed`) or fail fast (`open`, `half-open`). */
  breakerState(): AtlasClient['breakerState'];
  /** Which credentials reach Atlas: `api-key`, `service-account` or `forward`. */
  readonly authKind: AtlasCredentials['kind'];
  /** `http://host:port/metrics` of the metrics listener under METRICS=port; undefined otherwise. */
  readonly metricsUrl: string | undefined;
  /**
   * Drains (/readiness answers 503) for SHUTDOWN_DRAIN_MS while still serving, then stops accepting,
   * lets in-flight requests finish (at most `graceMs`) and closes upstream resources.
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * The composition root: config → (demo simulator) → Atlas client → GraphQL server → listening socket.
 * `main.ts` calls it for the process; integration tests call it to run the same stack.
 */
export async function startApp(config: Config, logger: Logger): Promise<RunningApp> {
  // Only demo mode loads the demo module (and through it the simulator).
  const demo = config.mode === 'demo' ? await (await import('./demo/demo.js')).startDemo(config.demo) : undefined;
  const baseUrl = demo?.baseUrl ?? config.atlasBaseUrl;
  const credentials = demo?.credentials ?? config.credentials;
  const auth = createAtlasAuth(credentials, baseUrl, config);
  // Spans over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise undefined, and nothing is traced.
  const tracing = await startTracing(config.tracing, logger);
  // Replicas share state through Redis when REDIS_URL is set; nothing depends on it being up.
  const redis = config.redis ? new SharedRedis(config.redis, logger) : undefined;
  // The client reports to the metrics, which read the client's breaker: a late-bound getter joins them.
  let breakerState = (): BreakerState => 'closed';
  const metrics = createMetrics(() => breakerState());
  // Atlas answers kept between requests: in Redis for the fleet, else in this process (CACHE_*).
  const readCache = recordCacheFor(config, redis);
  const atlas = new AtlasClient({
    ...config.atlasClient,
    baseUrl,
    auth,
    userAgent: USER_AGENT,
    logger,
    onAttempt: metrics.observeAttempt,
    onRetry: metrics.observeRetry,
    onRateBudget: metrics.observeRateBudget,
    ...(redis ? { rateBudget: fleetRateBudget(redis, config) } : {}),
    ...(readCache ? { readCache: { ...readCache, onRead: metrics.observeCacheRead } } : {}),
    ...(tracing ? { tracing } : {}),
  });
  breakerState = () => atlas.breakerState;
  // Lets the circuit close again without traffic (forward mode holds no credentials to probe with:
  // there the next caller's call half-opens it, and readiness keeps callers coming).
  const probe =
    credentials.kind === 'forward'
      ? undefined
      : startBreakerProbe(atlas, { cooldownMs: config.atlasClient.breaker.cooldownMs, logger });
  let draining = false;
  const example = demo?.exampleQuery ?? exampleQuery();
  if (redis && tracing) traceRedisCommands(redis.client, tracing.tracer);
  const reader = new BackupReader(atlas, new ServerlessLookupRouter(config.snapshotApi));
  // With Redis, a mutation retried on another replica replays the first result (memory when Redis fails).
  const idempotency = redis
    ? new RedisIdempotencyStore(
        redis,
        memoryIdempotency(config),
        { ttlMs: config.idempotency.ttlMs, waitMs: config.atlasClient.timeoutMs },
        logger,
      )
    : undefined;
  const actions = createActionRunner(atlas, config, logger, idempotency);
  // With Redis, one replica polls each watched resource for the fleet (each polls alone while Redis fails).
  const watchFleet = redis
    ? new FleetWatch(redis, { pollMs: config.liveStatus.pollMs, codec: watchErrorCodec }, logger)
    : undefined;
  const yoga = createGraphQLServer({
    config,
    reader,
    actions,
    logger,
    metrics,
    breakerState,
    draining: () => draining,
    exampleQuery: example,
    ...(redis ? { redisState: () => redis.state } : {}),
    ...(watchFleet ? { watchFeeds: watchFleet.feeds } : {}),
    ...(tracing ? { tracing } : {}),
  });
  const routes = servedRoutes(config);
  const { hub, admit } = yoga.liveStatus;
  // Checking for expired headers/request timeouts every second (Node's default: 30 s) makes them bite.
  const server: Server = createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
    const route = routeRequest(req, routes);
    if ('status' in route) {
      res.writeHead(route.status, { 'content-length': '0' }).end();
      return;
    }
    req.url = route.target;
    // The approved path goes with the request: caller authentication trusts it, not a path Yoga recomputes.
    void yoga(req, res, {
      routedPath: route.path,
      clientAddress: req.socket.remoteAddress ?? '',
      whenSent: (done) => res.once('close', done),
    } satisfies RoutedContext);
  });
  const webSockets = attachWebSocketTransport(server, yoga, {
    path: GRAPHQL_PATH,
    admit,
    maxPerConnection: config.liveStatus.maxPerConnection,
    keepAliveMs: config.liveStatus.keepAliveMs,
    maxPayloadBytes: config.limits.bodyBytes,
    allowedOrigins: config.corsOrigins.length === 0 && config.mode === 'demo' ? 'any' : config.corsOrigins,
    logger,
  });
  // Cut off clients that trickle their headers or body (slow loris) within seconds, not minutes.
  server.headersTimeout = config.limits.headersTimeoutMs;
  server.requestTimeout = config.limits.requestTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const graphqlUrl = `http://${host}:${address.port}/graphql`;
  if (demo) {
    logger.info(
      { mode: 'demo', graphql: graphqlUrl, simulator: demo.baseUrl.origin },
      'DEMO MODE: no Atlas credentials set, serving the embedded Atlas simulator',
    );
  } else {
    logger.info(
      { mode: 'atlas', graphql: graphqlUrl, atlas: baseUrl.origin, auth: credentials.kind },
      'serving MongoDB Atlas',
    );
  }
  for (const note of config.notes) logger.warn(note);
  const metricsServer =
    config.metrics.access === 'port' ? await startMetricsServer(metrics, config.host, config.metrics.port) : undefined;
  if (metricsServer) logger.info({ metrics: metricsServer.url }, 'serving Prometheus metrics on a port of their own');

  return {
    graphqlUrl,
    example,
    authKind: credentials.kind,
    breakerState: () => atlas.breakerState,
    metricsUrl: metricsServer?.url,
    async close(graceMs = config.shutdownGraceMs) {
      draining = true;
      probe?.stop();
      if (config.shutdownDrainMs > 0) {
        logger.info({ drainMs: config.shutdownDrainMs }, 'draining: /readiness answers 503 until the listener closes');
        await sleep(config.shutdownDrainMs);
      }
      // Every live stream completes (SSE responses end, WebSocket subscriptions get `complete`).
      hub.close();
      // The leases this replica held are given up: another replica polls for the fleet at its next tick.
      await watchFleet?.close();
      await webSockets.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive sockets go idle as their last response ends: close them as they do, and cut
      // whatever is still running when the grace period is over.
      const sweeper = setInterval(() => server.closeIdleConnections(), 50);
      const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
      server.closeIdleConnections();
      await closed;
      clearInterval(sweeper);
      clearTimeout(deadline);
      await atlas.close();
      if (auth instanceof ServiceAccountAuth) await auth.close();
      await demo?.close();
      await redis?.close();
      await metricsServer?.close();
      // Last: the spans of everything above are exported before the process goes.
      await tracing?.shutdown();
    },
  };
}

/** The process-wide Atlas credentials for the configured mode. */
function createAtlasAuth(credentials: AtlasCredentials, baseUrl: URL, config: Config): AtlasAuth {
  switch (credentials.kind) {
    case 'api-key':
      return new DigestAuth(credentials.publicKey, credentials.privateKey);
    case 'service-account':
      return new ServiceAccountAuth({
        baseUrl,
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        userAgent: USER_AGENT,
        timeoutMs: config.atlasClient.timeoutMs,
      });
    case 'forward':
      // Every request brings its own token; a call without one fails before reaching Atlas.
      return forwardedBearerAuth(null);
    case 'none':
      throw new Error('no Atlas credentials outside demo mode');
  }
}
