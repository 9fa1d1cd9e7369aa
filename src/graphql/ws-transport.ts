import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { SubscriptionLimitError } from '../backups/watch/watch-hub.js';
import type { Context } from './context.js';
import { toGraphQLError } from './errors.js';

/** What the WebSocket transport needs besides the Yoga server. */
export interface WebSocketOptions {
  /** The GraphQL path: upgrades elsewhere are refused. */
  path: string;
  /** The caller door's check (undefined: callers do not authenticate). */
  admit: ((request: Request) => Promise<string | undefined>) | undefined;
  /** SUBSCRIPTION_MAX_PER_CONNECTION. */
  maxPerConnection: number;
  /** SUBSCRIPTION_KEEPALIVE_MS: a ping this often. */
  keepAliveMs: number;
  /** The largest message accepted (MAX_BODY_BYTES). */
  maxPayloadBytes: number;
  logger: Logger;
}

/** What one connection carries: the request its operations run as (its credentials), and its subscription count. */
interface Connection {
  request: Request;
  active: Set<string>;
}

/** The `connectionParams` a client may send, as the headers the door reads (API key, or bearer token as `authorization` or `token`). */
function headersOf(params: Readonly<Record<string, unknown>> | undefined): Headers {
  const headers = new Headers();
  const pick = (...names: string[]): string | undefined => {
    for (const name of names) {
      const value = params?.[name];
      if (typeof value === 'string') return value;
    }
    return undefined;
  };
  const key = pick('x-api-key', 'apiKey');
  // Apollo Router (passthrough mode) sends the propagated Authorization header as `token`.
  const authorization = pick('authorization', 'Authorization', 'token');
  if (key !== undefined) headers.set('x-api-key', key);
  if (authorization !== undefined) headers.set('authorization', authorization);
  return headers;
}

/** What `getEnveloped` gives, as used here (Yoga types it loosely). */
interface Enveloped {
  schema: GraphQLSchema;
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
  contextFactory: () => unknown;
  parse: (source: string) => DocumentNode;
  validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
}

/** A typed error as graphql-ws sends it (an `error` message for the subscription). */
const typedErrors = (error: unknown): readonly GraphQLError[] => {
  const translated = toGraphQLError(error);
  return [translated instanceof GraphQLError ? translated : new GraphQLError('Unexpected error.')];
};

/**
 * GraphQL over WebSocket (the graphql-ws protocol) on the GraphQL path, beside SSE: the same Yoga
 * server, plugins and schema (`getEnveloped`), the caller door on `connection_init` (its
 * `connectionParams` carry `x-api-key` or `authorization`; refused: close 4403), scopes per
 * subscription as for HTTP, at most `maxPerConnection` subscriptions per connection, a ping every
 * `keepAliveMs`. `close()` completes every subscription and closes the sockets (1001).
 */
export function attachWebSocketTransport(
  server: Server,
  yoga: YogaServerInstance<Record<string, unknown>, Context>,
  options: WebSocketOptions,
): { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const connections = new WeakMap<object, Connection>();
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== options.path) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', upgrade);

  const disposable = useServer(
    {
      onConnect: async (ctx) => {
        const host = ctx.extra.request.headers.host ?? 'localhost';
        const request = new Request(`http://${host}${options.path}`, {
          method: 'POST',
          headers: headersOf(ctx.connectionParams),
        });
        const problem = options.admit ? await options.admit(request) : undefined;
        if (problem !== undefined) {
          options.logger.debug({ problem }, 'WebSocket connection refused');
          return false;
        }
        connections.set(ctx, { request, active: new Set() });
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const connection = connections.get(ctx);
        if (!connection) return typedErrors(new Error('no connection'));
        if (connection.active.size >= options.maxPerConnection)
          return typedErrors(new SubscriptionLimitError('SUBSCRIPTION_MAX_PER_CONNECTION', options.maxPerConnection));
        // Yoga's envelop for this operation: its plugins (the execution gate, limits, masking) and context.
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          request: connection.request,
          params: payload,
        }) as Enveloped;
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return typedErrors(error);
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        connection.active.add(id);
        const args: ExecutionArgs = {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        return args;
      },
      onComplete: (ctx, id) => void connections.get(ctx)?.active.delete(id),
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => never }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => never }).subscribe(args),
    },
    wss,
    options.keepAliveMs,
  );

  return {
    async close() {
      server.off('upgrade', upgrade);
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
