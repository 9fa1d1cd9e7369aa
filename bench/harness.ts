import autocannon, { type Options as AutocannonOptions, type Result } from 'autocannon';
import { FLEET } from '../src/simulator/fleet-seed.js';
import { DEMO } from '../src/simulator/seed.js';
import { freePort, rssOf, START_NODE_OPTIONS, startChild, type Child } from './processes.js';

/** What to run. */
export interface BenchOptions {
  /** Seconds per scenario (ignored when `amount` is set). @default 10 */
  durationSeconds: number;
  /** Requests per scenario instead of a duration (the smoke test). */
  amount?: number;
  /** Concurrent connections (s4 uses 4× this, 200 by default). @default 50 */
  connections: number;
  /** Scenario names, among SCENARIOS. @default all */
  scenarios: string[];
  /** Seconds of warm-up traffic before measuring. @default 2 */
  warmupSeconds: number;
  /** The server's entry: `dist/main.js` (compiled, as `npm start` runs it) or `src/main.ts` (through tsx). @default dist/main.js */
  serverEntry?: string;
  /** Node flags of the server process. @default those of `npm start` (START_NODE_OPTIONS) */
  serverNodeOptions?: string;
}

/** One measured scenario. */
export interface ScenarioResult {
  name: string;
  description: string;
  connections: number;
  upstreamLatencyMs: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  upstreamCallsPerRequest: number;
  errors: number;
  /** GraphQL errors by extensions.code (from the server's /metrics). */
  errorCodes: Record<string, number>;
  peakRssMb: number;
  ratioToCeiling?: number;
}

const KEY_PAIR = { publicKey: 'benchkey', privateKey: 'bench-private-key-not-a-secret' };
const GROUP = DEMO.analyticsGroupId;
const INSTANCE = DEMO.benchInstance;
const snapshotId = (n: number) =>
  DEMO.benchSnapshotIdPrefix +
  (n % DEMO.benchSnapshotCount).toString(16).padStart(24 - DEMO.benchSnapshotIdPrefix.length, '0');
const FIELDS = 'id status createdAt storageSizeBytes';
const BY_VARIABLES = `query Snapshot($s: ID!) { serverlessSnapshot(groupId: "${GROUP}", clusterName: "${INSTANCE}", snapshotId: $s) { ${FIELDS} } }`;
const json = (body: unknown) => JSON.stringify(body);
/** The dashboard query of issue 12 over the 40-cluster project: ideally 1 + 2 × 40 upstream calls. */
const DASHBOARD = `query Dashboard($id: ID!) { project(id: $id) { clusters(first: ${FLEET.fleetClusterCount}) { edges { node {
  name ... on DedicatedCluster {
    latestSnapshot { ${FIELDS} }
    backupSchedule { nextSnapshot restoreWindowDays } } } } } } }`;

/** A scenario: how to drive it, and how many upstream calls a request ideally costs. */
interface Scenario {
  name: string;
  description: string;
  target: 'graphql' | 'ceiling';
  idealUpstreamCalls: number;
  upstreamLatencyMs?: number;
  connectionsFactor?: number;
  request: () => { method: 'GET' | 'POST'; path: string; body?: string };
}

/** A request counter per scenario, so every request can ask for a new key. */
const counter = () => {
  let n = 0;
  return () => n++;
};

