import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { FLEET } from '../src/simulator/fleet-seed.js';
import { cpuTimeMsOf, freePort, rssOf, START_NODE_OPTIONS, startChild, type Child } from './processes.js';

// The live-status scenario (issue #14): many graphql-ws subscribers over few resources, measuring
// what the service costs in steady state — the Atlas polls per interval (ideally one per resource,
// whatever the number of subscribers), the server's CPU time and its RSS. The resources are DOWNLOAD
// restore jobs made through the mutation on the fleet project's completed snapshots: on the
// simulator's real-time clock they stay PENDING for minutes, so nothing changes while measuring.

/** What to run. */
export interface LiveStatusOptions {
  /** Subscriptions in all. @default 5000 */
  subscribers: number;
  /** Distinct restore jobs they watch (subscriber `i` watches job `i mod resources`). @default 50 */
  resources: number;
  /** Subscriptions per WebSocket connection: the server's SUBSCRIPTION_MAX_PER_CONNECTION. @default 100 */
  perConnection: number;
  /** The server's SUBSCRIPTION_POLL_MS. @default 5000 */
  pollMs: number;
  /** Poll intervals measured once every subscriber has its first event. @default 6 */
  intervals: number;
  /** As BenchOptions.serverEntry. @default dist/main.js */
  serverEntry?: string;
  /** As BenchOptions.serverNodeOptions. @default START_NODE_OPTIONS */
  serverNodeOptions?: string;
}

/** What the scenario measured. */
export interface LiveStatusResult {
  name: 'live';
  description: string;
  subscribers: number;
  resources: number;
  connections: number;
  pollMs: number;
  intervals: number;
  /** The server's node flags (those of `npm start` unless the run said otherwise). */
  serverNodeOptions: string;
  /** Time from the first connection to every subscriber's first event. */
  subscribeMs: number;
  /** The server's gauges once everyone subscribed. */
  subscriptionsActive: number;
  pollersActive: number;
  /** `getBackupRestoreJob` calls the simulator served in the measured window, and per interval. */
  polls: number;
  pollsPerInterval: number;
  /** Events subscribers received in the window (nothing changes: 0), and stream errors. */
  eventsInWindow: number;
  errors: number;
  /** Server CPU time (user + system) in the window: per interval, and as a share of one core. */
  cpuMsPerInterval: number;
  cpuPercentOfOneCore: number;
  /** Server RSS and V8 heap used once everyone subscribed, and the peak RSS from start to the end of the window. */
  rssMb: number;
  heapUsedMb: number;
  peakRssMb: number;
}

const KEY_PAIR = { publicKey: 'benchkey', privateKey: 'bench-private-key-not-a-secret' };
const CALLER_KEY = 'bench-live-key';
const json = (body: unknown) => JSON.stringify(body);
const WATCH = `subscription ($g: ID!, $c: String!, $j: ID!) {
  clusterRestoreJob(groupId: $g, clusterName: $c, restoreJobId: $j) { id state deliveryType finishedAt }
}`;

interface Job {
  clusterName: string;
  id: string;
}

/** POSTs one operation as the bench caller and returns its data (any error stops the run). */
async function graphql<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': CALLER_KEY },
    body: json({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length) throw new Error(`${query.slice(0, 60)}…: ${json(body.errors)}`);
  return body.data!;
}

/** `count` DOWNLOAD restore jobs, one per completed snapshot of the fleet's clusters (one download per snapshot at a time). */
async function createRestoreJobs(url: string, count: number): Promise<Job[]> {
  const snapshots: Job[] = [];
  for (const clusterName of FLEET.fleetClusterNames) {
    const data = await graphql<{ clusterSnapshots: { edges: { node: { id: string; status: string } }[] } }>(
      url,
      `
        query ($g: ID!, $c: String!) {
          clusterSnapshots(groupId: $g, clusterName: $c) {
            edges {
              node {
                id
                status
              }
            }
          }
        }
      `,
      { g: FLEET.fleetGroupId, c: clusterName },
    );
    for (const { node } of data.clusterSnapshots.edges)
      if (node.status === 'COMPLETED') snapshots.push({ clusterName, id: node.id });
    if (snapshots.length >= count) break;
  }
  if (snapshots.length < count) throw new Error(`only ${snapshots.length} completed fleet snapshots for ${count} jobs`);
  const jobs: Job[] = [];
  for (const snapshot of snapshots.slice(0, count)) {
    const data = await graphql<{ createClusterRestoreJob: { restoreJob: { id: string } } }>(
      url,
      `
        mutation ($input: CreateClusterRestoreJobInput!) {
          createClusterRestoreJob(input: $input) {
            restoreJob {
              id
            }
          }
        }
      `,
      {
        input: {
          groupId: FLEET.fleetGroupId,
          clusterName: snapshot.clusterName,
          deliveryType: 'DOWNLOAD',
          snapshotId: snapshot.id,
        },
      },
    );
    jobs.push({ clusterName: snapshot.clusterName, id: data.createClusterRestoreJob.restoreJob.id });
  }
  return jobs;
}

