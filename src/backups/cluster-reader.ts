import type { AtlasCallOptions, AtlasClient } from '../atlas/client.js';
import {
  cloudBackup,
  shardedBackup,
  type ClusterRestoreJobKey,
  type ClusterSnapshotKey,
} from '../atlas/cloud-backup.js';
import { clusterApi, type ClusterKey } from '../atlas/cluster.js';
import type { PageRequest } from '../atlas/pagination.js';
import type { Page } from './backup-reader.js';
import { ClusterKindRouter } from './cluster-kind-router.js';
import { toPage } from './page.js';
import {
  clusterFromDedicated,
  clusterFromFlex,
  topologyOf,
  type ClusterRecord,
  type DedicatedClusterRecord,
} from './cluster-record.js';
import { restoreJobFromDedicated, type DedicatedRestoreJobRecord } from './dedicated-restore-job-record.js';
import {
  snapshotFromReplicaSet,
  snapshotFromSharded,
  type ReplicaSetSnapshotRecord,
  type ShardedSnapshotRecord,
} from './dedicated-snapshot-record.js';

/**
 * Every read of clusters and of the Cloud Backup of dedicated clusters, as records. A cluster by name
 * is routed between the cluster and the Flex API by `kinds`, which remembers what each name is for
 * the life of the process. One per process; callers pass their per-request options.
 */
export class ClusterReader {
  constructor(
    private readonly client: AtlasClient,
    /** What each (group, name) is: dedicated replica set, dedicated sharded, or Flex. */
    readonly kinds: ClusterKindRouter = new ClusterKindRouter(),
  ) {}

  /** One cluster by name, dedicated or Flex (see ClusterKindRouter). */
  cluster(key: ClusterKey, options?: AtlasCallOptions): Promise<ClusterRecord> {
    const { client } = this;
    return this.kinds.cluster(key.groupId, key.clusterName, {
      dedicated: async () => clusterFromDedicated(key.groupId, await clusterApi.getCluster(client, key, options)),
      flex: async () => clusterFromFlex(key.groupId, await clusterApi.getFlexCluster(client, key, options)),
    });
  }

  /** A page of the project's dedicated clusters (`listClusters`); each one's topology is remembered. */
  async clusters(
    key: { groupId: string },
    page: PageRequest,
    options?: AtlasCallOptions,
  ): Promise<Page<DedicatedClusterRecord>> {
    const body = await clusterApi.listClusters(this.client, key, page, options);
    const result = toPage(body, (c) => clusterFromDedicated(key.groupId, c));
    for (const c of result.items) this.kinds.learn(c.groupId, c.name, topologyOf(c));
    return result;
  }

  /**
   * One snapshot through the replica-set operation (`getClusterBackupSnapshot`). For a cluster that
   * is sharded Atlas labels the body `type: shardedCluster`: the caller then asks the sharded one.
   */
  async replicaSetSnapshot(key: ClusterSnapshotKey, options?: AtlasCallOptions): Promise<ReplicaSetSnapshotRecord> {
    return snapshotFromReplicaSet(key, await cloudBackup.getSnapshot(this.client, key, options));
  }

  /** One snapshot of a sharded cluster, with its members (`getBackupShardedCluster`). */
  async shardedSnapshot(key: ClusterSnapshotKey, options?: AtlasCallOptions): Promise<ShardedSnapshotRecord> {
    return snapshotFromSharded(key, await shardedBackup.getSnapshot(this.client, key, options));
  }

  /** A page of a replica set's snapshots (`listBackupSnapshots`), in Atlas order (oldest first). */
  async replicaSetSnapshots(
    key: ClusterKey,
    page: PageRequest,
    options?: AtlasCallOptions,
  ): Promise<Page<ReplicaSetSnapshotRecord>> {
    const body = await cloudBackup.listSnapshots(this.client, key, page, options);
    return toPage(body, (s) => snapshotFromReplicaSet(key, s));
  }

  /** Every snapshot of a sharded cluster (`listBackupShardedClusters` does not page), in Atlas order. */
  async shardedSnapshots(key: ClusterKey, options?: AtlasCallOptions): Promise<ShardedSnapshotRecord[]> {
    const body = await shardedBackup.listSnapshots(this.client, key, options);
    return body.results.map((s) => snapshotFromSharded(key, s));
  }

  /** One restore job (`getBackupRestoreJob`; Atlas requires Project Backup Manager). */
  async restoreJob(key: ClusterRestoreJobKey, options?: AtlasCallOptions): Promise<DedicatedRestoreJobRecord> {
    return restoreJobFromDedicated(key, await cloudBackup.getRestoreJob(this.client, key, options));
  }

  /** A page of restore jobs (`listBackupRestoreJobs`; Project Backup Manager), newest first as Atlas sends them. */
  async restoreJobs(
    key: ClusterKey,
    page: PageRequest,
    options?: AtlasCallOptions,
  ): Promise<Page<DedicatedRestoreJobRecord>> {
    const body = await cloudBackup.listRestoreJobs(this.client, key, page, options);
    return toPage(body, (j) => restoreJobFromDedicated(key, j));
  }
}
