import { describe, expect, it } from 'vitest';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { snapshot } from '../../src/simulator/cloud-seed-builders.js';
import { ANYONE_MAY_CALL, atlasCalls, type Stack, stackPerTest } from '../helpers.js';

// Snapshots of dedicated clusters through the real stack: the operation follows the cluster's type
// (looked up once, remembered), lists page in Atlas order, and latestSnapshot stays within its calls.

const g = CLOUD.groupId;
const stacks = stackPerTest();
const calls = (stack: Stack, ...operations: string[]) => operations.map((op) => atlasCalls(stack, op));
const snapshotOf = (cluster: string, id: string, fields = '__typename id') =>
  `clusterSnapshot(groupId: "${g}", clusterName: "${cluster}", snapshotId: "${id}") { ${fields} }`;
const simCluster = (stack: Stack, name: string, group = g) =>
  stack.simulator.projects.get(group)!.cloud!.clusters.get(name)!;

describe('clusterSnapshot: the operation of the cluster type', () => {
  it('a replica set: getCluster once, then getClusterBackupSnapshot; the next request skips getCluster', async () => {
    const stack = await stacks.start({ ...ANYONE_MAY_CALL });
    const fields = `__typename id source status frequencyType snapshotType storageSizeBytes createdAt expiresAt
      mongodVersion description policyItems ... on ReplicaSetSnapshot { replicaSetName cloudProvider copyRegions }`;
    const { data, errors } = await stack.query(
      `{ s: ${snapshotOf(CLOUD.replicaSet, CLOUD.snapshots.onDemand, fields)} }`,
    );
    expect(errors).toBeUndefined();
    expect(data!.s).toEqual({
      __typename: 'ReplicaSetSnapshot',
      id: CLOUD.snapshots.onDemand,
      source: 'DEDICATED',
      status: 'COMPLETED',
      frequencyType: 'ON_DEMAND',
      snapshotType: 'ON_DEMAND',
      storageSizeBytes: 4_186_517_504,
      createdAt: '2026-11-19T15:40:00.000Z',
      expiresAt: '2026-11-20T15:40:00.000Z',
      mongodVersion: '8.0.29',
      description: 'before-schema-migration',
      policyItems: [],
      replicaSetName: CLOUD.replicaSet,
      cloudProvider: 'AWS',
      copyRegions: [],
    });
    expect(calls(stack, 'getCluster', 'getClusterBackupSnapshot')).toEqual([1, 1]);
    await stack.query(`{ s: ${snapshotOf(CLOUD.replicaSet, CLOUD.snapshots.daily)} }`);
    expect(calls(stack, 'getCluster', 'getClusterBackupSnapshot')).toEqual([1, 2]);
  });

  it('a sharded cluster: getBackupShardedCluster, with members, snapshot ids and the config server type', async () => {
    const stack = await stacks.start({ ...ANYONE_MAY_CALL });
    const fields = `__typename id status frequencyType ... on ShardedClusterSnapshot {
      configServerType snapshotIds members { id replicaSetName cloudProvider } }`;
    const { data } = await stack.query(`{
      s: ${snapshotOf(CLOUD.sharded, CLOUD.shardedSnapshotId, fields)}
      geo: ${snapshotOf(CLOUD.geoSharded, CLOUD.geoShardedSnapshotId, fields)}
    }`);
    expect(data!.s).toMatchObject({
      __typename: 'ShardedClusterSnapshot',
      status: 'COMPLETED',
      frequencyType: 'DAILY',
      configServerType: 'EMBEDDED',
      members: [{ replicaSetName: 'atlas-000004-shard-0' }, { replicaSetName: 'atlas-000004-shard-1' }],
    });
    const geo = data!.geo as {
      configServerType: string;
      members: { cloudProvider: string; id: string }[];
      snapshotIds: string[];
    };
    expect(geo.configServerType).toBe('DEDICATED');
    expect(geo.members.map((m) => m.cloudProvider)).toEqual(['AWS', 'GCP', 'AWS']);
    expect(geo.snapshotIds).toEqual(geo.members.map((m) => m.id));
    expect(calls(stack, 'getCluster', 'getBackupShardedCluster', 'getClusterBackupSnapshot')).toEqual([2, 2, 0]);
  });

  it('a replica set that became sharded since it was remembered: Atlas labels the answer, the sharded operation follows', async () => {
    const stack = await stacks.start({ ...ANYONE_MAY_CALL });
    await stack.query(`{ c: cluster(groupId: "${g}", name: "${CLOUD.replicaSetEu}") { name } }`);
    const cluster = simCluster(stack, CLOUD.replicaSetEu);
    cluster.clusterType = 'SHARDED';
    cluster.configServerType = 'EMBEDDED';
    const [id] = cluster.snapshots.keys();
    const { data } = await stack.query(`{ s: ${snapshotOf(CLOUD.replicaSetEu, id!)} }`);
    expect(data!.s).toEqual({ __typename: 'ShardedClusterSnapshot', id });
    expect(calls(stack, 'getCluster', 'getClusterBackupSnapshot', 'getBackupShardedCluster')).toEqual([1, 1, 1]);
    // Remembered as sharded now: the next snapshot goes straight to the sharded operation.
    await stack.query(`{ s: ${snapshotOf(CLOUD.replicaSetEu, id!)} }`);
    expect(calls(stack, 'getCluster', 'getClusterBackupSnapshot', 'getBackupShardedCluster')).toEqual([1, 1, 2]);
  });
});

