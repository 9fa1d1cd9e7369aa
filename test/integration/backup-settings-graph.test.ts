import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { ANYONE_MAY_CALL, atlasCalls, type Stack, stackPerTest, startStack, WITHOUT_RECORD_CACHE } from '../helpers.js';

// The backup settings as a dashboard walks to them: DedicatedCluster.backupSchedule and .exports,
// Project.backupCompliancePolicy and .exportBuckets, through the same per-request loaders as the
// root fields.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ ...WITHOUT_RECORD_CACHE, ...ANYONE_MAY_CALL });
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());

const cluster = (alias: string, name: string, fields: string) =>
  `${alias}: cluster(groupId: "${CLOUD.groupId}", name: "${name}") { ... on DedicatedCluster { ${fields} } }`;

describe('DedicatedCluster.backupSchedule and .exports', () => {
  it('resolve through the root fields’ loaders: a cluster asked for both ways costs one call of each', async () => {
    const { data, errors } = await stack.query(`{
      ${cluster('c', CLOUD.replicaSet, 'name backupSchedule { clusterId restoreWindowDays } exports(first: 2) { totalCount edges { node { id state } } pageInfo { hasNextPage } }')}
      backupSchedule(groupId: "${CLOUD.groupId}", clusterName: "${CLOUD.replicaSet}") { nextSnapshot }
      exportJobs(groupId: "${CLOUD.groupId}", clusterName: "${CLOUD.replicaSet}", first: 2) { totalCount edges { node { id } } }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.c).toEqual({
      name: CLOUD.replicaSet,
      backupSchedule: { clusterId: CLOUD.replicaSetId, restoreWindowDays: 7 },
      exports: {
        totalCount: 5,
        edges: [
          { node: { id: CLOUD.exports.Successful, state: 'SUCCESSFUL' } },
          { node: { id: CLOUD.exports.Failed, state: 'FAILED' } },
        ],
        pageInfo: { hasNextPage: true },
      },
    });
    expect(atlasCalls(stack, 'getBackupSchedule')).toBe(1);
    expect(atlasCalls(stack, 'listBackupExports')).toBe(1);
  });

  it('backup disabled: backupSchedule null without an error and without a call', async () => {
    const { data, errors } = await stack.query(
      `{ ${cluster('c', CLOUD.backupDisabled, 'backupEnabled backupSchedule { clusterId }')} }`,
    );
    expect(errors).toBeUndefined();
    expect(data).toEqual({ c: { backupEnabled: false, backupSchedule: null } });
    expect(atlasCalls(stack, 'getBackupSchedule')).toBe(0);
  });

  it('backup on but no configuration yet (a cluster being created): null with NOT_FOUND, as the root field', async () => {
    const { data, errors } = await stack.query(
      `{ ${cluster('c', CLOUD.noSchedule, 'backupEnabled backupSchedule { clusterId }')} }`,
    );
    expect(data).toEqual({ c: { backupEnabled: true, backupSchedule: null } });
    expect(errors).toHaveLength(1);
    expect(errors![0]!.path).toEqual(['c', 'backupSchedule']);
    expect(errors![0]!.extensions).toMatchObject({
      code: 'NOT_FOUND',
      atlas: { errorCode: 'BACKUP_CONFIG_NOT_FOUND' },
    });
  });

  it('a project’s clusters with their schedules: one call per cluster, none more for the same clusters again', async () => {
    const clusters = `clusters(first: ${CLOUD.fleetClusterCount}) { edges { node { name ... on DedicatedCluster { backupSchedule { nextSnapshot restoreWindowDays } } } } }`;
    const { data, errors } = await stack.query<{
      a: { clusters: { edges: { node: { backupSchedule: unknown } }[] } };
    }>(`{
      a: project(id: "${CLOUD.fleetGroupId}") { ${clusters} }
      b: project(id: "${CLOUD.fleetGroupId}") { ${clusters} }
    }`);
    expect(errors).toBeUndefined();
    const schedules = data!.a.clusters.edges.map((e) => e.node.backupSchedule);
    expect(schedules).toHaveLength(CLOUD.fleetClusterCount);
    expect(schedules.every((s) => s !== null)).toBe(true);
    expect(atlasCalls(stack, 'listClusters')).toBe(1);
    expect(atlasCalls(stack, 'getBackupSchedule')).toBe(CLOUD.fleetClusterCount);
  });
});

describe('ExportJob.snapshot', () => {
  it('the snapshot exported, replica set or sharded, through the clusterSnapshot loader', async () => {
    const job = (alias: string, clusterName: string, exportId: string) =>
      `${alias}: exportJob(groupId: "${CLOUD.groupId}", clusterName: "${clusterName}", exportId: "${exportId}") {
        snapshot { __typename id status } }`;
    const { data, errors } = await stack.query(`{
      ${job('rs', CLOUD.replicaSet, CLOUD.exports.Successful)}
      ${job('sh', CLOUD.sharded, CLOUD.shardedExportId)}
      same: clusterSnapshot(groupId: "${CLOUD.groupId}", clusterName: "${CLOUD.replicaSet}", snapshotId: "${CLOUD.snapshots.onDemand}") { id }
    }`);
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      rs: { snapshot: { __typename: 'ReplicaSetSnapshot', id: CLOUD.snapshots.onDemand, status: 'COMPLETED' } },
      sh: { snapshot: { __typename: 'ShardedClusterSnapshot', id: CLOUD.shardedSnapshotId, status: 'COMPLETED' } },
      same: { id: CLOUD.snapshots.onDemand },
    });
    expect(atlasCalls(stack, 'getClusterBackupSnapshot')).toBe(1);
    expect(atlasCalls(stack, 'getBackupShardedCluster')).toBe(1);
  });
});

describe('Project.backupCompliancePolicy and .exportBuckets', () => {
  it('resolve through the root fields’ loaders', async () => {
    const { data, errors } = await stack.query(`{
      project(id: "${CLOUD.groupId}") {
        backupCompliancePolicy { state updatedUser }
        exportBuckets(first: 2) { totalCount pageInfo { hasNextPage } edges { node { __typename id } } }
      }
      backupCompliancePolicy(groupId: "${CLOUD.groupId}") { pitEnabled }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.project).toEqual({
      backupCompliancePolicy: { state: 'ACTIVE', updatedUser: CLOUD.complianceUpdatedUser },
      exportBuckets: {
        totalCount: 3,
        pageInfo: { hasNextPage: true },
        edges: [
          { node: { __typename: 'AwsExportBucket', id: CLOUD.exportBuckets.aws } },
          { node: { __typename: 'AzureExportBucket', id: CLOUD.exportBuckets.azure } },
        ],
      },
    });
    expect(atlasCalls(stack, 'getCompliancePolicy')).toBe(1);
    expect(atlasCalls(stack, 'listExportBuckets')).toBe(1);
  });

  it('a project without a policy: null without an error; a Read Only key: FORBIDDEN naming Project Owner', async () => {
    const { data, errors } = await stack.query(`{
      fleet: project(id: "${CLOUD.fleetGroupId}") { backupCompliancePolicy { state } }
      analytics: project(id: "${CLOUD.analyticsGroupId}") { backupCompliancePolicy { state } }
    }`);
    expect(data).toEqual({ fleet: { backupCompliancePolicy: null }, analytics: { backupCompliancePolicy: null } });
    expect(errors).toHaveLength(1);
    expect(errors![0]!.path).toEqual(['analytics', 'backupCompliancePolicy']);
    expect(errors![0]!.extensions).toMatchObject({
      code: 'FORBIDDEN',
      hint: expect.stringContaining('Project Owner') as string,
    });
  });
});

describe('the dashboard', () => {
  const fresh = stackPerTest();

  it('latestSnapshot and backupSchedule over 40 clusters: 1 + 2 × 40 calls, the same clusters again cost nothing', async () => {
    // A stack of its own: every default limit (UPSTREAM_MAX_KEYS 100, of which 81 are needed;
    // UPSTREAM_CONCURRENCY 8), and a caller whose Atlas call budget the tests above have not spent.
    const stack = await fresh.start({ ...WITHOUT_RECORD_CACHE, ...ANYONE_MAY_CALL });
    stack.simulator.faults.latencyMs = 20; // long enough for the calls to overlap
    const dashboard = (alias: string) => `${alias}: project(id: "${CLOUD.fleetGroupId}") {
      clusters(first: 40) { edges { node { name ... on DedicatedCluster {
        latestSnapshot { id status createdAt storageSizeBytes } backupSchedule { nextSnapshot restoreWindowDays } } } } } }`;
    type Dashboard = { clusters: { edges: { node: { latestSnapshot: unknown; backupSchedule: unknown } }[] } };
    const { data, errors } = await stack.query<{ a: Dashboard; b: Dashboard }>(
      `{ ${dashboard('a')} ${dashboard('b')} }`,
    );
    expect(errors).toBeUndefined();
    const nodes = data!.a.clusters.edges.map((e) => e.node);
    expect(nodes).toHaveLength(40);
    expect(nodes.every((n) => n.latestSnapshot !== null && n.backupSchedule !== null)).toBe(true);
    expect(data!.b).toEqual(data!.a);
    // Each cluster's snapshot list fits the first page of latestSnapshot's window: one call each.
    expect({ ...stack.simulator.stats.byOperation }).toEqual({
      listClusters: 1,
      listBackupSnapshots: 40,
      getBackupSchedule: 40,
    });
    expect(stack.simulator.upstreamCalls()).toBe(1 + 2 * 40);
    expect(stack.simulator.stats.maxInFlight).toBe(8);
  });

  it('the backup-settings example of docs/api.md: within the limits, one call per list and per policy', async () => {
    const { data, errors } = await stack.query<{
      project: { clusters: { edges: { node: { name: string; backupSchedule: unknown } }[] } };
    }>(`{
      project(id: "${CLOUD.groupId}") {
        backupCompliancePolicy { state pitEnabled restoreWindowDays scheduledPolicyItems { frequencyType retentionValue retentionUnit } }
        exportBuckets(first: 10) { edges { node { __typename id bucketName cloudProvider } } }
        clusters(first: 40) { edges { node { name ... on DedicatedCluster { backupSchedule { nextSnapshot restoreWindowDays } } } } }
      }
      exportJobs(groupId: "${CLOUD.groupId}", clusterName: "${CLOUD.replicaSet}", first: 5) {
        edges { node { state createdAt finishedAt prefix exportBucket { bucketName } } }
      }
    }`);
    // The one cluster still being created has backup on but no configuration yet: NOT_FOUND for its schedule alone.
    expect(errors!.map((e) => [e.extensions!.code, e.path!.at(-1)])).toEqual([['NOT_FOUND', 'backupSchedule']]);
    const clusters = data!.project.clusters.edges.map((e) => e.node);
    expect(clusters.find((c) => c.name === CLOUD.noSchedule)!.backupSchedule).toBeNull();
    expect(clusters.find((c) => c.name === CLOUD.backupDisabled)!.backupSchedule).toBeNull();
    expect(atlasCalls(stack, 'getCompliancePolicy')).toBe(1);
    expect(atlasCalls(stack, 'listExportBuckets')).toBe(1);
    expect(atlasCalls(stack, 'listBackupExports')).toBe(1);
    expect(atlasCalls(stack, 'getExportBucket')).toBe(1);
    expect(atlasCalls(stack, 'getBackupSchedule')).toBe(clusters.length - 1); // not the backup-disabled one
  });
});
