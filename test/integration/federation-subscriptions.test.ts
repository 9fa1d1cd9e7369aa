import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import {
  createInventorySubgraph,
  INVENTORY_SDL,
  type InventoryCluster,
} from '../../examples/federation/inventory-subgraph.js';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { LIFECYCLE_MS } from '../../src/simulator/timelines.js';
import { createClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { atlasCalls, type GraphQLResponse, type Stack, startStack } from '../helpers.js';
import { type Gateway, startGateway } from '../gateway.js';

// Live status through the federated gateway (issue #14): a client subscribes to Hive Gateway over
// SSE, the gateway subscribes to this subgraph (its HTTP transport's default for subscriptions:
// GraphQL over SSE) with the caller's headers propagated, and every event of the subgraph reaches
// the client, down to the completion at the terminal state. The supergraph is our committed
// schema.graphql composed with the inventory subgraph; its Subscription root is ours alone.

const OPS = { 'x-api-key': 'ops-key' };
const CALLERS = 'ops@ops-key backups:snapshot backups:restore backups:download, reader@read-key';
const fleet = CLOUD.fleetGroupId;
const [source, target] = CLOUD.fleetClusterNames as unknown as [string, string];
const INVENTORY: InventoryCluster[] = [{ groupId: fleet, name: source, owner: 'platform', environment: 'PRODUCTION' }];

const CREATE = `mutation ($input: CreateClusterRestoreJobInput!) {
  createClusterRestoreJob(input: $input) { restoreJob { id state } }
}`;
const WATCH = `subscription ($groupId: ID!, $clusterName: String!, $restoreJobId: ID!) {
  clusterRestoreJob(groupId: $groupId, clusterName: $clusterName, restoreJobId: $restoreJobId) {
    id state deliveryType targetClusterName finishedAt
  }
}`;

interface Job {
  id: string;
  state: string;
  deliveryType: string;
  targetClusterName: string | null;
  finishedAt: string | null;
}

let stack: Stack;
let gateway: Gateway;
/** Completed snapshots of the source cluster. */
let snapshots: string[];

beforeAll(async () => {
  stack = await startStack({ AUTH_API_KEYS: CALLERS, SUBSCRIPTION_POLL_MS: '50' }, 'api-key', {
    clock: { frozen: true },
  });
  const cluster = stack.simulator.projects.get(fleet)!.cloud!.clusters.get(source)!;
  snapshots = [...cluster.snapshots.values()].filter((s) => s.status === 'completed').map((s) => s.id);
  gateway = await startGateway(stack.app.graphqlUrl, {
    name: 'inventory',
    sdl: INVENTORY_SDL,
    handler: createInventorySubgraph(INVENTORY),
  });
});

afterAll(async () => {
  await gateway.close();
  await stack.close();
});

beforeEach(() => stack.simulator.reset());
// Every job a test made runs to its end: the next test finds the target idle.
afterEach(() => void stack.simulator.clock.fastForward());

/** A new AUTOMATED restore of the source cluster's oldest snapshot onto the target, through the gateway. */
async function createRestoreJob(): Promise<Job> {
  const response = await gateway.query<{ createClusterRestoreJob: { restoreJob: Job } }>(
    CREATE,
    {
      input: {
        groupId: fleet,
        clusterName: source,
        deliveryType: 'AUTOMATED',
        snapshotId: snapshots[0],
        targetGroupId: fleet,
        targetClusterName: target,
        confirmTargetClusterName: target,
      },
    },
    OPS,
  );
  expect(response.errors).toBeUndefined();
  expect(response.data!.createClusterRestoreJob.restoreJob.state).toBe('PENDING');
  return response.data!.createClusterRestoreJob.restoreJob;
}

/** Polls `check` every 5 ms until it holds; fails with `what` after 5 s. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A client of the gateway watching one restore job over SSE (graphql-sse, distinct connections)
 * as the caller of `key`: what arrived, whether the stream completed, and a way to leave.
 */
function watch(restoreJobId: string, key?: string) {
  const events: GraphQLResponse<{ clusterRestoreJob: Job | null }>[] = [];
  let ended: 'complete' | 'error' | undefined;
  const client = createClient({ url: gateway.url, headers: key ? { 'x-api-key': key } : {}, retryAttempts: 0 });
  const unsubscribe = client.subscribe(
    { query: WATCH, variables: { groupId: fleet, clusterName: source, restoreJobId } },
    {
      next: (value) => void events.push(value as (typeof events)[number]),
      error: () => void (ended ??= 'error'),
      complete: () => void (ended ??= 'complete'),
    },
  );
  const close = () => {
    unsubscribe();
    client.dispose();
  };
  onTestFinished(close);
  return {
    events,
    async event(n: number) {
      await until(() => events.length > n || ended !== undefined, `event ${n}`);
      if (!events[n]) throw new Error(`the stream ended (${ended}) after ${events.length} events`);
      return events[n];
    },
    async ended() {
      await until(() => ended !== undefined, 'the end of the stream');
      return ended;
    },
    close,
  };
}

/** One of the subgraph's Prometheus gauges, read over its /metrics (METRICS=auth: a caller's key). */
async function gauge(name: string): Promise<number> {
  const response = await fetch(new URL('/metrics', stack.app.graphqlUrl), { headers: OPS });
  const line = (await response.text()).split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

/** Waits until the gauge reads `value` (the subgraph sees a client leave once the gateway closes its stream). */
async function gaugeReaches(name: string, value: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while ((await gauge(name)) !== value) {
    if (Date.now() > deadline) throw new Error(`${name} stayed at ${await gauge(name)}, expected ${value}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a subscription through Hive Gateway', () => {
  it('composes: the supergraph serves our Subscription root', async () => {
    const { data } = await gateway.query<{ __schema: { subscriptionType: { fields: { name: string }[] } } }>(
      '{ __schema { subscriptionType { fields { name } } } }',
    );
    expect(data!.__schema.subscriptionType.fields.map((f) => f.name).sort()).toEqual([
      'clusterBackupActivity',
      'clusterRestoreJob',
      'clusterSnapshot',
      'flexRestoreJob',
      'flexSnapshot',
    ]);
  });

  it('streams a restore job made through the gateway: PENDING first, COMPLETED on the clock, then complete', async () => {
    const job = await createRestoreJob();
    const client = watch(job.id, 'read-key');
    const first = await client.event(0);
    expect(first).toEqual({
      data: {
        clusterRestoreJob: {
          id: job.id,
          state: 'PENDING',
          deliveryType: 'AUTOMATED',
          targetClusterName: target,
          finishedAt: null,
        },
      },
    });
    // The subgraph keeps polling while nothing changes, and sends nothing.
    const polled = atlasCalls(stack, 'getBackupRestoreJob');
    await until(() => atlasCalls(stack, 'getBackupRestoreJob') >= polled + 3, 'three more polls');
    expect(client.events).toHaveLength(1);

    stack.simulator.clock.advance(LIFECYCLE_MS.restore.finished);
    expect(await client.ended()).toBe('complete');
    expect(client.events).toHaveLength(2);
    expect(client.events[1]!.errors).toBeUndefined();
    expect(client.events[1]!.data!.clusterRestoreJob).toMatchObject({ id: job.id, state: 'COMPLETED' });
    expect(client.events[1]!.data!.clusterRestoreJob!.finishedAt).toEqual(expect.any(String));
    // The terminal state stopped the poller: no poll after it.
    const after = atlasCalls(stack, 'getBackupRestoreJob');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(atlasCalls(stack, 'getBackupRestoreJob')).toBe(after);
  });

  it('carries the caller’s credentials: without a key the subgraph refuses, and nothing is polled', async () => {
    const job = await createRestoreJob();
    stack.simulator.reset();
    const client = watch(job.id);
    const first = await client.event(0);
    expect(first.data ?? null).toBeNull();
    expect(first.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    await client.ended();
    expect(atlasCalls(stack, 'getBackupRestoreJob')).toBe(0);
  });

  it('a wrong key is refused as well; a typed NOT_FOUND comes through as the last event', async () => {
    const refused = watch('ffffffffffffffffffffffff', 'nobody-key');
    expect((await refused.event(0)).errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });

    const gone = watch('ffffffffffffffffffffffff', 'read-key');
    const event = await gone.event(0);
    expect(await gone.ended()).toBe('complete');
    expect(event.data).toEqual({ clusterRestoreJob: null });
    expect(event.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(gone.events).toHaveLength(1);
  });

  it('eight clients through the gateway share one poller; leaving frees the subgraph’s subscriptions', async () => {
    const job = await createRestoreJob();
    const clients = Array.from({ length: 8 }, () => watch(job.id, 'read-key'));
    await Promise.all(clients.map((c) => c.event(0)));
    expect(await gauge('graphql_subscriptions_active')).toBe(8);
    expect(await gauge('atlas_pollers_active')).toBe(1);
    // One poll per interval for all eight: the calls grow like one watcher’s, not eight.
    stack.simulator.reset();
    await until(() => atlasCalls(stack, 'getBackupRestoreJob') >= 5, 'five polls');
    const calls = atlasCalls(stack, 'getBackupRestoreJob');
    expect(calls).toBeLessThan(8);

    for (const client of clients) client.close();
    await gaugeReaches('graphql_subscriptions_active', 0);
    expect(await gauge('atlas_pollers_active')).toBe(0);
  });
});

describe('as Apollo Router subscribes (passthrough mode, graphql_ws)', () => {
  // The router opens a WebSocket per subscription to the subgraph's path and, when it propagates
  // the client's Authorization header, sends it in connection_init as `{ token: <header> }`.
  const viaRouter = (connectionParams: Record<string, string>, restoreJobId: string) =>
    new Promise<{ events: unknown[]; end: string }>((resolve) => {
      const events: unknown[] = [];
      const client = createWsClient({
        url: stack.app.graphqlUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams,
        retryAttempts: 0,
      });
      onTestFinished(() => void client.dispose());
      client.subscribe(
        { query: WATCH, variables: { groupId: fleet, clusterName: source, restoreJobId } },
        {
          next: (value) => {
            events.push(value);
            stack.simulator.clock.advance(LIFECYCLE_MS.restore.finished);
          },
          error: (error) => resolve({ events, end: `error ${(error as { code?: number }).code}` }),
          complete: () => resolve({ events, end: 'complete' }),
        },
      );
    });

  it('a bearer key in `token` is the caller’s credential: PENDING, COMPLETED, complete', async () => {
    const job = await createRestoreJob();
    const { events, end } = await viaRouter({ token: 'Bearer read-key' }, job.id);
    expect(end).toBe('complete');
    expect(events.map((e) => (e as { data: { clusterRestoreJob: Job } }).data.clusterRestoreJob.state)).toEqual([
      'PENDING',
      'COMPLETED',
    ]);
  });

  it('a wrong `token` is refused on connect (4403), before any poll', async () => {
    const job = await createRestoreJob();
    stack.simulator.reset();
    expect(await viaRouter({ token: 'Bearer nobody-key' }, job.id)).toEqual({ events: [], end: 'error 4403' });
    expect(atlasCalls(stack, 'getBackupRestoreJob')).toBe(0);
  });
});
