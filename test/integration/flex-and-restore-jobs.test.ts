import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import { asDownloader, atlasCalls, DOWNLOADER, type Stack, startStack } from '../helpers.js';

let stack: Stack;
beforeAll(async () => {
  // A caller that may read download URLs (`deliveryUrl`, `snapshotUrl`).
  stack = asDownloader(await startStack({ ...DOWNLOADER, ATLAS_SNAPSHOT_API: 'auto' }));
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());

describe('flexSnapshot and the BackupSnapshot interface', () => {
  it('returns every field of FlexBackupSnapshot20241113, and one fragment serves both snapshot types', async () => {
    const { data, errors } = await stack.query(`{
      flex: flexSnapshot(groupId: "${DEMO.groupId}", name: "${DEMO.flexCluster}", snapshotId: "${DEMO.flexSnapshotId}") {
        ...Common name mongoDBVersion scheduledTime startTime finishTime expiration
      }
      legacy: serverlessSnapshot(groupId: "${DEMO.groupId}", clusterName: "${DEMO.clusterName}", snapshotId: "${DEMO.snapshotId}") { ...Common storageSizeBytes }
    }
    fragment Common on BackupSnapshot { __typename id groupId clusterName source status createdAt expiresAt mongodVersion links { rel } }`);
    expect(errors).toBeUndefined();
    expect(data!.flex).toEqual({
      __typename: 'FlexSnapshot',
      id: DEMO.flexSnapshotId,
      groupId: DEMO.groupId,
      clusterName: DEMO.flexCluster,
      name: DEMO.flexCluster,
      source: 'FLEX',
      status: 'COMPLETED',
      createdAt: '2026-08-02T17:05:37.000Z',
      expiresAt: '2026-08-10T17:05:10.000Z',
      mongodVersion: '8.0.29',
      mongoDBVersion: '8.0.29',
      scheduledTime: '2026-08-02T17:05:10.000Z',
      startTime: '2026-08-02T17:05:37.000Z',
      finishTime: '2026-08-02T17:06:56.000Z',
      expiration: '2026-08-10T17:05:10.000Z',
      links: [],
    });
    expect(data!.legacy).toMatchObject({
      __typename: 'ServerlessSnapshot',
      source: 'SERVERLESS',
      status: 'COMPLETED',
      storageSizeBytes: 5368709120,
    });
  });

  it('maps RUNNING to IN_PROGRESS and PENDING to PENDING', async () => {
    const snapshots = stack.simulator.projects.get(DEMO.groupId)!.flex.get(DEMO.bigFlexCluster)!.snapshots;
    const running = snapshots.find((s) => s.status === 'RUNNING')!;
    const pending = snapshots.find((s) => s.status === 'PENDING')!;
    const q = (alias: string, id: string) =>
      `${alias}: flexSnapshot(groupId: "${DEMO.groupId}", name: "${DEMO.bigFlexCluster}", snapshotId: "${id}") { status createdAt }`;
    const { data } = await stack.query(`{ ${q('running', running.id)} ${q('pending', pending.id)} }`);
    expect(data).toEqual({
      running: { status: 'IN_PROGRESS', createdAt: expect.any(String) as string },
      pending: { status: 'PENDING', createdAt: null },
    });
  });

  it('gives typed errors: a dedicated name is BAD_USER_INPUT from Atlas, an unknown one NOT_FOUND', async () => {
    const q = (name: string) =>
      `{ flexSnapshot(groupId: "${DEMO.groupId}", name: "${name}", snapshotId: "${DEMO.flexSnapshotId}") { id } }`;
    const dedicated = await stack.query(q(DEMO.dedicatedCluster));
    expect(dedicated.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      atlas: { status: 400, errorCode: 'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API' },
    });
    const unknown = await stack.query(q('no-such-cluster'));
    expect(unknown.errors![0]!.extensions).toMatchObject({
      code: 'NOT_FOUND',
      atlas: { errorCode: 'CLUSTER_NOT_FOUND' },
    });
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(0);
  });

  it('validates its arguments before any call', async () => {
    for (const [argument, args] of [
      [
        'name',
        `groupId: "${DEMO.groupId}", name: "a".repeat, snapshotId: "${DEMO.flexSnapshotId}"`.replace(
          '"a".repeat',
          `"${'a'.repeat(65)}"`,
        ),
      ],
      ['snapshotId', `groupId: "${DEMO.groupId}", name: "x", snapshotId: "%2F"`],
    ] as const) {
      const { errors } = await stack.query(`{ flexSnapshot(${args}) { id } }`);
      expect(errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
    }
    expect(stack.simulator.stats.requests).toBe(0);
  });
});

describe('restore jobs', () => {
  const serverlessJob = (
    id: string,
    fields: string,
    group: string = DEMO.groupId,
    cluster: string = DEMO.clusterName,
  ) =>
    `{ job: serverlessRestoreJob(groupId: "${group}", clusterName: "${cluster}", restoreJobId: "${id}") { ${fields} } }`;

  it('a serverless restore job past 2038: raw int32-typed seconds and their dates both come through', async () => {
    const { data, errors } = await stack.query(
      serverlessJob(
        DEMO.restoreJobPast2038Id,
        'id source deliveryType oplogTs oplogTime oplogInc pointInTimeUTCSeconds pointInTime failed',
      ),
    );
    expect(errors).toBeUndefined();
    expect(data!.job).toEqual({
      id: DEMO.restoreJobPast2038Id,
      source: 'SERVERLESS',
      deliveryType: 'POINT_IN_TIME',
      oplogTs: 2 ** 31 + 86_400,
      oplogTime: '2038-01-20T03:14:08.000Z',
      oplogInc: 3,
      pointInTimeUTCSeconds: 2 ** 31 + 86_400,
      pointInTime: '2038-01-20T03:14:08.000Z',
      failed: false,
    });
  });

  it("resolves a job's snapshot through the snapshot loader, once for many jobs", async () => {
    const { data, errors } = await stack.query(`{
      a: serverlessRestoreJob(groupId: "${DEMO.groupId}", clusterName: "${DEMO.clusterName}", restoreJobId: "${DEMO.downloadRestoreJobId}") { deliveryType deliveryUrl snapshot { id storageSizeBytes } }
      b: serverlessSnapshot(groupId: "${DEMO.groupId}", clusterName: "${DEMO.clusterName}", snapshotId: "${DEMO.snapshotId}") { id }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.a).toMatchObject({
      deliveryType: 'DOWNLOAD',
      snapshot: { id: DEMO.snapshotId, storageSizeBytes: 5368709120 },
    });
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(1);
  });

  it('a 403 (serverless restore jobs need Project Owner) → FORBIDDEN with that hint', async () => {
    const { errors } = await stack.query(
      serverlessJob(DEMO.downloadRestoreJobId, 'id', DEMO.analyticsGroupId, 'analytics-serverless'),
    );
    expect(errors![0]!.extensions).toMatchObject({
      code: 'FORBIDDEN',
      atlas: { status: 403 },
      hint: expect.stringContaining('Project Owner') as string,
    });
    expect(errors![0]!.message).toContain('Project Owner');
  });

  it('a migrated cluster answers serverlessRestoreJob through Flex, mapped to the serverless vocabulary', async () => {
    const job = stack.simulator.projects.get(DEMO.groupId)!.flex.get(DEMO.migratedCluster)!.restoreJobs[0]!;
    const { data } = await stack.query(
      serverlessJob(
        job.id,
        'id source status deliveryType deliveryUrl failed targetGroupId',
        DEMO.groupId,
        DEMO.migratedCluster,
      ),
    );
    expect(data!.job).toEqual({
      id: job.id,
      source: 'FLEX',
      status: 'RUNNING',
      deliveryType: 'DOWNLOAD',
      deliveryUrl: [job.snapshotUrl],
      failed: false,
      targetGroupId: null,
    });
  });

  it('flexRestoreJob returns every field of FlexBackupRestoreJob20241113 and its snapshot', async () => {
    const { data, errors } =
      await stack.query(`{ job: flexRestoreJob(groupId: "${DEMO.groupId}", name: "${DEMO.flexCluster}", restoreJobId: "${DEMO.flexRestoreJobId}") {
      id groupId name projectId instanceName deliveryType status snapshotId snapshotUrl targetProjectId targetDeploymentItemName
      expirationDate restoreScheduledDate restoreFinishedDate snapshotFinishedDate links { rel } snapshot { id status }
    } }`);
    expect(errors).toBeUndefined();
    expect(data!.job).toMatchObject({
      id: DEMO.flexRestoreJobId,
      name: DEMO.flexCluster,
      projectId: DEMO.groupId,
      instanceName: DEMO.flexCluster,
      deliveryType: 'DOWNLOAD',
      status: 'RUNNING',
      snapshotId: DEMO.flexSnapshotId,
      snapshotUrl: expect.stringContaining('.tar.gz') as string,
      snapshotFinishedDate: '2026-08-02T17:06:56.000Z',
      snapshot: { id: DEMO.flexSnapshotId, status: 'COMPLETED' },
    });
  });

  it('lists restore jobs of both families', async () => {
    const { data, errors } = await stack.query(`{
      s: serverlessRestoreJobs(groupId: "${DEMO.groupId}", clusterName: "${DEMO.clusterName}", first: 2) { totalCount edges { node { id source } } pageInfo { hasNextPage } }
      f: flexRestoreJobs(groupId: "${DEMO.groupId}", name: "${DEMO.flexCluster}") { totalCount edges { node { id deliveryType } } }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.s).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: true } });
    expect((data!.s as { edges: unknown[] }).edges).toHaveLength(2);
    expect(data!.f).toMatchObject({
      totalCount: 3,
      edges: [
        { node: { id: DEMO.flexRestoreJobId, deliveryType: 'DOWNLOAD' } },
        { node: { deliveryType: 'RESTORE' } },
        { node: { deliveryType: 'DOWNLOAD' } },
      ],
    });
  });

  it('validates restoreJobId before any call', async () => {
    const { errors } = await stack.query(serverlessJob('6748A6C1E2F3A4B5C6D7E8F9', 'id'));
    expect(errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'restoreJobId' });
    expect(stack.simulator.stats.requests).toBe(0);
  });
});
