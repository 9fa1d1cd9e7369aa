import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient, type ClientOptions } from 'graphql-ws';
import WebSocket from 'ws';
import { expect } from 'vitest';
import { FLEET } from '../../src/simulator/fleet-seed.js';
import { atlasCalls, type GraphQLResponse, type Stack, startStack, type StackAuth } from '../helpers.js';

// What subscription-pollers.test.ts shares: a stack on a frozen simulator clock (a job created by a
// mutation stays PENDING until the test moves the clock), restore jobs made through the mutation,
// WebSocket and SSE subscribers that record what they receive, and the live-status metrics.

/** Caller keys: every caller holds backups:read; only ops and downloader may read download URLs. */
export const KEYS = { ops: 'ops-key', reader: 'read-key', downloader: 'download-key' } as const;
const CALLERS =
  'ops@ops-key backups:restore backups:download, reader@read-key, downloader@download-key backups:download';

/** The fleet project's group id and its clusters (idle replica sets with completed snapshots). */
export const FLEET_GROUP = FLEET.fleetGroupId;
export const FLEET_CLUSTERS = FLEET.fleetClusterNames;

/** The Atlas operation one poll of a dedicated restore job calls. */
export const GET_RESTORE_JOB = 'getBackupRestoreJob';

/**
 * The stack these tests run: callers with keys (`KEYS`; in forward mode they send `x-api-key`, and
 * `Authorization` carries their Atlas token), polls every 50 ms, the simulator clock frozen. `env`
 * is written on top.
 */
export function startLiveStack(env: Record<string, string> = {}, auth: StackAuth = 'api-key'): Promise<Stack> {
  return startStack({ AUTH_API_KEYS: CALLERS, SUBSCRIPTION_POLL_MS: '50', LOG_LEVEL: 'warn', ...env }, auth, {
    clock: { frozen: true },
  });
}

/**
 * A DOWNLOAD restore job of the newest completed snapshot of fleet cluster `clusterName`, made through
 * the mutation by `caller` (headers: the ops key; in forward mode its Atlas token too): its id.
 */
export async function createDownloadJob(
  stack: Stack,
  clusterName: string,
  caller: Record<string, string> = { 'x-api-key': KEYS.ops },
) {
  const cluster = stack.simulator.projects.get(FLEET_GROUP)!.cloud!.clusters.get(clusterName)!;
  const snapshotId = [...cluster.snapshots.values()].filter((s) => s.status === 'completed').at(-1)!.id;
  const response: GraphQLResponse<{ createClusterRestoreJob: { restoreJob: { id: string; state: string } } }> =
    await stack.query(
      `mutation ($input: CreateClusterRestoreJobInput!) { createClusterRestoreJob(input: $input) { restoreJob { id state } } }`,
      { input: { groupId: FLEET_GROUP, clusterName, deliveryType: 'DOWNLOAD', snapshotId } },
      caller,
    );
  expect(response.errors).toBeUndefined();
  const job = response.data!.createClusterRestoreJob.restoreJob;
  expect(job.state).toBe('PENDING');
  return job.id;
}

/** The clusterRestoreJob subscription of job `restoreJobId` on `clusterName`, selecting `fields`. */
export const jobSubscription = (clusterName: string, restoreJobId: string, fields = 'id state') => ({
  query: `subscription { clusterRestoreJob(groupId: "${FLEET_GROUP}", clusterName: "${clusterName}", restoreJobId: "${restoreJobId}") { ${fields} } }`,
});

/** What one subscriber received: its events (GraphQL results), and how it ended. */
export interface Subscriber {
  events: GraphQLResponse[];
  /** Resolves when the server completes the stream; rejects with an error message or a broken connection. */
  ended: Promise<void>;
  completed: boolean;
  /** Resolves once `count` events have arrived; rejects if the stream ends before. */
  received(count: number): Promise<void>;
  /** The client unsubscribes (graphql-ws: `complete`; SSE: the request is aborted). */
  stop(): void;
}

type Sink = Parameters<WsClient['subscribe']>[1];
function recorder(): { subscriber: Omit<Subscriber, 'stop'>; sink: Sink } {
  const events: GraphQLResponse[] = [];
  let settle!: { resolve: () => void; reject: (error: unknown) => void };
  const ended = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  ended.catch(() => undefined); // read by the tests that expect it
  const waiters = new Set<{ count: number; resolve: () => void }>();
  const wake = () => {
    for (const waiter of waiters) {
      if (events.length < waiter.count) continue;
      waiters.delete(waiter);
      waiter.resolve();
    }
  };
  const subscriber = {
    events,
    ended,
    completed: false,
    received: (count: number) =>
      new Promise<void>((resolve, reject) => {
        waiters.add({ count, resolve });
        wake();
        // A stream that ends short of `count` never gets there.
        void ended.then(
          () =>
            setImmediate(() => events.length < count && reject(new Error(`completed after ${events.length} events`))),
          reject,
        );
      }),
  };
  const sink: Sink = {
    next: (result) => {
      events.push(result as GraphQLResponse);
      wake();
    },
    error: (error) => settle.reject(error),
    complete: () => {
      subscriber.completed = true;
      settle.resolve();
    },
  };
  return { subscriber, sink };
}

/** A graphql-ws client over `ws` to the stack, authenticating with `connectionParams`; no retries. */
export function wsClient(stack: Stack, connectionParams: Record<string, string>, on: ClientOptions['on'] = {}) {
  return createWsClient({
    url: stack.app.graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
    on,
  });
}

/** Subscribes over a graphql-ws client. */
export function wsSubscribe(client: WsClient, payload: { query: string }): Subscriber {
  const { subscriber, sink } = recorder();
  const stop = client.subscribe(payload, sink);
  return Object.assign(subscriber, { stop });
}

/** Subscribes over SSE (graphql-sse, distinct connections: one request per subscription); no retries. */
export function sseSubscribe(stack: Stack, headers: Record<string, string>, payload: { query: string }): Subscriber {
  const client = createSseClient({ url: stack.app.graphqlUrl, headers, retryAttempts: 0 });
  const { subscriber, sink } = recorder();
  const stop = client.subscribe(payload, sink);
  return Object.assign(subscriber, {
    stop: () => {
      stop();
      client.dispose();
    },
  });
}

/** One sample of a metric from /metrics (0 when absent), e.g. `metric(stack, 'atlas_polls_total', 'outcome="changed"')`. */
export async function metric(stack: Stack, name: string, labels?: string): Promise<number> {
  const url = new URL('/metrics', stack.app.graphqlUrl);
  const text = await (await fetch(url, { headers: { 'x-api-key': KEYS.reader } })).text();
  const line = text.split('\n').find((l) => l.startsWith(labels ? `${name}{${labels}}` : `${name} `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Waits (polling every 10 ms, at most `timeoutMs`) until `condition` holds; fails the test otherwise. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Calls of getBackupRestoreJob so far. */
export const jobPolls = (stack: Stack): number => atlasCalls(stack, GET_RESTORE_JOB);
