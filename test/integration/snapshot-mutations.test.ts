import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { type Stack, startStack, WITHOUT_RECORD_CACHE } from '../helpers.js';
import {
  backupPath,
  CALLER_KEYS,
  completedSnapshot,
  fleet,
  FLEET,
  mutate,
  OPS,
  readSnapshot,
  READER,
  SNAPPER,
  type SnapshotView,
  writesOf,
} from './snapshot-mutation-kit.js';

// takeClusterSnapshot, updateClusterSnapshotRetention and deleteClusterSnapshot through the real
// stack (issue #13, docs/backup-actions.md): what each sends Atlas and answers, each validation rule
// and scope (0 Atlas calls), dry runs (0 writes, the request a real run then sends, refusals found
// by reads), the on-demand conflict and a new snapshot's life on the simulator clock, retention
// moving expiresAt, deletes on the replica-set and the sharded path, and the payload's cluster
// showing the change. The guard rails (idempotency, unknown outcomes, audit, roles) are in
// snapshot-mutation-guards.test.ts. Fleet clusters: one per test, no compliance policy.

const DAY = 86_400_000;
const V2023 = 'application/vnd.atlas.2023-01-01+json';
const g = CLOUD.groupId;
let stack: Stack;
beforeAll(async () => {
  // The simulator clock stands still: snapshots move only when a test moves it.
  stack = await startStack({ ...WITHOUT_RECORD_CACHE, ...CALLER_KEYS }, 'api-key', {
    clock: { start: Date.UTC(2026, 10, 21, 12), frozen: true },
  });
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());

const ms = (date: string | null | undefined) => Date.parse(date ?? '');
const calls = () => ({ ...stack.simulator.stats.byOperation });

describe('takeClusterSnapshot', () => {
  it('takes an on-demand snapshot (QUEUED) with one POST and no read; Atlas received the body as sent', async () => {
    const now = stack.simulator.clock.now();
    const input = { groupId: FLEET, clusterName: fleet(1), description: 'before the 4.2 deploy', retentionInDays: 3 };
    const { data, errors } = await mutate(stack, 'take', { ...input, clientMutationId: 'click-1' });
    expect(errors).toBeUndefined();
    const path = `${backupPath(FLEET, fleet(1))}/snapshots`;
    const body = { description: 'before the 4.2 deploy', retentionInDays: 3 };
    expect(data!.m).toMatchObject({
      dryRun: false,
      replayed: false,
      clientMutationId: 'click-1',
      atlasRequest: { method: 'POST', path, mediaType: V2023, body: JSON.stringify(body) },
      snapshot: {
        __typename: 'ReplicaSetSnapshot',
        status: 'QUEUED',
        snapshotType: 'ON_DEMAND',
        description: 'before the 4.2 deploy',
        createdAt: null,
        storageSizeBytes: 0,
      },
    });
    expect(ms(data!.m!.snapshot!.expiresAt)).toBe(now + 3 * DAY);
    expect(writesOf(stack)).toEqual([['POST', path, body]]);
    expect(calls()).toEqual({ takeSnapshots: 1 });
    const read = (await readSnapshot(stack, FLEET, fleet(1), data!.m!.snapshot!.id)) as SnapshotView;
    expect(read).toEqual(data!.m!.snapshot);
  });

  it('dry run: 0 writes, reads the cluster and its snapshots, answers the request a real run then sends', async () => {
    const input = { groupId: FLEET, clusterName: fleet(2) };
    const dry = await mutate(stack, 'take', { ...input, dryRun: true });
    expect(dry.errors).toBeUndefined();
    const path = `${backupPath(FLEET, fleet(2))}/snapshots`;
    // Retention defaults to 1 day (the Atlas CLI's); no description is sent.
    const request = { method: 'POST', path, mediaType: V2023, body: '{"retentionInDays":1}' };
    expect(dry.data!.m).toMatchObject({ dryRun: true, replayed: false, snapshot: null, atlasRequest: request });
    expect(writesOf(stack)).toEqual([]);
    expect(calls()).toEqual({ getCluster: 1, listBackupSnapshots: 1 });
    stack.simulator.reset();
    const real = await mutate(stack, 'take', input);
    expect(real.data!.m!.atlasRequest).toEqual(request);
    expect(writesOf(stack)).toEqual([['POST', path, JSON.parse(request.body) as unknown]]);
  });

  it.each([
    ['an on-demand snapshot queued (seeded)', CLOUD.replicaSet, 'CONFLICT', undefined, CLOUD.snapshots.queued],
    ['backup off', CLOUD.backupDisabled, 'CONFLICT', 'input.clusterName', 'does not have Cloud Backup turned on'],
    ['a Flex cluster', CLOUD.flex, 'BAD_USER_INPUT', 'input.clusterName', 'use the Flex mutations'],
  ])('dry run refused by its reads: %s → %s, 0 writes', async (_name, clusterName, code, argument, text) => {
    const { data, errors } = await mutate(stack, 'take', { groupId: g, clusterName, dryRun: true });
    expect(data!.m).toBeNull();
    expect(errors![0]!.extensions).toEqual({ code, ...(argument ? { argument } : {}) });
    expect(errors![0]!.message).toMatch(/^Refused before calling Atlas: /);
    expect(errors![0]!.message).toContain(text);
    expect(writesOf(stack)).toEqual([]);
  });

  it('one on-demand snapshot at a time: CONFLICT while queued or in progress; the clock walks it to COMPLETED', async () => {
    const clusterName = fleet(3);
    const t0 = stack.simulator.clock.now();
    const first = await mutate(stack, 'take', { groupId: FLEET, clusterName, retentionInDays: 2 });
    const id = first.data!.m!.snapshot!.id;
    /** A real run (Atlas refuses: 1 POST) and a dry run (found by reads: 0 writes) while `id` is `stage`. */
    const refusedWhile = async (stage: string) => {
      stack.simulator.reset();
      const real = await mutate(stack, 'take', { groupId: FLEET, clusterName });
      expect(real.data!.m).toBeNull();
      expect(real.errors![0]!.extensions).toMatchObject({
        code: 'CONFLICT',
        atlas: { status: 400, errorCode: 'UNFINISHED_ON_DEMAND_SNAPSHOT' },
        hint: expect.stringContaining('one on-demand snapshot at a time') as string,
      });
      expect(writesOf(stack).map(([method]) => method)).toEqual(['POST']);
      stack.simulator.reset();
      const dry = await mutate(stack, 'take', { groupId: FLEET, clusterName, dryRun: true });
      expect(dry.errors![0]!.extensions).toEqual({ code: 'CONFLICT' });
      expect(dry.errors![0]!.message).toContain(`on-demand snapshot ${id} is ${stage}`);
      expect(writesOf(stack)).toEqual([]);
    };
    await refusedWhile('queued');
    stack.simulator.clock.advance(7_000);
    expect(await readSnapshot(stack, FLEET, clusterName, id)).toMatchObject({ status: 'IN_PROGRESS', createdAt: null });
    await refusedWhile('inProgress');
    stack.simulator.clock.fastForward();
    const done = (await readSnapshot(stack, FLEET, clusterName, id)) as SnapshotView;
    expect(done).toMatchObject({ id, status: 'COMPLETED', snapshotType: 'ON_DEMAND' });
    expect(done.storageSizeBytes).toBeGreaterThan(0);
    // Completed 150 s after the POST; kept 2 days from then.
    expect(ms(done.expiresAt)).toBe(t0 + 150_000 + 2 * DAY);
    expect(ms(done.createdAt)).toBe(t0 + 140_000);
    const again = await mutate(stack, 'take', { groupId: FLEET, clusterName, dryRun: true });
    expect(again.errors).toBeUndefined();
  });
});

describe('updateClusterSnapshotRetention', () => {
  it('moves expiresAt to createdAt + the retention with one PATCH; a dry run sends nothing and shows that PATCH', async () => {
    const snapshot = await completedSnapshot(stack, fleet(4));
    const path = `${backupPath(FLEET, fleet(4))}/snapshots/${snapshot.id}`;
    const input = { groupId: FLEET, clusterName: fleet(4), snapshotId: snapshot.id };
    const dry = await mutate(stack, 'retain', { ...input, retentionUnit: 'DAYS', retentionValue: 5, dryRun: true });
    expect(dry.data!.m).toMatchObject({ dryRun: true, snapshot: null });
    expect(writesOf(stack)).toEqual([]);
    expect(calls().getClusterBackupSnapshot).toBe(1);
    const cases = [
      ['DAYS', 5, 5 * DAY],
      ['WEEKS', 2, 14 * DAY],
    ] as const;
    for (const [retentionUnit, retentionValue, kept] of cases) {
      stack.simulator.reset();
      const { data, errors } = await mutate(stack, 'retain', { ...input, retentionUnit, retentionValue });
      expect(errors).toBeUndefined();
      const body = { retentionUnit, retentionValue };
      expect(writesOf(stack)).toEqual([['PATCH', path, body]]);
      expect(calls()).toEqual({ updateBackupSnapshot: 1 });
      expect(data!.m!.atlasRequest).toEqual({ method: 'PATCH', path, mediaType: V2023, body: JSON.stringify(body) });
      expect(ms(data!.m!.snapshot!.expiresAt)).toBe(ms(snapshot.createdAt) + kept);
      expect(await readSnapshot(stack, FLEET, fleet(4), snapshot.id)).toEqual(data!.m!.snapshot);
    }
    expect(dry.data!.m!.atlasRequest.body).toBe('{"retentionUnit":"DAYS","retentionValue":5}');
  });

  it('under a Backup Compliance Policy a shorter retention is CONFLICT with a hint; a longer one passes', async () => {
    // The demo project has a policy; the seeded yearly snapshot (2026-01-01) expires on 2027-01-01.
    const input = { groupId: g, clusterName: CLOUD.replicaSet, snapshotId: CLOUD.snapshots.yearly };
    const shorter = await mutate(stack, 'retain', { ...input, retentionUnit: 'DAYS', retentionValue: 340 });
    expect(shorter.errors![0]!.extensions).toMatchObject({
      code: 'CONFLICT',
      atlas: { errorCode: 'CANNOT_DECREASE_SNAPSHOT_RETENTION_WITH_BACKUP_COMPLIANCE_POLICY' },
      hint: expect.stringContaining('can grow, not shrink') as string,
    });
    const longer = await mutate(stack, 'retain', { ...input, retentionUnit: 'MONTHS', retentionValue: 13 });
    expect(longer.data!.m!.snapshot!.expiresAt).toBe('2027-02-01T03:16:00.000Z');
    expect(writesOf(stack).map(([method]) => method)).toEqual(['PATCH', 'PATCH']);
  });

  it('a snapshot in progress: CONFLICT (dry run by reads, real run by Atlas); an unknown one: NOT_FOUND', async () => {
    const taken = await mutate(stack, 'take', { groupId: FLEET, clusterName: fleet(5) });
    const input = { groupId: FLEET, clusterName: fleet(5), retentionUnit: 'DAYS', retentionValue: 3 };
    stack.simulator.reset();
    const dry = await mutate(stack, 'retain', { ...input, snapshotId: taken.data!.m!.snapshot!.id, dryRun: true });
    expect(dry.errors![0]!.extensions).toEqual({ code: 'CONFLICT', argument: 'input.snapshotId' });
    expect(writesOf(stack)).toEqual([]);
    const real = await mutate(stack, 'retain', { ...input, snapshotId: taken.data!.m!.snapshot!.id });
    expect(real.errors![0]!.extensions).toMatchObject({
      code: 'CONFLICT',
      atlas: { errorCode: 'CANNOT_MODIFY_IN_PROGRESS_SNAPSHOT_RETENTION' },
    });
    expect(writesOf(stack).map(([method]) => method)).toEqual(['PATCH']);
    stack.simulator.reset();
    const unknown = await mutate(stack, 'retain', { ...input, snapshotId: '6b15ffffffffffffffffffff', dryRun: true });
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(writesOf(stack)).toEqual([]);
  });
});

describe('deleteClusterSnapshot', () => {
  it('a replica set: one DELETE on the replica-set path; then reading it is NOT_FOUND, and so is deleting it again', async () => {
    const { id } = await completedSnapshot(stack, fleet(6));
    const input = { groupId: FLEET, clusterName: fleet(6), snapshotId: id };
    const path = `${backupPath(FLEET, fleet(6))}/snapshots/${id}`;
    const request = { method: 'DELETE', path, mediaType: V2023, body: null };
    const dry = await mutate(stack, 'delete', { ...input, dryRun: true });
    expect(dry.data!.m).toMatchObject({ dryRun: true, deletedSnapshotId: null, atlasRequest: request });
    expect(writesOf(stack)).toEqual([]);
    const { data, errors } = await mutate(stack, 'delete', input);
    expect(errors).toBeUndefined();
    expect(data!.m).toMatchObject({ deletedSnapshotId: id, dryRun: false, atlasRequest: request });
    expect(writesOf(stack)).toEqual([['DELETE', path, undefined]]);
    expect(calls()).toMatchObject({ deleteClusterBackupSnapshot: 1 });
    expect(calls().deleteBackupShardedCluster).toBeUndefined();
    expect(await readSnapshot(stack, FLEET, fleet(6), id)).toBe('NOT_FOUND');
    stack.simulator.reset();
    const dryAgain = await mutate(stack, 'delete', { ...input, dryRun: true });
    expect(dryAgain.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
    const again = await mutate(stack, 'delete', input);
    expect(again.errors![0]!.extensions).toMatchObject({
      code: 'NOT_FOUND',
      atlas: { errorCode: 'SNAPSHOT_NOT_FOUND' },
    });
    expect(writesOf(stack)).toEqual([['DELETE', path, undefined]]);
  });

  it('a snapshot in progress cannot be deleted: CONFLICT (dry run by reads, real run by Atlas), and it stays', async () => {
    const taken = await mutate(stack, 'take', { groupId: FLEET, clusterName: fleet(7) });
    const input = { groupId: FLEET, clusterName: fleet(7), snapshotId: taken.data!.m!.snapshot!.id };
    stack.simulator.reset();
    const dry = await mutate(stack, 'delete', { ...input, dryRun: true });
    expect(dry.errors![0]!.extensions).toEqual({ code: 'CONFLICT', argument: 'input.snapshotId' });
    expect(dry.errors![0]!.message).toContain('is queued: delete it once it has completed');
    expect(writesOf(stack)).toEqual([]);
    const real = await mutate(stack, 'delete', input);
    expect(real.errors![0]!.extensions).toMatchObject({
      code: 'CONFLICT',
      atlas: { status: 400, errorCode: 'CANNOT_DELETE_IN_PROGRESS_SNAPSHOT' },
      hint: 'Delete the snapshot once it has completed.',
    });
    expect(writesOf(stack).map(([method]) => method)).toEqual(['DELETE']);
    expect(await readSnapshot(stack, FLEET, fleet(7), input.snapshotId)).toMatchObject({ status: 'QUEUED' });
  });

  it('a sharded cluster: deleteBackupShardedCluster on …/snapshots/shardedCluster/{id}', async () => {
    const taken = await mutate(stack, 'take', { groupId: g, clusterName: CLOUD.sharded });
    expect(taken.data!.m!.snapshot!.__typename).toBe('ShardedClusterSnapshot');
    stack.simulator.clock.fastForward();
    const id = taken.data!.m!.snapshot!.id;
    const input = { groupId: g, clusterName: CLOUD.sharded, snapshotId: id };
    const path = `${backupPath(g, CLOUD.sharded)}/snapshots/shardedCluster/${id}`;
    // Its retention: the one PATCH path (op 4) for both topologies; the answer is a sharded snapshot.
    stack.simulator.reset();
    const retained = await mutate(stack, 'retain', { ...input, retentionUnit: 'WEEKS', retentionValue: 1 });
    expect(retained.data!.m!.snapshot).toMatchObject({ id, __typename: 'ShardedClusterSnapshot' });
    expect(writesOf(stack)).toEqual([
      ['PATCH', `${backupPath(g, CLOUD.sharded)}/snapshots/${id}`, { retentionUnit: 'WEEKS', retentionValue: 1 }],
    ]);
    stack.simulator.reset();
    const dry = await mutate(stack, 'delete', { ...input, dryRun: true });
    expect(dry.data!.m!.atlasRequest).toEqual({ method: 'DELETE', path, mediaType: V2023, body: null });
    expect(writesOf(stack)).toEqual([]);
    // The demo project's Backup Compliance Policy forbids deletes; a dry run does not read it (docs: known limits).
    const refused = await mutate(stack, 'delete', input);
    expect(refused.errors![0]!.extensions).toMatchObject({
      code: 'CONFLICT',
      atlas: { status: 400, errorCode: 'CANNOT_DELETE_SNAPSHOT_WITH_BACKUP_COMPLIANCE_POLICY' },
      hint: expect.stringContaining('Backup Compliance Policy') as string,
    });
    const cloud = stack.simulator.projects.get(g)!.cloud!;
    const policy = cloud.compliancePolicy;
    cloud.compliancePolicy = undefined;
    try {
      stack.simulator.reset();
      const { data, errors } = await mutate(stack, 'delete', input);
      expect(errors).toBeUndefined();
      expect(data!.m).toMatchObject({ deletedSnapshotId: id, atlasRequest: { path } });
      expect(writesOf(stack)).toEqual([['DELETE', path, undefined]]);
      expect(calls()).toMatchObject({ deleteBackupShardedCluster: 1 });
      expect(calls().deleteClusterBackupSnapshot).toBeUndefined();
      expect(await readSnapshot(stack, g, CLOUD.sharded, id)).toBe('NOT_FOUND');
    } finally {
      cloud.compliancePolicy = policy;
    }
  });

  it('a Flex name: BAD_USER_INPUT on input.clusterName, real run or dry, 0 writes', async () => {
    for (const dryRun of [false, true]) {
      const { errors } = await mutate(stack, 'delete', {
        groupId: g,
        clusterName: CLOUD.flex,
        snapshotId: CLOUD.snapshots.daily,
        dryRun,
      });
      expect(errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'input.clusterName' });
    }
    expect(writesOf(stack)).toEqual([]);
  });
});

describe('validation and scopes, before any Atlas call', () => {
  const take = { groupId: FLEET, clusterName: fleet(8) };
  const retain = { ...take, snapshotId: CLOUD.snapshots.daily, retentionUnit: 'DAYS', retentionValue: 3 };
  const del = { ...take, snapshotId: CLOUD.snapshots.daily };
  it.each([
    ['take', 'input.groupId', { ...take, groupId: 'not-a-group' }],
    ['take', 'input.clusterName', { ...take, clusterName: 'no spaces allowed' }],
    ['take', 'input.description', { ...take, description: 'x'.repeat(1025) }],
    ['take', 'input.retentionInDays', { ...take, retentionInDays: 0 }],
    ['take', 'input.idempotencyKey', { ...take, idempotencyKey: 'k'.repeat(65) }],
    ['take', 'input.idempotencyKey', { ...take, idempotencyKey: 'has a space' }],
    ['take', 'input.clientMutationId', { ...take, clientMutationId: 'c'.repeat(257) }],
    ['retain', 'input.snapshotId', { ...retain, snapshotId: '6B1501000000000000000007' }],
    ['retain', 'input.retentionValue', { ...retain, retentionValue: 0 }],
    ['retain', 'input.groupId', { ...retain, groupId: '1234' }],
    ['delete', 'input.snapshotId', { ...del, snapshotId: 'latest' }],
    ['delete', 'input.clusterName', { ...del, clusterName: '-leading-hyphen' }],
  ] as const)('%s: BAD_USER_INPUT naming %s', async (kind, argument, input) => {
    const { data, errors } = await mutate(stack, kind, { ...input });
    expect(data!.m).toBeNull();
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(stack.simulator.stats.requests).toBe(0);
  });

  it('a retentionUnit outside the enum: BAD_USER_INPUT naming input.retentionUnit (GraphQL coercion)', async () => {
    const { data, errors } = await mutate(stack, 'retain', { ...retain, retentionUnit: 'FORTNIGHTS' });
    expect(data).toBeUndefined();
    expect(errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(errors![0]!.message).toContain('"FORTNIGHTS" at "input.retentionUnit"');
    expect(stack.simulator.stats.requests).toBe(0);
  });

  it.each([
    ['take', 'backups:snapshot', take, READER],
    ['retain', 'backups:snapshot', retain, READER],
    ['delete', 'backups:delete', del, SNAPPER],
  ] as const)('%s without its scope → FORBIDDEN naming %s', async (kind, scope, input, headers) => {
    const { data, errors } = await mutate(stack, kind, { ...input }, headers);
    expect(data!.m).toBeNull();
    expect(errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', scope });
    expect(errors![0]!.message).toContain(`this needs the ${scope} scope`);
    expect(stack.simulator.stats.requests).toBe(0);
  });
});

describe('consistency: later fields of the same request see each write', () => {
  const list = `cluster { ... on DedicatedCluster { snapshots { totalCount edges { node { id status expiresAt } } } } }`;
  const doc = `mutation ($retain: UpdateClusterSnapshotRetentionInput!, $check: DeleteClusterSnapshotInput!,
      $take: TakeClusterSnapshotInput!, $delete: DeleteClusterSnapshotInput!) {
    retained: updateClusterSnapshotRetention(input: $retain) { snapshot { id expiresAt } }
    checked: deleteClusterSnapshot(input: $check) { dryRun ${list} }
    taken: takeClusterSnapshot(input: $take) { snapshot { id } ${list} }
    deleted: deleteClusterSnapshot(input: $delete) { deletedSnapshotId ${list} }
  }`;
  type Listed = { cluster: { snapshots: { totalCount: number; edges: { node: SnapshotView }[] } } };
  type Answer = Record<'checked' | 'deleted', Listed> & {
    retained: { snapshot: SnapshotView };
    taken: Listed & { snapshot: { id: string } };
  };
  const ids = (listed: Listed) => listed.cluster.snapshots.edges.map((e) => e.node.id);

  it('the retained snapshot is primed, and each payload’s list shows the writes before it', async () => {
    const at = { groupId: FLEET, clusterName: fleet(9) };
    const { id, createdAt } = await completedSnapshot(stack, fleet(9));
    const variables = {
      retain: { ...at, snapshotId: id, retentionUnit: 'DAYS', retentionValue: 9 },
      check: { ...at, snapshotId: id, dryRun: true },
      take: at,
      delete: { ...at, snapshotId: id },
    };
    const { data, errors } = await stack.query<Answer>(doc, variables, OPS);
    expect(errors).toBeUndefined();
    const { retained, checked, taken, deleted } = data!;
    expect(ms(retained.snapshot.expiresAt)).toBe(ms(createdAt) + 9 * DAY);
    const listedExpiry = checked.cluster.snapshots.edges.find((e) => e.node.id === id)!.node.expiresAt;
    expect(listedExpiry).toBe(retained.snapshot.expiresAt);
    expect(ids(taken)).toContain(taken.snapshot.id);
    expect(taken.cluster.snapshots.totalCount).toBe(checked.cluster.snapshots.totalCount + 1);
    expect(ids(deleted)).not.toContain(id);
    expect(deleted.cluster.snapshots.totalCount).toBe(checked.cluster.snapshots.totalCount);
    // The dry run's read of the snapshot is the retention's answer; each list is read after the write before it.
    expect(calls().getClusterBackupSnapshot).toBeUndefined();
    expect(calls().listBackupSnapshots).toBe(3);
  });
});
