import { Writable } from 'node:stream';
import { afterEach, onTestFinished, vi } from 'vitest';
import type { Logger } from 'pino';
import { createLogger } from '../src/support/logger.js';
import { startApp, type RunningApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { startAtlasSimulator, type AtlasSimulator, type AtlasSimulatorOptions } from '../src/simulator/server.js';

/** The API key pair the test simulator accepts. */
export const TEST_KEY = { publicKey: 'testpubk', privateKey: 'test-private-0d7c6a51-4a0c-4c8e-9c2b-canary' };

/** The service account the test simulator accepts. */
export const TEST_SERVICE_ACCOUNT = {
  clientId: 'mdb_sa_id_6741f2a0c8e4d17a3b9f0e21',
  clientSecret: 'mdb_sa_sk_test-secret-canary-5e1d',
};

/** Which credentials the service under test holds. */
export type StackAuth = 'api-key' | 'service-account' | 'both' | 'forward';

const AUTH_ENV: Record<StackAuth, Record<string, string>> = {
  'api-key': { MONGODB_ATLAS_PUBLIC_API_KEY: TEST_KEY.publicKey, MONGODB_ATLAS_PRIVATE_API_KEY: TEST_KEY.privateKey },
  'service-account': {
    MONGODB_ATLAS_CLIENT_ID: TEST_SERVICE_ACCOUNT.clientId,
    MONGODB_ATLAS_CLIENT_SECRET: TEST_SERVICE_ACCOUNT.clientSecret,
  },
  both: {
    MONGODB_ATLAS_PUBLIC_API_KEY: TEST_KEY.publicKey,
    MONGODB_ATLAS_PRIVATE_API_KEY: TEST_KEY.privateKey,
    MONGODB_ATLAS_CLIENT_ID: TEST_SERVICE_ACCOUNT.clientId,
    MONGODB_ATLAS_CLIENT_SECRET: TEST_SERVICE_ACCOUNT.clientSecret,
  },
  forward: { ATLAS_AUTH: 'forward' },
};

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** The service's logger (scrubbing included), keeping every line it writes, parsed. */
export function captureLogger(): { logger: Logger; lines: LogLine[]; raw: string[] } {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const text = chunk.toString();
      raw.push(text);
      lines.push(JSON.parse(text) as LogLine);
      callback();
    },
  });
  return { logger: createLogger('debug', stream), lines, raw };
}