/** One of the server's Prometheus gauges. */
async function gauge(serverUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${serverUrl}/metrics`, { headers: { 'x-api-key': CALLER_KEY } })).text();
  return Number(
    text
      .split('\n')
      .find((l) => l.startsWith(`${name} `))
      ?.split(' ')[1] ?? NaN,
  );
}

const restoreJobPolls = async (sim: Child): Promise<number> => {
  const stats = (await (await fetch(`${sim.url}/__simulator/stats`)).json()) as {
    byOperation: Record<string, number>;
  };
  return stats.byOperation.getBackupRestoreJob ?? 0;
};

const until = async (check: () => boolean, what: string, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** The simulator and a server configured for the scenario; the server's stderr tail, kept to say why it died. */
async function startProcesses(
  options: LiveStatusOptions,
): Promise<{ sim: Child; server: Child; port: number; died: () => string | undefined }> {
  const sim = await startChild('src/simulator/main.ts', {
    SIM_PORT: '0',
    SIM_PUBLIC_KEY: KEY_PAIR.publicKey,
    SIM_PRIVATE_KEY: KEY_PAIR.privateKey,
    SIM_CONTROL_API: 'true',
  });
  const port = await freePort();
  let server: Child;
  try {
    server = await startChild(
      options.serverEntry ?? 'dist/main.js',
      {
        PORT: String(port),
        MONGODB_ATLAS_BASE_URL: sim.url,
        MONGODB_ATLAS_PUBLIC_API_KEY: KEY_PAIR.publicKey,
        MONGODB_ATLAS_PRIVATE_API_KEY: KEY_PAIR.privateKey,
        // The bench caller may make download restores (and read /metrics: METRICS=auth).
        AUTH_API_KEYS: `bench@${CALLER_KEY} backups:restore backups:download`,
        CALLER_MAX_ATLAS_CALLS_PER_MINUTE: '1000000',
        SUBSCRIPTION_POLL_MS: String(options.pollMs),
        SUBSCRIPTION_MAX_PER_CONNECTION: String(options.perConnection),
        SUBSCRIPTION_MAX_TOTAL: String(Math.max(5_000, options.subscribers)),
        // `info` for the start line with the URL; WebSocket operations and polls write no info lines.
        LOG_LEVEL: 'info',
        NODE_ENV: 'production',
        NODE_OPTIONS: options.serverNodeOptions ?? START_NODE_OPTIONS,
      },
      /"graphql":"(http:\/\/127\.0\.0\.1:\d+)/,
    );
  } catch (error) {
    await sim.stop();
    throw error;
  }
  let tail = '';
  server.process.stderr?.on('data', (chunk: Buffer) => void (tail = (tail + chunk.toString()).slice(-1500)));
  const died = () => {
    const { exitCode, signalCode } = server.process;
    if (exitCode === null && signalCode === null) return undefined;
    // V8's one-line verdict when there is one (heap exhaustion), else the last of stderr.
    const why = /FATAL ERROR: .*/.exec(tail)?.[0] ?? tail;
    return `the server exited (${exitCode ?? signalCode}) with ${options.subscribers} subscribers under NODE_OPTIONS=${options.serverNodeOptions ?? START_NODE_OPTIONS}: ${why}`;
  };
  return { sim, server, port, died };
}

/** Opens the WebSocket connections and subscribes subscriber `s` to job `s mod jobs`, counting what arrives. */
function subscribeAll(port: number, jobs: Job[], options: LiveStatusOptions) {
  const tally = { firsts: new Set<number>(), events: 0, errors: 0, clients: [] as Client[] };
  const connections = Math.ceil(options.subscribers / options.perConnection);
  for (let c = 0; c < connections; c++) {
    const client = createClient({
      url: `ws://127.0.0.1:${port}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { 'x-api-key': CALLER_KEY },
      retryAttempts: 0,
    });
    tally.clients.push(client);
    for (let s = c * options.perConnection; s < Math.min(options.subscribers, (c + 1) * options.perConnection); s++) {
      const job = jobs[s % jobs.length]!;
      client.subscribe(
        { query: WATCH, variables: { g: FLEET.fleetGroupId, c: job.clusterName, j: job.id } },
        {
          next: () => void (tally.firsts.has(s) ? tally.events++ : tally.firsts.add(s)),
          error: () => void tally.errors++,
          complete: () => undefined,
        },
      );
    }
  }
  return { tally, connections };
}

