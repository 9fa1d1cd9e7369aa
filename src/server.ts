import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import { createContext, type Context, type ContextDependencies } from './context.js';
import { localGraphiQL } from './graphiql-assets.js';
import { schema } from './schema/index.js';

/** Everything the GraphQL server needs from the process. */
export interface ServerDependencies extends ContextDependencies {
  /** The operation GraphiQL opens with. */
  exampleQuery: string;
}

/** Adapts pino to Yoga's logger interface (Yoga calls it with a message and extra arguments). */
function yogaLogger(logger: Logger) {
  const forward = (level: 'debug' | 'info' | 'warn' | 'error') => (message: unknown, ...rest: unknown[]) => {
    if (!logger.isLevelEnabled(level)) return;
    logger[level]({ source: 'yoga', details: rest.length ? rest.map(String) : undefined }, String(message));
  };
  return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
}

/**
 * Creates the GraphQL server (a fetch handler and Node request listener); never listens itself.
 * GraphiQL and POST/GET GraphQL are at `/graphql`, liveness at `/health`.
 */
export function createGraphQLServer(deps: ServerDependencies): YogaServerInstance<Record<string, unknown>, Context> {
  const graphiql = localGraphiQL();
  if (!graphiql) deps.logger.warn('vendor/graphiql is missing: GraphiQL loads its assets from unpkg.com');
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    maskedErrors: true,
    logging: yogaLogger(deps.logger),
    graphiql: { title: 'Atlas backups GraphQL', defaultQuery: deps.exampleQuery },
    context: ({ request }) => createContext(deps, request),
    ...(graphiql ? { renderGraphiQL: graphiql.render, plugins: [graphiql.plugin] } : {}),
  });
}
