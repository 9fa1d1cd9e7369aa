import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { createYoga, type Plugin, useExecutionCancellation, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { BreakerState } from '../atlas/breaker.js';
import type { ActionRunner } from '../backups/actions/action-runner.js';
import { WatchHub, type WatchFeeds } from '../backups/watch/watch-hub.js';
import type { BackupReader } from '../backups/backup-reader.js';
import type { Config } from '../config/config.js';
import { createContext, type Context, type ContextDependencies, upstreamBytesOf } from './context.js';
import { GRAPHIQL_ASSET_PATH, localGraphiQL } from './graphiql.js';
import { callerOutcome, maskError } from './mask-error.js';
import type { Metrics } from '../support/metrics.js';
import type { Tracing } from '../support/tracing.js';
import { atlasCacheExtension } from './plugins/atlas-cache.js';
import { bodyLimit } from './plugins/body-limit.js';
import { callerAuthentication } from './plugins/caller-auth.js';
import { federationSdl } from './plugins/federation-sdl.js';
import type { RoutedContext, Routes } from '../http/routes.js';
import { operabilityEndpoints } from './plugins/operability.js';
import { operationLimits } from './plugins/operation-limits.js';
import { operationNameCheck } from './plugins/operation-name.js';
import { persistedDocuments } from './plugins/persisted-documents.js';
import { PersistedDocuments } from './persisted-documents.js';
import { refusedMutationAudit } from './plugins/refused-mutation-audit.js';
import { requestLog } from './plugins/request-log.js';
import { responseBounds } from './plugins/response-bounds.js';
import { loaderBatchSpans, operationTracing } from './plugins/tracing.js';
import { schema } from './schema/index.js';
import { UpstreamMemory } from '../backups/upstream-memory.js';
import { type CallerCallBudget, MemoryCallerCallBudget } from '../backups/caller-budget.js';

/** The one path GraphQL is served on (HTTP, SSE and WebSocket). */
export const GRAPHQL_PATH = '/graphql';
const HEALTH_PATH = '/health';

/** The paths this server answers; any other is a 404 before Yoga sees the request (see routeRequest). */
export function servedRoutes(config: Config): Routes {
  return {
    exact: [GRAPHQL_PATH, HEALTH_PATH, '/readiness', '/metrics'],
    prefixes: config.graphiql ? [GRAPHIQL_ASSET_PATH] : [],
  };
}

/** Everything the GraphQL server needs from the process. */
export interface ServerDependencies {
  config: Config;
  reader: BackupReader;
  /** Runs the backup actions (mutations), with their guard rails. */
  actions: ActionRunner;
  logger: Logger;
  metrics: Metrics;
  /** `closed`, `half-open` or `open`: for /readiness. */
  breakerState: () => BreakerState;
  /** True once shutdown began: /readiness answers 503. @default never */
  draining?: () => boolean;
  /** The operation GraphiQL opens with. */
  exampleQuery: string;
  /** Redis's state when replicas share one, for readiness. */
  redisState?: () => 'up' | 'down';
  /** The live-status pollers (subscriptions). @default a hub of its own, sized by the config */
  watchHub?: WatchHub;
  /** Where that hub's resources are polled: in a fleet, on one replica for all. @default in this process */
  watchFeeds?: WatchFeeds;
  /** Where callers' Atlas calls are counted. @default an in-process MemoryCallerCallBudget */
  callerCallBudget?: CallerCallBudget;
  /** Spans for each GraphQL request and loader batch. @default none (no tracing) */
  tracing?: Tracing;
}

/**
 * Adapts pino to Yoga's logger interface (Yoga calls it with a message and extra arguments). Errors
 * that are the caller's outcome (the client went away, Atlas said 404, a variable of the wrong type;
 * see callerOutcome) are not faults of this server: they go to debug, as their code and a cut
 * message, never with the caller's document or values. Anything else is logged as Yoga gives it.
 */
function yogaLogger(logger: Logger) {
  const forward =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: unknown, ...rest: unknown[]) => {
      const outcome = callerOutcome(message);
      if (outcome) {
        if (logger.isLevelEnabled('debug')) logger.debug({ source: 'yoga', code: outcome.code }, outcome.message);
        return;
      }
      if (!logger.isLevelEnabled(level)) return;
      logger[level]({ source: 'yoga', details: rest.length ? rest.map(String) : undefined }, String(message));
    };
  return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
}

