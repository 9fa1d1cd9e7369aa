import { DEMO } from '../src/simulator/seed.js';
import { freePort, startChild, type Child } from './processes.js';

// The processes of the fleet scenario (bench/fleet.ts): the simulator with the benchmark's data and
// servers started per configuration (one process, or the replicas of a fleet), and what is read from
// them — the simulator's Atlas calls, each server's record-cache reads and GraphQL errors (/metrics).

const KEY_PAIR = { publicKey: 'benchkey', privateKey: 'bench-private-key-not-a-secret' };
const GROUP = DEMO.analyticsGroupId;
const INSTANCE = DEMO.benchInstance;

/** Where a server keeps Atlas records between requests: nowhere, in its own memory, or in the shared Redis. */
export type CacheMode = 'off' | 'in-process' | 'redis';

/** A started server: its process and base URL (`http://127.0.0.1:<port>`). */
export interface Server {
  child: Child;
  url: string;
  pid: number;
}

/** The simulator of `npm run bench` (its control API on, the 5,000 snapshots of the bench instance). */
export function startSimulator(): Promise<Child> {
  return startChild('src/simulator/main.ts', {
    SIM_PORT: '0',
    SIM_PUBLIC_KEY: KEY_PAIR.publicKey,
    SIM_PRIVATE_KEY: KEY_PAIR.privateKey,
    SIM_CONTROL_API: 'true',
    SIM_BENCH_DATA: 'true',
  });
}

/** Atlas calls the simulator has served so far. */
export async function atlasCallsOf(sim: Child): Promise<number> {
  return ((await (await fetch(`${sim.url}/__simulator/stats`)).json()) as { upstreamCalls: number }).upstreamCalls;
}

/**
 * A server's environment: that of the HTTP scenarios (`bench/stack.ts`: no caller authentication, warn
 * logs, caller budgets lifted, the serverless API asked directly) with the record cache as `cache` says
 * and `replicas` as FLEET_REPLICAS. `rateBudget: false` turns the Atlas rate budget off, as they do;
 * else the fleet's default (1,000 a minute, shared through Redis when there is one).
 */
export function serverEnv(
  simUrl: string,
  cache: CacheMode,
  settings: { redisUrl: string; replicas: number; rateBudget: boolean },
): Record<string, string> {
  return {
    MONGODB_ATLAS_BASE_URL: simUrl,
    MONGODB_ATLAS_PUBLIC_API_KEY: KEY_PAIR.publicKey,
    MONGODB_ATLAS_PRIVATE_API_KEY: KEY_PAIR.privateKey,
    ALLOW_UNAUTHENTICATED: 'true',
    CALLER_MAX_ATLAS_CALLS_PER_MINUTE: '1000000',
    CALLER_MAX_BYTES_IN_FLIGHT: String(8 * 1_048_576),
    ATLAS_SNAPSHOT_API: 'serverless',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    FLEET_REPLICAS: String(settings.replicas),
    ...(settings.rateBudget ? {} : { ATLAS_RATE_LIMIT_PER_MINUTE: '0' }),
    ...(cache === 'off' ? { CACHE_TTL_COMPLETED_S: '0', CACHE_TTL_ACTIVE_S: '0', CACHE_TTL_LIST_S: '0' } : {}),
    ...(cache === 'in-process' ? { CACHE_IN_PROCESS: 'true' } : {}),
    ...(cache === 'redis' ? { REDIS_URL: settings.redisUrl } : {}),
  };
}

/** Starts `count` servers with `env` (each on a free port) in parallel and waits until each serves. */
export async function startServers(
  count: number,
  env: Record<string, string>,
  launch: { entry: string; nodeOptions: string },
): Promise<Server[]> {
  const started = await Promise.allSettled(
    Array.from({ length: count }, async () => {
      const port = await freePort();
      // With warn logs the only line a server prints at start is the unauthenticated warning.
      const child = await startChild(
        launch.entry,
        { ...env, PORT: String(port), NODE_OPTIONS: launch.nodeOptions },
        /(ALLOW_UNAUTHENTICATED=true)/,
      );
      return { child, url: `http://127.0.0.1:${port}`, pid: child.process.pid! };
    }),
  );
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stopServers(servers);
    throw failed.reason;
  }
  await Promise.all(servers.map((server) => waitUntilServing(server.url)));
  return servers;
}

