import { z } from 'zod';
import { defineBackupFamily, type BackupRestoreJobKey, type BackupSnapshotKey } from './backup-family.js';
import type { AtlasCallOptions, AtlasClient } from './client.js';
import type { ClusterKey } from './cluster.js';
import { dateTimeSchema } from './date-time.js';
import { objectIdSchema } from './ids.js';
import { linksSchema } from './links.js';
import { lenient, nullable } from './nullable.js';
import { defineOperation } from './operation.js';
import { paginatedSchema } from './pagination.js';
import { expandPath } from './path.js';
import { atlasArray, atlasText } from './wire-fields.js';

// Cloud Backup of dedicated clusters (API version 2023-01-01, README §10.1 ops 1, 3, 6, 7, 9, 11),
// parsed as recorded (§10.3, §10.6): `frequencyType: "ondemand"` and other enum values are plain
// strings, the fields that appear as a snapshot or job progresses may be absent or null, sizes are
// int64, and restore jobs carry the undocumented `targetDeploymentItemName` and a `desiredTimestamp`
// of nulls. `deliveryUrl`, `components[].downloadUrl` and private delivery URLs hold tokens: they are
// parsed as strings and never quoted in an error (a parse problem names the path, never the value).

/** More shards, copy regions, policy items or delivery URLs than one body carries (Atlas allows 70 shards). */
const MAX_PARTS = 100;

/** What every Cloud Backup snapshot body has (`DiskBackupReplicaSet`, `DiskBackupShardedClusterSnapshot`). */
const snapshotFields = {
  // Required: a 2xx body without its id is not the resource (an error envelope, a proxy's page).
  id: objectIdSchema,
  createdAt: nullable(dateTimeSchema),
  expiresAt: nullable(dateTimeSchema),
  description: nullable(atlasText('description')),
  status: nullable(atlasText('enum')),
  snapshotType: nullable(atlasText('enum')),
  frequencyType: nullable(atlasText('enum')),
  /** `replicaSet` or `shardedCluster`: the replica-set operations answer for sharded clusters too. */
  type: nullable(atlasText('enum')),
  mongodVersion: nullable(atlasText('version')),
  // int64 upstream. Not `.int()`: past 2^53-1 JSON numbers lose precision; the SafeInt scalar fails that one field.
  storageSizeBytes: nullable(z.number()),
  policyItems: lenient(atlasArray(atlasText('enum'), MAX_PARTS)),
  masterKeyUUID: nullable(atlasText('name')),
  links: linksSchema,
};

/** `DiskBackupReplicaSet` (ops 1, 3). */
export const replicaSetSnapshotSchema = z.object({
  ...snapshotFields,
  replicaSetName: nullable(atlasText('name')),
  cloudProvider: nullable(atlasText('enum')),
  copyRegions: lenient(atlasArray(atlasText('enum'), MAX_PARTS)),
});

/** One replica-set snapshot as Atlas describes it. */
export type ReplicaSetSnapshotBody = z.infer<typeof replicaSetSnapshotSchema>;

/** `DiskBackupShardedClusterSnapshot` (ops 6, 7): one snapshot per shard (and dedicated config server). */
export const shardedSnapshotSchema = z.object({
  ...snapshotFields,
  configServerType: nullable(atlasText('enum')),
  members: lenient(
    atlasArray(
      z.object({
        cloudProvider: nullable(atlasText('enum')),
        id: nullable(atlasText('enum')),
        replicaSetName: nullable(atlasText('name')),
      }),
      MAX_PARTS,
    ),
  ),
  snapshotIds: lenient(atlasArray(atlasText('enum'), MAX_PARTS)),
});

/** One sharded-cluster snapshot as Atlas describes it. */
export type ShardedSnapshotBody = z.infer<typeof shardedSnapshotSchema>;

/** `ApiPrivateDownloadDeliveryUrl`: a download URL reachable over one private endpoint. */
const privateDeliveryUrlSchema = z.object({
  deliveryUrl: nullable(atlasText('url')),
  endpointId: nullable(atlasText('name')),
});

/**
 * `DiskBackupSnapshotRestoreJob` (ops 9, 11). No status field: a job's state is `cancelled`,
 * `failed`, `expired`, `finishedAt` and its delivery URLs (see dedicated-restore-job-record.ts).
 */
