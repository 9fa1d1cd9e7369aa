/**
 * The simulator's sample data: projects with serverless instances, Flex clusters (native and
 * migrated from serverless), a dedicated cluster name, snapshots in every status, one larger than
 * 4 GiB and one at 2^53-1 bytes, restore jobs, and a Flex cluster with 1,250 snapshots to page
 * through. Deterministic, so tests and the README can name ids.
 */

import type { SimCloudBackup } from './cloud-backup-state.js';

/** A serverless snapshot as the simulator stores it (the wire body without `links`). */
export interface SimServerlessSnapshot {
  id: string;
  createdAt: string;
  expiresAt?: string;
  frequencyType: string;
  snapshotType: string;
  status: string;
  mongodVersion: string;
  serverlessInstanceName: string;
  storageSizeBytes?: number;
  /** Extra properties to send verbatim (tests use it for values the spec does not know yet). */
  [extra: string]: unknown;
}

/** A Flex snapshot as stored (wire body without `links`). */
export interface SimFlexSnapshot {
  id: string;
  status: string;
  mongoDBVersion: string;
  scheduledTime: string;
  startTime?: string;
  finishTime?: string;
  expiration?: string;
}

/** A restore job body as stored (wire body without `links`); serverless and Flex shapes differ. */
export type SimRestoreJob = { id: string } & Record<string, unknown>;

export interface SimServerlessInstance {
  name: string;
  createDate: string;
  snapshots: SimServerlessSnapshot[];
  restoreJobs: SimRestoreJob[];
}

export interface SimFlexCluster {
  name: string;
  createDate: string;
  /** Former serverless instances: the serverless operations serve them too. */
  migratedFromServerless: boolean;
  snapshots: SimFlexSnapshot[];
  restoreJobs: SimRestoreJob[];
}

export interface SimProject {
  id: string;
  name: string;
  /** When true the simulator's API key has no role in the project: every call answers 403. */
  restricted: boolean;
  /** When true the key has Project Read Only there: serverless restore jobs (Project Owner) answer 403. */
  readOnly: boolean;
  serverless: Map<string, SimServerlessInstance>;
  flex: Map<string, SimFlexCluster>;
  /** Names of dedicated clusters: neither family serves them. */
  dedicated: Set<string>;
  /** Dedicated clusters and their Cloud Backups (cloud-backup-seed.ts attaches them); absent: none. */
  cloud?: SimCloudBackup;
}

/** The ids the README, the demo banner and the tests quote. */
export const DEMO = {
  groupId: '32b6e34b3d91647abb20e7b8',
  clusterName: 'serverless-prod-01',
  /** A completed daily snapshot of 5 GiB (above the 32-bit GraphQL Int). */
  snapshotId: '6741f2a0c8e4d17a3b9f0e21',
  /** A snapshot whose size is 2^53-1 bytes, the largest exact JSON integer. */
  maxSafeSizeSnapshotId: '6745e7029f8e7d6c5b4a3921',
  /** A point-in-time restore job whose oplog timestamp lies past 2038 (beyond int32 seconds). */
  restoreJobPast2038Id: '6760aa00000000000000f038',
  downloadRestoreJobId: '6749d3e2f1a2b3c4d5e6f708',
  restrictedGroupId: '65a0b1c2d3e4f5a6b7c8d9e0',
  analyticsGroupId: '5f1e2d3c4b5a697887766554',
  /** A native Flex cluster, with the observed snapshots and restore jobs. */
  flexCluster: 'flex-prod-01',
  flexSnapshotId: '6a6f78e0cab84da5c4476b25',
  flexRestoreJobId: '6a7a90f3c1d2e3f4a5b6c7d8',
  /** A Flex cluster migrated from a serverless instance: both families serve it. */
  migratedCluster: 'flex-migrated-01',
  /** A native Flex cluster with 1,250 snapshots. */
  bigFlexCluster: 'flex-big',
  bigFlexSnapshotCount: 1250,
  /** A dedicated cluster: the Flex API answers CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API. */
  dedicatedCluster: 'dedicated-cluster-0',
  /** A serverless instance (in the analytics project) with many snapshots, for the benchmark (seeded with `benchData`). */
  benchInstance: 'bench-serverless',
  benchSnapshotCount: 5000,
  benchSnapshotIdPrefix: '6750cc',
} as const;

