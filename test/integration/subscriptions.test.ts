import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { DEMO } from '../../src/simulator/seed.js';
import { LIFECYCLE_MS } from '../../src/simulator/timelines.js';
import { type GraphQLResponse, sleep, type Stack, startStack } from '../helpers.js';
import {
  CALLERS,
  cancelRestore,
  completedSnapshotOf,
  FLEET,
  OPS_KEY,
  READ_KEY,
  restoreFlex,
  startRestore,
  subscribe,
  takeSnapshot,
  type Transport,
  TRANSPORTS,
  WATCH,
} from './subscription-kit.js';

// Live status (issue #14 "Tests"): the events of each subscription kind, in order and in content,
// over SSE (the graphql-sse client) and over WebSocket (the graphql-ws client): the current state
// first, one event per change as the simulator clock walks the resource through its life, the last
// state, then the client's `complete`. The simulator clock is frozen: a resource moves only when a
// test moves it, after the previous event arrived, so each stage is seen exactly once.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ ...CALLERS, SUBSCRIPTION_POLL_MS: '50', SUBSCRIPTION_IDLE_POLL_MS: '50' }, 'api-key', {
    clock: { frozen: true },
  });
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());
// Every resource a test made runs to its end: the next test finds its clusters idle.
afterEach(() => void stack.simulator.clock.fastForward());

/** Fleet clusters without the seeded snapshot in flight (every fifth has one), one set per test. */
const idle = CLOUD.fleetClusterNames.filter((_, n) => (n + 1) % 5 !== 0);
let taken = 0;
const freshCluster = (): string => idle[taken++]!;

const clock = () => stack.simulator.clock;
type Data = Record<string, Record<string, unknown> | null>;

/** Subscribes to `field` with `variables` over `transport`, as the read-only caller unless `key` says otherwise. */
const watch = (
  transport: Transport,
  document: keyof typeof WATCH,
  variables: Record<string, unknown>,
  key = READ_KEY,
) => subscribe<Data>(transport, stack.app.graphqlUrl, WATCH[document], variables, key);

/** Event `n`'s value of `field`, which must carry no error. */
async function valueOf(sub: ReturnType<typeof watch>, n: number, field: string): Promise<Record<string, unknown>> {
  const event: GraphQLResponse<Data> = await sub.event(n);
  expect(event.errors).toBeUndefined();
  expect(event.data?.[field]).toBeTruthy();
  return event.data![field]!;
}

/** The stream completed (the client's `complete`) after exactly `count` events, and polling stopped. */
async function completedAfter(sub: ReturnType<typeof watch>, count: number): Promise<void> {
  expect(await sub.ended()).toEqual({ kind: 'complete' });
  const calls = stack.simulator.upstreamCalls();
  await sleep(150); // three poll intervals
  expect(stack.simulator.upstreamCalls()).toBe(calls);
  expect(sub.events).toHaveLength(count);
}

