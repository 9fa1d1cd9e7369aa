import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO } from '../src/simulator/seed.js';
import { freePort, START_NODE_OPTIONS, startChild, type Child } from './processes.js';
import { S3_MANIFEST, type Target } from './scenarios.js';

// The processes of an HTTP benchmark run: the Atlas simulator, this service, the pass-through ceiling
// and (when asked) the naive Yoga server and this service running trusted documents only, each a
// child process on loopback, and the simulator's control API that counts and slows the Atlas calls
// they make.

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
  /**
   * Start the service a second time (target `persisted`) with PERSISTED_DOCUMENTS_ONLY=true over a
   * manifest written now to a temporary file (S3_MANIFEST); this is its environment after `serverEnv`.
   */
  persisted?: Record<string, string>;
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

/**
 * Starts the simulator, the service, the ceiling and, if asked, the naive Yoga server and the
 * trusted-only service; waits until the services serve.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const sim = await startChild('src/simulator/main.ts', {
    SIM_PORT: '0',
    SIM_PUBLIC_KEY: KEY_PAIR.publicKey,
    SIM_PRIVATE_KEY: KEY_PAIR.privateKey,
    SIM_CONTROL_API: 'true',
    SIM_BENCH_DATA: 'true',
  });
  const started: Child[] = [sim];
  // The trusted-only service's manifest, removed with the processes.
  const manifestDir = options.persisted && mkdtempSync(join(tmpdir(), 'bench-trusted-'));
  const stop = async () => {
    await Promise.all(started.map((child) => child.stop()));
    if (manifestDir) rmSync(manifestDir, { recursive: true, force: true });
  };
  try {
    const server = await startService(sim, options);
    started.push(server.child);
    const ceiling = await startChild('bench/ceiling.ts', {
      CEILING_UPSTREAM: sim.url,
      CEILING_PATH_PREFIX: `/api/atlas/v2/groups/${GROUP}/serverless/${INSTANCE}/backup/snapshots/`,
      CEILING_PUBLIC_KEY: KEY_PAIR.publicKey,
      CEILING_PRIVATE_KEY: KEY_PAIR.privateKey,
    });
    started.push(ceiling);
    const targets: Stack['targets'] = {
      graphql: server,
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
    if (manifestDir) {
      const manifest = join(manifestDir, 'persisted-documents.json');
      writeFileSync(manifest, JSON.stringify(S3_MANIFEST));
      const env = { PERSISTED_DOCUMENTS_FILE: manifest, PERSISTED_DOCUMENTS_ONLY: 'true', ...options.persisted };
      targets.persisted = await startService(sim, options, env);
      started.push(targets.persisted.child);
      await waitUntilServing(targets.persisted.origin);
    }
    await waitUntilServing(server.origin);
    return { sim, targets, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Starts the service (its env: the benchmark's, `options.serverEnv`, then `env`) on a free port. */
async function startService(
  sim: Child,
  options: StackOptions,
  env: Record<string, string> = {},
): Promise<{ child: Child; origin: string }> {
  const port = await freePort();
  const child = await startChild(
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
      ...env,
    },
    /(ALLOW_UNAUTHENTICATED=true)/,
  );
  return { child, origin: `http://127.0.0.1:${port}` };
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