/** The live-status pollers of one process, sized by the config, fed by `feeds`; the metrics read their counts. */
function createWatchHub(config: Config, metrics: Metrics, feeds: WatchFeeds | undefined): WatchHub {
  const { liveStatus } = config;
  const hub = new WatchHub({
    maxSubscriptions: liveStatus.maxSubscriptions,
    maxResources: liveStatus.maxResources,
    errorBackoffMs: liveStatus.pollMs,
    maxBackoffMs: Math.max(liveStatus.idlePollMs, 60_000),
    onPoll: metrics.observePoll,
    ...(feeds ? { feeds } : {}),
  });
  metrics.readLiveStatus({ subscriptions: () => hub.subscriptions, pollers: () => hub.pollers });
  return hub;
}

/**
 * A request gives back the Atlas response bytes it held (once: release is idempotent) when its
 * execution ends, or else when its HTTP exchange ends, however it ends: its response is sent
 * (onResponse), or its client goes away (then once its calls on the wire are past their deadline,
 * see createContext) — so an execution that throws instead of returning cannot keep them forever.
 */
const releaseUpstreamBytes: Plugin<Context> = {
  onExecute: ({ args }) => ({
    onExecuteDone: () => {
      const context = args.contextValue as Partial<Context>;
      // Served over HTTP, a request keeps its bytes until its response has been written (see createContext).
      if (!context.bytesHeldUntilSent) context.upstreamBytes?.release();
    },
  }),
  onResponse: ({ request, serverContext }) => {
    // An aborted request's calls may still be on the wire: the abort's own release waits for them.
    const heldUntilSent = typeof (serverContext as Partial<RoutedContext> | undefined)?.whenSent === 'function';
    if (!request.signal.aborted && !heldUntilSent) upstreamBytesOf(request)?.release();
  },
};

/** A plugin that may be switched off, as a list of zero or one. */
const optional = (plugin: Plugin | undefined): Plugin[] => (plugin ? [plugin] : []);

/** CORS: open in demo mode, an allow-list when CORS_ORIGINS is set, closed otherwise. */
function corsOptions(config: Config) {
  if (config.corsOrigins.length > 0) {
    return {
      origin: [...config.corsOrigins],
      methods: ['GET', 'POST'],
      allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'x-request-id', 'x-graphql-yoga-csrf'],
      credentials: false,
    };
  }
  return config.mode === 'demo';
}

/**
 * Creates the GraphQL server (a fetch handler and Node request listener); never listens itself.
 * GraphQL and GraphiQL at `/graphql`, liveness at `/health`, `/readiness`, Prometheus `/metrics`.
 */
/** The Yoga server, with what the WebSocket transport and shutdown need: the live-status hub and the caller door's check. */
export type GraphQLServer = YogaServerInstance<Record<string, unknown>, Context> & {
  liveStatus: { hub: WatchHub; admit: ((request: Request) => Promise<string | undefined>) | undefined };
  /** The trusted documents (PERSISTED_DOCUMENTS_FILE), parsed and validated; undefined: none. */
  persistedDocuments: PersistedDocuments | undefined;
};

