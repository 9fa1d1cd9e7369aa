import { z } from 'zod';
import { apiKeyList } from './api-keys.js';
import { persistedDocumentsVariables } from './persisted-documents.js';
import { redisUrlVariable } from './redis-url.js';
import { tracingVariables } from './tracing.js';
import { flag, flagDefault, httpUrl, list, nonNegativeInt, port, positiveInt, secret, text } from './variable-types.js';

// The one description of the environment: every variable's type, default and meaning. config.ts turns
// the parsed values into the sections the code takes; docs/configuration.md is printed from here.

/** The metrics listener's port when METRICS=port and METRICS_PORT is unset. */
export const METRICS_PORT_DEFAULT = 9464;

/** Atlas credentials: read even when other variables are invalid, to report a half-set pair too. */
const atlasKeys = {
  MONGODB_ATLAS_CLIENT_ID: text.describe(
    'Atlas service account id (OAuth 2.0 client credentials). Wins over an API key when both are set.',
  ),
  MONGODB_ATLAS_CLIENT_SECRET: secret.describe('Atlas service account secret.'),
  MONGODB_ATLAS_PUBLIC_API_KEY: text.describe('Atlas API key, public part (HTTP Digest).'),
  MONGODB_ATLAS_PRIVATE_API_KEY: secret.describe('Atlas API key, private part.'),
  MONGODB_ATLAS_PUBLIC_KEY: text.describe(
    "The Terraform provider's name of `MONGODB_ATLAS_PUBLIC_API_KEY` (used when that is unset).",
  ),
  MONGODB_ATLAS_PRIVATE_KEY: secret.describe(
    "The Terraform provider's name of `MONGODB_ATLAS_PRIVATE_API_KEY` (used when that is unset).",
  ),
};

/** The credential variables alone; this parse never fails. */
export const atlasKeysSchema = z.object(atlasKeys);

const atlas = {
  MONGODB_ATLAS_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://cloud.mongodb.com' })
    .default('https://cloud.mongodb.com')
    .transform((value) => new URL(value))
    .refine((url) => url.pathname === '/' && url.search === '' && url.hash === '', {
      error: 'must be an origin only (scheme, host and optional port), without a path, query or fragment',
    })
    .describe('Atlas origin (scheme, host, port; no path). The token endpoint is `/api/oauth/token` on it.'),
  ...atlasKeys,
  ATLAS_AUTH: z
    .enum(['auto', 'forward'], { error: 'must be "auto" or "forward"' })
    .default('auto')
    .describe(
      "`auto`: service account, else API key, else demo mode. `forward`: hold no Atlas secret, forward each caller's `Authorization: Bearer`.",
    ),
  ATLAS_SNAPSHOT_API: z
    .enum(['auto', 'flex', 'serverless'], { error: 'must be "auto", "flex" or "serverless"' })
    .default('auto')
    .describe(
      'Which operation family serves serverless-named lookups: `auto` asks Flex first and falls back to the legacy serverless API; `flex` or `serverless`: that API only.',
    ),
};