export const SCENARIOS: Scenario[] = (() => {
  const next = { ceiling: counter(), s3: counter(), s3lit: counter(), s4: counter() };
  return [
    {
      name: 'ceiling',
      description: 'plain keep-alive undici pass-through of the same GET',
      target: 'ceiling',
      idealUpstreamCalls: 1,
      request: () => ({ method: 'GET', path: `/${snapshotId(next.ceiling())}` }),
    },
    {
      name: 'ceiling-s4',
      description: 'the ceiling under s4 conditions (20 ms upstream latency, 4× the connections)',
      target: 'ceiling',
      idealUpstreamCalls: 1,
      upstreamLatencyMs: 20,
      connectionsFactor: 4,
      request: () => ({ method: 'GET', path: `/${snapshotId(next.ceiling())}` }),
    },
    {
      name: 's1',
      description: 'one serverlessSnapshot, the same key every request',
      target: 'graphql',
      idealUpstreamCalls: 1,
      request: () => ({
        method: 'POST',
        path: '/graphql',
        body: json({ query: BY_VARIABLES, variables: { s: snapshotId(0) } }),
      }),
    },
    {
      name: 's2',
      description: '15 aliased fields over 5 distinct keys',
      target: 'graphql',
      idealUpstreamCalls: 5,
      request: () => ({
        method: 'POST',
        path: '/graphql',
        body: json({
          query: `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: serverlessSnapshot(groupId: "${GROUP}", clusterName: "${INSTANCE}", snapshotId: "${snapshotId(i % 5)}") { ${FIELDS} }`).join(' ')} }`,
        }),
      }),
    },
    {
      name: 's3',
      description: 'one field, a new key every request, same document with a variable',
      target: 'graphql',
      idealUpstreamCalls: 1,
      request: () => ({
        method: 'POST',
        path: '/graphql',
        body: json({ query: BY_VARIABLES, variables: { s: snapshotId(next.s3()) } }),
      }),
    },
    {
      name: 's3lit',
      description: 'like s3 with the key in the query text: every document is new',
      target: 'graphql',
      idealUpstreamCalls: 1,
      request: () => ({
        method: 'POST',
        path: '/graphql',
        body: json({
          query: `{ serverlessSnapshot(groupId: "${GROUP}", clusterName: "${INSTANCE}", snapshotId: "${snapshotId(next.s3lit())}") { ${FIELDS} } }`,
        }),
      }),
    },
    {
      name: 's4',
      description: 's3 with 20 ms upstream latency and 4× the connections',
      target: 'graphql',
      idealUpstreamCalls: 1,
      upstreamLatencyMs: 20,
      connectionsFactor: 4,
      request: () => ({
        method: 'POST',
        path: '/graphql',
        body: json({ query: BY_VARIABLES, variables: { s: snapshotId(next.s4()) } }),
      }),
    },
    {
      name: 's5',
      description: 'federation _entities: 50 representations over 10 keys',
      target: 'graphql',
      idealUpstreamCalls: 10,
      request: () => ({
        method: 'POST',
        path: '/graphql',
        body: json({
          query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServerlessSnapshot { ${FIELDS} } } }`,
          variables: {
            r: Array.from({ length: 50 }, (_, i) => ({
              __typename: 'ServerlessSnapshot',
              groupId: GROUP,
              clusterName: INSTANCE,
              id: snapshotId(i % 10),
            })),
          },
        }),
      }),
    },
    {
      name: 's6',
      description: 'the dashboard: 40 clusters of a project with their latest snapshot and backup schedule',
      target: 'graphql',
      idealUpstreamCalls: 1 + 2 * FLEET.fleetClusterCount,
      // A dashboard holds ~260 KB of Atlas bodies until it is answered: 50 at once would pass the
      // service's UPSTREAM_MAX_BYTES_IN_FLIGHT (8 MiB) and be shed with SERVER_BUSY; 10 (by default) are not.
      connectionsFactor: 0.2,
      request: () => ({
        method: 'POST',
        path: '/graphql',
        body: json({ query: DASHBOARD, variables: { id: FLEET.fleetGroupId } }),
      }),
    },
  ];
})();

async function simulatorStats(sim: Child, action = 'stats', query = ''): Promise<{ upstreamCalls: number }> {
  return (await (await fetch(`${sim.url}/__simulator/${action}${query}`)).json()) as { upstreamCalls: number };
}

/** `graphql_errors_total` on the server's /metrics, by code. */
async function graphqlErrors(server: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${server}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^graphql_errors_total\{code="([^"]+)"\} (\d+)/.exec(line);
    if (match) counts[match[1]!] = Number(match[2]);
  }
  return counts;
}

function delta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [code, n] of Object.entries(after)) if (n > (before[code] ?? 0)) result[code] = n - (before[code] ?? 0);
  return result;
}

function drive(
  url: string,
  scenario: Scenario,
  connections: number,
  seconds: number,
  amount?: number,
): Promise<Result> {
  const first = scenario.request();
  const config: AutocannonOptions = {
    url: url + first.path,
    connections,
    ...(amount ? { amount } : { duration: seconds }),
    method: first.method,
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    requests: [{ setupRequest: (req) => ({ ...req, ...scenario.request() }) }],
  };
  return new Promise((resolve, reject) => {
    autocannon(config, (error: unknown, result) =>
      error
        ? reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }))
        : resolve(result),
    );
  });
}

