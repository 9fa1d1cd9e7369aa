import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { ANYONE_MAY_CALL, atlasCalls, type Stack, startStack, WITHOUT_RECORD_CACHE } from '../helpers.js';

// exportJob(s) and exportBucket(s) through the real stack: the simulator's seed (every export state,
// buckets of three providers), and every recorded body of their operations as Atlas sent it.

const example = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/atlas-examples/${file}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ ...WITHOUT_RECORD_CACHE, ...ANYONE_MAY_CALL });
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());

const AT = `groupId: "${CLOUD.groupId}", clusterName: "${CLOUD.replicaSet}"`;
const JOB = `id groupId clusterName state stateReason { errorCode message } exportStatus { exportedCollections totalCollections }
  createdAt finishedAt components { exportId replicaSetName } prefix customData { key value } exportBucketId snapshotId links { rel }`;

/** The recorded export job as this API answers it. */
const recordedJob = (state: string, finishedAt: string | null) => ({
  id: '6a7945592c88faeba59d5e8e',
  groupId: CLOUD.groupId,
  clusterName: CLOUD.replicaSet,
  state,
  stateReason: null,
  exportStatus: { exportedCollections: 0, totalCollections: 0 },
  createdAt: '2026-08-10T03:28:25.000Z',
  finishedAt,
  components: [],
  prefix: 'exported_snapshots/a0123456789abcdef012345a/b0123456789abcdef012345b/cluster-989/2026-08-10T0327/1786332505',
  customData: [],
  exportBucketId: '6a794342c0eb9e7a17729455',
  snapshotId: '6a7943462c88faeba59ccf5f',
  links: [],
});

