import type { SimCloudBackup, SimDedicatedCluster } from './cloud-backup-state.js';
import {
  byIds,
  defaultSchedule,
  newCluster,
  ORG_ID,
  region,
  snapshot,
  type SnapshotPlan,
} from './cloud-seed-builders.js';
import { compliancePolicy, exportBuckets, exportJob, restoreJob, type RestoreState } from './cloud-seed-jobs.js';
import { analyticsCloud, fleetProject, FLEET } from './fleet-seed.js';
import { idleReplicaSets, inFlightReplicaSet } from './replica-set-seed.js';
import { shardedClusters } from './sharded-seed.js';
import { DEMO, type SimProject } from './seed.js';

/**
 * Dedicated clusters and their Cloud Backups, attached to the seeded projects: in the demo project
 * clusters of every kind and backups in every state; in the analytics project (Read Only) one
 * replica set; and a 40-cluster project for the dashboard query and the benchmark.
 */

const at = (month: number, day: number, hour: number, minute = 16) => Date.UTC(2026, month - 1, day, hour, minute);

/** The ids and names tests and docs quote (all 24-hex ids are fixed). */
export const CLOUD = {
  groupId: DEMO.groupId,
  orgId: ORG_ID,
  /** AWS replica set: scheduled snapshots of every frequency, a fallback, a failed one, on-demand ones; every restore-job and export state. */
  replicaSet: DEMO.dedicatedCluster,
  replicaSetId: '6b1c00000000000000000001',
  /** Replica sets whose on-demand snapshot is in flight at another recorded stage (one in flight per cluster). */
  replicaSetEu: 'dedicated-cluster-1',
  replicaSetGcp: 'dedicated-cluster-2',
  /** SHARDED, two shards, embedded config server. */
  sharded: 'sharded-cluster-0',
  shardedId: '6b1c00000000000000000004',
  /** GEOSHARDED over AWS (zone US) and GCP (zone EU), dedicated config server. */
  geoSharded: 'geo-cluster-0',
  geoShardedId: '6b1c00000000000000000005',
  /** Azure replica set, paused. */
  paused: 'paused-cluster-0',
  /** Replica set with backup disabled: no snapshots, no schedule (BACKUP_CONFIG_NOT_FOUND). */
  backupDisabled: 'nobackup-cluster-0',
  backupDisabledId: '6b1c00000000000000000007',
  /** Being created: no backup configuration yet, so `getBackupSchedule` answers BACKUP_CONFIG_NOT_FOUND [clusterId, groupId]. */
  noSchedule: 'new-cluster-0',
  noScheduleId: '6b1c00000000000000000008',
  /** A name no cluster has (any more): CLUSTER_NOT_FOUND [name, groupId]. */
  deleted: 'deleted-cluster-0',
  /** A Flex name: the cluster API answers 400 CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API [name]. */
  flex: DEMO.flexCluster,
  /** Snapshots of `replicaSet`, oldest first (the order served). */
  snapshots: {
    yearly: '6b1501000000000000000001',
    monthly: '6b1501000000000000000002',
    weekly: '6b1501000000000000000003',
    failed: '6b1501000000000000000004',
    fallback: '6b1501000000000000000005',
    /** On-demand, completed, 4,186,517,504 bytes (> 2^31, the recorded size). */
    onDemand: '6b1501000000000000000006',
    daily: '6b1501000000000000000007',
    /** The newest completed one (hourly). */
    latestCompleted: '6b1501000000000000000008',
    /** On-demand, queued: size 0, no createdAt. The newest snapshot. */
    queued: '6b1501000000000000000009',
  },
  /** In-flight on-demand snapshots at the recorded stages: none yet / mongodVersion / mongodVersion + cloudProvider. */
  startedSnapshotId: '6b1502000000000000000003',
  versionedSnapshotId: '6b1503000000000000000003',
  /** In the analytics project's cluster. */
  placedSnapshotId: '6b1509000000000000000003',
  /** On-demand completed, 1,582,854,144 bytes, in `replicaSetGcp`. */
  smallOnDemandSnapshotId: '6b1503000000000000000001',
  /** Sharded snapshots: `sharded` (completed daily, then on-demand, then in progress) and `geoSharded`. */
  shardedSnapshotId: '6b1504000000000000000001',
  geoShardedSnapshotId: '6b1505000000000000000001',
  /** Restore jobs of `replicaSet`, by state (served newest first). */
  restoreJobs: {
    automatedDone: '6b1e01000000000000000001',
    automatedFailed: '6b1e01000000000000000002',
    downloadExpired: '6b1e01000000000000000003',
    downloadCancelled: '6b1e01000000000000000004',
    pointInTimeDone: '6b1e01000000000000000005',
    downloadReady: '6b1e01000000000000000006',
    downloadPending: '6b1e01000000000000000007',
    automatedPending: '6b1e01000000000000000008',
  } satisfies Record<RestoreState, string>,
  /** A sharded download restore job whose per-shard URLs are in `components`. */
  shardedRestoreJobId: '6b1e04000000000000000001',
  /** Export jobs of `replicaSet`, by state. */
  exports: {
    Successful: '6b1d01000000000000000001',
    Failed: '6b1d01000000000000000002',
    Cancelled: '6b1d01000000000000000003',
    InProgress: '6b1d01000000000000000004',
    Queued: '6b1d01000000000000000005',
  },
  shardedExportId: '6b1d04000000000000000001',
  exportBuckets: {
    aws: '6b1b00000000000000000001',
    azure: '6b1b00000000000000000002',
    gcp: '6b1b00000000000000000003',
  },
  /** The public API key recorded as the compliance policy's `updatedUser`. */
  complianceUpdatedUser: 'qxkzmtvb',
  /** The analytics project (every caller is Read Only there): snapshots yes, restore jobs and exports 403. */
  analyticsGroupId: DEMO.analyticsGroupId,
  analyticsCluster: 'analytics-cluster-0',
  ...FLEET,
} as const;