const FREQUENCIES = ['hourly', 'daily', 'weekly', 'monthly'] as const;
const STATUSES = ['completed', 'completed', 'inProgress', 'queued', 'failed'] as const;
const FLEX_STATUSES = ['COMPLETED', 'COMPLETED', 'COMPLETED', 'RUNNING', 'QUEUED', 'PENDING', 'FAILED'] as const;
const RETENTION_DAYS = { hourly: 2, daily: 7, weekly: 28, monthly: 365 } as const;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const hexId = (prefix: string, n: number) => prefix + n.toString(16).padStart(24 - prefix.length, '0');

/** Snapshot `n` of a generated serverless series: statuses and frequencies cycle, sizes grow. */
function serverlessSnapshot(instance: string, idPrefix: string, n: number): SimServerlessSnapshot {
  const frequencyType = FREQUENCIES[n % FREQUENCIES.length]!;
  const status = STATUSES[n % STATUSES.length]!;
  const created = Date.UTC(2025, 10, 1, 3, 14, 0) + n * 6 * 3600_000;
  const finished = status === 'completed' || status === 'failed';
  return {
    id: hexId(idPrefix, n),
    createdAt: iso(created),
    ...(finished ? { expiresAt: iso(created + RETENTION_DAYS[frequencyType] * 86_400_000) } : {}),
    frequencyType,
    snapshotType: n % 7 === 3 ? 'onDemand' : 'scheduled',
    status,
    mongodVersion: '8.0.17',
    serverlessInstanceName: instance,
    ...(status === 'completed' ? { storageSizeBytes: 1_073_741_824 + n * 48_234_567 } : {}),
  };
}

/** Snapshot `n` of a generated Flex series: one a day, statuses cycle. */
function flexSnapshot(idPrefix: string, n: number): SimFlexSnapshot {
  const status = FLEX_STATUSES[n % FLEX_STATUSES.length]!;
  const scheduled = Date.UTC(2024, 0, 1, 17, 5, 10) + n * 86_400_000;
  const started = status !== 'PENDING' && status !== 'QUEUED';
  const finished = status === 'COMPLETED' || status === 'FAILED';
  return {
    id: hexId(idPrefix, n),
    status,
    mongoDBVersion: '8.0.29',
    scheduledTime: iso(scheduled),
    ...(started ? { startTime: iso(scheduled + 27_000) } : {}),
    ...(finished ? { finishTime: iso(scheduled + 106_000), expiration: iso(scheduled + 8 * 86_400_000) } : {}),
  };
}

const range = <T>(count: number, make: (n: number) => T) => Array.from({ length: count }, (_, n) => make(n));

/** The six snapshots of the published example bodies, kept verbatim (ids, dates, sizes). */
function prodSnapshots(): SimServerlessSnapshot[] {
  const base = { mongodVersion: '8.0.17', serverlessInstanceName: DEMO.clusterName };
  return [
    {
      ...base,
      id: DEMO.snapshotId,
      createdAt: '2025-11-23T03:14:08Z',
      expiresAt: '2025-11-30T03:14:08Z',
      frequencyType: 'daily',
      snapshotType: 'scheduled',
      status: 'completed',
      storageSizeBytes: 5_368_709_120,
    },
    {
      ...base,
      id: '6743440e5d1b2c6f7a8e9d30',
      createdAt: '2025-11-24T03:13:51Z',
      expiresAt: '2025-12-01T03:13:51Z',
      frequencyType: 'daily',
      snapshotType: 'scheduled',
      status: 'completed',
      storageSizeBytes: 5_371_002_880,
    },
    {
      ...base,
      id: '67449581a2b3c4d5e6f70812',
      createdAt: '2025-11-25T09:41:27Z',
      frequencyType: 'hourly',
      snapshotType: 'onDemand',
      status: 'inProgress',
    },
    {
      ...base,
      id: DEMO.maxSafeSizeSnapshotId,
      createdAt: '2025-11-26T03:14:02Z',
      expiresAt: '2025-12-26T03:14:02Z',
      frequencyType: 'weekly',
      snapshotType: 'scheduled',
      status: 'completed',
      storageSizeBytes: 9_007_199_254_740_991,
    },
    {
      ...base,
      id: '6747387ae1d2c3b4a5968778',
      createdAt: '2025-11-27T12:00:05Z',
      frequencyType: 'daily',
      snapshotType: 'onDemand',
      status: 'queued',
    },
    {
      ...base,
      id: '67488a01b2c3d4e5f6a7b8c9',
      createdAt: '2025-11-28T03:14:11Z',
      expiresAt: '2026-11-28T03:14:11Z',
      frequencyType: 'monthly',
      snapshotType: 'scheduled',
      status: 'failed',
    },
  ];
}

