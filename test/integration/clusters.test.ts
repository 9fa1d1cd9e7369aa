import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { ANYONE_MAY_CALL, atlasCalls, type Stack, stackPerTest, startStack, WITHOUT_RECORD_CACHE } from '../helpers.js';

// Clusters through the real stack: the contract, `cluster(groupId, name)` routed between the cluster
// and the Flex API (with the calls it costs, first time and remembered), `project(id)` and the
// federation entities, against the simulator's Cloud Backup seed (CLOUD).

const g = CLOUD.groupId;
const CLUSTER_FIELDS = `__typename groupId name id clusterType state mongoDBVersion createdAt backupEnabled
  regions { provider regionName priority electable { instanceSize nodeCount diskSizeGB } }`;

describe('the contract (introspection)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ ...WITHOUT_RECORD_CACHE, ...ANYONE_MAY_CALL });
  });
  afterAll(() => stack.close());

  const shape = async (name: string) => {
    const { data } = await stack.query<{
      __type: {
        kind: string;
        interfaces: { name: string }[] | null;
        possibleTypes: { name: string }[] | null;
        fields: { name: string; args: { name: string }[] }[];
      };
    }>(`{ __type(name: "${name}") { kind interfaces { name } possibleTypes { name } fields { name args { name } } } }`);
    const type = data!.__type;
    return {
      kind: type.kind,
      interfaces: (type.interfaces ?? []).map((i) => i.name),
      possibleTypes: (type.possibleTypes ?? []).map((t) => t.name).sort(),
      fields: Object.fromEntries(type.fields.map((f) => [f.name, f.args.map((a) => a.name)])),
    };
  };

  it('root fields in group → cluster → item order', async () => {
    const { fields } = await shape('Query');
    expect(fields).toMatchObject({
      project: ['id'],
      cluster: ['groupId', 'name'],
      clusterSnapshot: ['groupId', 'clusterName', 'snapshotId'],
      clusterSnapshots: ['groupId', 'clusterName', 'before', 'after', 'first', 'last'],
      clusterRestoreJob: ['groupId', 'clusterName', 'restoreJobId'],
      clusterRestoreJobs: ['groupId', 'clusterName', 'before', 'after', 'first', 'last'],
    });
  });

  it('Cluster is an interface of DedicatedCluster and FlexCluster; Project walks to clusters', async () => {
    const cluster = await shape('Cluster');
    expect(cluster.kind).toBe('INTERFACE');
    expect(cluster.possibleTypes).toEqual(['DedicatedCluster', 'FlexCluster']);
    const common = ['groupId', 'name', 'id', 'clusterType', 'state', 'mongoDBVersion', 'createdAt', 'backupEnabled'];
    expect(Object.keys(cluster.fields)).toEqual(expect.arrayContaining([...common, 'regions', 'links']));
    const dedicated = await shape('DedicatedCluster');
    expect(dedicated.interfaces).toEqual(['Cluster']);
    expect(Object.keys(dedicated.fields)).toEqual(
      expect.arrayContaining([...common, 'paused', 'pitEnabled', 'replicationSpecs', 'latestSnapshot']),
    );
    expect(dedicated.fields).toMatchObject({
      snapshots: ['before', 'after', 'first', 'last'],
      restoreJobs: ['before', 'after', 'first', 'last'],
    });
    expect((await shape('FlexCluster')).interfaces).toEqual(['Cluster']);
    expect((await shape('Project')).fields).toMatchObject({
      id: [],
      clusters: ['before', 'after', 'first', 'last'],
      cluster: ['name'],
    });
  });

  it('the snapshot types implement BackupSnapshot through ClusterSnapshot; the restore job has a derived state', async () => {
    const snapshot = await shape('ClusterSnapshot');
    expect(snapshot.interfaces).toEqual(['BackupSnapshot']);
    expect(snapshot.possibleTypes).toEqual(['ReplicaSetSnapshot', 'ShardedClusterSnapshot']);
    const replicaSet = await shape('ReplicaSetSnapshot');
    expect(replicaSet.interfaces).toEqual(['BackupSnapshot', 'ClusterSnapshot']);
    expect(Object.keys(replicaSet.fields)).toEqual(
      expect.arrayContaining([
        'source',
        'storageSizeBytes',
        'frequencyType',
        'replicaSetName',
        'cloudProvider',
        'copyRegions',
      ]),
    );
    const sharded = await shape('ShardedClusterSnapshot');
    expect(Object.keys(sharded.fields)).toEqual(expect.arrayContaining(['members', 'snapshotIds', 'configServerType']));
    const job = await shape('ClusterRestoreJob');
    expect(Object.keys(job.fields)).toEqual(
      expect.arrayContaining(['state', 'cancelled', 'failed', 'expired', 'finishedAt', 'deliveryUrl', 'snapshot']),
    );
    const { data } = await stack.query<{
      s: { enumValues: { name: string }[] };
      f: { enumValues: { name: string }[] };
    }>(
      `{ s: __type(name: "ClusterRestoreJobState") { enumValues { name } } f: __type(name: "SnapshotSource") { enumValues { name } } }`,
    );
    expect(data!.s.enumValues.map((v) => v.name).sort()).toEqual([
      'CANCELLED',
      'COMPLETED',
      'EXPIRED',
      'FAILED',
      'PENDING',
      'READY',
    ]);
    expect(data!.f.enumValues.map((v) => v.name)).toContain('DEDICATED');
  });
});

