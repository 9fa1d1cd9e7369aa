import { z } from 'zod';
import { Secret } from './secret.js';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The environment variables this service reads; unknown variables are ignored. */
const environmentSchema = z
  .object({
    MONGODB_ATLAS_BASE_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://cloud.mongodb.com' })
      .default('https://cloud.mongodb.com')
      .transform((value) => new URL(value))
      .refine((url) => url.pathname === '/' && url.search === '' && url.hash === '', {
        error: 'must be an origin only (scheme, host and optional port), without a path, query or fragment',
      }),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().min(1).default('127.0.0.1'),
    ATLAS_TIMEOUT_MS: positiveInt(10_000),
    UPSTREAM_CONCURRENCY: positiveInt(8).refine((n) => n <= 64, { error: 'must be at most 64' }),
    SHUTDOWN_GRACE_MS: positiveInt(10_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  });

/** How the service reaches Atlas: the embedded simulator (no credentials) or an API key pair (HTTP Digest). */
export type AtlasCredentials =
  | { kind: 'none' }
  | { kind: 'api-key'; publicKey: string; privateKey: Secret };

/** The validated, frozen configuration of one process. */
export interface Config {
  /** `demo` starts the embedded Atlas simulator; `atlas` talks to `atlasBaseUrl`. */
  readonly mode: 'demo' | 'atlas';
  /** @default https://cloud.mongodb.com */
  readonly atlasBaseUrl: URL;
  readonly credentials: AtlasCredentials;
  /** @default 4000 */
  readonly port: number;
  /** @default 127.0.0.1 */
  readonly host: string;
  /** Total deadline of one upstream call, in ms. @default 10000 */
  readonly atlasTimeoutMs: number;
  /** Upstream calls in flight at once for one GraphQL request. @default 8 */
  readonly upstreamConcurrency: number;
  /** How long a shutdown waits for in-flight requests, in ms. @default 10000 */
  readonly shutdownGraceMs: number;
  /** @default info */
  readonly logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
}

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
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  const publicKey = firstSet(env, ['MONGODB_ATLAS_PUBLIC_API_KEY', 'MONGODB_ATLAS_PUBLIC_KEY']);
  const privateKey = firstSet(env, ['MONGODB_ATLAS_PRIVATE_API_KEY', 'MONGODB_ATLAS_PRIVATE_KEY']);
  if ((publicKey === undefined) !== (privateKey === undefined)) {
    const missing = publicKey === undefined ? 'MONGODB_ATLAS_PUBLIC_API_KEY' : 'MONGODB_ATLAS_PRIVATE_API_KEY';
    problems.push(`${missing} is missing: an API key needs both the public and the private key`);
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const credentials: AtlasCredentials =
    publicKey !== undefined && privateKey !== undefined
      ? { kind: 'api-key', publicKey, privateKey: new Secret(privateKey) }
      : { kind: 'none' };
  return Object.freeze({
    mode: credentials.kind === 'none' ? 'demo' : 'atlas',
    atlasBaseUrl: e.MONGODB_ATLAS_BASE_URL,
    credentials,
    port: e.PORT,
    host: e.HOST,
    atlasTimeoutMs: e.ATLAS_TIMEOUT_MS,
    upstreamConcurrency: e.UPSTREAM_CONCURRENCY,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    logLevel: e.LOG_LEVEL,
  });
}

/** The first of several alias variables that is set to something other than blanks (Atlas CLI name first). */
function firstSet(env: NodeJS.ProcessEnv, names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}
