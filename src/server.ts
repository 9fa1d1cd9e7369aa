import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError } from 'graphql';
import { createYoga, maskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { BackupReader } from './backups/backup-reader.js';
import type { Config } from './config.js';
import { createContext, type Context, type ContextDependencies } from './context.js';
import { GRAPHIQL_ASSET_PATH, localGraphiQL } from './graphiql-assets.js';
import type { Metrics } from './metrics.js';
import { bodyLimit } from './plugins/body-limit.js';
import { callerAuthentication } from './plugins/caller-auth.js';
import type { Routes } from './plugins/exact-routes.js';
import { operabilityEndpoints } from './plugins/operability.js';
import { operationLimits } from './plugins/operation-limits.js';
import { requestLog } from './plugins/request-log.js';
import { schema } from './schema/index.js';

/** The one path GraphQL is served on. */
export const GRAPHQL_PATH = '/graphql';
const HEALTH_PATH = '/health';

/** The paths this server answers; any other is a 404 before Yoga sees the request (see routeRequest). */
export function servedRoutes(config: Config): Routes {
  return { exact: [GRAPHQL_PATH, HEALTH_PATH, '/readiness', '/metrics'], prefixes: config.graphiql ? [GRAPHIQL_ASSET_PATH] : [] };
}

/** Everything the GraphQL server needs from the process. */
export interface ServerDependencies {
  config: Config;
  reader: BackupReader;
  logger: Logger;
  metrics: Metrics;
  /** `closed`, `half-open` or `open`: for /readiness. */
  breakerState: () => 'closed' | 'half-open' | 'open';
  /** The operation GraphiQL opens with. */
  exampleQuery: string;
}

/**
 * Adapts pino to Yoga's logger interface (Yoga calls it with a message and extra arguments). Fields
 * cancelled because their client went away are routine, not errors: they go to debug.
 */
function yogaLogger(logger: Logger) {
  const forward = (level: 'debug' | 'info' | 'warn' | 'error') => (message: unknown, ...rest: unknown[]) => {
    const text = String(message);
    const effective = level === 'error' && text.startsWith('This operation was aborted') ? 'debug' : level;
    if (!logger.isLevelEnabled(effective)) return;
    logger[effective]({ source: 'yoga', details: rest.length ? rest.map(String) : undefined }, text);
  };
  return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
}

/**
 * Yoga's masking, except for fields cancelled because their client went away: those say so
 * (`REQUEST_CANCELLED`) rather than pass for a bug, though no one receives them.
 */
function maskCancelled(error: unknown, message: string, isDev?: boolean): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof Error && original.name === 'AbortError') {
    return new GraphQLError('The request was cancelled.', {
      ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
      extensions: { code: 'REQUEST_CANCELLED' },
    });
  }
  return maskError(error, message, isDev);
}

/** CORS: open in demo mode, an allow-list when CORS_ORIGINS is set, closed otherwise. */
function corsOptions(config: Config) {
  if (config.corsOrigins.length > 0) {
    return { origin: config.corsOrigins, methods: ['GET', 'POST'], allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'x-request-id', 'x-graphql-yoga-csrf'], credentials: false };
  }
  return config.mode === 'demo';
}

/**
 * Creates the GraphQL server (a fetch handler and Node request listener); never listens itself.
 * GraphQL and GraphiQL at `/graphql`, liveness at `/health`, `/readiness`, Prometheus `/metrics`.
 */
export function createGraphQLServer(deps: ServerDependencies): YogaServerInstance<Record<string, unknown>, Context> {
  const { config, logger, metrics } = deps;
  const graphiql = config.graphiql ? localGraphiQL() : undefined;
  if (config.graphiql && !graphiql) logger.warn('vendor/graphiql is missing: GraphiQL loads its assets from unpkg.com');
  const contextDeps: ContextDependencies = {
    reader: deps.reader,
    logger,
    metrics,
    upstreamConcurrency: config.upstream.concurrency,
    upstreamMaxCalls: config.limits.upstreamCalls,
    maxRepresentations: config.limits.representations,
    forwardAuthorization: config.credentials.kind === 'forward',
  };
  const auth = callerAuthentication(config.callerAuth, { graphqlPath: GRAPHQL_PATH, graphiql: config.graphiql });
  const plugins: (Plugin | object)[] = [
    operabilityEndpoints(metrics, deps.breakerState),
    requestLog(logger, metrics),
    ...(auth ? [auth] : []),
    // Browsers may only send non-simple requests (JSON POST) or ones carrying this header: no CSRF.
    useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf'] }),
    bodyLimit(config.limits.bodyBytes),
    ...operationLimits(config),
    ...(config.introspection ? [] : [useDisableIntrospection()]),
    ...(graphiql ? [graphiql.plugin] : []),
  ];
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: HEALTH_PATH,
    landingPage: false,
    maskedErrors: { maskError: maskCancelled },
    batching: false,
    logging: yogaLogger(logger),
    cors: corsOptions(config),
    graphiql: config.graphiql ? { title: 'Atlas backups GraphQL', defaultQuery: deps.exampleQuery } : false,
    context: ({ request }) => createContext(contextDeps, request),
    plugins,
    ...(graphiql ? { renderGraphiQL: graphiql.render } : {}),
  });
}
