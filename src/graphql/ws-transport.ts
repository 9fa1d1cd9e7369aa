import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  getOperationAST,
  GraphQLError,
  OperationTypeNode,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { SubscriptionLimitError } from '../backups/watch/watch-hub.js';
import type { Context } from './context.js';
import { toGraphQLError, TypedGraphQLError } from './errors.js';

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
  /** Browser origins allowed to open a socket (CORS_ORIGINS), or `any` (demo mode). Clients that send no Origin are not browsers. */
  allowedOrigins: readonly string[] | 'any';
  /** The largest message accepted (MAX_BODY_BYTES). */
  maxPayloadBytes: number;
  logger: Logger;
}

/**
 * What one connection carries: the credentials its operations run with (each operation gets a
 * request of its own, as over HTTP: what its context hangs on the request goes with the operation,
 * not with the connection), and its operations running now.
 */
interface Connection {
  url: string;
  headers: Headers;
  active: Set<string>;
}

/** A request for one operation (or the connection_init check) with the connection's credentials. */
const operationRequest = ({ url, headers }: Pick<Connection, 'url' | 'headers'>) =>
  new Request(url, { method: 'POST', headers });

/** How long close() waits for the subscriptions the hub ended to send their `complete`. */
const COMPLETE_WAIT_MS = 1_000;

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
  // Subscriptions running on every connection, and who waits for there to be none (close()).
  let running = 0;
  let whenNoneRunning: (() => void) | undefined;
  const ended = (ctx: object, id: string) => {
    if (connections.get(ctx)?.active.delete(id) !== true) return;
    running -= 1;
    if (running === 0) whenNoneRunning?.();
  };
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== options.path) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    // A browser page of another origin may not open a socket here (cross-site WebSocket hijacking).
    const origin = req.headers.origin;
    const sameOrigin = origin !== undefined && URL.canParse(origin) && new URL(origin).host === req.headers.host;
    if (
      origin !== undefined &&
      !sameOrigin &&
      options.allowedOrigins !== 'any' &&
      !options.allowedOrigins.includes(origin)
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', upgrade);

  const disposable = useServer(
    {
      onConnect: async (ctx) => {
        const host = ctx.extra.request.headers.host ?? 'localhost';
        const connection = { url: `http://${host}${options.path}`, headers: headersOf(ctx.connectionParams) };
        const problem = options.admit ? await options.admit(operationRequest(connection)) : undefined;
        if (problem !== undefined) {
          options.logger.debug({ problem }, 'WebSocket connection refused');
          return false;
        }
        connections.set(ctx, { ...connection, active: new Set() });
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const connection = connections.get(ctx);
        if (!connection) return typedErrors(new Error('no connection'));
        if (connection.active.size >= options.maxPerConnection)
          return typedErrors(new SubscriptionLimitError('SUBSCRIPTION_MAX_PER_CONNECTION', options.maxPerConnection));
        // The operation's own request, admitted with the connection's credentials: the gate lets only
        // admitted requests execute (credentials no longer accepted get UNAUTHENTICATED).
        const request = operationRequest(connection);
        if (options.admit) await options.admit(request);
        // Yoga's envelop for this operation: its plugins (the execution gate, limits, masking) and context.
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          request,
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
        // Queries and mutations go over HTTP (POST, with CSRF protection): here only subscriptions run.
        if (getOperationAST(document, payload.operationName)?.operation !== OperationTypeNode.SUBSCRIPTION)
          return [
            new TypedGraphQLError(
              'BAD_REQUEST',
              'Only subscriptions go over WebSocket: send queries and mutations as POST /graphql.',
            ),
          ];
        connection.active.add(id);
        running += 1;
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
      // A subscription ends with `complete` (the client's, the stream's end, the socket closing: called
      // just before the server sends it) or, if its stream throws, with `error`.
      onComplete: (ctx, id) => ended(ctx, id),
      onError: (ctx, id) => void ended(ctx, id),
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => never }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => never }).subscribe(args),
    },
    wss,
    options.keepAliveMs,
  );

  return {
    async close() {
      server.off('upgrade', upgrade);
      // The hub has ended every stream: let each subscription send its `complete` (a client that
      // sees the socket close first takes it for a failure, and reconnects), then close the sockets (1001).
      if (running > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => (whenNoneRunning = resolve)),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, COMPLETE_WAIT_MS))),
        ]);
        clearTimeout(timer);
      }
      // The last `complete` goes out just after its onComplete.
      await new Promise((resolve) => setImmediate(resolve));
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