describe('export jobs', () => {
  it.each([
    ['describe-job-Successful', 'SUCCESSFUL', '2026-08-10T03:43:05.000Z'],
    ['watch-create-job-1-Queued', 'QUEUED', null],
    ['watch-create-job-2-InProgress', 'IN_PROGRESS', null],
  ])('the recorded %s maps field for field', async (name, state, finishedAt) => {
    const body = example(`getBackupExport/observed-exportjobs-${name}.200.json`);
    stack.simulator.faults.inject({ kind: 'status', status: 200, body }, { operation: 'getBackupExport' });
    const { data, errors } = await stack.query(`{ exportJob(${AT}, exportId: "${String(body.id)}") { ${JOB} } }`);
    expect(errors).toBeUndefined();
    expect(data!.exportJob).toEqual(recordedJob(state, finishedAt));
  });

  it('the recorded list maps too', async () => {
    const body = example('listBackupExports/observed-exportjobs-list-jobs.200.json');
    stack.simulator.faults.inject({ kind: 'status', status: 200, body }, { operation: 'listBackupExports' });
    const { data, errors } = await stack.query(
      `{ exportJobs(${AT}) { totalCount pageInfo { hasNextPage } edges { node { ${JOB} } } } }`,
    );
    expect(errors).toBeUndefined();
    expect(data!.exportJobs).toEqual({
      totalCount: 1,
      pageInfo: { hasNextPage: false },
      edges: [{ node: recordedJob('SUCCESSFUL', '2026-08-10T03:43:05.000Z') }],
    });
  });

  it('every state; a failed job says why; the sharded one lists its shards', async () => {
    const q = (alias: string, id: string, at = AT) =>
      `${alias}: exportJob(${at}, exportId: "${id}") { state finishedAt stateReason { errorCode } components { replicaSetName } customData { key value } }`;
    const sharded = `groupId: "${CLOUD.groupId}", clusterName: "${CLOUD.sharded}"`;
    const ids = CLOUD.exports;
    const { data, errors } = await stack.query(`{
      ${q('ok', ids.Successful)} ${q('failed', ids.Failed)} ${q('cancelled', ids.Cancelled)}
      ${q('running', ids.InProgress)} ${q('queued', ids.Queued)} ${q('sharded', CLOUD.shardedExportId, sharded)}
    }`);
    expect(errors).toBeUndefined();
    expect(data).toMatchObject({
      ok: { state: 'SUCCESSFUL', stateReason: null, customData: [{ key: 'ticket', value: 'OPS-1234' }] },
      failed: { state: 'FAILED', stateReason: { errorCode: 'EXPORT_FAILED' } },
      cancelled: { state: 'CANCELLED', finishedAt: expect.any(String) as string },
      running: { state: 'IN_PROGRESS', finishedAt: null },
      queued: { state: 'QUEUED', finishedAt: null, components: [] },
    });
    expect((data!.sharded as { components: unknown[] }).components).toHaveLength(2);
  });

  it('a state Atlas adds later degrades that one field to null', async () => {
    const recorded = example('getBackupExport/observed-exportjobs-describe-job-Successful.200.json');
    const body = { ...recorded, state: 'Archived' };
    stack.simulator.faults.inject({ kind: 'status', status: 200, body }, { operation: 'getBackupExport' });
    const { data, errors } = await stack.query(
      `{ exportJob(${AT}, exportId: "${String(recorded.id)}") { id state prefix } }`,
    );
    expect(errors).toBeUndefined();
    expect(data!.exportJob).toMatchObject({ id: recorded.id, state: null, prefix: recorded.prefix });
  });

  it('pages forwards with one call a page; the same page twice and the jobs’ one bucket cost one call each', async () => {
    type Connection = {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string };
      edges: { node: { state: string } }[];
    };
    const page = (after?: string) =>
      stack.query<{ exportJobs: Connection }>(
        `{ exportJobs(${AT}, first: 2${after ? `, after: "${after}"` : ''}) {
          totalCount pageInfo { hasNextPage endCursor } edges { node { id state } } } }`,
      );
    const states: string[] = [];
    let after: string | undefined;
    for (;;) {
      const { data, errors } = await page(after);
      expect(errors).toBeUndefined();
      const connection = data!.exportJobs;
      states.push(...connection.edges.map((e) => e.node.state));
      expect(connection.totalCount).toBe(5);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(states).toEqual(['SUCCESSFUL', 'FAILED', 'CANCELLED', 'IN_PROGRESS', 'QUEUED']);
    expect(atlasCalls(stack, 'listBackupExports')).toBe(3);

    stack.simulator.reset();
    const { errors } = await stack.query(`{
      a: exportJobs(${AT}) { edges { node { id exportBucket { id } } } }
      b: exportJobs(${AT}) { edges { node { state } } }
    }`);
    expect(errors).toBeUndefined();
    expect(atlasCalls(stack, 'listBackupExports')).toBe(1);
    expect(atlasCalls(stack, 'getExportBucket')).toBe(1);
  });

  it('a Read Only key: FORBIDDEN with the Project Backup Manager hint', async () => {
    const at = `groupId: "${CLOUD.analyticsGroupId}", clusterName: "${CLOUD.analyticsCluster}"`;
    const { data, errors } = await stack.query(`{
      list: exportJobs(${at}) { totalCount }
      one: exportJob(${at}, exportId: "${CLOUD.exports.Successful}") { id }
    }`);
    expect(data).toEqual({ list: null, one: null });
    expect(errors).toHaveLength(2);
    for (const error of errors!) {
      expect(error.extensions).toMatchObject({
        code: 'FORBIDDEN',
        atlas: { status: 403 },
        hint: expect.stringContaining('Project Backup Manager') as string,
      });
    }
  });

  it('validates exportId before any call', async () => {
    const { errors } = await stack.query(`{ exportJob(${AT}, exportId: "6B1D01000000000000000001") { id } }`);
    expect(errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'exportId' });
    expect(stack.simulator.stats.requests).toBe(0);
  });
});

const BUCKET = `__typename id groupId bucketName cloudProvider links { rel }
  ... on AwsExportBucket { iamRoleId region requirePrivateNetworking }
  ... on AzureExportBucket { roleId serviceUrl tenantId }
  ... on GcpExportBucket { roleId }`;
const bucket = (id: string) => `exportBucket(groupId: "${CLOUD.groupId}", exportBucketId: "${id}") { ${BUCKET} }`;