export const cloudRestoreJobSchema = z.object({
  id: objectIdSchema,
  deliveryType: nullable(atlasText('enum')),
  cancelled: nullable(z.boolean()),
  failed: nullable(z.boolean()),
  expired: nullable(z.boolean()),
  deliveryUrl: lenient(atlasArray(atlasText('url'), MAX_PARTS)),
  privateDownloadDeliveryUrls: lenient(atlasArray(privateDeliveryUrlSchema, MAX_PARTS)),
  components: lenient(
    atlasArray(
      z.object({
        downloadUrl: nullable(atlasText('url')),
        replicaSetName: nullable(atlasText('name')),
        privateDownloadDeliveryUrls: lenient(atlasArray(privateDeliveryUrlSchema, MAX_PARTS)),
      }),
      MAX_PARTS,
    ),
  ),
  // Always sent, as `{increment: null, time: null, date: null}` on every recorded job (README §10.3).
  desiredTimestamp: lenient(z.object({ date: nullable(dateTimeSchema), increment: nullable(z.number().int()) })),
  expiresAt: nullable(dateTimeSchema),
  finishedAt: nullable(dateTimeSchema),
  timestamp: nullable(dateTimeSchema),
  // int32 in the spec; read as plain integers (past 2038 they exceed int32).
  oplogTs: nullable(z.number().int()),
  oplogInc: nullable(z.number().int()),
  pointInTimeUTCSeconds: nullable(z.number().int()),
  snapshotId: nullable(objectIdSchema),
  targetClusterName: nullable(atlasText('name')),
  targetGroupId: nullable(objectIdSchema),
  /** Undocumented, sent on every recorded automated job: the target's deployment item name. */
  targetDeploymentItemName: nullable(atlasText('name')),
  links: linksSchema,
});

/** One restore job of a dedicated cluster as Atlas describes it. */
export type CloudRestoreJobBody = z.infer<typeof cloudRestoreJobSchema>;

const MEDIA = 'application/vnd.atlas.2023-01-01+json';

/** Ops 1, 3, 9, 11: replica-set snapshots and restore jobs, one family under `/clusters/{clusterName}/backup`. */
export const cloudBackup = defineBackupFamily({
  names: {
    getSnapshot: 'getClusterBackupSnapshot',
    listSnapshots: 'listBackupSnapshots',
    getRestoreJob: 'getBackupRestoreJob',
    listRestoreJobs: 'listBackupRestoreJobs',
  },
  mediaType: MEDIA,
  pathPrefix: '/api/atlas/v2/groups/{groupId}/clusters',
  nameParameter: 'clusterName',
  snapshot: replicaSetSnapshotSchema,
  restoreJob: cloudRestoreJobSchema,
});

/** The path parameters of one snapshot of a dedicated cluster. */
export type ClusterSnapshotKey = BackupSnapshotKey<'clusterName'>;
/** The path parameters of one restore job of a dedicated cluster. */
export type ClusterRestoreJobKey = BackupRestoreJobKey<'clusterName'>;

const SNAPSHOTS = '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots';

/** Op 7: one snapshot of a sharded cluster, with its members. */
const getBackupShardedCluster = defineOperation(
  'getBackupShardedCluster',
  MEDIA,
  `${SNAPSHOTS}/shardedCluster/{snapshotId}`,
  shardedSnapshotSchema,
);

/** Op 6: every snapshot of a sharded cluster, in one paginated envelope (the spec declares no paging parameters). */
export const listBackupShardedClusters = defineOperation(
  'listBackupShardedClusters',
  MEDIA,
  `${SNAPSHOTS}/shardedClusters`,
  paginatedSchema(shardedSnapshotSchema),
);

/** The sharded-cluster snapshot reads over one client. */
export const shardedBackup = {
  getSnapshot: (client: AtlasClient, key: ClusterSnapshotKey, options?: AtlasCallOptions) =>
    client.get(getBackupShardedCluster, expandPath(getBackupShardedCluster.template, key), options),
  listSnapshots: (client: AtlasClient, key: ClusterKey, options?: AtlasCallOptions) =>
    client.get(listBackupShardedClusters, expandPath(listBackupShardedClusters.template, key), options),
};