/** SIGTERM (SIGKILL after 5 s) to each server. */
export async function stopServers(servers: Server[]): Promise<void> {
  await Promise.all(servers.map((server) => server.child.stop()));
}

async function waitUntilServing(url: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server at ${url} did not start`);
}

/**
 * What a server's /metrics counts: record-cache reads by outcome, GraphQL errors by code, and its
 * event loop's delay (p99 and max, ms) since the previous scrape — prom-client resets that histogram
 * on every scrape, so the scrape after a window gives the window's.
 */
export interface ServerCounts {
  cacheReads: Record<string, number>;
  errors: Record<string, number>;
  loopDelayMs: { p99: number; max: number };
}

/** `atlas_cache_reads_total` summed by outcome, `graphql_errors_total` by code and the event-loop delay, from `/metrics`. */
export async function countsOf(server: Server): Promise<ServerCounts> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const counts: ServerCounts = { cacheReads: {}, errors: {}, loopDelayMs: { p99: 0, max: 0 } };
  for (const line of text.split('\n')) {
    const read = /^atlas_cache_reads_total\{.*outcome="([^"]+)".*\} (\d+)/.exec(line);
    if (read) counts.cacheReads[read[1]!] = (counts.cacheReads[read[1]!] ?? 0) + Number(read[2]);
    const error = /^graphql_errors_total\{code="([^"]+)"\} (\d+)/.exec(line);
    if (error) counts.errors[error[1]!] = Number(error[2]);
    const delay = /^nodejs_eventloop_lag_(p99|max)_seconds (\S+)/.exec(line);
    if (delay) counts.loopDelayMs[delay[1] as 'p99' | 'max'] = Math.round(Number(delay[2]) * 1000);
  }
  return counts;
}

const SNAPSHOT_PAGE = `query ($g: ID!, $c: String!, $after: String) {
  serverlessSnapshots(groupId: $g, clusterName: $c, first: 500, after: $after) {
    edges { node { id status expiresAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface SnapshotPage {
  data?: {
    serverlessSnapshots: {
      edges: { node: { id: string; status: string | null; expiresAt: string | null } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
  errors?: unknown[];
}

/**
 * `count` ids of the bench instance's completed snapshots that expire more than a day from now: what
 * the record cache keeps for CACHE_TTL_COMPLETED_S (a snapshot past its `expiresAt` is never kept, and
 * the seed's first ones expired long ago), read page by page through `server`.
 */
export async function cacheableSnapshotIds(server: Server, count: number): Promise<string[]> {
  const ids: string[] = [];
  const horizon = Date.now() + 86_400_000;
  let after: string | null = null;
  do {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: SNAPSHOT_PAGE, variables: { g: GROUP, c: INSTANCE, after } }),
    });
    const body = (await response.json()) as SnapshotPage;
    if (!body.data || body.errors?.length) throw new Error(`listing snapshots: ${JSON.stringify(body.errors)}`);
    const { edges, pageInfo } = body.data.serverlessSnapshots;
    for (const { node } of edges)
      if (node.status === 'COMPLETED' && node.expiresAt && Date.parse(node.expiresAt) > horizon) ids.push(node.id);
    after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
  } while (after !== null && ids.length < count);
  if (ids.length < count) throw new Error(`only ${ids.length} cacheable snapshots, ${count} wanted`);
  return ids.slice(0, count);
}

/** The s1 document of the HTTP scenarios (`bench/scenarios.ts`); variables `{ s: <snapshot id> }`. */
export const SNAPSHOT_BY_ID = `query Snapshot($s: ID!) { serverlessSnapshot(groupId: "${GROUP}", clusterName: "${INSTANCE}", snapshotId: $s) { id status createdAt storageSizeBytes } }`;
