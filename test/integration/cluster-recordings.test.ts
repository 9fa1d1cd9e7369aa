import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { asDownloader, DOWNLOADER, type Stack, startStack, WITHOUT_RECORD_CACHE } from '../helpers.js';

// Every observed Atlas body of the cluster and Cloud Backup reads (test/fixtures/atlas-examples)
// served by the simulator in place of its own (a scripted 200 with that body) and read through the
// real stack: each maps to the GraphQL result written here from the recording's own fields.

const FIXTURES = new URL('../fixtures/atlas-examples/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', FIXTURES), 'utf8')) as {
  files: { operation: string | string[]; status: number; file: string }[];
};
type Body = Record<string, unknown>;
const recorded = (file: string) => JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as Body;
const recordings = (operation: string) =>
  index.files.filter((f) => f.operation === operation && f.status === 200).map((f) => f.file);

const g = CLOUD.groupId;
let stack: Stack;
beforeAll(async () => {
  // A caller that may read download URLs (`deliveryUrl`).
  stack = asDownloader(await startStack({ ...WITHOUT_RECORD_CACHE, ...DOWNLOADER }));
  // Learn the kinds once, so that each recording answers the one call it is scripted for.
  await stack.query(
    `{ a: cluster(groupId: "${g}", name: "${CLOUD.replicaSet}") { name } b: cluster(groupId: "${g}", name: "${CLOUD.flex}") { name } }`,
  );
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());

/** Serves `body` as the next answer of `operation`, then runs `query`. */
async function served(operation: string, body: Body, query: string) {
  stack.simulator.faults.inject({ kind: 'status', status: 200, body }, { operation });
  const result = await stack.query(query);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

const date = (value: unknown) =>
  value === undefined || value === null ? null : new Date(value as string).toISOString();
const ENUM: Record<string, string> = {
  ondemand: 'ON_DEMAND',
  onDemand: 'ON_DEMAND',
  inProgress: 'IN_PROGRESS',
  pointInTime: 'POINT_IN_TIME',
};
const upper = (value: unknown) =>
  value === undefined ? null : (ENUM[value as string] ?? (value as string).toUpperCase());

const SNAPSHOT_FIELDS = `__typename id groupId clusterName source status createdAt expiresAt mongodVersion frequencyType
  snapshotType storageSizeBytes description policyItems ... on ReplicaSetSnapshot { replicaSetName cloudProvider copyRegions }`;
/** What a recorded replica-set snapshot reads as, asked for in `cluster`. */
const expectedSnapshot = (s: Body, cluster: string) => ({
  __typename: 'ReplicaSetSnapshot',
  id: s.id,
  groupId: g,
  clusterName: cluster,
  source: 'DEDICATED',
  status: upper(s.status),
  createdAt: date(s.createdAt),
  expiresAt: date(s.expiresAt),
  mongodVersion: s.mongodVersion ?? null,
  frequencyType: upper(s.frequencyType),
  snapshotType: upper(s.snapshotType),
  storageSizeBytes: s.storageSizeBytes,
  description: s.description ?? null,
  policyItems: s.policyItems,
  replicaSetName: s.replicaSetName,
  cloudProvider: s.cloudProvider ?? null,
  copyRegions: s.copyRegions,
});

const JOB_FIELDS = `id state deliveryType cancelled failed expired finishedAt expiresAt timestamp deliveryUrl snapshotId
  targetClusterName targetGroupId targetDeploymentItemName desiredTimestamp { date }`;
/** What a recorded restore job reads as: its raw fields, and the state its file name says it was in. */
const expectedJob = (j: Body, state: string) => ({
  id: j.id,
  state,
  deliveryType: upper(j.deliveryType),
  cancelled: j.cancelled,
  failed: j.failed,
  expired: j.expired,
  finishedAt: date(j.finishedAt),
  expiresAt: date(j.expiresAt),
  timestamp: date(j.timestamp),
  deliveryUrl: j.deliveryUrl,
  snapshotId: j.snapshotId,
  targetClusterName: j.targetClusterName ?? null,
  targetGroupId: j.targetGroupId ?? null,
  targetDeploymentItemName: j.targetDeploymentItemName ?? null,
  desiredTimestamp: null,
});
const STATE_IN_FILE_NAME: [RegExp, string][] = [
  [/cancelled/, 'CANCELLED'],
  [/finished/, 'COMPLETED'],
  [/deliveryUrl-ready/, 'READY'],
  [/pending/, 'PENDING'],
];
const stateOf = (file: string) => STATE_IN_FILE_NAME.find(([pattern]) => pattern.test(file))![1];

const CLUSTER_FIELDS = `__typename name id clusterType state mongoDBVersion createdAt backupEnabled
  regions { provider regionName electable { instanceSize nodeCount } }
  ... on DedicatedCluster { paused pitEnabled replicationSpecs { zoneId zoneName } }`;
type Spec = { id: string; zoneId: string; zoneName: string; regionConfigs: Body[] };
/** What a recorded dedicated cluster reads as. */
const expectedCluster = (c: Body) => {
  const specs = c.replicationSpecs as Spec[];
  return {
    __typename: 'DedicatedCluster',
    name: c.name,
    id: c.id,
    clusterType: c.clusterType,
    state: c.stateName,
    mongoDBVersion: c.mongoDBVersion,
    createdAt: date(c.createDate),
    backupEnabled: c.backupEnabled,
    regions: specs.flatMap((spec) =>
      spec.regionConfigs.map((r) => {
        const electable = (r.effectiveElectableSpecs ?? r.electableSpecs) as Body;
        return {
          provider: r.providerName,
          regionName: r.regionName,
          electable: { instanceSize: electable.instanceSize, nodeCount: electable.nodeCount },
        };
      }),
    ),
    paused: c.paused,
    pitEnabled: c.pitEnabled,
    replicationSpecs: specs.map(({ zoneId, zoneName }) => ({ zoneId, zoneName })),
  };
};

describe('recorded bodies through the stack', () => {
  it.each(recordings('getClusterBackupSnapshot'))('getClusterBackupSnapshot %s', async (file) => {
    const body = recorded(file);
    const data = await served(
      'getClusterBackupSnapshot',
      body,
      `{ s: clusterSnapshot(groupId: "${g}", clusterName: "${CLOUD.replicaSet}", snapshotId: "${body.id as string}") { ${SNAPSHOT_FIELDS} } }`,
    );
    expect(data.s).toEqual(expectedSnapshot(body, CLOUD.replicaSet));
  });

  it.each(recordings('listBackupSnapshots'))('listBackupSnapshots %s', async (file) => {
    const body = recorded(file);
    const data = await served(
      'listBackupSnapshots',
      body,
      `{ l: clusterSnapshots(groupId: "${g}", clusterName: "${CLOUD.replicaSet}") { totalCount edges { node { ${SNAPSHOT_FIELDS} } } } }`,
    );
    expect(data.l).toEqual({
      totalCount: body.totalCount,
      edges: (body.results as Body[]).map((s) => ({ node: expectedSnapshot(s, CLOUD.replicaSet) })),
    });
  });

  it.each(recordings('getBackupRestoreJob'))('getBackupRestoreJob %s', async (file) => {
    const body = recorded(file);
    const data = await served(
      'getBackupRestoreJob',
      body,
      `{ j: clusterRestoreJob(groupId: "${g}", clusterName: "${CLOUD.replicaSet}", restoreJobId: "${body.id as string}") { ${JOB_FIELDS} } }`,
    );
    expect(data.j).toEqual(expectedJob(body, stateOf(file)));
  });

  it.each(recordings('listBackupRestoreJobs'))('listBackupRestoreJobs %s', async (file) => {
    const body = recorded(file);
    const data = await served(
      'listBackupRestoreJobs',
      body,
      `{ l: clusterRestoreJobs(groupId: "${g}", clusterName: "${CLOUD.replicaSet}") { totalCount edges { node { ${JOB_FIELDS} } } } }`,
    );
    expect(data.l).toEqual({
      totalCount: body.totalCount,
      edges: (body.results as Body[]).map((j) => ({ node: expectedJob(j, 'COMPLETED') })),
    });
  });

  it.each(recordings('getCluster'))('getCluster %s', async (file) => {
    const body = recorded(file);
    const data = await served(
      'getCluster',
      body,
      `{ c: cluster(groupId: "${g}", name: "${CLOUD.replicaSet}") { ${CLUSTER_FIELDS} } }`,
    );
    expect(data.c).toEqual(expectedCluster(body));
  });

  it.each(recordings('listClusters'))('listClusters %s', async (file) => {
    const body = recorded(file);
    const data = await served(
      'listClusters',
      body,
      // Within the default depth limit (6): regions without their node hardware, no replication specs.
      `{ p: project(id: "${g}") { clusters { totalCount edges { node {
        __typename name id clusterType state mongoDBVersion createdAt backupEnabled regions { provider regionName }
        ... on DedicatedCluster { paused pitEnabled } } } } } }`,
    );
    const listed = (c: Body) => {
      const { regions, replicationSpecs: _specs, ...rest } = expectedCluster(c);
      return { ...rest, regions: regions.map(({ electable: _electable, ...region }) => region) };
    };
    expect(data.p).toEqual({
      clusters: { totalCount: body.totalCount, edges: (body.results as Body[]).map((c) => ({ node: listed(c) })) },
    });
  });

  it.each(recordings('getFlexCluster'))('getFlexCluster %s', async (file) => {
    const body = recorded(file);
    const data = await served(
      'getFlexCluster',
      body,
      `{ c: cluster(groupId: "${g}", name: "${CLOUD.flex}") { ${CLUSTER_FIELDS} } }`,
    );
    const provider = body.providerSettings as Body;
    expect(data.c).toEqual({
      __typename: 'FlexCluster',
      name: body.name,
      id: body.id,
      clusterType: 'REPLICASET',
      state: body.stateName,
      mongoDBVersion: body.mongoDBVersion,
      createdAt: date(body.createDate),
      backupEnabled: true,
      regions: [{ provider: provider.backingProviderName, regionName: provider.regionName, electable: null }],
    });
  });
});
