import { setTimeout as sleep } from 'node:timers/promises';
import autocannon, { type Options as AutocannonOptions, type Result } from 'autocannon';
import { countsBetween, type RedisCommandCounter } from './fleet-redis.js';
import { atlasCallsOf, countsOf, type CacheMode, type Server, type ServerCounts } from './fleet-stack.js';
import { cpuStopwatch } from './cpu-time.js';
import { rssOf, type Child } from './processes.js';

// One measured window of the fleet scenario: autocannon against every server at once (connection i
// to server i mod N: round-robin), and what it cost — the simulator's Atlas calls, each server's CPU
// time, peak RSS and cache reads, and the round trips Redis saw (an idle window first, its rate
// subtracted).

/** The requests of a window: one document, with the snapshot id each request asks for. */
export interface Workload {
  name: string;
  description: string;
  /** Distinct snapshots the requests ask for. */
  distinctKeys: number;
  /** The body of the next request. */
  body: () => string;
}

/** What a window measures. */
export interface Target {
  servers: Server[];
  sim: Child;
  cache: CacheMode;
  /** The MONITOR counter and the redis-server's pid, when the servers use Redis. */
  redis?: { counter: RedisCommandCounter; pid: number | undefined };
}

/** How long and how hard. */
export interface WindowOptions {
  /** Seconds of load (ignored when `amount` is set). */
  durationSeconds: number;
  /** Requests in all instead of a duration (the smoke test). */
  amount?: number;
  connections: number;
  /** Seconds without load before it, to measure the Redis traffic of an idle fleet. */
  idleSeconds: number;
}

/** What Redis did per answered request in a window, net of the idle rate. */
export interface RedisWindow {
  roundTripsPerRequest: number;
  /** Round trips by command name, per request. */
  byCommandPerRequest: Record<string, number>;
  /** Commands Lua scripts ran inside Redis (no round trip of their own), per request. */
  insideScriptsPerRequest: number;
  /** Round trips an idle fleet would have made in the window (its rate measured before; subtracted above). */
  idleRoundTrips: number;
  /** redis-server's CPU time per request. */
  cpuUsPerRequest: number;
}

/** One measured configuration. */
export interface FleetRun {
  name: string;
  description: string;
  processes: number;
  cache: CacheMode;
  distinctKeys: number;
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Socket errors, timeouts, non-2xx answers and GraphQL errors; `errorCodes` the GraphQL ones by code. */
  errors: number;
  errorCodes: Record<string, number>;
  atlasCalls: number;
  atlasCallsPerRequest: number;
  atlasCallsPerKey: number;
  /** Record-cache reads of every server by outcome (hit, shared, miss, bypass). */
  cacheReads: Record<string, number>;
  /** Every server's CPU time (user + system) over the requests. */
  cpuUsPerRequest: number;
  /** Per server: requests it answered (its cache reads; all of them for one server), CPU µs per request, peak RSS, its event loop's delay in the window (ms). */
  perProcess: {
    requests: number;
    cpuUsPerRequest: number;
    peakRssMb: number;
    loopDelayMs: { p99: number; max: number };
  }[];
  redis?: RedisWindow;
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits));
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function delta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [key, n] of Object.entries(after)) if (n > (before[key] ?? 0)) result[key] = n - (before[key] ?? 0);
  return result;
}

/** Runs autocannon against every server's /graphql, connection i to server i mod N. */
export function drive(servers: Server[], workload: Workload, options: Omit<WindowOptions, 'idleSeconds'>) {
  const config: AutocannonOptions = {
    // autocannon 8 takes several URLs (lib/run.js: connection i to URL i mod N); its types say one.
    url: servers.map((server) => `${server.url}/graphql`) as unknown as string,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.durationSeconds }),
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: workload.body() }) }],
  };
  return new Promise<Result>((resolve, reject) => {
    autocannon(config, (error: unknown, result) =>
      error
        ? reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }))
        : resolve(result),
    );
  });
}

/** The Redis round trips a second of an idle fleet, over `seconds`. */
async function idleRate(counter: RedisCommandCounter, seconds: number): Promise<number> {
  // First the servers finish what the previous load left in flight (its last reads and stores).
  await sleep(Math.min(1, seconds) * 1000);
  const before = await counter.counts();
  await sleep(seconds * 1000);
  return countsBetween(before, await counter.counts()).roundTrips / seconds;
}

