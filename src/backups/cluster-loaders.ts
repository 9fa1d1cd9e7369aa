import type { ClusterRestoreJobKey, ClusterSnapshotKey } from '../atlas/cloud-backup.js';
import type { ClusterKey } from '../atlas/cluster.js';
import type { PageRequest } from '../atlas/pagination.js';
import type { Page } from './backup-reader.js';
import type { ClusterReader } from './cluster-reader.js';
import { topologyOf, type ClusterRecord, type SnapshotTopology } from './cluster-record.js';
import { createClusterReferenceLoader } from './cluster-reference-loader.js';
import {
  isShardedBody,
  newestCompleted,
  type DedicatedSnapshotRecord,
  type ShardedSnapshotRecord,
} from './dedicated-snapshot-record.js';
import { headPage, tailPage } from './latest-snapshot.js';
import type { LoaderKit } from './loader-kit.js';

/** Cache keys: path parameters, validated, so `/` cannot occur in them. */
const clusterKey = (k: ClusterKey) => `${k.groupId}/${k.clusterName}`;
const snapshotKey = (k: ClusterSnapshotKey) => `${k.groupId}/${k.clusterName}/${k.snapshotId}`;
const restoreJobKey = (k: ClusterRestoreJobKey) => `${k.groupId}/${k.clusterName}/${k.restoreJobId}`;

/** Items `pageNum`/`itemsPerPage` of a whole list, as a Page. */
function slice<T>(all: T[], { pageNum, itemsPerPage }: PageRequest): Page<T> {
  const start = (pageNum - 1) * itemsPerPage;
  return {
    items: all.slice(start, start + itemsPerPage),
    totalCount: all.length,
    hasNext: start + itemsPerPage < all.length,
  };
}

/**
 * The per-request loaders of clusters and of dedicated clusters' snapshots and restore jobs. A
 * snapshot is read through the operation of its cluster's topology (replica set or sharded), known
 * from the process's memory or else from this request's cluster loader (one `getCluster` per cluster
 * per request); list pages prime the item loaders.
 */
export function createClusterLoaders(reader: ClusterReader, kit: LoaderKit) {
  const { loader, listing } = kit;
  const cluster = loader('cluster', (k: ClusterKey, c): Promise<ClusterRecord> => reader.cluster(k, c), clusterKey);
  const replicaSetSnapshot = loader(
    'replicaSetSnapshot',
    (k: ClusterSnapshotKey, c) => reader.replicaSetSnapshot(k, c),
    snapshotKey,
  );
  const shardedSnapshot = loader(
    'shardedSnapshot',
    (k: ClusterSnapshotKey, c) => reader.shardedSnapshot(k, c),
    snapshotKey,
  );
  // listBackupShardedClusters does not page: the whole list, once per request, then sliced.
  const allShardedSnapshots = loader(
    'shardedSnapshots',
    (k: ClusterKey, c) => reader.shardedSnapshots(k, c),
    clusterKey,
  );
  const clusterRestoreJob = loader(
    'clusterRestoreJob',
    (k: ClusterRestoreJobKey, c) => reader.restoreJob(k, c),
    restoreJobKey,
  );
  const replicaSetSnapshots = listing(
    (k: ClusterKey, p, c) => reader.replicaSetSnapshots(k, p, c),
    replicaSetSnapshot,
    (k, { id }) => ({ ...k, snapshotId: id }),
    clusterKey,
  );

  /** The snapshot operations of a cluster: remembered by the process, else from this request's cluster loader. */
  const topology = async (k: ClusterKey): Promise<SnapshotTopology> =>
    reader.kinds.recall(k.groupId, k.clusterName) ?? topologyOf(await cluster.load(k));

  /** Atlas labelled a replica-set answer `shardedCluster`: the cluster was sharded since; remember it. */
  const becameSharded = (k: ClusterKey) => reader.kinds.learn(k.groupId, k.clusterName, 'sharded');

  const shardedPage = async (k: ClusterKey, page: PageRequest): Promise<Page<ShardedSnapshotRecord>> => {
    const all = await allShardedSnapshots.load(k);
    for (const s of all) shardedSnapshot.prime({ ...k, snapshotId: s.id }, s);
    return slice(all, page);
  };

  /** One snapshot, through the operation of its cluster's topology (a Flex name gets Atlas's own 400). */
  const clusterSnapshot = async (k: ClusterSnapshotKey): Promise<DedicatedSnapshotRecord> => {
    if ((await topology(k)) === 'sharded') return shardedSnapshot.load(k);
    const snapshot = await replicaSetSnapshot.load(k);
    if (!isShardedBody(snapshot)) return snapshot;
    becameSharded(k);
    return shardedSnapshot.load(k);
  };

  /** A page of a cluster's snapshots, through the list operation of its topology. */
  const clusterSnapshots = async (k: ClusterKey, page: PageRequest): Promise<Page<DedicatedSnapshotRecord>> => {
    if ((await topology(k)) === 'sharded') return shardedPage(k, page);
    const result = await replicaSetSnapshots(k, page);
    if (!result.items.some(isShardedBody)) return result;
    becameSharded(k);
    return shardedPage(k, page);
  };

  /** The newest completed snapshot (see latest-snapshot.ts): one call, two when the list is longer than the window. */
  const latestSnapshot = async (k: ClusterKey): Promise<DedicatedSnapshotRecord | null> => {
    if ((await topology(k)) === 'sharded') return newestCompleted(await allShardedSnapshots.load(k)) ?? null;
    const head = await clusterSnapshots(k, headPage());
    const tail = tailPage(head);
    const rest = tail ? (await clusterSnapshots(k, tail)).items : [];
    return newestCompleted([...head.items, ...rest]) ?? null;
  };

  const clusters = listing(
    (k: { groupId: string }, p, c): Promise<Page<ClusterRecord>> => reader.clusters(k, p, c),
    cluster,
    (k, { name }) => ({ groupId: k.groupId, clusterName: name }),
    (k) => k.groupId,
  );

  return {
    /** Which snapshot operations a cluster takes: replica set, sharded, or Flex. */
    clusterTopology: topology,
    cluster,
    clusters,
    /** Clusters other subgraphs refer to: a batch naming several of one project costs one list call. */
    clusterReference: createClusterReferenceLoader(kit, { cluster, clusters, kinds: reader.kinds }),
    replicaSetSnapshot,
    shardedSnapshot,
    /** A replica set's list pages (the writes forget them). */
    replicaSetSnapshots,
    clusterSnapshot,
    clusterSnapshots,
    latestSnapshot,
    clusterRestoreJob,
    /** The whole list of a sharded cluster's snapshots (the writes forget it). */
    allShardedSnapshots,
    clusterRestoreJobs: listing(
      (k: ClusterKey, p, c) => reader.restoreJobs(k, p, c),
      clusterRestoreJob,
      (k, { id }) => ({ ...k, restoreJobId: id }),
      clusterKey,
    ),
  };
}