describe('clusterSnapshots and DedicatedCluster.snapshots', () => {
  it('a replica set pages in Atlas order (oldest first); the same page twice in a request costs one call', async () => {
    const stack = await stacks.start({ ...ANYONE_MAY_CALL });
    const { data } = await stack.query<{
      l: { totalCount: number; edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean } };
    }>(`{
      l: clusterSnapshots(groupId: "${g}", clusterName: "${CLOUD.replicaSet}", first: 3) { totalCount edges { node { id } } pageInfo { hasNextPage } }
    }`);
    const ids = Object.values(CLOUD.snapshots);
    expect(data!.l.totalCount).toBe(ids.length);
    expect(data!.l.edges.map((e) => e.node.id)).toEqual(ids.slice(0, 3));
    expect(data!.l.pageInfo.hasNextPage).toBe(true);
    // The same page under two aliases is fetched once.
    await stack.query(`{
      a: clusterSnapshots(groupId: "${g}", clusterName: "${CLOUD.replicaSet}", first: 3) { edges { node { id } } }
      b: clusterSnapshots(groupId: "${g}", clusterName: "${CLOUD.replicaSet}", first: 3) { edges { cursor } }
    }`);
    expect(calls(stack, 'listBackupSnapshots', 'getCluster')).toEqual([2, 1]);
  });

  it('a sharded cluster: its whole list once per request (Atlas does not page it), sliced', async () => {
    const stack = await stacks.start({ ...ANYONE_MAY_CALL });
    const { data } = await stack.query<{
      a: { totalCount: number; edges: { cursor: string; node: { __typename: string } }[] };
    }>(`{
      a: clusterSnapshots(groupId: "${g}", clusterName: "${CLOUD.sharded}", first: 2) { totalCount edges { cursor node { __typename } } }
      b: clusterSnapshots(groupId: "${g}", clusterName: "${CLOUD.sharded}", first: 1) { edges { node { id } } }
    }`);
    expect(data!.a.totalCount).toBe(3);
    expect(data!.a.edges.map((e) => e.node.__typename)).toEqual(['ShardedClusterSnapshot', 'ShardedClusterSnapshot']);
    expect(calls(stack, 'listBackupShardedClusters', 'listBackupSnapshots')).toEqual([1, 0]);
  });

  it("from a project's clusters: the listed cluster type picks the operation, no getCluster", async () => {
    const stack = await stacks.start({ ...ANYONE_MAY_CALL });
    const { data, errors } = await stack.query<{
      project: { clusters: { edges: { node: { name: string; snapshots?: { totalCount: number } } }[] } };
    }>(`{
      project(id: "${g}") { clusters { edges { node { name ... on DedicatedCluster { snapshots(first: 1) { totalCount } } } } } }
    }`);
    expect(errors).toBeUndefined();
    const counts = Object.fromEntries(
      data!.project.clusters.edges.map((e) => [e.node.name, e.node.snapshots?.totalCount]),
    );
    expect(counts).toMatchObject({ [CLOUD.replicaSet]: 9, [CLOUD.sharded]: 3, [CLOUD.backupDisabled]: 0 });
    expect(atlasCalls(stack, 'getCluster')).toBe(0);
    expect(atlasCalls(stack, 'listBackupShardedClusters')).toBe(2); // the sharded and the geo-sharded cluster
  });
});

