import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { delta, drive, graphqlErrors } from './closed-loop.js';
import { profilerEnv, windowProfiler, type ProfileSummary } from './cpu-profile.js';
import { cpuStopwatch, machine } from './cpu-time.js';
import { compareOpenLoop, type OpenLoopRow } from './open-loop-compare.js';
import { rssOf, START_NODE_OPTIONS } from './processes.js';
import { runMeta } from './run-meta.js';
import { SCENARIOS, type Scenario, type Target } from './scenarios.js';
import { simulatorStats, startStack, type Stack } from './stack.js';

export { SCENARIOS } from './scenarios.js';

/** What to run. */
export interface BenchOptions {
  /** Seconds per scenario (ignored when `amount` is set). @default 10 */
  durationSeconds: number;
  /** Requests per scenario instead of a duration (the smoke test). */
  amount?: number;
  /** Concurrent connections (s4 uses 4× this, 200 by default). @default 50 */
  connections: number;
  /** Scenario names, among SCENARIOS, and `openloop`. @default all */
  scenarios: string[];
  /** Seconds of warm-up traffic before measuring (and before each open loop). @default 2 */
  warmupSeconds: number;
  /** The server's entry: `dist/main.js` (compiled, as `npm start` runs it) or `src/main.ts` (through tsx). @default dist/main.js */
  serverEntry?: string;
  /** Node flags of the server process. @default those of `npm start` (START_NODE_OPTIONS) */
  serverNodeOptions?: string;
  /** The open loop's rate in requests/s. @default half of s3's req/s in the same run */
  openLoopRate?: number;
  /** Seconds of the open loop per target. @default 10 */
  openLoopSeconds?: number;
  /** Profile the service's CPU in each of its windows into this directory (bench/cpu-profile.ts). */
  profileDir?: string;
  /** Free text for the results' meta (what was built, what else ran). */
  note?: string;
}

type Profiler = ReturnType<typeof windowProfiler>;

/** One measured scenario. */
export interface ScenarioResult {
  name: string;
  description: string;
  connections: number;
  upstreamLatencyMs: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Requests sent (those still in flight at the end made their Atlas calls too). */
  requests: number;
  /** 2xx responses received in the window. */
  answered: number;
  upstreamCallsPerRequest: number;
  errors: number;
  /** GraphQL errors by extensions.code (from the server's /metrics). */
  errorCodes: Record<string, number>;
  peakRssMb: number;
  /** The target process's CPU time (user + system, all threads) over the window, per answered request. */
  cpuMicrosPerRequest: number;
  /** cpuMicrosPerRequest ÷ the ceiling's in the same run (s4: ceiling-s4's): the headline. */
  cpuRatioToCeiling?: number;
  /** req/s ÷ the ceiling's req/s in the same run (s4: ceiling-s4's). */
  ratioToCeiling?: number;
}

/** Measures one scenario on its target: load, Atlas calls, errors, peak RSS and CPU time over the window. */
async function measure(
  stack: Stack,
  scenario: Scenario,
  options: BenchOptions,
  profiler?: Profiler,
): Promise<ScenarioResult & { profile?: ProfileSummary }> {
  const { child, origin } = stack.targets[scenario.target]!;
  const pid = child.process.pid!;
  // This service (or its trusted-only twin): its GraphQL errors are counted, its window profiled.
  const graphql = scenario.target === 'graphql' || scenario.target === 'persisted';
  await simulatorStats(stack.sim, 'latency', `?ms=${scenario.upstreamLatencyMs ?? 0}`);
  const before = await simulatorStats(stack.sim);
  const errorsBefore = graphql ? await graphqlErrors(origin) : {};
  let peak = rssOf(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 200);
  const connections = Math.max(1, Math.round(options.connections * (scenario.connectionsFactor ?? 1)));
  // Read right before and after the load: the /metrics and control calls fall outside the window.
  if (graphql) profiler?.start();
  const cpu = cpuStopwatch(pid);
  const result = await drive(origin, scenario, connections, options.durationSeconds, options.amount).finally(() =>
    clearInterval(sampler),
  );
  const cpuMicros = cpu.stop();
  // Requests in flight when the run stopped made their upstream calls too: count them as sent.
  const requests = Math.max(result.requests.sent, result.requests.total);
  const profile = graphql ? await profiler?.stop(scenario.name, requests) : undefined;
  const after = await simulatorStats(stack.sim);
  const errorCodes = graphql ? delta(await graphqlErrors(origin), errorsBefore) : {};
  const answered = result['2xx'];
  return {
    name: scenario.name,
    description: scenario.description,
    connections,
    upstreamLatencyMs: scenario.upstreamLatencyMs ?? 0,
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests,
    answered,
    upstreamCallsPerRequest: requests
      ? Number(((after.upstreamCalls - before.upstreamCalls) / requests).toFixed(3))
      : 0,
    errors: result.errors + result.timeouts + result.non2xx + Object.values(errorCodes).reduce((a, b) => a + b, 0),
    errorCodes,
    peakRssMb: Math.round(peak / 2 ** 20),
    cpuMicrosPerRequest: answered ? Math.round(cpuMicros / answered) : 0,
    ...(profile ? { profile } : {}),
  };
}

