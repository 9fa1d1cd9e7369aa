import { DEMO } from '../src/simulator/seed.js';
import { freePort, START_NODE_OPTIONS, startChild, type Child } from './processes.js';
import type { Target } from './scenarios.js';

// The processes of an HTTP benchmark run: the Atlas simulator, this service, the pass-through ceiling
// and (when asked) the naive Yoga server, each a child process on loopback, and the simulator's
// control API that counts and slows the Atlas calls they make.

const KEY_PAIR = { publicKey: 'benchkey', privateKey: 'bench-private-key-not-a-secret' };
const GROUP = DEMO.analyticsGroupId;
const INSTANCE = DEMO.benchInstance;

/** How to start the service. */
export interface StackOptions {
  /** As BenchOptions.serverEntry. */
  serverEntry: string;
  /** As BenchOptions.serverNodeOptions. */
  serverNodeOptions: string;
  /** Start the naive Yoga server too. */
  naive: boolean;
  /** More environment for the service (the profiler's). */
  serverEnv?: Record<string, string>;
}

/** The running processes, by what they are. */
export interface Stack {
  sim: Child;
  /** Each target's process and origin. */
  targets: Partial<Record<Target, { child: Child; origin: string }>>;
  stop(): Promise<void>;
}

/** The simulator's counters (`/__simulator/stats`), or sets its latency (`latency`, `?ms=N`). */
export async function simulatorStats(sim: Child, action = 'stats', query = ''): Promise<{ upstreamCalls: number }> {
  return (await (await fetch(`${sim.url}/__simulator/${action}${query}`)).json()) as { upstreamCalls: number };
}

/** Starts the simulator, the service, the ceiling and, if asked, the naive Yoga server; waits until the service serves. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const sim = await startChild('src/simulator/main.ts', {
    SIM_PORT: '0',
    SIM_PUBLIC_KEY: KEY_PAIR.publicKey,
    SIM_PRIVATE_KEY: KEY_PAIR.privateKey,
    SIM_CONTROL_API: 'true',
    SIM_BENCH_DATA: 'true',
  });
  const started: Child[] = [sim];
  const stop = () => Promise.all(started.map((child) => child.stop())).then(() => undefined);
  try {
    const port = await freePort();
    const server = await startChild(
      options.serverEntry,
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
        NODE_OPTIONS: options.serverNodeOptions,
        ...options.serverEnv,
      },
      /(ALLOW_UNAUTHENTICATED=true)/,
    );
    started.push(server);
    const serverUrl = `http://127.0.0.1:${port}`;
    const ceiling = await startChild('bench/ceiling.ts', {
      CEILING_UPSTREAM: sim.url,
      CEILING_PATH_PREFIX: `/api/atlas/v2/groups/${GROUP}/serverless/${INSTANCE}/backup/snapshots/`,
      CEILING_PUBLIC_KEY: KEY_PAIR.publicKey,
      CEILING_PRIVATE_KEY: KEY_PAIR.privateKey,
    });
    started.push(ceiling);
    const targets: Stack['targets'] = {
      graphql: { child: server, origin: serverUrl },
      ceiling: { child: ceiling, origin: ceiling.url },
    };
    if (options.naive) {
      // The naive server runs under `npm start`'s node flags like the service (the heap caps cost CPU):
      // the comparison is then between the code, not the flags.
      const naive = await startChild('bench/naive-yoga.ts', {
        NAIVE_UPSTREAM: sim.url,
        NAIVE_PUBLIC_KEY: KEY_PAIR.publicKey,
        NAIVE_PRIVATE_KEY: KEY_PAIR.privateKey,
        NODE_ENV: 'production',
        NODE_OPTIONS: START_NODE_OPTIONS,
      });
      started.push(naive);
      targets.naive = { child: naive, origin: naive.url };
    }
    await waitUntilServing(serverUrl);
    return { sim, targets, stop };
  } catch (error) {
    await stop();
    throw error;
  }
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