describe.each(TRANSPORTS)('over %s', (transport) => {
  it('clusterSnapshot: QUEUED → IN_PROGRESS → each stage’s new field → COMPLETED, then complete', async () => {
    const clusterName = freshCluster();
    const snapshotId = await takeSnapshot(stack, clusterName);
    const sub = watch(transport, 'clusterSnapshot', { groupId: FLEET, clusterName, snapshotId });
    const ms = LIFECYCLE_MS.snapshot;

    expect(await valueOf(sub, 0, 'clusterSnapshot')).toEqual({
      id: snapshotId,
      status: 'QUEUED',
      createdAt: null,
      expiresAt: expect.any(String) as string,
      storageSizeBytes: 0,
      mongodVersion: null,
      cloudProvider: null,
    });
    clock().advance(ms.inProgress);
    expect(await valueOf(sub, 1, 'clusterSnapshot')).toMatchObject({ status: 'IN_PROGRESS', mongodVersion: null });
    clock().advance(ms.versioned - ms.inProgress);
    expect(await valueOf(sub, 2, 'clusterSnapshot')).toMatchObject({
      status: 'IN_PROGRESS',
      mongodVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/) as string,
      cloudProvider: null,
    });
    clock().advance(ms.placed - ms.versioned);
    expect(await valueOf(sub, 3, 'clusterSnapshot')).toMatchObject({
      status: 'IN_PROGRESS',
      cloudProvider: expect.stringMatching(/^(AWS|GCP|AZURE)$/) as string,
      createdAt: null,
    });
    clock().advance(ms.completed - ms.placed);
    const last = await valueOf(sub, 4, 'clusterSnapshot');
    expect(last).toMatchObject({ status: 'COMPLETED', createdAt: expect.any(String) as string });
    expect(last.storageSizeBytes).toBeGreaterThan(0);
    await completedAfter(sub, 5);
  });

  it('clusterRestoreJob (AUTOMATED): PENDING → COMPLETED with finishedAt, then complete', async () => {
    const [source, target] = [freshCluster(), freshCluster()];
    const restoreJobId = await startRestore(stack, source, target);
    const sub = watch(transport, 'clusterRestoreJob', { groupId: FLEET, clusterName: source, restoreJobId });

    const pending = { cancelled: false, failed: false, expired: false, finishedAt: null, expiresAt: null };
    expect(await valueOf(sub, 0, 'clusterRestoreJob')).toEqual({
      id: restoreJobId,
      state: 'PENDING',
      deliveryType: 'AUTOMATED',
      ...pending,
    });
    clock().advance(LIFECYCLE_MS.restore.finished);
    expect(await valueOf(sub, 1, 'clusterRestoreJob')).toMatchObject({
      state: 'COMPLETED',
      finishedAt: expect.any(String) as string,
    });
    await completedAfter(sub, 2);
  });

  it('clusterRestoreJob (DOWNLOAD): PENDING → READY with its URL → EXPIRED without it, then complete', async () => {
    const source = freshCluster();
    const restoreJobId = await startRestore(stack, source);
    const variables = { groupId: FLEET, clusterName: source, restoreJobId };
    // The ops key holds backups:download, so the URL shows; the reader's events carry FORBIDDEN on it.
    const sub = watch(transport, 'clusterRestoreJobUrl', variables, OPS_KEY);
    const reader = watch(transport, 'clusterRestoreJobUrl', variables);

    expect(await valueOf(sub, 0, 'clusterRestoreJob')).toEqual({
      id: restoreJobId,
      state: 'PENDING',
      expired: false,
      finishedAt: null,
      expiresAt: null,
      deliveryUrl: [],
    });
    await reader.event(0);
    clock().advance(LIFECYCLE_MS.restore.finished);
    const ready = await valueOf(sub, 1, 'clusterRestoreJob');
    expect(ready).toMatchObject({ state: 'READY', expiresAt: expect.any(String) as string, finishedAt: null });
    expect(ready.deliveryUrl).toEqual([expect.stringMatching(/^https:\/\/restore-/)]);
    await reader.event(1);
    clock().advance(LIFECYCLE_MS.downloadLife);
    expect(await valueOf(sub, 2, 'clusterRestoreJob')).toMatchObject({
      state: 'EXPIRED',
      expired: true,
      deliveryUrl: [],
      finishedAt: expect.any(String) as string,
    });
    await completedAfter(sub, 3);
    await completedAfter(reader, 3);
    expect(
      reader.events.map((e) => [e.data?.clusterRestoreJob?.state, e.data?.clusterRestoreJob?.deliveryUrl]),
    ).toEqual([
      ['PENDING', null],
      ['READY', null],
      ['EXPIRED', null],
    ]);
    for (const event of reader.events)
      expect(event.errors).toEqual([
        expect.objectContaining({
          path: ['clusterRestoreJob', 'deliveryUrl'],
          extensions: expect.objectContaining({ code: 'FORBIDDEN', scope: 'backups:download' }) as unknown,
        }),
      ]);
  });

  it('clusterRestoreJob: a planned failure ends FAILED, then complete', async () => {
    const [source, target] = [freshCluster(), freshCluster()];
    const restoreJobId = await startRestore(stack, source, target);
    stack.simulator.planOutcome('failed', { id: restoreJobId });
    const sub = watch(transport, 'clusterRestoreJob', { groupId: FLEET, clusterName: source, restoreJobId });

    expect(await valueOf(sub, 0, 'clusterRestoreJob')).toMatchObject({ state: 'PENDING', failed: false });
    clock().advance(LIFECYCLE_MS.restore.finished);
    expect(await valueOf(sub, 1, 'clusterRestoreJob')).toMatchObject({ state: 'FAILED', failed: true });
    await completedAfter(sub, 2);
  });

  it('clusterRestoreJob: cancelClusterRestoreJob ends it CANCELLED, then complete', async () => {
    const source = freshCluster();
    const restoreJobId = await startRestore(stack, source);
    const sub = watch(transport, 'clusterRestoreJob', { groupId: FLEET, clusterName: source, restoreJobId });

    expect(await valueOf(sub, 0, 'clusterRestoreJob')).toMatchObject({ state: 'PENDING', cancelled: false });
    await cancelRestore(stack, source, restoreJobId);
    expect(await valueOf(sub, 1, 'clusterRestoreJob')).toMatchObject({ state: 'CANCELLED', cancelled: true });
    await completedAfter(sub, 2);
  });

  it('flexSnapshot: PENDING → QUEUED → IN_PROGRESS (RUNNING) → COMPLETED as Atlas moves it, then complete', async () => {
    // Atlas takes Flex snapshots on its own schedule (no write makes one): the test moves one in the
    // simulator's data, as Atlas would.
    const cluster = stack.simulator.projects.get(DEMO.groupId)!.flex.get(DEMO.flexCluster)!;
    const snapshotId = `6a6fabcd00000000000000${transport === 'sse' ? '01' : '02'}`;
    const snapshot = {
      id: snapshotId,
      status: 'PENDING',
      mongoDBVersion: '8.0.29',
      scheduledTime: '2026-08-03T17:05:10Z',
    };
    cluster.snapshots.push(snapshot);
    const sub = watch(transport, 'flexSnapshot', { groupId: DEMO.groupId, name: DEMO.flexCluster, snapshotId });

    const empty = { startTime: null, finishTime: null, expiration: null };
    expect(await valueOf(sub, 0, 'flexSnapshot')).toEqual({ id: snapshotId, status: 'PENDING', ...empty });
    snapshot.status = 'QUEUED';
    expect(await valueOf(sub, 1, 'flexSnapshot')).toEqual({ id: snapshotId, status: 'QUEUED', ...empty });
    Object.assign(snapshot, { status: 'RUNNING', startTime: '2026-08-03T17:05:37Z' });
    expect(await valueOf(sub, 2, 'flexSnapshot')).toMatchObject({
      status: 'IN_PROGRESS',
      startTime: '2026-08-03T17:05:37.000Z',
    });
    Object.assign(snapshot, {
      status: 'COMPLETED',
      finishTime: '2026-08-03T17:06:56Z',
      expiration: '2026-08-11T17:05:10Z',
    });
    expect(await valueOf(sub, 3, 'flexSnapshot')).toMatchObject({
      status: 'COMPLETED',
      finishTime: '2026-08-03T17:06:56.000Z',
      expiration: '2026-08-11T17:05:10.000Z',
    });
    await completedAfter(sub, 4);
  });

  it('flexSnapshot: a completed one is one event, then complete', async () => {
    const sub = watch(transport, 'flexSnapshot', {
      groupId: DEMO.groupId,
      name: DEMO.flexCluster,
      snapshotId: DEMO.flexSnapshotId,
    });
    expect(await valueOf(sub, 0, 'flexSnapshot')).toMatchObject({ id: DEMO.flexSnapshotId, status: 'COMPLETED' });
    await completedAfter(sub, 1);
    expect(stack.simulator.stats.byOperation.getFlexBackupSnapshot).toBe(1);
  });

  it('flexRestoreJob: PENDING → QUEUED → RUNNING → COMPLETED after restoreFlexSnapshot, then complete', async () => {
    const { groupId, flexCluster: name, flexSnapshotId, migratedCluster } = DEMO;
    const restoreJobId = await restoreFlex(stack, groupId, name, flexSnapshotId, migratedCluster);
    const sub = watch(transport, 'flexRestoreJob', { groupId, name, restoreJobId });
    const ms = LIFECYCLE_MS.flex;

    expect(await valueOf(sub, 0, 'flexRestoreJob')).toEqual({
      id: restoreJobId,
      status: 'PENDING',
      restoreFinishedDate: null,
    });
    clock().advance(ms.queued);
    expect(await valueOf(sub, 1, 'flexRestoreJob')).toMatchObject({ status: 'QUEUED' });
    clock().advance(ms.running - ms.queued);
    expect(await valueOf(sub, 2, 'flexRestoreJob')).toMatchObject({ status: 'RUNNING', restoreFinishedDate: null });
    clock().advance(ms.completed - ms.running);
    expect(await valueOf(sub, 3, 'flexRestoreJob')).toMatchObject({
      status: 'COMPLETED',
      restoreFinishedDate: expect.any(String) as string,
    });
    await completedAfter(sub, 4);
  });

  it('clusterBackupActivity: the state with no changes, then SNAPSHOT_ADDED, SNAPSHOT_CHANGED, RESTORE_JOB_ADDED, RESTORE_JOB_CHANGED', async () => {
    const [clusterName, target] = [freshCluster(), freshCluster()];
    const seeded = [...stack.simulator.projects.get(FLEET)!.cloud!.clusters.get(clusterName)!.snapshots.keys()];
    const sub = watch(transport, 'clusterBackupActivity', { groupId: FLEET, clusterName });
    const changes = async (n: number) => (await valueOf(sub, n, 'clusterBackupActivity')).changes;

    expect(await valueOf(sub, 0, 'clusterBackupActivity')).toEqual({
      groupId: FLEET,
      clusterName,
      snapshots: seeded.map((id) => ({ id, status: 'COMPLETED' })),
      restoreJobs: [],
      changes: [],
    });
    const snapshotId = await takeSnapshot(stack, clusterName);
    expect(await changes(1)).toEqual([{ kind: 'SNAPSHOT_ADDED', id: snapshotId }]);
    expect((await valueOf(sub, 1, 'clusterBackupActivity')).snapshots).toContainEqual({
      id: snapshotId,
      status: 'QUEUED',
    });
    clock().advance(LIFECYCLE_MS.snapshot.inProgress);
    expect(await changes(2)).toEqual([{ kind: 'SNAPSHOT_CHANGED', id: snapshotId }]);
    clock().advance(LIFECYCLE_MS.snapshot.completed - LIFECYCLE_MS.snapshot.inProgress);
    expect(await changes(3)).toEqual([{ kind: 'SNAPSHOT_CHANGED', id: snapshotId }]);
    expect(completedSnapshotOf(stack, clusterName)).toBe(seeded[0]);

    const restoreJobId = await startRestore(stack, clusterName, target);
    expect(await changes(4)).toEqual([{ kind: 'RESTORE_JOB_ADDED', id: restoreJobId }]);
    expect((await valueOf(sub, 4, 'clusterBackupActivity')).restoreJobs).toEqual([
      { id: restoreJobId, state: 'PENDING' },
    ]);
    clock().advance(LIFECYCLE_MS.restore.finished);
    expect(await changes(5)).toEqual([{ kind: 'RESTORE_JOB_CHANGED', id: restoreJobId }]);
    // It never completes on its own (only the cluster's disappearance ends it).
    expect(sub.end).toBeUndefined();
    expect(sub.events).toHaveLength(6);
  });
});