/** Each scenario against the ceiling measured under the same conditions (s4 with ceiling-s4). */
function compareWithCeiling(results: ScenarioResult[]): void {
  const find = (name: string) => results.find((r) => r.name === name);
  for (const r of results) {
    if (r.name.startsWith('ceiling')) continue;
    const ceiling = find(r.name === 's4' ? 'ceiling-s4' : 'ceiling');
    if (!ceiling) continue;
    if (ceiling.requestsPerSecond)
      r.ratioToCeiling = Number((r.requestsPerSecond / ceiling.requestsPerSecond).toFixed(3));
    if (ceiling.cpuMicrosPerRequest)
      r.cpuRatioToCeiling = Number((r.cpuMicrosPerRequest / ceiling.cpuMicrosPerRequest).toFixed(2));
  }
}

/**
 * Starts the simulator, the GraphQL server, the ceiling (and the naive Yoga server or the trusted-only
 * service when a scenario needs it), measures each scenario in turn, then (with `openloop`) the
 * open-loop comparison at half of s3's measured req/s (or `openLoopRate`).
 */
export async function runBenchmark(options: BenchOptions): Promise<{
  results: ScenarioResult[];
  openLoop?: OpenLoopRow[];
  profiles?: Record<string, ProfileSummary>;
  meta: Record<string, unknown>;
}> {
  const wanted = new Set(options.scenarios);
  const openLoopWanted = wanted.has('openloop');
  // The open loop's default rate is half of s3's capacity in the same run: s3 runs first.
  if (openLoopWanted && !options.openLoopRate) wanted.add('s3');
  const chosen = SCENARIOS.filter(
    (s) => s.name === 'ceiling' || wanted.has(s.name) || (s.name === 'ceiling-s4' && wanted.has('s4')),
  );
  const serverEntry = options.serverEntry ?? 'dist/main.js';
  const serverNodeOptions = options.serverNodeOptions ?? START_NODE_OPTIONS;
  const machineBefore = machine();
  const profiling = options.profileDir ? profilerEnv(options.profileDir) : undefined;
  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  const persisted = chosen.some((s) => s.target === 'persisted');
  // The trusted-only service profiles into a directory of its own (each process numbers its windows).
  const persistedProfiles = persisted && options.profileDir ? join(options.profileDir, 'persisted') : undefined;
  if (persistedProfiles) mkdirSync(persistedProfiles, { recursive: true });
  const stack = await startStack({
    serverEntry,
    serverNodeOptions: profiling ? `${serverNodeOptions} ${profiling.nodeOption}` : serverNodeOptions,
    naive: openLoopWanted || chosen.some((s) => s.target === 'naive'),
    ...(profiling ? { serverEnv: profiling.env } : {}),
    ...(persisted ? { persisted: persistedProfiles ? { BENCH_CPU_PROFILE_DIR: persistedProfiles } : {} } : {}),
  });
  const pid = (target: Target) => stack.targets[target]!.child.process.pid!;
  const profilers: Partial<Record<Target, Profiler>> = {};
  if (options.profileDir) profilers.graphql = windowProfiler(pid('graphql'), options.profileDir);
  if (persistedProfiles) profilers.persisted = windowProfiler(pid('persisted'), persistedProfiles, options.profileDir);
  const results: ScenarioResult[] = [];
  const profiles: Record<string, ProfileSummary> = {};
  let openLoop: OpenLoopRow[] | undefined;
  try {
    if (!options.amount && options.warmupSeconds > 0) {
      const warm = (name: string) => {
        const scenario = SCENARIOS.find((s) => s.name === name)!;
        const target = stack.targets[scenario.target];
        return target && drive(target.origin, scenario, options.connections, options.warmupSeconds);
      };
      for (const name of ['s1', 'ceiling', 'naive-s3', 's3persisted']) await warm(name);
    }
    for (const scenario of chosen) {
      const { profile, ...result } = await measure(stack, scenario, options, profilers[scenario.target]);
      results.push(result);
      if (profile) profiles[scenario.name] = profile;
    }
    compareWithCeiling(results);
    if (openLoopWanted) {
      const s3 = results.find((r) => r.name === 's3');
      const rate = options.openLoopRate ?? Math.max(1, Math.round((s3?.requestsPerSecond ?? 0) / 2));
      openLoop = await compareOpenLoop(stack, {
        rate,
        seconds: options.openLoopSeconds ?? 10,
        warmupSeconds: options.amount ? 0 : Math.min(options.warmupSeconds, 2),
        ...(profilers.graphql ? { profiler: profilers.graphql } : {}),
      });
      for (const row of openLoop) if (row.profile) profiles[`openloop-${row.target}`] = row.profile;
      for (const row of openLoop) delete row.profile;
    }
  } finally {
    await stack.stop();
  }
  return {
    results,
    ...(openLoop ? { openLoop } : {}),
    ...(options.profileDir ? { profiles } : {}),
    meta: runMeta(machineBefore, { entry: serverEntry, nodeOptions: serverNodeOptions }, options),
  };
}
