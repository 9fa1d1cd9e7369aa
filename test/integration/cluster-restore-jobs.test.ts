import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { asDownloader, atlasCalls, DOWNLOADER, type Stack, startStack, WITHOUT_RECORD_CACHE } from '../helpers.js';

// Restore jobs of dedicated clusters through the real stack: the derived state of every seeded job,
// the role Atlas requires (a 403 names it), the secret delivery URL, and the NOT_FOUND hint a
// serverless query gets for a dedicated name.

const g = CLOUD.groupId;
let stack: Stack;
beforeAll(async () => {
  // A caller that may read download URLs (`deliveryUrl`, `downloadUrl`).
  stack = asDownloader(await startStack({ ...WITHOUT_RECORD_CACHE, ...DOWNLOADER }));
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());

const job = (id: string, fields: string, cluster: string = CLOUD.replicaSet, group: string = g) =>
  `clusterRestoreJob(groupId: "${group}", clusterName: "${cluster}", restoreJobId: "${id}") { ${fields} }`;

describe('the derived state of every job the simulator holds', () => {
  it.each([
    ['automatedDone', 'COMPLETED', { deliveryType: 'AUTOMATED', cancelled: false, failed: false, expired: false }],
    ['automatedFailed', 'FAILED', { failed: true, cancelled: false }],
    ['downloadExpired', 'EXPIRED', { deliveryType: 'DOWNLOAD', expired: true, deliveryUrl: [] }],
    ['downloadCancelled', 'CANCELLED', { cancelled: true, failed: true }],
    ['pointInTimeDone', 'COMPLETED', { deliveryType: 'POINT_IN_TIME', snapshot: null }],
    ['downloadReady', 'READY', { finishedAt: null }],
    ['downloadPending', 'PENDING', { deliveryUrl: [], finishedAt: null }],
    [
      'automatedPending',
      'PENDING',
      { targetDeploymentItemName: 'atlas-b7k2qx', targetClusterName: CLOUD.replicaSetEu },
    ],
  ] as const)('%s → %s', async (name, state, raw) => {
    const fields = `id state deliveryType cancelled failed expired finishedAt deliveryUrl targetClusterName
      targetDeploymentItemName desiredTimestamp { date } snapshot { id }`;
    const { data, errors } = await stack.query(`{ j: ${job(CLOUD.restoreJobs[name], fields)} }`);
    expect(errors).toBeUndefined();
    expect(data!.j).toMatchObject({ id: CLOUD.restoreJobs[name], state, desiredTimestamp: null, ...raw });
  });

  it('a sharded download: READY by its shards’ download URLs', async () => {
    const { data } = await stack.query(
      `{ j: ${job(CLOUD.shardedRestoreJobId, 'state deliveryUrl components { replicaSetName downloadUrl } snapshot { __typename }', CLOUD.sharded)} }`,
    );
    expect(data!.j).toMatchObject({
      state: 'READY',
      deliveryUrl: [],
      components: [{ replicaSetName: 'atlas-000004-shard-0' }, { replicaSetName: 'atlas-000004-shard-1' }],
      snapshot: { __typename: 'ShardedClusterSnapshot' },
    });
  });

  it('lists newest first; listed jobs prime the loader; the restored snapshots go through one loader', async () => {
    const { data } = await stack.query<{ l: { totalCount: number; edges: { node: { id: string } }[] } }>(`{
      l: clusterRestoreJobs(groupId: "${g}", clusterName: "${CLOUD.replicaSet}") { totalCount edges { node { id state snapshot { id } } } }
    }`);
    expect(data!.l.totalCount).toBe(8);
    expect(data!.l.edges.map((e) => e.node.id)).toEqual(Object.values(CLOUD.restoreJobs).reverse());
    expect(atlasCalls(stack, 'listBackupRestoreJobs')).toBe(1);
    // Five distinct snapshots behind eight jobs (one job names none).
    expect(atlasCalls(stack, 'getClusterBackupSnapshot')).toBe(5);
    expect(atlasCalls(stack, 'getBackupRestoreJob')).toBe(0);
  });
});

describe('roles and hints', () => {
  it('a Read Only key: restore jobs are FORBIDDEN with a hint naming Project Backup Manager; snapshots still answer', async () => {
    const group = CLOUD.analyticsGroupId;
    const cluster = CLOUD.analyticsCluster;
    const { data, errors } = await stack.query(`{
      list: clusterRestoreJobs(groupId: "${group}", clusterName: "${cluster}") { totalCount }
      one: ${job('6b1e09000000000000000001', 'id', cluster, group)}
      snapshots: clusterSnapshots(groupId: "${group}", clusterName: "${cluster}") { totalCount }
      c: cluster(groupId: "${group}", name: "${cluster}") { ... on DedicatedCluster { restoreJobs { totalCount } } }
    }`);
    expect(data).toEqual({ list: null, one: null, snapshots: { totalCount: 3 }, c: { restoreJobs: null } });
    expect(errors).toHaveLength(3);
    for (const error of errors!) {
      expect(error.extensions).toMatchObject({
        code: 'FORBIDDEN',
        atlas: { status: 403 },
        hint: expect.stringContaining('Project Backup Manager') as string,
      });
      expect(error.message).toContain('Project Backup Manager');
    }
  });

  it('serverlessSnapshot (and the other serverless queries) for a dedicated name: NOT_FOUND naming the dedicated query', async () => {
    const { data, errors } = await stack.query(`{
      s: serverlessSnapshot(groupId: "${g}", clusterName: "${CLOUD.replicaSet}", snapshotId: "${CLOUD.snapshots.daily}") { id }
      j: serverlessRestoreJob(groupId: "${g}", clusterName: "${CLOUD.replicaSet}", restoreJobId: "${CLOUD.restoreJobs.automatedDone}") { id }
    }`);
    expect(data).toEqual({ s: null, j: null });
    const byPath = Object.fromEntries(errors!.map((e) => [String(e.path![0]), e] as const));
    expect(byPath.s!.extensions).toMatchObject({
      code: 'NOT_FOUND',
      atlas: { errorCode: 'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API' },
      hint: expect.stringContaining('`clusterSnapshot(groupId, clusterName, snapshotId)`') as string,
    });
    expect(byPath.s!.message).toContain('clusterSnapshot');
    expect(byPath.j!.extensions!.hint).toContain('`clusterRestoreJob(groupId, clusterName, restoreJobId)`');
  });

  it('an unknown serverless name gets no such hint', async () => {
    const { errors } = await stack.query(
      `{ s: serverlessSnapshot(groupId: "${g}", clusterName: "no-such-name", snapshotId: "${CLOUD.snapshots.daily}") { id } }`,
    );
    expect(errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(errors![0]!.extensions!.hint).toBeUndefined();
  });

  it('a Flex name asked for a dedicated snapshot: Atlas’s 400 with a hint naming the Flex queries', async () => {
    const { errors } = await stack.query(
      `{ s: clusterSnapshot(groupId: "${g}", clusterName: "${CLOUD.flex}", snapshotId: "${CLOUD.snapshots.daily}") { id } }`,
    );
    expect(errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      atlas: { errorCode: 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API' },
      hint: expect.stringContaining('flexSnapshot') as string,
    });
  });
});

describe('the delivery URL is a secret', () => {
  it('comes back only in its field: never in a log line', async () => {
    const { data } = await stack.query<{ j: { deliveryUrl: string[] } }>(
      `{ j: ${job(CLOUD.restoreJobs.downloadReady, 'deliveryUrl')} }`,
    );
    const [url] = data!.j.deliveryUrl;
    const token = new URL(url!).pathname.split('/')[1]!;
    expect(token).toHaveLength(24);
    expect(stack.rawLogs.join('\n')).not.toContain(token);
  });
});