/** The counters read before and after a window: Atlas calls, each server's /metrics, Redis's commands. */
async function observe({ servers, sim, redis }: Target) {
  return {
    atlas: await atlasCallsOf(sim),
    counts: await Promise.all(servers.map(countsOf)),
    redis: await redis?.counter.counts(),
  };
}

/** The load itself, with the CPU time of every server (and of redis-server) and the servers' peak RSS. */
async function load({ servers, redis }: Target, workload: Workload, options: WindowOptions) {
  const peaks = servers.map((s) => rssOf(s.pid));
  const sampler = setInterval(() => servers.forEach((s, i) => (peaks[i] = Math.max(peaks[i]!, rssOf(s.pid)))), 200);
  const cpu = servers.map((s) => cpuStopwatch(s.pid));
  const redisCpu = redis?.pid === undefined ? undefined : cpuStopwatch(redis.pid);
  const started = Date.now();
  const result = await drive(servers, workload, options).finally(() => clearInterval(sampler));
  return {
    result,
    seconds: (Date.now() - started) / 1000,
    cpuUs: cpu.map((watch) => watch.stop()),
    redisCpuUs: redisCpu?.stop() ?? 0,
    peaks,
  };
}

/** Drives `workload` against `target` once and says what it cost. */
export async function measure(name: string, target: Target, workload: Workload, options: WindowOptions) {
  const idle = target.redis ? await idleRate(target.redis.counter, options.idleSeconds) : 0;
  const before = await observe(target);
  const { result, seconds, cpuUs, redisCpuUs, peaks } = await load(target, workload, options);
  const after = await observe(target);
  // Requests in flight when the run stopped reached the servers too: count them as sent.
  const requests = Math.max(result.requests.sent, result.requests.total);
  const perRequest = (n: number) => (requests ? n / requests : 0);
  const reads = after.counts.map((counts, i) => delta(counts.cacheReads, before.counts[i]!.cacheReads));
  const errorCodes = mergeErrors(after.counts, before.counts);
  const atlasCalls = after.atlas - before.atlas;
  // Each request reads the record cache once: a replica's reads are the requests it answered.
  const served = (i: number) => (reads.length === 1 ? requests : sum(Object.values(reads[i]!)));
  return {
    name,
    description: workload.description,
    processes: target.servers.length,
    cache: target.cache,
    distinctKeys: workload.distinctKeys,
    connections: options.connections,
    seconds: round(seconds, 1),
    requests,
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx + sum(Object.values(errorCodes)),
    errorCodes,
    atlasCalls,
    atlasCallsPerRequest: round(perRequest(atlasCalls), 5),
    atlasCallsPerKey: round(atlasCalls / workload.distinctKeys, 2),
    cacheReads: mergeCounts(reads),
    cpuUsPerRequest: Math.round(perRequest(sum(cpuUs))),
    perProcess: cpuUs.map((us, i) => ({
      requests: served(i),
      cpuUsPerRequest: served(i) ? Math.round(us / served(i)) : 0,
      peakRssMb: Math.round(peaks[i]! / 2 ** 20),
      loopDelayMs: after.counts[i]!.loopDelayMs,
    })),
    ...(before.redis && after.redis
      ? { redis: redisWindow(countsBetween(before.redis, after.redis), idle * seconds, perRequest, redisCpuUs) }
      : {}),
  } satisfies FleetRun;
}

function mergeCounts(all: Record<string, number>[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const counts of all) for (const [key, n] of Object.entries(counts)) merged[key] = (merged[key] ?? 0) + n;
  return merged;
}

function mergeErrors(after: ServerCounts[], before: ServerCounts[]): Record<string, number> {
  return mergeCounts(after.map((counts, i) => delta(counts.errors, before[i]!.errors)));
}

function redisWindow(
  counts: ReturnType<typeof countsBetween>,
  idleRoundTrips: number,
  perRequest: (n: number) => number,
  cpuUs: number,
): RedisWindow {
  return {
    roundTripsPerRequest: round(perRequest(Math.max(0, counts.roundTrips - idleRoundTrips))),
    byCommandPerRequest: Object.fromEntries(
      Object.entries(counts.byCommand).map(([command, n]) => [command, round(perRequest(n), 5)]),
    ),
    insideScriptsPerRequest: round(perRequest(counts.insideScripts), 5),
    idleRoundTrips: Math.round(idleRoundTrips),
    cpuUsPerRequest: Math.round(perRequest(cpuUs)),
  };
}
