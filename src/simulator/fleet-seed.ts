import type { SimCloudBackup, SimDedicatedCluster, SimExportBucket } from './cloud-backup-state.js';
import {
  byIds,
  defaultSchedule,
  idPrefix,
  newCluster,
  oid,
  ORG_ID,
  region,
  snapshot,
  type SnapshotPlan,
} from './cloud-seed-builders.js';
import { exportJob, restoreJob } from './cloud-seed-jobs.js';
import { DEMO, type SimProject } from './seed.js';

const at = (month: number, day: number, hour: number, minute = 16) => Date.UTC(2026, month - 1, day, hour, minute);
const COUNT = 40;
const PROVIDERS = [
  ['AWS', 'US_EAST_1'],
  ['GCP', 'CENTRAL_US'],
  ['AZURE', 'US_EAST_2'],
] as const;

/** The 40-cluster project of the dashboard query and the benchmark scenario (issue 12, "Cost"). */
export const FLEET = {
  fleetGroupId: '6b1f1ee70000000000000040',
  fleetClusterCount: COUNT,
  /** `fleet-01` … `fleet-40`, in creation order (the order `listClusters` serves). */
  fleetClusterNames: Array.from({ length: COUNT }, (_, n) => `fleet-${String(n + 1).padStart(2, '0')}`),
} as const;

/**
 * Fleet cluster `n` (1-based): a replica set on AWS, GCP or Azure with two daily snapshots and an
 * hourly one (still in progress on every fifth cluster, so its newest completed one is the daily),
 * and the default schedule.
 */
function fleetCluster(n: number): SimDedicatedCluster {
  const index = 0x40 + n;
  const [provider, regionName] = PROVIDERS[n % PROVIDERS.length]!;
  const c = newCluster({
    name: FLEET.fleetClusterNames[n - 1]!,
    index,
    createDate: new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    specs: [['Zone 1', [region(provider, regionName, n % 2 ? 'M10' : 'M30', n % 2 ? 10 : 40)]]],
  });
  const size = 1_073_741_824 * (1 + (n % 7)) + n * 1_048_576;
  const plans: Omit<SnapshotPlan, 'clusterIndex' | 'id'>[] = [
    { at: at(11, 19, 3), stage: 'completed', frequency: 'daily', storageSizeBytes: size },
    { at: at(11, 20, 3), stage: 'completed', frequency: 'daily', storageSizeBytes: size + 4_194_304 },
    {
      at: at(11, 20, 9),
      stage: n % 5 === 0 ? 'placed' : 'completed',
      frequency: 'hourly',
      storageSizeBytes: size + 6_291_456,
    },
  ];
  c.snapshots = byIds(
    plans.map((p, k) =>
      snapshot({ ...p, id: oid(idPrefix('snapshot', index), k + 1), clusterIndex: index, cloudProvider: provider }),
    ),
  );
  c.schedule = defaultSchedule(index, at(11, 20, 15), n % 24);
  return c;
}

/** The fleet project: 40 dedicated clusters, no Flex or serverless, no buckets, no compliance policy. */
export function fleetProject(): SimProject {
  const clusters = Array.from({ length: COUNT }, (_, n) => fleetCluster(n + 1));
  return {
    id: FLEET.fleetGroupId,
    name: 'Fleet',
    restricted: false,
    readOnly: false,
    serverless: new Map(),
    flex: new Map(),
    dedicated: new Set(clusters.map((c) => c.name)),
    cloud: {
      clusters: new Map(clusters.map((c) => [c.name, c])),
      exportBuckets: new Map(),
      compliancePolicy: undefined,
    },
  };
}

/**
 * The analytics project's one replica set (every caller is Read Only there): completed snapshots and
 * an on-demand one in flight with `mongodVersion` and `cloudProvider`; a restore job and an export
 * it may not read; one AWS bucket; no compliance policy.
 */
export function analyticsCloud(name: string): SimCloudBackup {
  const index = 9;
  const c = newCluster({
    name,
    index,
    createDate: '2025-08-18T10:20:00Z',
    specs: [['Zone 1', [region('AWS', 'US_WEST_2', 'M30', 40)]]],
  });
  const plans: Omit<SnapshotPlan, 'clusterIndex' | 'id'>[] = [
    { at: at(11, 19, 3), stage: 'completed', frequency: 'daily', storageSizeBytes: 12_348_030_976 },
    { at: at(11, 20, 3), stage: 'completed', frequency: 'daily', storageSizeBytes: 12_884_901_888 },
    { at: at(11, 20, 11, 30), stage: 'placed', frequency: 'ondemand', description: 'quarter-close' },
  ];
  c.snapshots = byIds(
    plans.map((p, k) => snapshot({ ...p, id: oid(idPrefix('snapshot', index), k + 1), clusterIndex: index })),
  );
  const [, daily] = [...c.snapshots.values()];
  const target = {
    targetClusterName: name,
    targetDeploymentItemName: 'atlas-q4m8vn',
    targetGroupId: DEMO.analyticsGroupId,
  };
  c.restoreJobs = byIds([
    restoreJob(oid(idPrefix('restoreJob', index), 1), 'automatedDone', daily!, at(11, 20, 5), target),
  ]);
  const bucket: SimExportBucket = {
    _id: '6b1b00000000000000000004',
    bucketName: 'analytics-exports',
    cloudProvider: 'AWS',
    iamRoleId: '6b1a00000000000000000001',
    region: 'us-west-2',
    requirePrivateNetworking: false,
  };
  const exportId = oid(idPrefix('export', index), 1);
  c.exports = byIds([
    exportJob(exportId, 'Successful', c, daily!, bucket._id, at(11, 20, 6), ORG_ID, DEMO.analyticsGroupId),
  ]);
  c.schedule = defaultSchedule(index, at(11, 20, 15));
  return {
    clusters: new Map([[c.name, c]]),
    exportBuckets: new Map([[bucket._id, bucket]]),
    compliancePolicy: undefined,
  };
}
