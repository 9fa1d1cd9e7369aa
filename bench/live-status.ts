import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { FLEET } from '../src/simulator/fleet-seed.js';
import {
  CALLER_KEY,
  createRestoreJobs,
  gauge,
  type Job,
  restoreJobPolls,
  startProcesses,
} from './live-status-stack.js';
import { cpuTimeMsOf, rssOf, START_NODE_OPTIONS } from './processes.js';

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
  /** Subscriptions the server refused, by code and limit (`TOO_MANY_SUBSCRIPTIONS HEAP`: its heap guard). */
  refused: Record<string, number>;
  /** Server CPU time (user + system) in the window: per interval, and as a share of one core. */
  cpuMsPerInterval: number;
  cpuPercentOfOneCore: number;
  /** Server RSS and V8 heap used once everyone subscribed, and the peak RSS from start to the end of the window. */
  rssMb: number;
  heapUsedMb: number;
  peakRssMb: number;
}

const WATCH = `subscription ($g: ID!, $c: String!, $j: ID!) {
  clusterRestoreJob(groupId: $g, clusterName: $c, restoreJobId: $j) { id state deliveryType finishedAt }
}`;

const until = async (check: () => boolean, what: string, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** Opens the WebSocket connections and subscribes subscriber `s` to job `s mod jobs`, counting what arrives. */
function subscribeAll(port: number, jobs: Job[], options: LiveStatusOptions) {
  const tally = {
    firsts: new Set<number>(),
    events: 0,
    errors: 0,
    /** Subscriptions refused by the server (an errors-only result, e.g. TOO_MANY_SUBSCRIPTIONS), by code and limit. */
    refused: {} as Record<string, number>,
    clients: [] as Client[],
  };
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
          next: (result) => {
            // A refusal (the heap guard, a limit) comes as a result with errors and no data: not an event.
            if (result.errors?.length && !result.data) {
              const extensions = result.errors[0]!.extensions as { code?: string; limit?: string } | undefined;
              const why = [extensions?.code, extensions?.limit].filter(Boolean).join(' ') || 'error';
              tally.refused[why] = (tally.refused[why] ?? 0) + 1;
              tally.errors += 1;
            } else if (tally.firsts.has(s)) tally.events += 1;
            else tally.firsts.add(s);
          },
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
      refused: tally.refused,
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