/** Scheduled and on-demand snapshots of the main replica set, oldest first. */
function replicaSetSnapshots(): SnapshotPlan[] {
  const ids = CLOUD.snapshots;
  const plan = (id: string, when: number, stage: SnapshotPlan['stage'], frequency: string, size?: number) => ({
    id,
    at: when,
    stage,
    frequency,
    clusterIndex: 1,
    ...(size === undefined ? {} : { storageSizeBytes: size }),
  });
  return [
    plan(ids.yearly, at(1, 1, 3), 'completed', 'yearly', 2_684_354_560),
    plan(ids.monthly, at(10, 31, 3), 'completed', 'monthly', 3_758_096_384),
    plan(ids.weekly, at(11, 14, 3), 'completed', 'weekly', 3_982_000_128),
    plan(ids.failed, at(11, 19, 3), 'failed', 'daily'),
    { ...plan(ids.fallback, at(11, 19, 4, 2), 'completed', 'daily', 4_100_000_000), snapshotType: 'fallback' },
    {
      ...plan(ids.onDemand, at(11, 19, 15, 40), 'completed', 'ondemand', 4_186_517_504),
      description: 'before-schema-migration',
    },
    plan(ids.daily, at(11, 20, 3), 'completed', 'daily', 4_194_304_000),
    plan(ids.latestCompleted, at(11, 20, 9), 'completed', 'hourly', 4_196_401_152),
    { ...plan(ids.queued, at(11, 20, 11, 5), 'queued', 'ondemand'), description: 'pre-release' },
  ];
}