export function createGraphQLServer(deps: ServerDependencies): GraphQLServer {
  const { config, logger, metrics } = deps;
  const graphiql = config.graphiql ? localGraphiQL() : undefined;
  if (config.graphiql && !graphiql)
    logger.warn('src/vendor/graphiql is missing: GraphiQL loads its assets from unpkg.com');
  const upstreamMemory = new UpstreamMemory({
    perRequest: config.limits.upstreamBytesPerRequest,
    perCaller: config.limits.callerBytesInFlight,
    total: config.limits.upstreamBytesInFlight,
  });
  const { liveStatus } = config;
  const hub = deps.watchHub ?? createWatchHub(config, metrics, deps.watchFeeds);
  const contextDeps: ContextDependencies = {
    reader: deps.reader,
    liveStatus: {
      hub,
      reader: deps.reader,
      metrics,
      pollMs: liveStatus.pollMs,
      idlePollMs: liveStatus.idlePollMs,
      forwardAuthorization: config.credentials.kind === 'forward',
    },
    actions: deps.actions,
    logger,
    metrics,
    upstreamConcurrency: config.limits.upstreamConcurrency,
    upstreamMaxCalls: config.limits.upstreamCalls,
    upstreamMemory,
    forwardAuthorization: config.credentials.kind === 'forward',
    callDeadlineMs: config.atlasClient.timeoutMs,
    demoMode: config.mode === 'demo',
    callerCalls: {
      perMinute: config.limits.callerCallsPerMinute,
      budget: deps.callerCallBudget ?? new MemoryCallerCallBudget(config.limits.callerCallsPerMinute),
    },
    ...(deps.tracing ? { traceBatch: loaderBatchSpans(deps.tracing) } : {}),
  };
  metrics.readUpstreamBytesInFlight(() => upstreamMemory.inFlight);
  const trusted = config.persistedDocuments;
  const persisted = trusted && new PersistedDocuments(trusted.documents, trusted.only);
  const auth = callerAuthentication(config.callerAuth, { graphqlPath: GRAPHQL_PATH, graphiql: config.graphiql });
  const plugins: (Plugin | object)[] = [
    // First, so that its span wraps every other plugin's work on the request.
    ...(deps.tracing ? [operationTracing(deps.tracing, GRAPHQL_PATH)] : []),
    operabilityEndpoints({
      metrics,
      metricsAccess: config.metrics.access,
      callerAuth: config.callerAuth,
      breakerState: deps.breakerState,
      draining: deps.draining ?? (() => false),
      redisState: deps.redisState,
    }),
    operationNameCheck(),
    requestLog(logger, metrics),
    refusedMutationAudit(logger.child({}, { level: 'info' })),
    ...optional(auth),
    // Browsers may only send non-simple requests (JSON POST) or ones carrying this header: no CSRF.
    useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf'] }),
    bodyLimit(config.limits.bodyBytes),
    // A trusted document's id becomes its DocumentNode, parsed and validated at start: neither again per request.
    ...(persisted ? [persistedDocuments(persisted)] : []),
    releaseUpstreamBytes,
    // An aborted request stops executing: fields not yet started never run.
    useExecutionCancellation(),
    ...operationLimits(config),
    responseBounds({
      maxBytes: config.limits.responseBytes,
      onRefused: () => metrics.observeError('QUERY_TOO_EXPENSIVE'),
    }),
    // How fresh the response is: extensions.atlasCache, when its reads went through the record cache.
    atlasCacheExtension(),
    ...(config.introspection ? [] : [useDisableIntrospection()]),
    ...optional(federationSdl(config.federationServiceSdl)),
    ...(graphiql ? [graphiql.plugin] : []),
  ];
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: HEALTH_PATH,
    landingPage: false,
    maskedErrors: { maskError },
    batching: false,
    // bodyLimit (plugins/body-limit.ts) bounds bodies; Yoga's own limit would pipe every body through
    // a TransformStream (a stream pipeline and a DOMException per request) to do it again.
    maxRequestBodySize: false,
    ...(persisted ? { extraParamNames: ['documentId'] } : {}),
    logging: yogaLogger(logger),
    cors: corsOptions(config),
    graphiql: config.graphiql ? { title: 'Atlas backups GraphQL', defaultQuery: deps.exampleQuery } : false,
    context: ({ request, clientAddress, whenSent }) =>
      createContext(contextDeps, request, {
        ...(typeof clientAddress === 'string' ? { clientAddress } : {}),
        ...(typeof whenSent === 'function' ? { whenSent: whenSent as RoutedContext['whenSent'] } : {}),
      }),
    plugins,
    ...(graphiql ? { renderGraphiQL: graphiql.render } : {}),
  });
  // Each trusted document is parsed and validated now, as a request's would be; a bad one stops the start.
  // No request in the context: Yoga's checks of one (a mutation over GET, which operation to run) skip
  // themselves here and run on each request naming the document, with its method and operationName.
  persisted?.prepare(yoga.getEnveloped({ params: { query: '' } }));
  if (persisted && trusted)
    logger.info({ file: trusted.file, documents: persisted.size, only: persisted.only }, 'trusted documents loaded');
  return Object.assign(yoga, { liveStatus: { hub, admit: auth?.admit }, persistedDocuments: persisted });
}