describe('cluster(groupId, name): dedicated or Flex, routed and remembered', () => {
  const stacks = stackPerTest();
  const ask = (stack: Stack, name: string) =>
    stack.query(`{ c: cluster(groupId: "${g}", name: "${name}") { ${CLUSTER_FIELDS} } }`);

  it('a dedicated name: one getCluster; its documented subset', async () => {
    const stack = await stacks.start({ ...WITHOUT_RECORD_CACHE, ...ANYONE_MAY_CALL });
    const { data, errors } = await ask(stack, CLOUD.replicaSet);
    expect(errors).toBeUndefined();
    expect(data!.c).toEqual({
      __typename: 'DedicatedCluster',
      groupId: g,
      name: CLOUD.replicaSet,
      id: CLOUD.replicaSetId,
      clusterType: 'REPLICASET',
      state: 'IDLE',
      mongoDBVersion: '8.0.29',
      createdAt: '2025-12-01T09:15:02.000Z',
      backupEnabled: true,
      regions: [
        {
          provider: 'AWS',
          regionName: 'US_EAST_1',
          priority: 7,
          electable: { instanceSize: 'M10', nodeCount: 3, diskSizeGB: 10 },
        },
      ],
    });
    expect([atlasCalls(stack, 'getCluster'), atlasCalls(stack, 'getFlexCluster')]).toEqual([1, 0]);
  });

  it('a Flex name: getCluster answers CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API, getFlexCluster answers; remembered', async () => {
    const stack = await stacks.start({ ...WITHOUT_RECORD_CACHE, ...ANYONE_MAY_CALL });
    const first = await ask(stack, CLOUD.flex);
    expect(first.errors).toBeUndefined();
    expect(first.data!.c).toMatchObject({
      __typename: 'FlexCluster',
      name: CLOUD.flex,
      clusterType: 'REPLICASET',
      state: 'IDLE',
      backupEnabled: true,
      regions: [{ provider: 'AWS', regionName: 'US_EAST_1', priority: null, electable: null }],
    });
    expect([atlasCalls(stack, 'getCluster'), atlasCalls(stack, 'getFlexCluster')]).toEqual([1, 1]);
    // The next request (and the next alias) asks the Flex API only.
    await stack.query(
      `{ a: cluster(groupId: "${g}", name: "${CLOUD.flex}") { name } b: project(id: "${g}") { cluster(name: "${CLOUD.flex}") { name } } }`,
    );
    expect([atlasCalls(stack, 'getCluster'), atlasCalls(stack, 'getFlexCluster')]).toEqual([1, 2]);
  });

  it('a sharded, a geo-sharded and a paused cluster; a deleted name is NOT_FOUND; the same name twice costs one call', async () => {
    const stack = await stacks.start({ ...WITHOUT_RECORD_CACHE, ...ANYONE_MAY_CALL });
    const { data, errors } = await stack.query(`{
      s: cluster(groupId: "${g}", name: "${CLOUD.sharded}") { clusterType ... on DedicatedCluster { replicationSpecs { zoneName regions { provider } } } }
      geo: cluster(groupId: "${g}", name: "${CLOUD.geoSharded}") { clusterType regions { provider regionName } }
      p: cluster(groupId: "${g}", name: "${CLOUD.paused}") { ... on DedicatedCluster { paused } regions { provider } }
      again: cluster(groupId: "${g}", name: "${CLOUD.paused}") { name }
      gone: cluster(groupId: "${g}", name: "${CLOUD.deleted}") { name }
    }`);
    expect(data).toMatchObject({
      s: { clusterType: 'SHARDED', replicationSpecs: [{ zoneName: 'Zone 1' }, { zoneName: 'Zone 1' }] },
      geo: {
        clusterType: 'GEOSHARDED',
        regions: [
          { provider: 'AWS', regionName: 'US_EAST_1' },
          { provider: 'GCP', regionName: 'WESTERN_EUROPE' },
        ],
      },
      p: { paused: true, regions: [{ provider: 'AZURE' }] },
      again: { name: CLOUD.paused },
      gone: null,
    });
    expect(errors).toHaveLength(1);
    expect(errors![0]).toMatchObject({
      path: ['gone'],
      extensions: { code: 'NOT_FOUND', atlas: { status: 404, errorCode: 'CLUSTER_NOT_FOUND' } },
    });
    expect(atlasCalls(stack, 'getCluster')).toBe(4);
    expect(atlasCalls(stack, 'getFlexCluster')).toBe(0);
  });

  it('validates its arguments before any call', async () => {
    const stack = await stacks.start({ ...WITHOUT_RECORD_CACHE, ...ANYONE_MAY_CALL });
    const bad = await stack.query(`{ a: cluster(groupId: "${g}", name: "../x") { name } b: project(id: "p1") { id } }`);
    expect(bad.errors!.map((e) => e.extensions)).toEqual([
      { code: 'BAD_USER_INPUT', argument: 'name' },
      { code: 'BAD_USER_INPUT', argument: 'id' },
    ]);
    expect(stack.simulator.stats.requests).toBe(0);
  });
});