/** Starts the simulator and a server configured for the scenario, subscribes everyone, and measures. */
export async function runLiveStatusBenchmark(options: LiveStatusOptions): Promise<LiveStatusResult> {
  const { sim, server, port, died } = await startProcesses(options);
  const serverUrl = `http://127.0.0.1:${port}`;
  const pid = server.process.pid!;
  let peak = rssOf(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 200);
  const alive = () => {
    const why = died();
    if (why) throw new Error(why);
  };
  let clients: Client[] = [];
  try {
    const jobs = await createRestoreJobs(`${serverUrl}/graphql`, options.resources);
    const started = Date.now();
    const { tally, connections } = subscribeAll(port, jobs, options);
    clients = tally.clients;
    await until(() => (alive(), tally.firsts.size + tally.errors >= options.subscribers), 'every first event', 120_000);
    const subscribeMs = Date.now() - started;
    alive();
    const [subscriptionsActive, pollersActive, heapUsed] = [
      await gauge(serverUrl, 'graphql_subscriptions_active'),
      await gauge(serverUrl, 'atlas_pollers_active'),
      await gauge(serverUrl, 'nodejs_heap_size_used_bytes'),
    ];
    const rss = rssOf(pid);

    const windowMs = options.intervals * options.pollMs;
    const [pollsBefore, cpuBefore, eventsBefore] = [await restoreJobPolls(sim), cpuTimeMsOf(pid), tally.events];
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    alive();
    const [pollsAfter, cpuAfter] = [await restoreJobPolls(sim), cpuTimeMsOf(pid)];
    const cpuMs = cpuAfter - cpuBefore;
    return {
      name: 'live',
      description: `${options.subscribers} graphql-ws subscribers over ${options.resources} restore jobs, steady state`,
      subscribers: options.subscribers,
      resources: options.resources,
      connections,
      pollMs: options.pollMs,
      intervals: options.intervals,
      serverNodeOptions: options.serverNodeOptions ?? START_NODE_OPTIONS,
      subscribeMs,
      subscriptionsActive,
      pollersActive,
      polls: pollsAfter - pollsBefore,
      pollsPerInterval: Number(((pollsAfter - pollsBefore) / options.intervals).toFixed(2)),
      eventsInWindow: tally.events - eventsBefore,
      errors: tally.errors,
      cpuMsPerInterval: Math.round(cpuMs / options.intervals),
      cpuPercentOfOneCore: Number(((100 * cpuMs) / windowMs).toFixed(2)),
      rssMb: Math.round(rss / 2 ** 20),
      heapUsedMb: Math.round(heapUsed / 2 ** 20),
      peakRssMb: Math.round(Math.max(peak, rssOf(pid)) / 2 ** 20),
    };
  } catch (error) {
    // A failure while the server is dying (its sockets closed before its exit was seen): say why it died.
    await until(() => died() !== undefined, 'the server to exit', 2_000).catch(() => undefined);
    throw died() ? new Error(died()) : error;
  } finally {
    clearInterval(sampler);
    for (const client of clients) void client.dispose();
    await Promise.all([server.stop(), sim.stop()]);
  }
}