/** Serverless restore jobs of the example bodies, plus one whose oplog timestamp is past 2038. */
function prodRestoreJobs(): SimRestoreJob[] {
  const target = { targetClusterName: 'serverless-staging-01', targetGroupId: DEMO.groupId };
  const past2038 = 2 ** 31 + 86_400; // 2038-01-20: one day past the int32 Unix-seconds limit
  return [
    {
      id: DEMO.downloadRestoreJobId,
      cancelled: false,
      deliveryType: 'download',
      deliveryUrl: [`https://restore.example.invalid/${DEMO.snapshotId}.tar.gz`],
      expired: false,
      expiresAt: '2025-11-29T10:02:11Z',
      failed: false,
      finishedAt: '2025-11-28T10:05:37Z',
      snapshotId: DEMO.snapshotId,
      targetClusterName: DEMO.clusterName,
      targetGroupId: DEMO.groupId,
      timestamp: '2025-11-23T03:14:08Z',
    },
    {
      id: '6748a6c1e2f3a4b5c6d7e8f9',
      cancelled: false,
      deliveryType: 'pointInTime',
      desiredTimestamp: { date: '2025-11-27T18:30:00Z', increment: 1_199_145_600 },
      expired: false,
      failed: false,
      finishedAt: '2025-11-27T19:02:44Z',
      oplogInc: 1,
      oplogTs: 1_764_268_200,
      pointInTimeUTCSeconds: 1_764_268_200,
      ...target,
      timestamp: '2025-11-27T18:30:00Z',
    },
    {
      id: '6747f0a1b2c3d4e5f6a7b8c0',
      cancelled: false,
      deliveryType: 'automated',
      expired: false,
      failed: true,
      snapshotId: '6743440e5d1b2c6f7a8e9d30',
      ...target,
      timestamp: '2025-11-24T03:13:51Z',
    },
    {
      id: DEMO.restoreJobPast2038Id,
      cancelled: false,
      deliveryType: 'pointInTime',
      expired: false,
      failed: false,
      oplogInc: 3,
      oplogTs: past2038,
      pointInTimeUTCSeconds: past2038,
      snapshotId: DEMO.maxSafeSizeSnapshotId,
      ...target,
    },
  ];
}

/** Flex restore jobs: the observed shapes (a running download, a completed restore). */
function flexRestoreJobs(name: string, snapshotId: string, idPrefix: string, count: number): SimRestoreJob[] {
  return range(count, (n) => {
    const download = n % 2 === 0;
    const base = {
      id: n === 0 && name === DEMO.flexCluster ? DEMO.flexRestoreJobId : hexId(idPrefix, n),
      instanceName: name,
      projectId: DEMO.groupId,
      snapshotId,
    };
    const scheduled = Date.UTC(2026, 10, 1, 7, 20) + n * 3_600_000;
    return download
      ? {
          ...base,
          deliveryType: 'DOWNLOAD',
          status: 'RUNNING',
          restoreScheduledDate: iso(scheduled),
          expirationDate: iso(scheduled + 4 * 3_600_000),
          snapshotFinishedDate: '2026-08-02T17:06:56Z',
          snapshotUrl: `https://flex-backups.example.invalid/${name}/${snapshotId}.tar.gz`,
        }
      : {
          ...base,
          deliveryType: 'RESTORE',
          status: 'COMPLETED',
          restoreScheduledDate: iso(scheduled),
          restoreFinishedDate: iso(scheduled + 600_000),
          snapshotFinishedDate: '2026-08-02T17:06:56Z',
          targetDeploymentItemName: 'flex-restore-target',
          targetProjectId: DEMO.groupId,
        };
  });
}