describe('latestSnapshot: the newest completed snapshot within two calls', () => {
  const latest = (name: string, group = g) =>
    `cluster(groupId: "${group}", name: "${name}") { ... on DedicatedCluster { latestSnapshot { __typename id status createdAt storageSizeBytes } } }`;

  it('skips the newer snapshot still queued; one listBackupSnapshots call for a list within 50', async () => {
    const stack = await stacks.start({ ...ANYONE_MAY_CALL });
    const { data } = await stack.query(`{ c: ${latest(CLOUD.replicaSet)} }`);
    expect(data!.c).toEqual({
      latestSnapshot: {
        __typename: 'ReplicaSetSnapshot',
        id: CLOUD.snapshots.latestCompleted,
        status: 'COMPLETED',
        createdAt: '2026-11-20T09:16:00.000Z',
        storageSizeBytes: 4_196_401_152,
      },
    });
    expect(calls(stack, 'listBackupSnapshots', 'getClusterBackupSnapshot')).toEqual([1, 0]);
  });

  it('a list of 130: the head with the count, then one page holding the last 50', async () => {
    const stack = await stacks.start({ ...ANYONE_MAY_CALL });
    const cluster = simCluster(stack, CLOUD.replicaSetGcp);
    const day = 86_400_000;
    for (let n = 0; n < 130; n += 1) {
      const id = `6b15ee${n.toString(16).padStart(18, '0')}`;
      const stage = n >= 127 ? 'queued' : n === 126 ? 'failed' : 'completed';
      cluster.snapshots.set(
        id,
        snapshot({ id, at: Date.UTC(2026, 11, 1) + n * day, stage, frequency: 'daily', clusterIndex: 3 }),
      );
    }
    const { data } = await stack.query<{ c: { latestSnapshot: { id: string } } }>(
      `{ c: ${latest(CLOUD.replicaSetGcp)} }`,
    );
    expect(data!.c.latestSnapshot.id).toBe(`6b15ee${(125).toString(16).padStart(18, '0')}`);
    expect(atlasCalls(stack, 'listBackupSnapshots')).toBe(2);
  });

  it('a sharded cluster: its one list; a failed newer snapshot is skipped; none completed is null', async () => {
    const stack = await stacks.start({ ...ANYONE_MAY_CALL });
    const { data } = await stack.query(`{ geo: ${latest(CLOUD.geoSharded)} none: ${latest(CLOUD.backupDisabled)} }`);
    expect(data).toEqual({
      geo: {
        latestSnapshot: expect.objectContaining({
          __typename: 'ShardedClusterSnapshot',
          id: CLOUD.geoShardedSnapshotId,
        }) as unknown,
      },
      none: { latestSnapshot: null },
    });
    expect(calls(stack, 'listBackupShardedClusters', 'listBackupSnapshots')).toEqual([1, 1]);
  });

  it('the dashboard over 40 clusters: 1 + 40 calls, no getCluster; the same clusters asked again cost nothing', async () => {
    const stack = await stacks.start({ ...ANYONE_MAY_CALL });
    const dashboard = (alias: string) => `${alias}: project(id: "${CLOUD.fleetGroupId}") {
      clusters(first: 40) { edges { node { name ... on DedicatedCluster { latestSnapshot { id status createdAt storageSizeBytes } } } } } }`;
    const { data, errors } = await stack.query<{
      a: { clusters: { edges: { node: { name: string; latestSnapshot: { id: string } } }[] } };
    }>(`{ ${dashboard('a')} ${dashboard('b')} }`);
    expect(errors).toBeUndefined();
    const edges = data!.a.clusters.edges;
    expect(edges).toHaveLength(40);
    // Every fifth fleet cluster's hourly snapshot is still in progress: its newest completed one is the second daily.
    expect(edges[4]!.node.latestSnapshot.id.endsWith('2')).toBe(true);
    expect(edges[3]!.node.latestSnapshot.id.endsWith('3')).toBe(true);
    expect(calls(stack, 'listClusters', 'listBackupSnapshots', 'getCluster')).toEqual([1, 40, 0]);
    expect(stack.simulator.stats.requests).toBeLessThanOrEqual(1 + 2 * 40);
  });
});