/** A GraphQL response body. */
export interface GraphQLResponse<Data = Record<string, unknown>> {
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** The real stack over loopback: the Atlas simulator (digest auth) and the GraphQL service configured against it. */
export interface Stack {
  simulator: AtlasSimulator;
  app: RunningApp;
  logs: LogLine[];
  rawLogs: string[];
  /** POSTs one operation to /graphql over HTTP and returns the parsed body. */
  query<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<Data>>;
  close(): Promise<void>;
}

/**
 * ATLAS_SNAPSHOT_API=serverless: serverless-named lookups call the serverless operations alone, with
 * no Flex discovery first (production: `auto`), so that a test counts the calls of one operation.
 */
export const SERVERLESS_API_ONLY = { ATLAS_SNAPSHOT_API: 'serverless' } as const;

/**
 * ALLOW_UNAUTHENTICATED=true: the service answers callers who bring no key (production: a server
 * holding Atlas credentials refuses to start without AUTH_API_KEYS or AUTH_JWKS_URL).
 */
export const ANYONE_MAY_CALL = { ALLOW_UNAUTHENTICATED: 'true' } as const;

const DOWNLOADER_KEY = 'downloader-test-key';

/**
 * One caller key that also holds `backups:download`, for tests that read download URLs (production:
 * callers without that scope get null and FORBIDDEN on those fields). Start the stack with it and
 * wrap it in `asDownloader`, which presents the key on every query.
 */
export const DOWNLOADER = { AUTH_API_KEYS: `downloader@${DOWNLOADER_KEY} backups:download` } as const;

/** `stack` whose queries present the DOWNLOADER key (headers given to a query still win). */
export const asDownloader = (stack: Stack): Stack => ({
  ...stack,
  query: (query, variables, headers = {}) => stack.query(query, variables, { 'x-api-key': DOWNLOADER_KEY, ...headers }),
});

/**
 * One test client plays many callers (a load or abort-wave test from one address): the per-caller
 * Atlas call budget (production: CALLER_MAX_ATLAS_CALLS_PER_MINUTE, 600) is lifted, and the caller's
 * share of the bytes in flight is the whole default budget (production: a quarter of it).
 */
export const ONE_CLIENT_PLAYS_MANY_CALLERS = {
  CALLER_MAX_ATLAS_CALLS_PER_MINUTE: '1000000',
  CALLER_MAX_BYTES_IN_FLIGHT: String(6 * 1_048_576),
} as const;

/**
 * The simulator stands for an Atlas without a rate limit: a load test past Atlas's 1,200 calls a
 * minute per project turns the service's Atlas rate budget off (production: ATLAS_RATE_LIMIT_PER_MINUTE,
 * 1,000; test/integration/fleet-rate-budget.test.ts tests the budget itself).
 */
export const ATLAS_WITHOUT_RATE_LIMIT = { ATLAS_RATE_LIMIT_PER_MINUTE: '0' } as const;

/**
 * Every Atlas read of a request calls Atlas: the record cache is off (production: on, CACHE_TTL_*
 * 300/5/15 s; test/integration/record-cache.test.ts and fleet-cache.test.ts test it). For tests that
 * count Atlas calls across requests, or send several requests that must each see Atlas.
 */
export const WITHOUT_RECORD_CACHE = {
  CACHE_TTL_COMPLETED_S: '0',
  CACHE_TTL_ACTIVE_S: '0',
  CACHE_TTL_LIST_S: '0',
  CACHE_TTL_NOT_FOUND_S: '0',
} as const;

/**
 * Starts the simulator (accepting both the test API key and the test service account) and the
 * service holding the credentials `auth` names. The service sees exactly `env` besides the
 * simulator's URL, port 0 and those credentials, so every departure from production is written at
 * the call site, e.g. `startStack({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL, ATLAS_TIMEOUT_MS: '600' })`.
 */
export async function startStack(
  env: Record<string, string>,
  auth: StackAuth = 'api-key',
  simulatorOptions: AtlasSimulatorOptions = {},
): Promise<Stack> {
  const simulator = await startAtlasSimulator({
    apiKeys: [TEST_KEY],
    serviceAccounts: [TEST_SERVICE_ACCOUNT],
    ...simulatorOptions,
  });
  const replica = await startReplica(simulator, env, auth);
  return {
    ...replica,
    async close() {
      await replica.close();
      await simulator.close();
    },
  };
}

/**
 * One more service in front of `simulator` (a replica of a fleet: several share one simulator and,
 * with REDIS_URL in `env`, one Redis); its `close` leaves the simulator running.
 */
export async function startReplica(
  simulator: AtlasSimulator,
  env: Record<string, string>,
  auth: StackAuth = 'api-key',
): Promise<Stack> {
  const { logger, lines, raw } = captureLogger();
  const config = loadConfig({ MONGODB_ATLAS_BASE_URL: simulator.url, PORT: '0', ...AUTH_ENV[auth], ...env });
  const app = await startApp(config, logger);
  return {
    simulator,
    app,
    logs: lines,
    rawLogs: raw,
    async query(query, variables, headers = {}) {
      const response = await fetch(app.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<never>;
    },
    async close() {
      await app.close(1000);
    },
  };
}

/** A `serverlessSnapshot` selection with the given arguments and fields. */
export function snapshotField(
  alias: string,
  key: { groupId: string; clusterName: string; snapshotId: string },
  fields = 'id status',
): string {
  return `${alias}: serverlessSnapshot(groupId: ${JSON.stringify(key.groupId)}, clusterName: ${JSON.stringify(key.clusterName)}, snapshotId: ${JSON.stringify(key.snapshotId)}) { ${fields} }`;
}

/**
 * For files whose tests each need a differently configured stack: `start` replaces the current
 * one, and every stack is closed after its test.
 */
export function stackPerTest(): { start: typeof startStack } {
  let current: Stack | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    async start(...args) {
      current = await startStack(...args);
      return current;
    },
  };
}

/** Authenticated calls of one Atlas operation the simulator served, e.g. `getServerlessBackupSnapshot`. */
export const atlasCalls = (stack: Stack, operation: string): number =>
  stack.simulator.stats.byOperation[operation] ?? 0;

/**
 * Stops the wall clock (`Date`) for the rest of the test: the simulator's token and nonce lifetimes
 * and the service's token refresh read it, and move only when the test calls `advance`. Timers and
 * `performance.now()` keep real time. Call it before starting the stack.
 */
export function stoppedWallClock(): { advance(ms: number): void } {
  vi.useFakeTimers({ toFake: ['Date'] });
  onTestFinished(() => void vi.useRealTimers());
  return { advance: (ms) => vi.setSystemTime(Date.now() + ms) };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
