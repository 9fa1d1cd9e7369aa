import { startRedis, type TestRedis } from '../test/redis.js';
import { drive, measure, type FleetRun, type Target, type WindowOptions, type Workload } from './fleet-measure.js';
import { RedisCommandCounter } from './fleet-redis.js';
import {
  cacheableSnapshotIds,
  SNAPSHOT_BY_ID,
  serverEnv,
  startServers,
  startSimulator,
  stopServers,
  type CacheMode,
  type Server,
} from './fleet-stack.js';
import { machine } from './cpu-time.js';
import { START_NODE_OPTIONS, type Child } from './processes.js';

// The fleet scenario (issue #15, docs/fleet.md "Fleet: the record cache and three replicas"): what
// the record cache saves. One process asked s1 (the same snapshot every request) without the cache,
// with its in-process cache and with Redis; then N replicas (separate processes) with one Redis, and
// the same N each with its own in-process cache, asked s1 and then `keys` distinct snapshots in turn.
// Every configuration starts cold: fresh processes, Redis emptied, and a warm-up on another snapshot
// (JIT, connections, the Digest nonce), so the Atlas calls of a window are its cache's misses.

/** What to run. */
export interface FleetBenchOptions extends Omit<WindowOptions, 'idleSeconds'> {
  /** Seconds of warm-up traffic per configuration (in `amount` mode: 10 requests per server). @default 2 */
  warmupSeconds: number;
  /** Distinct snapshots of the spread workload. @default 100 */
  keys: number;
  /** Processes of the fleet. @default 3 */
  replicas: number;
  /** Seconds of an idle fleet before each window with Redis, to measure its background traffic. @default 2 */
  idleSeconds: number;
  /** As BenchOptions.serverEntry. @default dist/main.js */
  serverEntry?: string;
  /** As BenchOptions.serverNodeOptions. @default START_NODE_OPTIONS */
  serverNodeOptions?: string;
  /** More environment for every server (the smoke test lengthens REDIS_TIMEOUT_MS on a loaded machine). */
  serverEnv?: Record<string, string>;
}

/** The scenario's results: each configuration measured, and the machine it ran on. */
export interface FleetBenchResult {
  meta: Record<string, unknown>;
  runs: FleetRun[];
}

const json = (s: string) => JSON.stringify({ query: SNAPSHOT_BY_ID, variables: { s } });

/** The same snapshot every request (the harness's s1). */
const sameKey = (id: string): Workload => ({
  name: 's1',
  description: 'one serverlessSnapshot, the same key every request',
  distinctKeys: 1,
  body: () => json(id),
});

/** `ids` in turn, one per request. */
const spread = (ids: string[]): Workload => {
  let n = 0;
  return {
    name: 'spread',
    description: `one serverlessSnapshot per request over ${ids.length} distinct completed snapshots in turn`,
    distinctKeys: ids.length,
    body: () => json(ids[n++ % ids.length]!),
  };
};

/** Measures each configuration in turn (see the file's comment). */
export async function runFleetBenchmark(options: FleetBenchOptions): Promise<FleetBenchResult> {
  const before = machine();
  const launch = {
    entry: options.serverEntry ?? 'dist/main.js',
    nodeOptions: options.serverNodeOptions ?? START_NODE_OPTIONS,
  };
  let sim = await startSimulator();
  let redis: TestRedis | undefined;
  let counter: RedisCommandCounter | undefined;
  const runs: FleetRun[] = [];
  try {
    redis = await startRedis();
    counter = await RedisCommandCounter.open(redis.url);
    const configure = async (cache: CacheMode, replicas: number, rateBudget: boolean) => {
      await counter!.flush();
      const env = serverEnv(sim.url, cache, { redisUrl: redis!.url, replicas, rateBudget });
      return startServers(replicas, { ...env, ...options.serverEnv }, launch);
    };
    let ids: string[] = [];
    // One process: the Atlas rate budget off as in the harness (without the cache s1 calls Atlas thousands of times a second).
    for (const cache of ['off', 'in-process', 'redis'] as const) {
      const servers = await configure(cache, 1, false);
      try {
        if (!ids.length) ids = await cacheableSnapshotIds(servers[0]!, options.keys + 2);
        await warmUp(servers, ids[1]!, options);
        const target = targetOf(servers, sim, cache, counter, redis);
        const name = `1 process, cache ${cache === 'redis' ? 'Redis' : cache}`;
        runs.push(await measure(name, target, sameKey(ids[0]!), options));
      } finally {
        await stopServers(servers);
      }
    }
    // The fleet, with its default rate budget (shared through Redis when there is one), each
    // configuration against a fresh simulator: its RateLimit-Remaining counts every call of a 60 s
    // window (as Atlas's does a project's), and the runs before spent it — the budget, corrected by
    // it, would refuse calls the fleet itself never made.
    for (const cache of ['redis', 'in-process'] as const) {
      await sim.stop();
      sim = await startSimulator();
      const servers = await configure(cache, options.replicas, true);
      try {
        await warmUp(servers, ids[1]!, options);
        const target = targetOf(servers, sim, cache, counter, redis);
        const fleet = `${options.replicas} replicas, cache ${cache === 'redis' ? 'Redis' : 'in-process each'}`;
        runs.push(await measure(`${fleet}, s1`, target, sameKey(ids[0]!), options));
        runs.push(await measure(`${fleet}, ${options.keys} keys`, target, spread(ids.slice(2)), options));
      } finally {
        await stopServers(servers);
      }
    }
  } finally {
    await counter?.close();
    await redis?.stop();
    await sim.stop();
  }
  return { meta: metaOf(options, launch, before), runs };
}

