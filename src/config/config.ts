import type { ApiKey } from './api-keys.js';
import { chooseCredentials, credentialProblems, type AtlasCredentials } from './credentials.js';
import { deepFreeze, type DeepReadonly } from './deep-freeze.js';
import { atlasKeysSchema, environmentSchema, METRICS_PORT_DEFAULT, type Environment } from './environment.js';
import { persistedDocumentsFrom, persistedDocumentsProblems } from './persisted-documents.js';
import { tracingFrom } from './tracing.js';

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
  const open = credentials.kind === 'none' || e.ALLOW_UNAUTHENTICATED;
  const fallback: MetricsAccess = callerAuthConfigured(e) ? 'auth' : open ? 'public' : 'off';
  return {
    access: e.METRICS ?? (e.METRICS_PORT === undefined ? fallback : 'port'),
    /** Port of the metrics listener (METRICS=port); 0 picks a free one. */
    port: e.METRICS_PORT ?? METRICS_PORT_DEFAULT,
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
      ? (e.METRICS_PORT ?? METRICS_PORT_DEFAULT)
      : undefined;
  if (port !== undefined && port !== 0 && port === e.PORT) problems.push('METRICS_PORT must differ from PORT');
  return problems;
}

/** Forward mode sends each caller's `Authorization` to Atlas: a JWT in it would go to Atlas too. */
function forwardProblems(e: Environment): string[] {
  if (e.ATLAS_AUTH !== 'forward' || e.AUTH_JWKS_URL === undefined) return [];
  return [
    "AUTH_JWKS_URL cannot be used with ATLAS_AUTH=forward: the caller's Authorization header carries their Atlas token there (callers authenticate with AUTH_API_KEYS, sent as x-api-key)",
  ];
}

/**
 * Who may call this service. Keys are kept only as SHA-256 digests; `required` is false in demo and
 * forward modes (nothing to protect, or the caller's own Atlas token) and with ALLOW_UNAUTHENTICATED.
 */
export interface CallerAuth {
  readonly required: boolean;
  /** Whether callers may present a key or JWT as `Authorization: Bearer`; not in forward mode, where that header is Atlas's. */
  readonly bearer: boolean;
  /** The static keys of AUTH_API_KEYS: name, SHA-256 digest and scopes of each. */
  readonly apiKeys: readonly ApiKey[];
  readonly jwt?: {
    readonly jwksUrl: URL;
    readonly issuer?: string;
    readonly audience?: string;
    /** AUTH_SCOPES_CLAIM; unset: `scope` and `scp`. */
    readonly scopesClaim?: string;
  };
}

function callerAuthFrom(e: Environment, credentials: AtlasCredentials): CallerAuth {
  const holdsSecrets = credentials.kind === 'api-key' || credentials.kind === 'service-account';
  return {
    required: holdsSecrets && !e.ALLOW_UNAUTHENTICATED,
    bearer: credentials.kind !== 'forward',
    apiKeys: e.AUTH_API_KEYS,
    ...(e.AUTH_JWKS_URL
      ? {
          jwt: {
            jwksUrl: new URL(e.AUTH_JWKS_URL),
            ...(e.AUTH_ISSUER ? { issuer: e.AUTH_ISSUER } : {}),
            ...(e.AUTH_AUDIENCE ? { audience: e.AUTH_AUDIENCE } : {}),
            ...(e.AUTH_SCOPES_CLAIM ? { scopesClaim: e.AUTH_SCOPES_CLAIM } : {}),
          },
        }
      : {}),
  };
}