describe('project(id)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ ...WITHOUT_RECORD_CACHE, ...ANYONE_MAY_CALL });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.simulator.reset());

  it('costs nothing by itself; clusters page in Atlas order; a listed cluster costs no getCluster later', async () => {
    expect((await stack.query(`{ project(id: "${CLOUD.fleetGroupId}") { id } }`)).data).toEqual({
      project: { id: CLOUD.fleetGroupId },
    });
    expect(stack.simulator.stats.requests).toBe(0);
    const { data, errors } = await stack.query<{
      project: {
        clusters: {
          totalCount: number;
          edges: { cursor: string; node: { name: string } }[];
          pageInfo: { hasNextPage: boolean };
        };
      };
    }>(`{ project(id: "${CLOUD.fleetGroupId}") {
      clusters(first: 15) { totalCount edges { cursor node { __typename name clusterType } } pageInfo { hasNextPage } }
      cluster(name: "fleet-07") { name state }
    } }`);
    expect(errors).toBeUndefined();
    const { clusters } = data!.project;
    expect(clusters.totalCount).toBe(CLOUD.fleetClusterCount);
    expect(clusters.edges.map((e) => e.node.name)).toEqual(CLOUD.fleetClusterNames.slice(0, 15));
    expect(clusters.pageInfo.hasNextPage).toBe(true);
    expect(atlasCalls(stack, 'listClusters')).toBe(1);
    const next = await stack.query<typeof data>(
      `{ project(id: "${CLOUD.fleetGroupId}") { clusters(first: 15, after: "${clusters.edges[14]!.cursor}") { edges { node { name } } } } }`,
    );
    expect(next.data!.project.clusters.edges.map((e) => e.node.name)).toEqual(CLOUD.fleetClusterNames.slice(15, 30));
  });

  it('in the demo project: dedicated clusters of every kind', async () => {
    const { data } = await stack.query<{
      project: { clusters: { edges: { node: { name: string; clusterType: string } }[] } };
    }>(`{ project(id: "${g}") { clusters { edges { node { name clusterType } } } } }`);
    const types = Object.fromEntries(data!.project.clusters.edges.map((e) => [e.node.name, e.node.clusterType]));
    expect(types).toMatchObject({
      [CLOUD.replicaSet]: 'REPLICASET',
      [CLOUD.sharded]: 'SHARDED',
      [CLOUD.geoSharded]: 'GEOSHARDED',
    });
  });
});

describe('federation entities', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ ...WITHOUT_RECORD_CACHE, ...ANYONE_MAY_CALL });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.simulator.reset());

  it('Project, Cluster (interface), DedicatedCluster and FlexCluster resolve by key, through the loaders', async () => {
    const representations = [
      { __typename: 'Project', id: g },
      { __typename: 'Cluster', groupId: g, name: CLOUD.flex },
      { __typename: 'DedicatedCluster', groupId: g, name: CLOUD.replicaSet },
      { __typename: 'Cluster', groupId: g, name: CLOUD.replicaSet },
      { __typename: 'FlexCluster', groupId: g, name: CLOUD.replicaSet },
      { __typename: 'Project', id: 'p1' },
    ];
    const { data, errors } = await stack.query(
      `query ($r: [_Any!]!) { _entities(representations: $r) {
        __typename ... on Project { id } ... on Cluster { name } } }`,
      { r: representations },
    );
    expect(data!._entities).toEqual([
      { __typename: 'Project', id: g },
      { __typename: 'FlexCluster', name: CLOUD.flex },
      { __typename: 'DedicatedCluster', name: CLOUD.replicaSet },
      { __typename: 'DedicatedCluster', name: CLOUD.replicaSet },
      null,
      null,
    ]);
    expect(errors!.map((e) => [e.path, e.extensions?.code]).sort()).toEqual([
      [['_entities', 4], 'BAD_USER_INPUT'],
      [['_entities', 5], 'BAD_USER_INPUT'],
    ]);
    // Two names of one project: its list answers the dedicated one (three references, no getCluster);
    // the Flex one, not on it: one probe and one Flex call.
    expect(['listClusters', 'getCluster', 'getFlexCluster'].map((op) => atlasCalls(stack, op))).toEqual([1, 1, 1]);
  });
});