function targetOf(
  servers: Server[],
  sim: Child,
  cache: CacheMode,
  counter: RedisCommandCounter,
  redis: TestRedis,
): Target {
  return { servers, sim, cache, ...(cache === 'redis' ? { redis: { counter, pid: redis.pid } } : {}) };
}

/** Traffic on another snapshot than the measured ones: JIT, keep-alive connections, the Digest nonce. */
async function warmUp(servers: Server[], id: string, options: FleetBenchOptions): Promise<void> {
  const connections = Math.max(options.connections, servers.length);
  if (options.amount) await drive(servers, sameKey(id), { ...options, connections, amount: 10 * servers.length });
  else if (options.warmupSeconds > 0)
    await drive(servers, sameKey(id), { ...options, connections, durationSeconds: options.warmupSeconds });
}

function metaOf(
  options: FleetBenchOptions,
  launch: { entry: string; nodeOptions: string },
  before: ReturnType<typeof machine>,
) {
  const after = machine();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpuModel: after.cpuModel,
    cores: after.cores,
    // `uptime`'s load averages (1, 5, 15 min) before and after: the machine is shared.
    loadAverageBefore: before.loadAverage,
    loadAverageAfter: after.loadAverage,
    serverCommand: `node ${launch.nodeOptions} ${launch.entry}`,
    serverEnv:
      "the HTTP scenarios' (bench/stack.ts: NODE_ENV=production, LOG_LEVEL=warn, ATLAS_SNAPSHOT_API=serverless, ALLOW_UNAUTHENTICATED) with the default CACHE_TTL_* and CACHE_IN_PROCESS=true or REDIS_URL; FLEET_REPLICAS = the process count; one process: ATLAS_RATE_LIMIT_PER_MINUTE=0, replicas: the default budget",
    redisRoundTrips:
      "commands clients sent (Redis MONITOR, excluding those Lua scripts ran inside Redis), net of an idle window's rate, per answered request",
    ...options,
  };
}

/** The table `npm run bench -- --scenarios fleet` prints: one row per configuration. */
function fleetRows(result: FleetBenchResult): Record<string, string | number>[] {
  const each = (run: FleetRun, pick: (p: FleetRun['perProcess'][number]) => number) =>
    run.perProcess.map(pick).join('/');
  return result.runs.map((run) => ({
    run: run.name,
    conns: run.connections,
    'req/s': run.requestsPerSecond,
    'p50 ms': run.latencyP50Ms,
    'p99 ms': run.latencyP99Ms,
    'Atlas calls': run.atlasCalls,
    'Atlas/req': run.atlasCallsPerRequest,
    'Redis RT/req': run.redis?.roundTripsPerRequest ?? '-',
    // Reads that found Redis down or slow (past REDIS_TIMEOUT_MS) and went to Atlas.
    bypass: run.cacheReads.bypass ?? 0,
    'CPU µs/req': run.cpuUsPerRequest,
    'CPU µs/req each': each(run, (p) => p.cpuUsPerRequest),
    'peak RSS MB': each(run, (p) => p.peakRssMb),
    'loop delay max ms': each(run, (p) => p.loopDelayMs.max),
    errors: run.errors,
  }));
}

/**
 * `npm run bench -- --scenarios fleet` (bench/run.ts): runs the scenario and prints its table; returns
 * what the results file keeps as `fleet` — a failure too, so that the other scenarios are still written.
 */
export async function runFleetScenario(options: FleetBenchOptions): Promise<FleetBenchResult | { failed: string }> {
  try {
    const result = await runFleetBenchmark(options);
    console.table(fleetRows(result));
    return result;
  } catch (error) {
    const failed = error instanceof Error ? error.message : String(error);
    console.error(`fleet: ${failed}`);
    return { failed };
  }
}
