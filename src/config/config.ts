import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Secret } from '../support/secret.js';

const positiveInt = (fallback: number, max = 3_600_000) =>
  z.coerce.number().int().positive().max(max).default(fallback);

/** `true`/`false`/`1`/`0`; unset means the default. */
const flag = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .optional()
  .transform((value) => (value === undefined ? undefined : value === 'true' || value === '1'));

/** A comma-separated list; blanks dropped. */
const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

/** The environment variables this service reads; unknown variables are ignored. */
const environmentSchema = z.object({
  MONGODB_ATLAS_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://cloud.mongodb.com' })
    .default('https://cloud.mongodb.com')
    .transform((value) => new URL(value))
    .refine((url) => url.pathname === '/' && url.search === '' && url.hash === '', {
      error: 'must be an origin only (scheme, host and optional port), without a path, query or fragment',
    }),
  ATLAS_SNAPSHOT_API: z
    .enum(['auto', 'flex', 'serverless'], { error: 'must be "auto", "flex" or "serverless"' })
    .default('auto'),
  ATLAS_AUTH: z.enum(['auto', 'forward'], { error: 'must be "auto" or "forward"' }).default('auto'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  ATLAS_TIMEOUT_MS: positiveInt(10_000),
  ATLAS_CONNECT_TIMEOUT_MS: positiveInt(5_000),
  ATLAS_HEADERS_TIMEOUT_MS: positiveInt(5_000),
  ATLAS_MAX_ATTEMPTS: positiveInt(3, 10),
  ATLAS_RETRY_BASE_DELAY_MS: positiveInt(100),
  ATLAS_RETRY_MAX_DELAY_MS: positiveInt(2_000),
  ATLAS_RETRY_AFTER_MAX_MS: positiveInt(5_000),
  ATLAS_BREAKER_FAILURES: positiveInt(5, 1_000),
  ATLAS_BREAKER_COOLDOWN_MS: positiveInt(10_000),
  ATLAS_RATE_LIMIT_HOLD_MAX_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  UPSTREAM_CONCURRENCY: positiveInt(8, 64),
  SHUTDOWN_GRACE_MS: positiveInt(10_000),
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(3_600_000).default(0),
  METRICS: z.enum(['off', 'public', 'auth', 'port'], { error: 'must be "off", "public", "auth" or "port"' }).optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().optional(),
  GRAPHQL_MAX_ALIASES: positiveInt(15, 1_000),
  GRAPHQL_MAX_DEPTH: positiveInt(6, 100),
  GRAPHQL_MAX_TOKENS: positiveInt(1_000, 100_000),
  GRAPHQL_MAX_DIRECTIVES: positiveInt(50, 1_000),
  GRAPHQL_MAX_COST: positiveInt(5_000, 1_000_000),
  GRAPHQL_MAX_ITEMS: positiveInt(1_000, 100_000),
  GRAPHQL_INTROSPECTION: flag,
  FEDERATION_SERVICE_SDL: flag,
  GRAPHIQL: flag,
  UPSTREAM_MAX_KEYS: positiveInt(100, 10_000),
  UPSTREAM_MAX_REPRESENTATIONS: positiveInt(200, 10_000),
  UPSTREAM_MAX_BYTES_PER_REQUEST: positiveInt(4 * 1_048_576, 1_024 * 1_048_576),
  UPSTREAM_MAX_BYTES_IN_FLIGHT: positiveInt(8 * 1_048_576, 4_096 * 1_048_576),
  MAX_BODY_BYTES: positiveInt(1_048_576, 64 * 1_048_576),
  HTTP_HEADERS_TIMEOUT_MS: positiveInt(10_000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt(30_000),
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  ALLOW_UNAUTHENTICATED: flag,
  CORS_ORIGINS: list,
  AUTH_API_KEYS: list,
});

/**
 * How the service authenticates to Atlas. `none` means demo mode (the embedded simulator);
 * `forward` passes each caller's own bearer token through.
 */
export type AtlasCredentials =
  | { kind: 'none' }
  | { kind: 'api-key'; publicKey: string; privateKey: Secret }
  | { kind: 'service-account'; clientId: string; clientSecret: Secret }
  | { kind: 'forward' };

type Environment = z.output<typeof environmentSchema>;

/**
 * Who may read the Prometheus metrics: `off` (nobody), `public` (anyone who reaches PORT), `auth`
 * (on PORT, with the same caller credentials as /graphql) or `port` (only on METRICS_PORT, a
 * listener of its own on HOST that serves nothing else).
 */
export type MetricsAccess = 'off' | 'public' | 'auth' | 'port';

/** Whether callers authenticate at all (AUTH_API_KEYS or AUTH_JWKS_URL). */
const callerAuthConfigured = (e: Environment) => e.AUTH_API_KEYS.length > 0 || e.AUTH_JWKS_URL !== undefined;

/**
 * METRICS when set, else `port` when METRICS_PORT is set, else never more open than /graphql: `auth`
 * when callers authenticate, `public` in demo mode or with ALLOW_UNAUTHENTICATED=true, `off` otherwise
 * (forward mode without caller authentication: the door is open but nothing behind it is).
 */
function metricsFrom(e: Environment, credentials: AtlasCredentials) {
  const open = credentials.kind === 'none' || e.ALLOW_UNAUTHENTICATED === true;
  const fallback: MetricsAccess = callerAuthConfigured(e) ? 'auth' : open ? 'public' : 'off';
  return {
    access: e.METRICS ?? (e.METRICS_PORT === undefined ? fallback : 'port'),
    /** Port of the metrics listener (METRICS=port); 0 picks a free one. @default 9464 */
    port: e.METRICS_PORT ?? 9464,
  };
}

/** Metrics variables that contradict each other or the rest (each is valid alone). */
function metricsProblems(e: Environment): string[] {
  const problems: string[] = [];
  if (e.METRICS === 'auth' && !callerAuthConfigured(e))
    problems.push('METRICS=auth needs caller authentication: set AUTH_API_KEYS or AUTH_JWKS_URL');
  if (e.METRICS !== undefined && e.METRICS !== 'port' && e.METRICS_PORT !== undefined)
    problems.push('METRICS_PORT is set but METRICS is not "port"');
  const port =
    e.METRICS === 'port' || (e.METRICS === undefined && e.METRICS_PORT !== undefined)
      ? (e.METRICS_PORT ?? 9464)
      : undefined;
  if (port !== undefined && port !== 0 && port === e.PORT) problems.push('METRICS_PORT must differ from PORT');
  return problems;
}

/**
 * Who may call this service. Keys are kept only as SHA-256 digests; `required` is false in demo and
 * forward modes (nothing to protect, or the caller's own Atlas token) and with ALLOW_UNAUTHENTICATED.
 */
export interface CallerAuth {
  required: boolean;
  /** SHA-256 digests of the static keys of AUTH_API_KEYS. */
  apiKeyDigests: Buffer[];
  jwt?: { jwksUrl: URL; issuer?: string; audience?: string };
}

/** `sha256:<64 hex>` entries are digests already; anything else is a key to hash (and to scrub from logs). */
const keyDigest = (entry: string) =>
  /^sha256:[0-9a-f]{64}$/i.test(entry)
    ? Buffer.from(entry.slice(7), 'hex')
    : createHash('sha256').update(new Secret(entry).reveal()).digest();

function callerAuthFrom(e: Environment, credentials: AtlasCredentials): CallerAuth {
  const holdsSecrets = credentials.kind === 'api-key' || credentials.kind === 'service-account';
  return {
    required: holdsSecrets && e.ALLOW_UNAUTHENTICATED !== true,
    apiKeyDigests: e.AUTH_API_KEYS.map(keyDigest),
    ...(e.AUTH_JWKS_URL
      ? {
          jwt: {
            jwksUrl: new URL(e.AUTH_JWKS_URL),
            ...(e.AUTH_ISSUER ? { issuer: e.AUTH_ISSUER } : {}),
            ...(e.AUTH_AUDIENCE ? { audience: e.AUTH_AUDIENCE } : {}),
          },
        }
      : {}),
  };
}

/** Builds the config from a valid environment and the chosen credentials. */
function toConfig(e: Environment, credentials: AtlasCredentials, notes: string[]) {
  return {
    /** `demo` starts the embedded Atlas simulator; `atlas` talks to `atlasBaseUrl`. */
    mode: credentials.kind === 'none' ? ('demo' as const) : ('atlas' as const),
    /** @default https://cloud.mongodb.com */
    atlasBaseUrl: e.MONGODB_ATLAS_BASE_URL,
    credentials,
    /** Things worth logging at start-up, e.g. which of two credential sets won. */
    notes,
    /** Which operation family serves serverless-named lookups: Flex first with fallback, or one only. @default auto */
    snapshotApi: e.ATLAS_SNAPSHOT_API,
    /** @default 4000 */
    port: e.PORT,
    /** @default 127.0.0.1 */
    host: e.HOST,
    upstream: {
      /** Total deadline of one upstream call, all attempts included, in ms. @default 10000 */
      timeoutMs: e.ATLAS_TIMEOUT_MS,
      /** TCP/TLS connect deadline of one attempt (at most the total). @default 5000 */
      connectTimeoutMs: Math.min(e.ATLAS_CONNECT_TIMEOUT_MS, e.ATLAS_TIMEOUT_MS),
      /** Time to the response headers (first byte) of one attempt (at most the total). @default 5000 */
      headersTimeoutMs: Math.min(e.ATLAS_HEADERS_TIMEOUT_MS, e.ATLAS_TIMEOUT_MS),
      /** Attempts per call, the first included. @default 3 */
      maxAttempts: e.ATLAS_MAX_ATTEMPTS,
      /** @default 100 */
      retryBaseDelayMs: e.ATLAS_RETRY_BASE_DELAY_MS,
      /** @default 2000 */
      retryMaxDelayMs: e.ATLAS_RETRY_MAX_DELAY_MS,
      /** Longest `Retry-After` honoured; a longer one ends the call. @default 5000 */
      retryAfterMaxMs: e.ATLAS_RETRY_AFTER_MAX_MS,
      /** Consecutive failed calls that open the circuit. @default 5 */
      breakerFailures: e.ATLAS_BREAKER_FAILURES,
      /** How long an open circuit fails fast before it lets a probe through. @default 10000 */
      breakerCooldownMs: e.ATLAS_BREAKER_COOLDOWN_MS,
      /** Longest pause of an endpoint family after Atlas's 429 `Retry-After` (calls fail fast meanwhile); 0 turns it off. @default 60000 */
      rateLimitHoldMaxMs: e.ATLAS_RATE_LIMIT_HOLD_MAX_MS,
      /** Upstream calls in flight at once for one GraphQL request. @default 8 */
      concurrency: e.UPSTREAM_CONCURRENCY,
    },
    /** How long a shutdown waits for in-flight requests, in ms. @default 10000 */
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    /**
     * How long a shutdown keeps serving with /readiness at 503 (draining) before it stops accepting,
     * so that load balancers take the replica out first; set it above their probe period × threshold. @default 0
     */
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    /** Who may read /metrics, and where (see MetricsAccess). @default auth with caller auth, public in demo mode or with ALLOW_UNAUTHENTICATED, else off */
    metrics: metricsFrom(e, credentials),
    limits: {
      /** @default 15 */ aliases: e.GRAPHQL_MAX_ALIASES,
      /** @default 6 */ depth: e.GRAPHQL_MAX_DEPTH,
      /** @default 1000 */ tokens: e.GRAPHQL_MAX_TOKENS,
      /** @default 50 */ directives: e.GRAPHQL_MAX_DIRECTIVES,
      /** @default 5000 */ cost: e.GRAPHQL_MAX_COST,
      /** List items one operation may ask Atlas for (every `first`, every `_entities` representation). @default 1000 */ items:
        e.GRAPHQL_MAX_ITEMS,
      /** Atlas calls one request may make, routing probes included (env name kept from when it counted lookups). @default 100 */ upstreamCalls:
        e.UPSTREAM_MAX_KEYS,
      /** Representations one `_entities` call may carry. @default 200 */ representations:
        e.UPSTREAM_MAX_REPRESENTATIONS,
      /** Bytes of Atlas responses one request may receive. @default 4 MiB */ upstreamBytesPerRequest:
        e.UPSTREAM_MAX_BYTES_PER_REQUEST,
      /** Bytes of Atlas responses all requests in flight may hold at once; past it a request gets SERVER_BUSY. @default 8 MiB */
      upstreamBytesInFlight: e.UPSTREAM_MAX_BYTES_IN_FLIGHT,
      /** Largest request body, in bytes. @default 1 MiB */ bodyBytes: e.MAX_BODY_BYTES,
      /** Node's headersTimeout: a client gets this long to send its headers. @default 10000 */ headersTimeoutMs:
        e.HTTP_HEADERS_TIMEOUT_MS,
      /** Node's requestTimeout: and this long for the whole request. @default 30000 */ requestTimeoutMs:
        e.HTTP_REQUEST_TIMEOUT_MS,
    },
    /** Off by default when NODE_ENV=production. */
    introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    graphiql: e.GRAPHIQL ?? e.NODE_ENV !== 'production',
    /** Whether `_service { sdl }` answers (to authenticated callers). @default the introspection setting */
    federationServiceSdl: e.FEDERATION_SERVICE_SDL ?? e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    /** Who may call this service (see callerAuth). */
    callerAuth: callerAuthFrom(e, credentials),
    /** Origins allowed by CORS; empty means closed (demo mode: open). */
    corsOrigins: e.CORS_ORIGINS,
    /** @default info */
    logLevel: e.LOG_LEVEL,
  };
}

/** The validated configuration of one process (deeply frozen). */
export type Config = Readonly<ReturnType<typeof toConfig>>;

/** Thrown when the environment is invalid; `problems` lists every bad variable at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment; never echoes a variable's value (it may be a secret). */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = environmentSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  const publicKey = firstSet(env, ['MONGODB_ATLAS_PUBLIC_API_KEY', 'MONGODB_ATLAS_PUBLIC_KEY']);
  const privateKey = firstSet(env, ['MONGODB_ATLAS_PRIVATE_API_KEY', 'MONGODB_ATLAS_PRIVATE_KEY']);
  const clientId = firstSet(env, ['MONGODB_ATLAS_CLIENT_ID']);
  const clientSecret = firstSet(env, ['MONGODB_ATLAS_CLIENT_SECRET']);
  if ((publicKey === undefined) !== (privateKey === undefined)) {
    const missing = publicKey === undefined ? 'MONGODB_ATLAS_PUBLIC_API_KEY' : 'MONGODB_ATLAS_PRIVATE_API_KEY';
    problems.push(`${missing} is missing: an API key needs both the public and the private key`);
  }
  if ((clientId === undefined) !== (clientSecret === undefined)) {
    const missing = clientId === undefined ? 'MONGODB_ATLAS_CLIENT_ID' : 'MONGODB_ATLAS_CLIENT_SECRET';
    problems.push(`${missing} is missing: a service account needs both the client id and the client secret`);
  }
  if (parsed.success) problems.push(...metricsProblems(parsed.data));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);

  const notes: string[] = [];
  let credentials: AtlasCredentials = { kind: 'none' };
  if (parsed.data.ATLAS_AUTH === 'forward') {
    credentials = { kind: 'forward' };
    if (clientId || publicKey) notes.push('ATLAS_AUTH=forward: the configured Atlas credentials are ignored');
  } else if (clientId !== undefined && clientSecret !== undefined) {
    credentials = { kind: 'service-account', clientId, clientSecret: new Secret(clientSecret) };
    if (publicKey)
      notes.push('both a service account and an API key are set: using the service account (as the Atlas CLI does)');
  } else if (publicKey !== undefined && privateKey !== undefined) {
    credentials = { kind: 'api-key', publicKey, privateKey: new Secret(privateKey) };
  }
  const holdsSecrets = credentials.kind === 'api-key' || credentials.kind === 'service-account';
  const callerAuthSet = parsed.data.AUTH_API_KEYS.length > 0 || parsed.data.AUTH_JWKS_URL !== undefined;
  if (holdsSecrets && !callerAuthSet) {
    if (parsed.data.ALLOW_UNAUTHENTICATED !== true) {
      throw new ConfigError([
        'this server holds Atlas credentials, so callers must authenticate: set AUTH_API_KEYS or AUTH_JWKS_URL (or ALLOW_UNAUTHENTICATED=true to serve anyone who can reach it)',
      ]);
    }
    notes.push(
      'ALLOW_UNAUTHENTICATED=true: anyone who can reach this server can read backup metadata with its Atlas credentials',
    );
  }
  const config = toConfig(parsed.data, credentials, notes);
  Object.freeze(config.upstream);
  Object.freeze(config.limits);
  Object.freeze(config.metrics);
  return Object.freeze(config);
}

/** The first of several alias variables that is set to something other than blanks (Atlas CLI name first). */
function firstSet(env: NodeJS.ProcessEnv, names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}