const server = {
  PORT: port().default(4000).describe('GraphQL server port (`0` picks a free one).'),
  HOST: z.string().min(1).default('127.0.0.1').describe('Interface to listen on (`0.0.0.0` for all).'),
  NODE_ENV: z
    .string()
    .optional()
    .describe('`production` turns introspection, GraphiQL and `_service { sdl }` off by default.'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Level of the JSON log lines on stdout.'),
  SHUTDOWN_GRACE_MS: positiveInt(10_000).describe('How long SIGTERM/SIGINT waits for in-flight requests.'),
  SHUTDOWN_DRAIN_MS: nonNegativeInt(0).describe(
    "How long SIGTERM/SIGINT keeps serving with `/readiness` at 503 before it stops accepting; set it above the load balancer's probe period × threshold.",
  ),
  HTTP_HEADERS_TIMEOUT_MS: positiveInt(10_000).describe(
    'Time a client gets to send its request headers (slow-loris cut-off).',
  ),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt(30_000).describe('Time a client gets to send its whole request.'),
  MAX_BODY_BYTES: positiveInt(1_048_576, 64 * 1_048_576).describe(
    'Largest request body (chunked included); larger gets 413.',
  ),
};

const atlasCalls = {
  ATLAS_TIMEOUT_MS: positiveInt(10_000).describe(
    'Total deadline of one Atlas call: every attempt, back-off and body included.',
  ),
  ATLAS_CONNECT_TIMEOUT_MS: positiveInt(5_000).describe(
    'TCP/TLS connect deadline of one attempt (never more than the total).',
  ),
  ATLAS_HEADERS_TIMEOUT_MS: positiveInt(5_000).describe(
    'Deadline for the response headers (first byte) of one attempt (never more than the total).',
  ),
  ATLAS_MAX_ATTEMPTS: positiveInt(3, 10).describe('Attempts per call, the first included.'),
  ATLAS_RETRY_BASE_DELAY_MS: positiveInt(100).describe(
    'Back-off ceiling of the first retry; doubles per retry (jittered).',
  ),
  ATLAS_RETRY_MAX_DELAY_MS: positiveInt(2_000).describe('Largest back-off ceiling.'),
  ATLAS_RETRY_AFTER_MAX_MS: positiveInt(5_000).describe(
    'Longest `Retry-After` honoured; a longer one ends the call with `RATE_LIMITED` at once.',
  ),
  ATLAS_BREAKER_FAILURES: positiveInt(5, 1_000).describe(
    'Consecutive failed calls (5xx, connection errors, timeouts) that open the circuit.',
  ),
  ATLAS_BREAKER_COOLDOWN_MS: positiveInt(10_000).describe(
    'How long an open circuit fails fast before one probe call is let through.',
  ),
  ATLAS_RATE_LIMIT_HOLD_MAX_MS: nonNegativeInt(60_000).describe(
    'Longest pause of an endpoint family and project after a 429 with `Retry-After` (calls fail fast meanwhile); 0 turns pauses off.',
  ),
  ATLAS_RATE_LIMIT_PER_MINUTE: nonNegativeInt(1_000, 1_000_000).describe(
    'Atlas calls a minute per endpoint family and project (in forward mode also per caller token) that this service makes, the whole fleet together when `REDIS_URL` is set: a token bucket of this size, refilled at this rate and lowered by every answer’s `RateLimit-Remaining`, so that Atlas never has to answer 429 (it allows 1,200 on the backup endpoints). A call finding it empty waits up to `ATLAS_RATE_WAIT_MS`, else fails with `RATE_LIMITED` and no call is made. 0 turns it off.',
  ),
  ATLAS_RATE_WAIT_MS: nonNegativeInt(1_000, 60_000).describe(
    'Longest wait of a call for its turn in the `ATLAS_RATE_LIMIT_PER_MINUTE` budget (never past the call’s deadline); a call whose turn comes later fails at once with `RATE_LIMITED` and `retryAfterSeconds`.',
  ),
};

const callers = {
  AUTH_API_KEYS: apiKeyList.describe(
    'Static caller keys, sent as `Authorization: Bearer <key>` or `x-api-key: <key>`. Comma-separated entries `[name@]key[ scope …]`: an optional name (1–64 letters, digits, `-_.`; the audit log shows it, else the key digest’s first 16 hex digits), then the key or its digest `sha256:<64 hex>`, then the scopes it grants, separated by spaces, e.g. `dashboard@s3cr3t backups:restore backups:download, ci@sha256:<64 hex> backups:snapshot`. Every key holds `backups:read`: a key without scopes is read-only. A key containing `@` must be given as its digest. An unknown scope, a repeated name or key stops the start (naming the entry, never the key). Scopes: see docs/security.md.',
  ),
  AUTH_JWKS_URL: httpUrl.optional().describe('Accept bearer JWTs verified against this JWKS.'),
  AUTH_ISSUER: z.string().min(1).optional().describe('The `iss` a JWT must carry (with `AUTH_JWKS_URL`).'),
  AUTH_AUDIENCE: z.string().min(1).optional().describe('The `aud` a JWT must carry (with `AUTH_JWKS_URL`).'),
  AUTH_SCOPES_CLAIM: z
    .string()
    .regex(/^[A-Za-z0-9_:.-]{1,64}$/, { error: 'must be a claim name (letters, digits, `_:.-`)' })
    .optional()
    .meta({
      description:
        'The JWT claim that carries the caller’s scopes: a space-separated string or an array of strings. Only `backups:*` scopes this service knows count; every accepted JWT holds `backups:read`.',
      defaultText: '`scope` (space-separated, RFC 8693) and `scp` (array or string)',
    }),
  ALLOW_UNAUTHENTICATED: flagDefault(false).describe(
    'Serve anyone who can reach the server although it holds Atlas credentials (it refuses to start otherwise without `AUTH_API_KEYS` or `AUTH_JWKS_URL`).',
  ),
  CORS_ORIGINS: list.meta({
    description: 'Comma-separated origins allowed by CORS.',
    defaultText: 'none (closed); open in demo mode',
  }),
};

const graphql = {
  GRAPHQL_INTROSPECTION: flag.meta({
    description: 'Answer introspection queries.',
    defaultText: '`true` unless `NODE_ENV=production`',
  }),
  GRAPHIQL: flag.meta({
    description: 'Serve GraphiQL on `/graphql`.',
    defaultText: '`true` unless `NODE_ENV=production`',
  }),
  FEDERATION_SERVICE_SDL: flag.meta({
    description: 'Answer `_service { sdl }` (to authenticated callers).',
    defaultText: 'as `GRAPHQL_INTROSPECTION`',
  }),
};

const limits = {
  GRAPHQL_MAX_ALIASES: positiveInt(15, 1_000).describe('Aliases per operation (`__typename` aliases count too).'),
  GRAPHQL_MAX_DEPTH: positiveInt(6, 100).describe('Depth of an operation.'),
  GRAPHQL_MAX_TOKENS: positiveInt(1_000, 100_000).describe('Tokens of an operation.'),
  GRAPHQL_MAX_DIRECTIVES: positiveInt(50, 1_000).describe('Directives of an operation.'),
  GRAPHQL_MAX_COST: positiveInt(5_000, 1_000_000).describe(
    'Cost: objects, each multiplied by the `first` of the connections above it (variables included); scalars are free.',
  ),
  GRAPHQL_MAX_ITEMS: positiveInt(1_000, 100_000).describe(
    'List items one operation may ask Atlas for (every `first`, every `_entities` representation).',
  ),
  GRAPHQL_MAX_RESPONSE_BYTES: positiveInt(4 * 1_048_576, 1_024 * 1_048_576).describe(
    'Bytes of one response as JSON; a larger one is replaced by a `QUERY_TOO_EXPENSIVE` error (aliases repeating a large field).',
  ),
  UPSTREAM_MAX_KEYS: positiveInt(100, 10_000).describe(
    'Atlas calls one request may make (routing probes included; identical keys and pages count once).',
  ),
  UPSTREAM_MAX_REPRESENTATIONS: positiveInt(200, 10_000).describe('Representations one `_entities` call may carry.'),
  UPSTREAM_CONCURRENCY: positiveInt(8, 64).describe('Atlas calls in flight at once for one GraphQL request.'),
  UPSTREAM_MAX_BYTES_PER_REQUEST: positiveInt(4 * 1_048_576, 1_024 * 1_048_576).describe(
    'Bytes of Atlas responses one request may receive.',
  ),
  UPSTREAM_MAX_BYTES_IN_FLIGHT: positiveInt(6 * 1_048_576, 4_096 * 1_048_576).describe(
    'Bytes of Atlas responses all requests in flight may hold at once; past it a request gets `SERVER_BUSY`.',
  ),
};

const fairness = {
  CALLER_MAX_ATLAS_CALLS_PER_MINUTE: positiveInt(600, 1_000_000).describe(
    'Atlas calls one caller may make in any rolling minute (half of them at once, the other half as the minute refills them); past it its fields get `RATE_LIMITED` with `retryAfterSeconds`, and no call is made. Atlas allows 1,200 a minute per project, so one caller cannot spend it alone; raise it when one gateway is the only caller.',
  ),
  CALLER_MAX_BYTES_IN_FLIGHT: z.coerce
    .number()
    .int()
    .positive()
    .max(4_096 * 1_048_576)
    .optional()
    .meta({
      description:
        "Bytes of Atlas responses one caller's requests in flight may hold together; past it that caller's requests get `SERVER_BUSY`, not others' (its only request is bound by `UPSTREAM_MAX_BYTES_PER_REQUEST` alone).",
      defaultText: 'a quarter of `UPSTREAM_MAX_BYTES_IN_FLIGHT` (1.5 MiB)',
    }),
};

const actions = {
  IDEMPOTENCY_TTL_S: positiveInt(86_400, 30 * 86_400).describe(
    "How long a backup mutation's `idempotencyKey` is remembered, in seconds: a repeat with the same key and input within it answers the first result without calling Atlas.",
  ),
  IDEMPOTENCY_MAX_KEYS: positiveInt(10_000, 1_000_000).describe(
    'Idempotency keys kept in memory at most; when full, the oldest is forgotten first (before its TTL).',
  ),
};

const liveStatus = {
  SUBSCRIPTION_POLL_MS: positiveInt(5_000, 3_600_000).describe(
    'How often a watched snapshot, restore job or busy cluster is read from Atlas (once per resource, whatever the number of watchers).',
  ),
  SUBSCRIPTION_IDLE_POLL_MS: positiveInt(30_000, 3_600_000).describe(
    "How often a watched cluster's backup activity is read while nothing of it is queued or in progress.",
  ),
  SUBSCRIPTION_MAX_PER_CONNECTION: positiveInt(20, 10_000).describe(
    'Subscriptions one WebSocket connection may hold at once (an SSE request carries one).',
  ),
  SUBSCRIPTION_MAX_TOTAL: positiveInt(5_000, 1_000_000).describe('Subscriptions the process holds at once.'),
  SUBSCRIPTION_MAX_RESOURCES: positiveInt(500, 100_000).describe(
    'Resources polled at once (each one poller, shared by its watchers with the same Atlas credentials).',
  ),
  SUBSCRIPTION_KEEPALIVE_MS: positiveInt(15_000, 600_000).describe(
    'How often a WebSocket connection is pinged, so that proxies keep an idle one open (SSE streams get a comment every 12 s: Yoga’s own).',
  ),
};

const recordCache = {
  CACHE_TTL_COMPLETED_S: nonNegativeInt(300, 86_400).describe(
    'How long a record that changes no more but by retention or deletion is served from the cache, in seconds: a completed or failed snapshot, a finished restore or export job — never past its own `expiresAt`. 0: not cached.',
  ),
  CACHE_TTL_ACTIVE_S: nonNegativeInt(5, 3_600).describe(
    'How long a record still moving is served from the cache, in seconds: a queued or in-progress snapshot, a running restore or export job, a cluster that is not IDLE. 0: not cached.',
  ),
  CACHE_TTL_LIST_S: nonNegativeInt(15, 3_600).describe(
    'How long a list page is served from the cache (no longer than `CACHE_TTL_ACTIVE_S` while it shows something moving), in seconds; also idle clusters, backup schedules, export buckets and the compliance policy. 0: not cached.',
  ),
  CACHE_TTL_NOT_FOUND_S: nonNegativeInt(0, 3_600).describe(
    'How long an Atlas 404 is served from the cache, in seconds. 0: never cached (a resource just created is seen at once). All four TTLs 0 turn the record cache off.',
  ),
  CACHE_IN_PROCESS: flagDefault(true).describe(
    'Without `REDIS_URL`, run the record cache in this process alone (`false`: no record cache without Redis; every read calls Atlas).',
  ),
  CACHE_MEMORY_MAX_BYTES: positiveInt(4 * 1_048_576, 1_073_741_824).describe(
    'Bytes of Atlas answer text the in-process record cache holds at most (without `REDIS_URL`), on the heap beside `UPSTREAM_MAX_BYTES_IN_FLIGHT`; the least recently read go first.',
  ),
};

const fleet = {
  REDIS_URL: redisUrlVariable.optional().meta({
    description:
      'Redis shared by the replicas: record cache, Atlas rate budget, subscription pollers, idempotency keys (docs/fleet.md). One server: `redis://[[user]:password@]host[:port][/db]` (`rediss://` for TLS). Sentinel: `redis+sentinel://[[user]:password@]sentinel1[:26379],sentinel2…/<master name>[/<db>]` (the password is the data nodes’; `?sentinel_username=…&sentinel_password=…` for the sentinels’ own). Cluster: `redis+cluster://[[user]:password@]node1[:6379],node2…` (seed nodes). `rediss+…`: TLS. Unset: every feature runs in this process alone.',
    defaultText: 'unset',
  }),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w.:-]{0,64}$/, { error: 'must be at most 64 letters, digits, `_`, `.`, `:` or `-`' })
    .default('atlas-backups:')
    .describe('Put before every Redis key, so that several deployments can share one Redis.'),
  REDIS_TIMEOUT_MS: positiveInt(50, 10_000).describe(
    'A Redis command not answered within this fails, and the request goes on without Redis (never fails because of it).',
  ),
  FLEET_REPLICAS: positiveInt(1, 1_000).describe(
    'Replicas sharing the Redis: the operator sets it to the replica count. While Redis is away each replica keeps to 1/`FLEET_REPLICAS` of the shared Atlas rate budget (`ATLAS_RATE_LIMIT_PER_MINUTE`), so that the fleet together stays within it.',
  ),
};