function serverless(
  name: string,
  snapshots: SimServerlessSnapshot[],
  restoreJobs: SimRestoreJob[] = [],
): [string, SimServerlessInstance] {
  return [name, { name, createDate: '2024-03-01T10:00:00Z', snapshots, restoreJobs }];
}

function flex(
  name: string,
  migratedFromServerless: boolean,
  snapshotIdPrefix: string,
  snapshots: number,
  restoreJobs: number,
): [string, SimFlexCluster] {
  const all = range(snapshots, (n) => flexSnapshot(snapshotIdPrefix, n));
  if (name === DEMO.flexCluster)
    all[0] = {
      id: DEMO.flexSnapshotId,
      status: 'COMPLETED',
      mongoDBVersion: '8.0.29',
      scheduledTime: '2026-08-02T17:05:10Z',
      startTime: '2026-08-02T17:05:37Z',
      finishTime: '2026-08-02T17:06:56Z',
      expiration: '2026-08-10T17:05:10Z',
    };
  const jobs = flexRestoreJobs(name, all[0]!.id, `6a7a${snapshotIdPrefix.slice(-2)}`, restoreJobs);
  return [
    name,
    { name, createDate: '2025-02-01T09:00:00Z', migratedFromServerless, snapshots: all, restoreJobs: jobs },
  ];
}

/** A fresh, mutable copy of the seeded projects, keyed by group id; `benchData` adds the benchmark's instance. */
export function createSeedProjects({ benchData }: { benchData: boolean }): Map<string, SimProject> {
  const projects: SimProject[] = [
    {
      id: DEMO.groupId,
      name: 'Demo Project',
      restricted: false,
      readOnly: false,
      serverless: new Map([
        serverless(DEMO.clusterName, prodSnapshots(), prodRestoreJobs()),
        serverless(
          'serverless-dev',
          range(12, (n) => serverlessSnapshot('serverless-dev', '6750aa', n)),
        ),
      ]),
      flex: new Map([
        flex(DEMO.flexCluster, false, '6a6f00', 8, 3),
        flex(DEMO.migratedCluster, true, '6a6e00', 5, 2),
        flex(DEMO.bigFlexCluster, false, '6a6d00', DEMO.bigFlexSnapshotCount, 0),
      ]),
      dedicated: new Set([DEMO.dedicatedCluster]),
    },
    {
      id: DEMO.analyticsGroupId,
      name: 'Analytics',
      restricted: false,
      readOnly: true,
      serverless: new Map([
        serverless(
          'analytics-serverless',
          range(30, (n) => serverlessSnapshot('analytics-serverless', '6750bb', n)),
        ),
        // Enough distinct snapshots for a benchmark that asks for a new one every request: built
        // only when asked for (the benchmark and the heap test), not at every demo start.
        ...(benchData
          ? [
              serverless(
                DEMO.benchInstance,
                range(DEMO.benchSnapshotCount, (n) =>
                  serverlessSnapshot(DEMO.benchInstance, DEMO.benchSnapshotIdPrefix, n),
                ),
              ),
            ]
          : []),
      ]),
      flex: new Map(),
      dedicated: new Set(),
    },
    {
      id: DEMO.restrictedGroupId,
      name: 'Restricted',
      restricted: true,
      readOnly: true,
      serverless: new Map(),
      flex: new Map(),
      dedicated: new Set(),
    },
  ];
  return new Map(projects.map((p) => [p.id, p]));
}
