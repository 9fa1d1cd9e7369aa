import type { SimDedicatedCluster, SimSnapshotMember } from './cloud-backup-state.js';
import {
  byIds,
  defaultSchedule,
  idPrefix,
  newCluster,
  type NumberedPlan,
  oid,
  region,
  snapshotsOf,
} from './cloud-seed-builders.js';
import { deliveryUrl, exportJob } from './cloud-seed-jobs.js';

/** The ids the sharded part of the seed needs from `CLOUD` (cloud-backup-seed.ts). */
interface ShardedIds {
  groupId: string;
  orgId: string;
  sharded: string;
  geoSharded: string;
  shardedRestoreJobId: string;
  shardedExportId: string;
  exportBuckets: { aws: string };
}

const at = (month: number, day: number, hour: number, minute = 16) => Date.UTC(2026, month - 1, day, hour, minute);

/**
 * Members of a sharded snapshot: one per shard replica set, plus the config server's when it is
 * dedicated (an embedded one lives in shard 0), the k-th with snapshot id `idOf(k)`.
 */
export function shardMembers(c: SimDedicatedCluster, idOf: (k: number) => string): SimSnapshotMember[] {
  const rsPrefix = `atlas-${c.id.slice(-6)}`;
  const shards = c.replicationSpecs.map((spec, k) => ({
    cloudProvider: spec.regions[0]!.providerName,
    replicaSetName: `${rsPrefix}-shard-${k}`,
  }));
  const all =
    c.configServerType === 'DEDICATED'
      ? [...shards, { cloudProvider: shards[0]!.cloudProvider, replicaSetName: `${rsPrefix}-config-0` }]
      : shards;
  return all.map((m, k) => ({ ...m, id: idOf(k) }));
}

/** Snapshots of a sharded cluster, each with its members. */
function withSnapshots(c: SimDedicatedCluster, index: number, plans: NumberedPlan[]) {
  c.snapshots = snapshotsOf(index, plans, (n) => shardMembers(c, (k) => oid(idPrefix('member', index), n * 16 + k)));
}

/** The SHARDED cluster (two shards, embedded config) and the GEOSHARDED one (AWS + GCP, dedicated config). */
export function shardedClusters(ids: ShardedIds): SimDedicatedCluster[] {
  const sharded = newCluster({
    name: ids.sharded,
    index: 4,
    clusterType: 'SHARDED',
    configServerType: 'EMBEDDED',
    createDate: '2025-09-14T07:30:00Z',
    specs: [
      ['Zone 1', [region('AWS', 'US_EAST_1', 'M30', 30)]],
      ['Zone 1', [region('AWS', 'US_EAST_1', 'M30', 30)]],
    ],
  });
  withSnapshots(sharded, 4, [
    { at: at(11, 20, 3), stage: 'completed', frequency: 'daily', storageSizeBytes: 8_589_934_592 },
    {
      at: at(11, 20, 6, 45),
      stage: 'completed',
      frequency: 'ondemand',
      description: 'pre-resharding',
      storageSizeBytes: 8_800_000_000,
    },
    { at: at(11, 20, 9), stage: 'placed', frequency: 'hourly' },
  ]);
  const zone = sharded.replicationSpecs[0]!.zoneId;
  sharded.schedule = {
    ...defaultSchedule(4, at(11, 20, 15)),
    autoExportEnabled: true,
    copyPolicyItemsEnabled: true,
    copySettings: [
      {
        cloudProvider: 'AWS',
        copyPolicyItems: [
          { frequencyType: 'daily', retentionUnit: 'days', retentionValue: 7 },
          { frequencyType: 'ondemand' },
        ],
        regionName: 'US_WEST_2',
        shouldCopyOplogs: true,
        zoneId: zone,
      },
    ],
    export: { exportBucketId: ids.exportBuckets.aws, frequencyType: 'monthly' },
    extraRetentionSettings: [{ frequencyType: 'MONTHLY', retentionDays: 400 }],
  };
  const daily = [...sharded.snapshots.values()][0]!;
  const shards = daily.members!;
  sharded.restoreJobs = byIds([
    {
      cancelled: false,
      components: shards.map((m) => ({
        downloadUrl: deliveryUrl(ids.shardedRestoreJobId, m.id),
        replicaSetName: m.replicaSetName,
      })),
      deliveryType: 'download',
      deliveryUrl: [],
      desiredTimestamp: { increment: null, time: null, date: null },
      expired: false,
      expiresAt: '2026-11-20T12:40:00Z',
      failed: false,
      id: ids.shardedRestoreJobId,
      snapshotId: daily.id,
      timestamp: daily.createdAt,
    },
  ]);
  sharded.exports = byIds([
    {
      ...exportJob(
        ids.shardedExportId,
        'Successful',
        sharded,
        daily,
        ids.exportBuckets.aws,
        at(11, 20, 5),
        ids.orgId,
        ids.groupId,
      ),
      components: shards.map((m, k) => ({ exportId: oid('6b1d0400', 16 + k), replicaSetName: m.replicaSetName })),
    },
  ]);

  const geo = newCluster({
    name: ids.geoSharded,
    index: 5,
    clusterType: 'GEOSHARDED',
    configServerType: 'DEDICATED',
    createDate: '2025-04-22T16:05:00Z',
    specs: [
      ['Zone US', [region('AWS', 'US_EAST_1', 'M30', 40)]],
      ['Zone EU', [region('GCP', 'WESTERN_EUROPE', 'M30', 40)]],
    ],
  });
  withSnapshots(geo, 5, [
    {
      at: at(11, 19, 3),
      stage: 'completed',
      frequency: 'daily',
      storageSizeBytes: 17_179_869_184,
      cloudProvider: 'AWS',
    },
    { at: at(11, 20, 3), stage: 'failed', frequency: 'daily' },
  ]);
  geo.schedule = defaultSchedule(5, at(11, 20, 15));
  return [sharded, geo];
}
