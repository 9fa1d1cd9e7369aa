import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { DEMO } from '../../src/simulator/seed.js';
import { LIFECYCLE_MS } from '../../src/simulator/timelines.js';
import { atlasCalls, type GraphQLResponse, sleep, type Stack, startStack } from '../helpers.js';
import {
  CALLERS,
  deleteSnapshot,
  FLEET,
  READ_KEY,
  startRestore,
  subscribe,
  takeSnapshot,
  type Transport,
  TRANSPORTS,
  until,
  WATCH,
} from './subscription-kit.js';

// Live status (issue #14 "Tests") as Atlas answers the polls, over SSE and over WebSocket: a
// resource that disappears (a last NOT_FOUND event, then complete), polls that find nothing new
// (no event), bad arguments (refused before any poll), Atlas failing for longer than the client's
// retries (a typed error event; the stream goes on; another watcher is untouched) and a 429 with
// Retry-After (no poll until it has passed). The simulator clock is frozen: resources move only
// when a test moves them. Polls are real timers (SUBSCRIPTION_POLL_MS 50): the tests count them.

const ATTEMPTS = 2;
let stack: Stack;
beforeAll(async () => {
  stack = await startStack(
    {
      ...CALLERS,
      SUBSCRIPTION_POLL_MS: '50',
      SUBSCRIPTION_IDLE_POLL_MS: '50',
      ATLAS_MAX_ATTEMPTS: String(ATTEMPTS),
      ATLAS_RETRY_BASE_DELAY_MS: '10',
      // A Retry-After above a second ends the call at once (RATE_LIMITED): the poller must wait it out.
      ATLAS_RETRY_AFTER_MAX_MS: '1000',
    },
    'api-key',
    { clock: { frozen: true } },
  );
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());
afterEach(() => void stack.simulator.clock.fastForward());

/** Fleet clusters without the seeded snapshot in flight (every fifth has one), one set per test. */
const idle = CLOUD.fleetClusterNames.filter((_, n) => (n + 1) % 5 !== 0);
let taken = 0;
const freshCluster = (): string => idle[taken++]!;

type Data = Record<string, Record<string, unknown> | null>;
const watch = (transport: Transport, document: keyof typeof WATCH, variables: Record<string, unknown>) =>
  subscribe<Data>(transport, stack.app.graphqlUrl, WATCH[document], variables, READ_KEY);
/** A well-formed snapshot id, beside the bad arguments. */
const SNAPSHOT_ID = '6b1541000000000000000001';
const snapshotReads = () => atlasCalls(stack, 'getClusterBackupSnapshot');
const fleetCluster = (name: string) => stack.simulator.projects.get(FLEET)!.cloud!.clusters.get(name)!;

/** The event's one error: on `field`, with `code` and the other `extensions` given. */
function expectError(event: GraphQLResponse, field: string, code: string, extensions: Record<string, unknown> = {}) {
  expect(event.errors).toHaveLength(1);
  expect(event.errors![0]).toMatchObject({ path: [field], extensions: { code, ...extensions } });
}

/** The codes of an event's errors. */
const errorCodes = (event: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  (event.errors ?? []).map((e) => e.extensions?.code);

describe.each(TRANSPORTS)('over %s', (transport) => {
  it('a snapshot that disappears while watched: a last event with NOT_FOUND, then complete, and no more polls', async () => {
    const clusterName = freshCluster();
    const snapshotId = await takeSnapshot(stack, clusterName);
    const sub = watch(transport, 'clusterSnapshot', { groupId: FLEET, clusterName, snapshotId });
    expect((await sub.event(0)).data?.clusterSnapshot).toMatchObject({ id: snapshotId, status: 'QUEUED' });

    // Atlas refuses to delete a snapshot in progress (and a completed one ends the watch first), so
    // the snapshot goes as when Atlas drops it: from the simulator's data.
    fleetCluster(clusterName).snapshots.delete(snapshotId);
    const last = await sub.event(1);
    expect(last.data).toEqual({ clusterSnapshot: null });
    expectError(last, 'clusterSnapshot', 'NOT_FOUND');
    expect(await sub.ended()).toEqual({ kind: 'complete' });
    const reads = snapshotReads();
    await sleep(150);
    expect(snapshotReads()).toBe(reads);
    expect(sub.events).toHaveLength(2);
  });

  it('clusterBackupActivity: deleteClusterSnapshot is SNAPSHOT_REMOVED; the cluster’s disappearance is NOT_FOUND, then complete', async () => {
    const clusterName = freshCluster();
    const [oldest] = [...fleetCluster(clusterName).snapshots.keys()];
    const sub = watch(transport, 'clusterBackupActivity', { groupId: FLEET, clusterName });
    expect((await sub.event(0)).data?.clusterBackupActivity?.snapshots).toHaveLength(3);

    await deleteSnapshot(stack, clusterName, oldest!);
    const removed = (await sub.event(1)).data?.clusterBackupActivity;
    expect(removed?.changes).toEqual([{ kind: 'SNAPSHOT_REMOVED', id: oldest }]);
    expect(removed?.snapshots).toHaveLength(2);

    const project = stack.simulator.projects.get(FLEET)!;
    project.cloud!.clusters.delete(clusterName);
    project.dedicated.delete(clusterName);
    const last = await sub.event(2);
    expect(last.data).toEqual({ clusterBackupActivity: null });
    expect(errorCodes(last)).toEqual(['NOT_FOUND']);
    expect(await sub.ended()).toEqual({ kind: 'complete' });
    expect(sub.events).toHaveLength(3);
  });

  it('an event only when a field the type shows changed: polls that find nothing new (or an unshown field changed) send nothing', async () => {
    const clusterName = freshCluster();
    const snapshotId = await takeSnapshot(stack, clusterName);
    const sub = watch(transport, 'clusterSnapshot', { groupId: FLEET, clusterName, snapshotId });
    await sub.event(0);
    const first = snapshotReads();
    await until(() => snapshotReads() >= first + 10, '10 more polls');
    expect(sub.events).toHaveLength(1);

    // Atlas adds a field this service does not read: the body differs, what the type shows does not.
    Object.assign(fleetCluster(clusterName).snapshots.get(snapshotId)!, { replicationLagSeconds: 3 });
    const second = snapshotReads();
    await until(() => snapshotReads() >= second + 10, '10 more polls');
    expect(sub.events).toHaveLength(1);

    stack.simulator.clock.advance(LIFECYCLE_MS.snapshot.inProgress);
    expect((await sub.event(1)).data?.clusterSnapshot).toMatchObject({ status: 'IN_PROGRESS' });
    const third = snapshotReads();
    await until(() => snapshotReads() >= third + 10, '10 more polls');
    expect(sub.events).toHaveLength(2);
    expect(sub.end).toBeUndefined();
  });

  // [document (its root field), the bad argument, the variables]
  const BAD: [keyof typeof WATCH, string, Record<string, unknown>][] = [
    ['clusterSnapshot', 'groupId', { groupId: 'not-a-group', clusterName: 'fleet-01', snapshotId: SNAPSHOT_ID }],
    ['clusterSnapshot', 'clusterName', { groupId: FLEET, clusterName: 'fleet_01!', snapshotId: SNAPSHOT_ID }],
    ['clusterSnapshot', 'snapshotId', { groupId: FLEET, clusterName: 'fleet-01', snapshotId: '6b15' }],
    ['clusterRestoreJob', 'restoreJobId', { groupId: FLEET, clusterName: 'fleet-01', restoreJobId: 'x' }],
    ['flexSnapshot', 'name', { groupId: DEMO.groupId, name: '-flex', snapshotId: DEMO.flexSnapshotId }],
    ['flexRestoreJob', 'restoreJobId', { groupId: DEMO.groupId, name: DEMO.flexCluster, restoreJobId: 'ABC' }],
    ['clusterBackupActivity', 'groupId', { groupId: FLEET.toUpperCase(), clusterName: 'fleet-01' }],
  ];
  it.each(BAD)(
    '%s with a bad %s: BAD_USER_INPUT on the argument, then complete; 0 Atlas calls',
    async (document, argument, variables) => {
      const sub = watch(transport, document, variables);
      expect(await sub.ended()).toEqual({ kind: 'complete' });
      expect(sub.events).toHaveLength(1);
      expect(sub.events[0]!.data ?? null).toBeNull();
      expectError(sub.events[0]!, document, 'BAD_USER_INPUT', { argument });
      await sleep(150); // three poll intervals: nothing polls
      expect(stack.simulator.upstreamCalls()).toBe(0);
    },
  );

  // 503 is retried (ATLAS_MAX_ATTEMPTS calls per poll), 500 is not (one call per poll).
  it.each([
    [503, ATTEMPTS],
    [500, 1],
  ])(
    'Atlas answering %i past the client’s retries: a typed error event per failed poll, then the next state once it recovers; another watcher is untouched',
    async (status, callsPerPoll) => {
      const [clusterName, other] = [freshCluster(), freshCluster()];
      const snapshotId = await takeSnapshot(stack, clusterName);
      const restoreJobId = await startRestore(stack, other);
      const sub = watch(transport, 'clusterSnapshot', { groupId: FLEET, clusterName, snapshotId });
      const bystander = watch(transport, 'clusterRestoreJob', { groupId: FLEET, clusterName: other, restoreJobId });
      await sub.event(0);
      await bystander.event(0);

      // Two polls' worth of failures: every attempt of each fails.
      const before = snapshotReads();
      stack.simulator.faults.inject(
        { kind: 'status', status },
        { operation: 'getClusterBackupSnapshot', times: 2 * callsPerPoll },
      );
      for (const n of [1, 2]) {
        const failed = await sub.event(n);
        expect(failed.data).toEqual({ clusterSnapshot: null });
        expectError(failed, 'clusterSnapshot', 'UPSTREAM_ERROR');
      }
      expect(snapshotReads() - before).toBe(2 * callsPerPoll);
      expect(sub.end).toBeUndefined();

      // Once Atlas answers again, the state comes again (the error event had nulled it), unchanged.
      expect((await sub.event(3)).data).toEqual(sub.events[0]!.data);
      stack.simulator.clock.advance(LIFECYCLE_MS.snapshot.inProgress);
      expect((await sub.event(4)).data?.clusterSnapshot).toMatchObject({ id: snapshotId, status: 'IN_PROGRESS' });
      stack.simulator.clock.advance(LIFECYCLE_MS.restore.finished);
      expect((await bystander.event(1)).data?.clusterRestoreJob).toMatchObject({ state: 'READY' });
      expect(bystander.events.flatMap(errorCodes)).toEqual([]);
      expect(bystander.end).toBeUndefined();
      expect(bystander.events).toHaveLength(2);
      expect(sub.events.map(errorCodes).slice(0, 5)).toEqual([[], ['UPSTREAM_ERROR'], ['UPSTREAM_ERROR'], [], []]);
    },
  );

  it('429 with Retry-After 2: a RATE_LIMITED event, then no poll for the next second (20 otherwise), then the next state', async () => {
    const clusterName = freshCluster();
    const snapshotId = await takeSnapshot(stack, clusterName);
    const sub = watch(transport, 'clusterSnapshot', { groupId: FLEET, clusterName, snapshotId });
    await sub.event(0);
    const start = snapshotReads();
    await until(() => snapshotReads() >= start + 10, '10 polls'); // the pace without back-off: 20 a second

    stack.simulator.faults.inject(
      { kind: 'status', status: 429, headers: { 'Retry-After': '2' } },
      { operation: 'getClusterBackupSnapshot' },
    );
    const limited = await sub.event(1);
    expect(limited.data).toEqual({ clusterSnapshot: null });
    expectError(limited, 'clusterSnapshot', 'RATE_LIMITED', { retryAfterSeconds: 2 });
    const after = snapshotReads();
    await sleep(1_000);
    expect(snapshotReads()).toBe(after);

    stack.simulator.clock.advance(LIFECYCLE_MS.snapshot.inProgress);
    expect((await sub.event(2)).data?.clusterSnapshot).toMatchObject({ status: 'IN_PROGRESS' });
    expect(sub.events.map(errorCodes)).toEqual([[], ['RATE_LIMITED'], []]);
  });
});