/** The config sections, each in the shape its consumer takes; fields are documented by their variables (environment.ts). */
function toConfig(e: Environment, credentials: AtlasCredentials, notes: string[]) {
  const graphiql = e.GRAPHIQL ?? e.NODE_ENV !== 'production';
  return {
    /** `demo` starts the embedded Atlas simulator; `atlas` talks to `atlasBaseUrl`. */
    mode: credentials.kind === 'none' ? ('demo' as const) : ('atlas' as const),
    atlasBaseUrl: e.MONGODB_ATLAS_BASE_URL,
    credentials,
    /** Things worth logging at start-up, e.g. which of two credential sets won. */
    notes,
    snapshotApi: e.ATLAS_SNAPSHOT_API,
    port: e.PORT,
    host: e.HOST,
    /** Spread into `new AtlasClient({...})`: deadlines, retries, breaker, rate-limit holds. */
    atlasClient: {
      timeoutMs: e.ATLAS_TIMEOUT_MS,
      connectTimeoutMs: Math.min(e.ATLAS_CONNECT_TIMEOUT_MS, e.ATLAS_TIMEOUT_MS),
      headersTimeoutMs: Math.min(e.ATLAS_HEADERS_TIMEOUT_MS, e.ATLAS_TIMEOUT_MS),
      retry: {
        maxAttempts: e.ATLAS_MAX_ATTEMPTS,
        baseDelayMs: e.ATLAS_RETRY_BASE_DELAY_MS,
        maxDelayMs: e.ATLAS_RETRY_MAX_DELAY_MS,
        retryAfterMaxMs: e.ATLAS_RETRY_AFTER_MAX_MS,
      },
      breaker: { failures: e.ATLAS_BREAKER_FAILURES, cooldownMs: e.ATLAS_BREAKER_COOLDOWN_MS },
      rateLimitHoldMaxMs: e.ATLAS_RATE_LIMIT_HOLD_MAX_MS,
      rateLimitPerMinute: e.ATLAS_RATE_LIMIT_PER_MINUTE,
      rateWaitMs: e.ATLAS_RATE_WAIT_MS,
    },
    /** Redis shared by the replicas; undefined: nothing is shared. */
    redis:
      e.REDIS_URL === undefined
        ? undefined
        : {
            url: e.REDIS_URL,
            keyPrefix: e.REDIS_KEY_PREFIX,
            timeoutMs: e.REDIS_TIMEOUT_MS,
            /** FLEET_REPLICAS: each replica's share of the shared budgets while Redis is away is 1/replicas. */
            replicas: e.FLEET_REPLICAS,
          },
    /** The record cache: TTLs by kind of answer (all 0: off), and the in-process cache's size. */
    cache: {
      ttls: {
        completedMs: e.CACHE_TTL_COMPLETED_S * 1000,
        activeMs: e.CACHE_TTL_ACTIVE_S * 1000,
        listMs: e.CACHE_TTL_LIST_S * 1000,
        notFoundMs: e.CACHE_TTL_NOT_FOUND_S * 1000,
      },
      memoryMaxBytes: e.CACHE_MEMORY_MAX_BYTES,
      inProcess: e.CACHE_IN_PROCESS,
      /** Outside production, answers shared between requests are frozen: a resolver that changes one fails its tests. */
      freezeShared: e.NODE_ENV !== 'production',
    },
    /** Spans over OTLP/HTTP; undefined: no tracing at all (no SDK loaded). */
    tracing: tracingFrom(e, notes),
    /** Subscriptions and their pollers. */
    liveStatus: {
      pollMs: e.SUBSCRIPTION_POLL_MS,
      idlePollMs: e.SUBSCRIPTION_IDLE_POLL_MS,
      maxPerConnection: e.SUBSCRIPTION_MAX_PER_CONNECTION,
      maxSubscriptions: e.SUBSCRIPTION_MAX_TOTAL,
      maxResources: e.SUBSCRIPTION_MAX_RESOURCES,
      keepAliveMs: e.SUBSCRIPTION_KEEPALIVE_MS,
    },
    /** The backup mutations' idempotency keys: how long and how many are kept. */
    idempotency: { ttlMs: e.IDEMPOTENCY_TTL_S * 1000, maxKeys: e.IDEMPOTENCY_MAX_KEYS },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    /** Who may read /metrics, and where (see MetricsAccess). */
    metrics: metricsFrom(e, credentials),
    limits: {
      aliases: e.GRAPHQL_MAX_ALIASES,
      depth: e.GRAPHQL_MAX_DEPTH,
      tokens: e.GRAPHQL_MAX_TOKENS,
      directives: e.GRAPHQL_MAX_DIRECTIVES,
      cost: e.GRAPHQL_MAX_COST,
      items: e.GRAPHQL_MAX_ITEMS,
      responseBytes: e.GRAPHQL_MAX_RESPONSE_BYTES,
      /** UPSTREAM_MAX_KEYS (the name kept from when it counted lookups). */
      upstreamCalls: e.UPSTREAM_MAX_KEYS,
      upstreamConcurrency: e.UPSTREAM_CONCURRENCY,
      representations: e.UPSTREAM_MAX_REPRESENTATIONS,
      upstreamBytesPerRequest: e.UPSTREAM_MAX_BYTES_PER_REQUEST,
      upstreamBytesInFlight: e.UPSTREAM_MAX_BYTES_IN_FLIGHT,
      callerCallsPerMinute: e.CALLER_MAX_ATLAS_CALLS_PER_MINUTE,
      callerBytesInFlight: e.CALLER_MAX_BYTES_IN_FLIGHT ?? Math.floor(e.UPSTREAM_MAX_BYTES_IN_FLIGHT / 4),
      bodyBytes: e.MAX_BODY_BYTES,
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
    },
    introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    graphiql,
    /** Trusted documents (PERSISTED_DOCUMENTS_FILE); undefined: none, any document runs. */
    persistedDocuments: persistedDocumentsFrom(e, graphiql, notes),
    federationServiceSdl: e.FEDERATION_SERVICE_SDL ?? e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    /** Who may call this service (see CallerAuth). */
    callerAuth: callerAuthFrom(e, credentials),
    /** Empty means closed (demo mode: open). */
    corsOrigins: e.CORS_ORIGINS,
    logLevel: e.LOG_LEVEL,
    /** Passed to the embedded simulator in demo mode. */
    demo: { serverlessSunset: e.SIM_SERVERLESS_SUNSET },
  };
}

/** The validated configuration of one process (deeply frozen). */
export type Config = DeepReadonly<ReturnType<typeof toConfig>>;

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
  problems.push(...credentialProblems(atlasKeysSchema.parse(env)));
  if (parsed.success)
    problems.push(
      ...metricsProblems(parsed.data),
      ...forwardProblems(parsed.data),
      ...persistedDocumentsProblems(parsed.data),
    );
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);

  const e = parsed.data;
  const { credentials, notes } = chooseCredentials(e, e.ATLAS_AUTH);
  const holdsSecrets = credentials.kind === 'api-key' || credentials.kind === 'service-account';
  if (holdsSecrets && !callerAuthConfigured(e)) {
    if (!e.ALLOW_UNAUTHENTICATED) {
      throw new ConfigError([
        'this server holds Atlas credentials, so callers must authenticate: set AUTH_API_KEYS or AUTH_JWKS_URL (or ALLOW_UNAUTHENTICATED=true to serve anyone who can reach it)',
      ]);
    }
    notes.push(
      'ALLOW_UNAUTHENTICATED=true: anyone who can reach this server can read backup metadata with its Atlas credentials',
    );
  }
  return deepFreeze(toConfig(e, credentials, notes));
}
