import { FLEET } from '../src/simulator/fleet-seed.js';
import type { LiveStatusOptions } from './live-status.js';
import { freePort, START_NODE_OPTIONS, startChild, type Child } from './processes.js';

// What the live-status scenario runs against: the simulator and a server configured for it, the
// restore jobs it watches (made through the mutation), and the counters it reads (the simulator's
// calls, the server's gauges).

const KEY_PAIR = { publicKey: 'benchkey', privateKey: 'bench-private-key-not-a-secret' };
export const CALLER_KEY = 'bench-live-key';
const json = (body: unknown) => JSON.stringify(body);
export interface Job {
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
export async function createRestoreJobs(url: string, count: number): Promise<Job[]> {
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
export async function gauge(serverUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${serverUrl}/metrics`, { headers: { 'x-api-key': CALLER_KEY } })).text();
  return Number(
    text
      .split('\n')
      .find((l) => l.startsWith(`${name} `))
      ?.split(' ')[1] ?? NaN,
  );
}

export const restoreJobPolls = async (sim: Child): Promise<number> => {
  const stats = (await (await fetch(`${sim.url}/__simulator/stats`)).json()) as {
    byOperation: Record<string, number>;
  };
  return stats.byOperation.getBackupRestoreJob ?? 0;
};

/** The simulator and a server configured for the scenario; the server's stderr tail, kept to say why it died. */
export async function startProcesses(
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
  let fatal: string | undefined;
  server.process.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-1500);
    fatal ??= /FATAL ERROR: .*/.exec(tail)?.[0];
  });
  const died = () => {
    const { exitCode, signalCode } = server.process;
    if (exitCode === null && signalCode === null) return undefined;
    // V8's one-line verdict when there is one (heap exhaustion), else the last of stderr.
    const why = fatal ?? tail;
    return `the server exited (${exitCode ?? signalCode}) with ${options.subscribers} subscribers under NODE_OPTIONS=${options.serverNodeOptions ?? START_NODE_OPTIONS}: ${why}`;
  };
  return { sim, server, port, died };
}