describe('export buckets', () => {
  it('the recorded bucket maps field for field (`_id` is `id`)', async () => {
    const body = example('getExportBucket/observed-exportbuckets-describe.200.json');
    stack.simulator.faults.inject({ kind: 'status', status: 200, body }, { operation: 'getExportBucket' });
    const { data, errors } = await stack.query(`{ ${bucket(String(body._id))} }`);
    expect(errors).toBeUndefined();
    expect(data!.exportBucket).toEqual({
      __typename: 'AwsExportBucket',
      id: '6a793f752c88faeba59bba56',
      groupId: CLOUD.groupId,
      bucketName: 'test-bucket',
      cloudProvider: 'AWS',
      links: [],
      iamRoleId: 'c0123456789abcdef012345c',
      region: 'us-east-1',
      requirePrivateNetworking: false,
    });
  });

  it('the recorded list: items without `region`, a next page, Atlas’s estimate', async () => {
    const body = example('listExportBuckets/observed-exportbuckets-list-truncated.200.json');
    stack.simulator.faults.inject({ kind: 'status', status: 200, body }, { operation: 'listExportBuckets' });
    const { data, errors } = await stack.query(`{ exportBuckets(groupId: "${CLOUD.groupId}", first: 3) {
      totalCount pageInfo { hasNextPage } edges { node { __typename id ... on AwsExportBucket { iamRoleId region } } } } }`);
    expect(errors).toBeUndefined();
    const node = (id: string) => ({
      node: { __typename: 'AwsExportBucket', id, iamRoleId: '60113b99ce5a6a3d72ea7454', region: null },
    });
    expect(data!.exportBuckets).toEqual({
      totalCount: 2508,
      pageInfo: { hasNextPage: true },
      edges: [node('65566a5f1d4b3b0ca4f3b78b'), node('655747a6d598e72693f4f99e'), node('655cffdfba1cf86a9bfa489e')],
    });
  });

  it('one type per provider; a bucket looked up after a list still has its region (lists are not primed)', async () => {
    const ids = CLOUD.exportBuckets;
    const { data, errors } = await stack.query(`{
      list: exportBuckets(groupId: "${CLOUD.groupId}") { edges { node { __typename cloudProvider } } }
      aws: ${bucket(ids.aws)} azure: ${bucket(ids.azure)} gcp: ${bucket(ids.gcp)}
    }`);
    expect(errors).toBeUndefined();
    expect(data!.list).toEqual({
      edges: [
        { node: { __typename: 'AwsExportBucket', cloudProvider: 'AWS' } },
        { node: { __typename: 'AzureExportBucket', cloudProvider: 'AZURE' } },
        { node: { __typename: 'GcpExportBucket', cloudProvider: 'GCP' } },
      ],
    });
    expect(data).toMatchObject({
      aws: { __typename: 'AwsExportBucket', region: 'us-east-1', iamRoleId: '6b1a00000000000000000001' },
      azure: { __typename: 'AzureExportBucket', tenantId: '8f14e45f-ceea-467a-9575-8b1d0c5e2a17' },
      gcp: { __typename: 'GcpExportBucket', roleId: '6b1a00000000000000000003', bucketName: 'acme-atlas-exports-eu' },
    });
    expect(atlasCalls(stack, 'listExportBuckets')).toBe(1);
    expect(atlasCalls(stack, 'getExportBucket')).toBe(3);
  });

  it('a provider this schema does not know yet: OtherExportBucket, cloudProvider null, the rest intact', async () => {
    const body = { _id: '6b1b00000000000000000009', bucketName: 'oci-exports', cloudProvider: 'OCI', namespace: 'n' };
    stack.simulator.faults.inject({ kind: 'status', status: 200, body }, { operation: 'getExportBucket' });
    const { data, errors } = await stack.query(`{ ${bucket(body._id)} }`);
    expect(errors).toBeUndefined();
    expect(data!.exportBucket).toMatchObject({
      __typename: 'OtherExportBucket',
      cloudProvider: null,
      bucketName: 'oci-exports',
    });
  });

  it('an unknown bucket is NOT_FOUND; exportBucketId is validated before any call', async () => {
    const missing = await stack.query(`{ ${bucket('6b1b0000000000000000ffff')} }`);
    expect(missing.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', atlas: { status: 404 } });
    stack.simulator.reset();
    const bad = await stack.query(`{ ${bucket('x')} }`);
    expect(bad.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'exportBucketId' });
    expect(stack.simulator.stats.requests).toBe(0);
  });
});