const metrics = {
  METRICS: z
    .enum(['off', 'public', 'auth', 'port'], { error: 'must be "off", "public", "auth" or "port"' })
    .optional()
    .meta({
      description:
        'Who may read `/metrics`: `auth` (caller credentials), `port` (only on `METRICS_PORT`), `public`, `off`.',
      defaultText:
        '`port` if `METRICS_PORT` is set, else `auth` with caller authentication, `public` in demo mode or with `ALLOW_UNAUTHENTICATED=true`, else `off`',
    }),
  METRICS_PORT: port()
    .optional()
    .meta({
      description: 'Port of the metrics-only listener on `HOST` (`METRICS=port`; `0` picks a free one).',
      defaultText: `\`${METRICS_PORT_DEFAULT}\``,
    }),
};

const demo = {
  SIM_SERVERLESS_SUNSET: flagDefault(false).describe(
    'The embedded simulator answers the legacy serverless backup operations as retired (410 `VERSION_GONE`), as Atlas does since 2026-01-22.',
  ),
};

/** The sections of the environment, in the order the docs list them. */
export const ENVIRONMENT_SECTIONS = [
  {
    title: 'Atlas',
    about: 'Where Atlas is and which credentials reach it; none at all means demo mode.',
    shape: atlas,
  },
  { title: 'Server', about: 'The listening socket, the process and its logs.', shape: server },
  {
    title: 'Atlas calls',
    about: 'How calls to Atlas are made: deadlines, retries, the circuit breaker, rate-limit pauses.',
    shape: atlasCalls,
  },
  { title: 'Callers', about: 'Who may call this service.', shape: callers },
  { title: 'GraphQL', about: 'What the GraphQL endpoint exposes about itself.', shape: graphql },
  {
    title: 'Trusted documents',
    about:
      'Persisted documents of the frontends, answered by hash without parse or validation; optionally the only documents that run (docs/trusted-documents.md).',
    shape: persistedDocumentsVariables,
  },
  {
    title: 'Limits per request',
    about: 'What one request may cost; a request past a limit is refused before (or instead of) the Atlas call.',
    shape: limits,
  },
  {
    title: 'Fairness between callers',
    about:
      'What one caller may take of what all callers share. A caller is the API key it presented, the issuer and subject of its JWT, or its client address when callers do not authenticate.',
    shape: fairness,
  },
  {
    title: 'Backup actions',
    about: 'The mutations’ guard rails (docs/backup-actions.md).',
    shape: actions,
  },
  {
    title: 'Live status',
    about: 'Subscriptions over SSE and WebSocket, and the Atlas pollers behind them (docs/live-status.md).',
    shape: liveStatus,
  },
  {
    title: 'Record cache',
    about:
      'Atlas answers kept between requests under the per-request loaders, by status (docs/fleet.md "Record cache"): in this process, or shared by the fleet in Redis when `REDIS_URL` is set.',
    shape: recordCache,
  },
  {
    title: 'Fleet',
    about: 'Replicas sharing one Redis; none of it is needed by a single process (docs/fleet.md).',
    shape: fleet,
  },
  {
    title: 'Tracing',
    about:
      'OpenTelemetry spans over OTLP/HTTP, continuing the caller’s W3C `traceparent` and sending it on to Atlas; nothing at all while no endpoint is set (docs/fleet.md).',
    shape: tracingVariables,
  },
  { title: 'Metrics', about: 'Who may read the Prometheus metrics, and where.', shape: metrics },
  {
    title: 'Demo mode',
    about: 'Settings of the embedded Atlas simulator that runs when no Atlas credentials are set; ignored otherwise.',
    shape: demo,
  },
] as const;

/** The environment variables this service reads; unknown variables are ignored. */
export const environmentSchema = z.object({
  ...atlas,
  ...server,
  ...atlasCalls,
  ...callers,
  ...graphql,
  ...persistedDocumentsVariables,
  ...limits,
  ...fairness,
  ...actions,
  ...liveStatus,
  ...recordCache,
  ...fleet,
  ...tracingVariables,
  ...metrics,
  ...demo,
});

/** The environment after validation. */
export type Environment = z.output<typeof environmentSchema>;