/** The main replica set: every snapshot, restore-job and export state. */
function mainReplicaSet(): SimDedicatedCluster {
  const c = newCluster({
    name: CLOUD.replicaSet,
    index: 1,
    createDate: '2025-12-01T09:15:02Z',
    specs: [['Zone 1', [region('AWS', 'US_EAST_1')]]],
  });
  c.snapshots = byIds(replicaSetSnapshots().map(snapshot));
  const snap = (id: string) => c.snapshots.get(id)!;
  const target = {
    targetClusterName: CLOUD.replicaSetEu,
    targetDeploymentItemName: 'atlas-b7k2qx',
    targetGroupId: CLOUD.groupId,
  };
  const jobs: [RestoreState, string, number][] = [
    ['automatedDone', CLOUD.snapshots.daily, at(11, 20, 4, 30)],
    ['automatedFailed', CLOUD.snapshots.weekly, at(11, 20, 5)],
    ['downloadExpired', CLOUD.snapshots.monthly, at(11, 20, 6)],
    ['downloadCancelled', CLOUD.snapshots.onDemand, at(11, 20, 7)],
    ['pointInTimeDone', CLOUD.snapshots.daily, at(11, 20, 8)],
    ['downloadReady', CLOUD.snapshots.latestCompleted, at(11, 20, 10)],
    ['downloadPending', CLOUD.snapshots.latestCompleted, at(11, 20, 10, 30)],
    ['automatedPending', CLOUD.snapshots.latestCompleted, at(11, 20, 11)],
  ];
  c.restoreJobs = byIds(
    jobs.map(([state, id, when]) => restoreJob(CLOUD.restoreJobs[state], state, snap(id), when, target)),
  );
  const exports = [
    ['Successful', CLOUD.snapshots.onDemand, at(11, 19, 16)],
    ['Failed', CLOUD.snapshots.daily, at(11, 20, 4)],
    ['Cancelled', CLOUD.snapshots.daily, at(11, 20, 4, 40)],
    ['InProgress', CLOUD.snapshots.latestCompleted, at(11, 20, 9, 30)],
    ['Queued', CLOUD.snapshots.latestCompleted, at(11, 20, 11, 10)],
  ] as const;
  c.exports = byIds(
    exports.map(([state, id, when]) =>
      exportJob(CLOUD.exports[state], state, c, snap(id), CLOUD.exportBuckets.aws, when, CLOUD.orgId, CLOUD.groupId),
    ),
  );
  c.schedule = defaultSchedule(1, at(11, 20, 15));
  return c;
}

/** The demo project's clusters, its three export buckets and its compliance policy. */
function demoCloud(): SimCloudBackup {
  const clusters = [
    mainReplicaSet(),
    inFlightReplicaSet(2, CLOUD.replicaSetEu, region('AWS', 'EU_WEST_1', 'M20', 20), 'started'),
    inFlightReplicaSet(3, CLOUD.replicaSetGcp, region('GCP', 'CENTRAL_US', 'M20', 20), 'versioned'),
    ...shardedClusters(CLOUD),
    ...idleReplicaSets(CLOUD),
  ];
  return {
    clusters: new Map(clusters.map((c) => [c.name, c])),
    exportBuckets: new Map(exportBuckets(CLOUD.exportBuckets).map((b) => [b._id, b])),
    compliancePolicy: compliancePolicy(CLOUD.groupId, CLOUD.complianceUpdatedUser),
  };
}

/** Gives `project` its Cloud Backup state; the Flex and serverless APIs then refuse its cluster names. */
function attach(project: SimProject, cloud: SimCloudBackup): void {
  project.cloud = cloud;
  for (const name of cloud.clusters.keys()) project.dedicated.add(name);
}

/** Adds the Cloud Backup seed to freshly seeded projects (and the 40-cluster project); returns them. */
export function attachCloudBackups(projects: Map<string, SimProject>): Map<string, SimProject> {
  const demo = projects.get(DEMO.groupId);
  if (demo) attach(demo, demoCloud());
  const analytics = projects.get(DEMO.analyticsGroupId);
  if (analytics) attach(analytics, analyticsCloud(CLOUD.analyticsCluster));
  const fleet = fleetProject();
  projects.set(fleet.id, fleet);
  return projects;
}
