import { startChild, type Child } from '../bench/processes.js';
import { startAtlasSimulator, type AtlasSimulator, type AtlasSimulatorOptions } from '../src/simulator/server.js';
import { TEST_KEY, TEST_SERVICE_ACCOUNT, type GraphQLResponse, type LogLine } from './helpers.js';
import { startRedis, type TestRedis } from './redis.js';

// A fleet of separate processes for the tests that need them (a replica killed for real, one
// restarted, each with its own memory): the simulator in the test's process, a real redis-server
// (test/redis.ts) and N children running the service from source (`node --import tsx src/main.ts`,
// as the benchmark smoke test does, so that no build is needed; ~1 s to start).

/** What `startFleet` starts. */
export interface FleetOptions {
  /** How many service processes. @default 3 */
  replicas?: number;
  /**
   * What every replica sees besides the simulator's URL, the test API key (TEST_KEY), its PORT,
   * REDIS_URL and FLEET_REPLICAS (the replica count); these win over those.
   */
  env?: Record<string, string>;
  /** Start a redis-server and give its URL to every replica. @default true */
  redis?: boolean;
  /** Passed to the simulator (it accepts the test API key and service account anyway). */
  simulator?: AtlasSimulatorOptions;
}

/** A replica's `/readiness`: its status code and body. */
export interface Readiness {
  status: number;
  body: { ready: boolean; draining: boolean; breaker: string; redis?: 'up' | 'down' };
}

/** A running fleet: replicas are numbered from 0. */
export interface Fleet {
  readonly simulator: AtlasSimulator;
  /** The redis-server (kill and start it for fault tests); undefined with `redis: false`. */
  readonly redis: TestRedis | undefined;
  /** Each replica's GraphQL URL (a restarted replica keeps its own). */
  readonly urls: readonly string[];
  /** POSTs an operation to replica `i` and returns the parsed body (throws when it cannot be reached). */
  query<Data = Record<string, unknown>>(
    i: number,
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<Data>>;
  readiness(i: number): Promise<Readiness>;
  /** Replica `i`'s JSON log lines since it (re)started listening, parsed. */
  logs(i: number): LogLine[];
  /** SIGKILL: replica `i` dies without finishing anything, as in a crash. */
  kill(i: number): Promise<void>;
  /** Starts replica `i` again (after `kill`, or stops it first) on the same port. */
  restart(i: number): Promise<void>;
  /** Stops every replica (SIGTERM, SIGKILL after 5 s), the simulator and Redis. */
  stop(): Promise<void>;
}

const GRAPHQL_URL = /"graphql":"(http:\/\/[^"]+)"/;

interface Replica {
  child: Child;
  logs: LogLine[];
}

/** Starts `node --import tsx src/main.ts` with `env` and keeps its log lines. */
async function startReplicaProcess(env: Record<string, string>): Promise<Replica> {
  const child = await startChild('src/main.ts', env, GRAPHQL_URL);
  const logs: LogLine[] = [];
  let partial = '';
  child.process.stdout?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{')) logs.push(JSON.parse(line) as LogLine);
  });
  return { child, logs };
}

/** Starts the simulator, Redis (unless `redis: false`) and `replicas` service processes, in parallel. */
export async function startFleet(options: FleetOptions = {}): Promise<Fleet> {
  const count = options.replicas ?? 3;
  const simulator = await startAtlasSimulator({
    apiKeys: [TEST_KEY],
    serviceAccounts: [TEST_SERVICE_ACCOUNT],
    ...options.simulator,
  });
  const redis = options.redis === false ? undefined : await startRedis().catch(stopAnd(simulator));
  const envOf = (port: number): Record<string, string> => ({
    MONGODB_ATLAS_BASE_URL: simulator.url,
    MONGODB_ATLAS_PUBLIC_API_KEY: TEST_KEY.publicKey,
    MONGODB_ATLAS_PRIVATE_API_KEY: TEST_KEY.privateKey,
    PORT: String(port),
    FLEET_REPLICAS: String(count),
    ...(redis ? { REDIS_URL: redis.url } : {}),
    ...options.env,
  });
  const started = await Promise.allSettled(Array.from({ length: count }, () => startReplicaProcess(envOf(0))));
  const replicas = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  if (replicas.length < count) {
    await Promise.all(replicas.map((replica) => replica.child.stop()));
    await redis?.stop();
    await simulator.close();
    throw (started.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason;
  }
  const urls = replicas.map((replica) => replica.child.url);
  const portOf = (i: number) => new URL(urls[i]!).port;
  const at = (i: number) => {
    const replica = replicas[i];
    if (!replica) throw new Error(`no replica ${i} (the fleet has ${count})`);
    return replica;
  };

  return {
    simulator,
    redis,
    urls,
    async query<Data>(i: number, query: string, variables?: Record<string, unknown>, headers = {}) {
      const response = await fetch(urls[i]!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<Data>;
    },
    async readiness(i) {
      const response = await fetch(urls[i]!.replace(/\/graphql$/, '/readiness'));
      return { status: response.status, body: (await response.json()) as Readiness['body'] };
    },
    logs: (i) => at(i).logs,
    async kill(i) {
      const { process: child } = at(i).child;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async restart(i) {
      await at(i).child.stop();
      replicas[i] = await startReplicaProcess(envOf(Number(portOf(i))));
    },
    async stop() {
      await Promise.all(replicas.map((replica) => replica.child.stop()));
      await redis?.stop();
      await simulator.close();
    },
  };
}

/** A rejection handler that closes `simulator` before passing the error on. */
const stopAnd =
  (simulator: AtlasSimulator) =>
  async (error: unknown): Promise<never> => {
    await simulator.close();
    throw error;
  };
