/**
 * The simulator's Cloud Backup state for dedicated clusters, per project: plain maps keyed by name or
 * id, in creation order, that the read routes render and that the backup actions (take snapshot,
 * restore, cancel, schedule, exports, compliance) can mutate in place. Bodies are stored without
 * `links` (routes add them, with the simulator's origin).
 */

/** One region of a replication spec, compactly; the cluster body expands it into Atlas's region config. */
export interface SimRegion {
  providerName: 'AWS' | 'AZURE' | 'GCP';
  /** A name from the provider's enum in the spec, e.g. `US_EAST_1` (AWS), `WESTERN_EUROPE` (GCP). */
  regionName: string;
  instanceSize: string;
  priority: number;
  nodeCount: number;
  diskSizeGB: number;
}

/** One replication spec: the only one of a replica set, one per shard otherwise, each in a zone. */
export interface SimReplicationSpec {
  id: string;
  zoneId: string;
  zoneName: string;
  regions: SimRegion[];
}

/** A member of a sharded snapshot: one per shard replica set (and the config server's when dedicated). */
export interface SimSnapshotMember {
  cloudProvider: string;
  id: string;
  replicaSetName: string;
}

/**
 * A Cloud Backup snapshot as stored; the routes render the replica-set or the sharded view of it.
 * `createdAt`, `mongodVersion` and `cloudProvider` appear as the snapshot progresses (README §10.3).
 */
export interface SimCloudSnapshot {
  id: string;
  status: 'queued' | 'inProgress' | 'completed' | 'failed';
  snapshotType: 'onDemand' | 'scheduled' | 'fallback';
  /** What Atlas sends: `ondemand` for on-demand snapshots (outside the schema's enum). */
  frequencyType: string;
  expiresAt: string;
  storageSizeBytes: number;
  /** Ids of the schedule's policy items that produced it (empty for on-demand snapshots). */
  policyItems: string[];
  copyRegions: string[];
  description?: string;
  createdAt?: string;
  mongodVersion?: string;
  cloudProvider?: string;
  /** Sharded clusters only. */
  members?: SimSnapshotMember[];
}

/** A restore job body as stored: no status field; its state is `cancelled`/`failed`/`expired` and `finishedAt`. */
export type SimCloudRestoreJob = { id: string; deliveryType: string; snapshotId?: string } & Record<string, unknown>;

/** An export job body as stored (Atlas sends no `links` on it). */
export type SimExportJob = { id: string; exportBucketId: string; snapshotId: string; state: string } & Record<
  string,
  unknown
>;

/** An export bucket body as stored: the id is `_id`; the provider's own fields beside it. */
export type SimExportBucket = { _id: string; bucketName: string; cloudProvider: 'AWS' | 'AZURE' | 'GCP' } & Record<
  string,
  unknown
>;

/** The project's backup compliance policy body (`DataProtectionSettings20231001`). */
export type SimCompliancePolicy = { projectId: string; state: string } & Record<string, unknown>;

/**
 * A backup schedule as the 2024-08-05 version shows it, without `clusterId`, `clusterName` and
 * `links` (copy settings keyed by `zoneId`); the 2023-01-01 view is derived from it.
 */
export type SimBackupSchedule = {
  policies: { id: string; policyItems: Record<string, unknown>[] }[];
  copySettings: ({ zoneId: string } & Record<string, unknown>)[];
} & Record<string, unknown>;

/** A dedicated cluster and its backups. */
export interface SimDedicatedCluster {
  id: string;
  name: string;
  clusterType: 'REPLICASET' | 'SHARDED' | 'GEOSHARDED';
  stateName: 'IDLE' | 'CREATING' | 'UPDATING' | 'DELETING' | 'REPAIRING';
  paused: boolean;
  backupEnabled: boolean;
  pitEnabled: boolean;
  mongoDBVersion: string;
  createDate: string;
  /** Sharded and geo-sharded clusters only. */
  configServerType?: 'EMBEDDED' | 'DEDICATED';
  replicationSpecs: SimReplicationSpec[];
  snapshots: Map<string, SimCloudSnapshot>;
  restoreJobs: Map<string, SimCloudRestoreJob>;
  exports: Map<string, SimExportJob>;
  /** Undefined: no backup configuration, and `getBackupSchedule` answers BACKUP_CONFIG_NOT_FOUND. */
  schedule: SimBackupSchedule | undefined;
}

/** One project's dedicated clusters, export buckets and compliance policy. */
export interface SimCloudBackup {
  clusters: Map<string, SimDedicatedCluster>;
  exportBuckets: Map<string, SimExportBucket>;
  /** Undefined: none set, and Atlas answers `{}` (never 404; see cluster-routes.ts). */
  compliancePolicy: SimCompliancePolicy | undefined;
}