/** Starts the simulator, the GraphQL server and the ceiling, and measures each scenario in turn. */
export async function runBenchmark(
  options: BenchOptions,
): Promise<{ results: ScenarioResult[]; meta: Record<string, unknown> }> {
  const sim = await startChild('src/simulator/main.ts', {
    SIM_PORT: '0',
    SIM_PUBLIC_KEY: KEY_PAIR.publicKey,
    SIM_PRIVATE_KEY: KEY_PAIR.privateKey,
    SIM_CONTROL_API: 'true',
    SIM_BENCH_DATA: 'true',
  });
  const port = await freePort();
  const server = await startChild(
    options.serverEntry ?? 'dist/main.js',
    {
      PORT: String(port),
      MONGODB_ATLAS_BASE_URL: sim.url,
      MONGODB_ATLAS_PUBLIC_API_KEY: KEY_PAIR.publicKey,
      MONGODB_ATLAS_PRIVATE_API_KEY: KEY_PAIR.privateKey,
      ALLOW_UNAUTHENTICATED: 'true',
      // autocannon is one client standing for many callers: lift the per-caller budgets.
      CALLER_MAX_ATLAS_CALLS_PER_MINUTE: '1000000',
      CALLER_MAX_BYTES_IN_FLIGHT: String(8 * 1_048_576),
      // The simulator stands for an Atlas without a rate limit: the service's own budget is off.
      ATLAS_RATE_LIMIT_PER_MINUTE: '0',
      // Every request reaches Atlas: the scenarios measure the service, not its record cache.
      CACHE_TTL_COMPLETED_S: '0',
      CACHE_TTL_ACTIVE_S: '0',
      CACHE_TTL_LIST_S: '0',
      ATLAS_SNAPSHOT_API: 'serverless',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      NODE_OPTIONS: options.serverNodeOptions ?? START_NODE_OPTIONS,
    },
    /(ALLOW_UNAUTHENTICATED=true)/,
  );
  const serverUrl = `http://127.0.0.1:${port}`;
  const ceiling = await startChild('bench/ceiling.ts', {
    CEILING_UPSTREAM: sim.url,
    CEILING_PATH_PREFIX: `/api/atlas/v2/groups/${GROUP}/serverless/${INSTANCE}/backup/snapshots/`,
    CEILING_PUBLIC_KEY: KEY_PAIR.publicKey,
    CEILING_PRIVATE_KEY: KEY_PAIR.privateKey,
  });
  const results: ScenarioResult[] = [];
  try {
    await waitUntilServing(serverUrl);
    const chosen = SCENARIOS.filter(
      (s) =>
        s.name === 'ceiling' ||
        options.scenarios.includes(s.name) ||
        (s.name === 'ceiling-s4' && options.scenarios.includes('s4')),
    );
    if (!options.amount && options.warmupSeconds > 0) {
      await drive(
        serverUrl,
        SCENARIOS.find((s) => s.name === 's1')!,
        options.connections,
        options.warmupSeconds,
      );
      await drive(ceiling.url, SCENARIOS[0]!, options.connections, options.warmupSeconds);
    }
    for (const scenario of chosen) {
      const target = scenario.target === 'ceiling' ? ceiling : server;
      const url = scenario.target === 'ceiling' ? ceiling.url : serverUrl;
      await simulatorStats(sim, 'latency', `?ms=${scenario.upstreamLatencyMs ?? 0}`);
      const before = await simulatorStats(sim);
      const errorsBefore = scenario.target === 'graphql' ? await graphqlErrors(serverUrl) : {};
      let peak = rssOf(target.process.pid!);
      const sampler = setInterval(() => (peak = Math.max(peak, rssOf(target.process.pid!))), 200);
      const connections = Math.max(1, Math.round(options.connections * (scenario.connectionsFactor ?? 1)));
      const result = await drive(url, scenario, connections, options.durationSeconds, options.amount);
      clearInterval(sampler);
      const after = await simulatorStats(sim);
      const errorCodes = scenario.target === 'graphql' ? delta(await graphqlErrors(serverUrl), errorsBefore) : {};
      // Requests in flight when the run stopped made their upstream calls too: count them as sent.
      const requests = Math.max(result.requests.sent, result.requests.total);
      results.push({
        name: scenario.name,
        description: scenario.description,
        connections,
        upstreamLatencyMs: scenario.upstreamLatencyMs ?? 0,
        requestsPerSecond: Math.round(result.requests.average),
        latencyP50Ms: result.latency.p50,
        latencyP99Ms: result.latency.p99,
        requests,
        upstreamCallsPerRequest: requests
          ? Number(((after.upstreamCalls - before.upstreamCalls) / requests).toFixed(3))
          : 0,
        errors: result.errors + result.timeouts + result.non2xx + Object.values(errorCodes).reduce((a, b) => a + b, 0),
        errorCodes,
        peakRssMb: Math.round(peak / 2 ** 20),
      });
    }
    // Each scenario is compared with the ceiling measured under the same conditions (s4 with its own).
    const rate = (name: string) => results.find((r) => r.name === name)?.requestsPerSecond;
    for (const r of results) {
      if (r.name.startsWith('ceiling')) continue;
      const ceilingRate = rate(r.name === 's4' ? 'ceiling-s4' : 'ceiling');
      if (ceilingRate) r.ratioToCeiling = Number((r.requestsPerSecond / ceilingRate).toFixed(3));
    }
  } finally {
    await Promise.all([ceiling.stop(), server.stop(), sim.stop()]);
  }
  return {
    results,
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      cpus: (await import('node:os')).cpus().length,
      upstreamAuth: 'HTTP Digest with nonce reuse (server and ceiling alike)',
      serverEnv:
        'NODE_ENV=production, LOG_LEVEL=warn, ATLAS_SNAPSHOT_API=serverless, ATLAS_RATE_LIMIT_PER_MINUTE=0, CACHE_TTL_*=0 (no cross-request cache)',
      serverCommand: `node ${options.serverNodeOptions ?? START_NODE_OPTIONS} ${options.serverEntry ?? 'dist/main.js'}`,
      ...options,
    },
  };
}

async function waitUntilServing(url: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the GraphQL server did not start');
}
