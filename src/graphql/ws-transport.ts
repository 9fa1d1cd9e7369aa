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
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { SubscriptionLimitError } from '../backups/watch/watch-hub.js';
import { toGraphQLError, TypedGraphQLError } from './errors.js';
import type { GraphQLServer } from './server.js';

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
  /**
   * Slots taken: reserved synchronously when a subscribe arrives (so a burst of subscribes cannot
   * pass the limit while earlier ones await), given back on refusal or when the operation ends.
   */
  slots: number;
  /**
   * The streams running, by identity (not by id: a client may reuse an id, and graphql-ws then loses
   * track of the newer stream); ended by us when the socket closes.
   */
  streams: Set<AsyncIterator<unknown>>;
}

/** What an operation's root value carries: Yoga's execute/subscribe, and its connection for bookkeeping. */
interface OperationRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
  connection: Connection;
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
  yoga: GraphQLServer,
  options: WebSocketOptions,
): { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const connections = new WeakMap<object, Connection>();
  // Streams running on every connection, and who waits for there to be none (close()).
  let running = 0;
  let whenNoneRunning: (() => void) | undefined;
  const release = (connection: Connection) => {
    connection.slots -= 1;
  };
  /** Tracks one operation's stream: its slot is given back, and close() told, when it ends however it ends. */
  const track = (connection: Connection, stream: AsyncIterable<unknown>): AsyncIterableIterator<unknown> => {
    const inner = stream[Symbol.asyncIterator]();
    let done = false;
    const tracked: AsyncIterableIterator<unknown> = {
      next: async () => {
        try {
          const result = await inner.next();
          if (result.done) finish();
          return result;
        } catch (error) {
          finish();
          throw error;
        }
      },
      return: async () => {
        finish();
        return (await inner.return?.()) ?? { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    const finish = () => {
      if (done) return;
      done = true;
      connection.streams.delete(tracked);
      release(connection);
      running -= 1;
      if (running === 0) whenNoneRunning?.();
    };
    connection.streams.add(tracked);
    running += 1;
    return tracked;
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
        connections.set(ctx, { ...connection, slots: 0, streams: new Set() });
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const connection = connections.get(ctx);
        if (!connection) return typedErrors(new Error('no connection'));
        if (connection.slots >= options.maxPerConnection)
          return typedErrors(new SubscriptionLimitError('SUBSCRIPTION_MAX_PER_CONNECTION', options.maxPerConnection));
        // Taken before the first await; every refusal below gives it back.
        connection.slots += 1;
        const refuse = (errors: readonly GraphQLError[]) => {
          release(connection);
          return errors;
        };
        // The operation's own request, admitted with the connection's credentials: the gate lets only
        // admitted requests execute (credentials no longer accepted get UNAUTHENTICATED).
        const request = operationRequest(connection);
        if (options.admit) await options.admit(request);
        // Yoga's envelop for this operation: its plugins (the execution gate, limits, masking) and context.
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          request,
          params: payload,
        }) as Enveloped;
        // A trusted document's id runs its document, parsed and validated at start; with
        // PERSISTED_DOCUMENTS_ONLY a document sent as text is refused here, as over HTTP.
        let trusted: DocumentNode | undefined;
        let document: DocumentNode;
        try {
          trusted = yoga.persistedDocuments?.documentFor(payload);
          document = trusted ?? parse(payload.query);
        } catch (error) {
          return refuse(typedErrors(error));
        }
        const errors = trusted ? [] : validate(schema, document);
        if (errors.length > 0) return refuse(errors);
        // Queries and mutations go over HTTP (POST, with CSRF protection): here only subscriptions run.
        if (getOperationAST(document, payload.operationName)?.operation !== OperationTypeNode.SUBSCRIPTION)
          return refuse([
            new TypedGraphQLError(
              'BAD_REQUEST',
              'Only subscriptions go over WebSocket: send queries and mutations as POST /graphql.',
            ),
          ]);
        const root: OperationRoot = { execute, subscribe, connection };
        const args: ExecutionArgs = {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: root,
        };
        return args;
      },
      // Every stream this connection still runs ends with it (graphql-ws can lose one whose id was reused).
      onClose: (ctx) => {
        const connection = connections.get(ctx);
        for (const stream of connection?.streams ?? []) void stream.return?.();
      },
      execute: (args) => (args.rootValue as OperationRoot).execute(args) as never,
      subscribe: async (args) => {
        const root = args.rootValue as OperationRoot;
        const result = await root.subscribe(args);
        if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result)
          return track(root.connection, result as AsyncIterable<unknown>) as never;
        // An execution result (e.g. the arguments were refused): no stream, the slot is free again.
        release(root.connection);
        return result as never;
      },
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
