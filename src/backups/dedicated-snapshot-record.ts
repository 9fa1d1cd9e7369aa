import type { ReplicaSetSnapshotBody, ShardedSnapshotBody } from '../atlas/cloud-backup.js';
import { recordBase, type RecordLocation, type SnapshotRecord } from './snapshot-record.js';

/** What both Cloud Backup snapshot records add to a SnapshotRecord (`source: 'DEDICATED'`). */
interface DedicatedSnapshotBase extends SnapshotRecord {
  source: 'DEDICATED';
  description?: string | undefined;
  /** `replicaSet` or `shardedCluster`, as Atlas labels the body. */
  type?: string | undefined;
  /** Ids of the backup policy items that took the snapshot (none for an on-demand one). */
  policyItems: string[];
  masterKeyUUID?: string | undefined;
}

/** A snapshot of a replica set (`getClusterBackupSnapshot`, `listBackupSnapshots`). */
export interface ReplicaSetSnapshotRecord extends DedicatedSnapshotBase {
  topology: 'replicaSet';
  replicaSetName?: string | undefined;
  cloudProvider?: string | undefined;
  copyRegions: string[];
}

/** One shard's (or the dedicated config server's) part of a sharded snapshot. */
export interface ShardedSnapshotMemberRecord {
  cloudProvider?: string | undefined;
  id?: string | undefined;
  replicaSetName?: string | undefined;
}

/** A snapshot of a sharded cluster (`getBackupShardedCluster`, `listBackupShardedClusters`). */
export interface ShardedSnapshotRecord extends DedicatedSnapshotBase {
  topology: 'sharded';
  configServerType?: string | undefined;
  members: ShardedSnapshotMemberRecord[];
  snapshotIds: string[];
}

/** A snapshot of a dedicated cluster of either topology. */
export type DedicatedSnapshotRecord = ReplicaSetSnapshotRecord | ShardedSnapshotRecord;

/** What both bodies share, in the record's vocabulary (`frequencyType` and the rest as sent). */
function dedicatedBase(at: RecordLocation, body: ReplicaSetSnapshotBody | ShardedSnapshotBody) {
  return {
    ...recordBase('DEDICATED', at, body),
    source: 'DEDICATED' as const,
    status: body.status,
    createdAt: body.createdAt,
    expiresAt: body.expiresAt,
    mongodVersion: body.mongodVersion,
    frequencyType: body.frequencyType,
    snapshotType: body.snapshotType,
    storageSizeBytes: body.storageSizeBytes,
    description: body.description,
    type: body.type,
    policyItems: body.policyItems ?? [],
    masterKeyUUID: body.masterKeyUUID,
  };
}

/** A replica-set snapshot body as a record, where it was asked for. */
export function snapshotFromReplicaSet(at: RecordLocation, body: ReplicaSetSnapshotBody): ReplicaSetSnapshotRecord {
  return {
    ...dedicatedBase(at, body),
    topology: 'replicaSet',
    replicaSetName: body.replicaSetName,
    cloudProvider: body.cloudProvider,
    copyRegions: body.copyRegions ?? [],
  };
}

/** A sharded-cluster snapshot body as a record, where it was asked for. */
export function snapshotFromSharded(at: RecordLocation, body: ShardedSnapshotBody): ShardedSnapshotRecord {
  const members = body.members ?? [];
  return {
    ...dedicatedBase(at, body),
    topology: 'sharded',
    configServerType: body.configServerType,
    members,
    snapshotIds: body.snapshotIds ?? members.flatMap((m) => (m.id === undefined ? [] : [m.id])),
  };
}

/** True when a replica-set operation answered with a sharded cluster's snapshot (the cluster was sharded since). */
export const isShardedBody = (record: DedicatedSnapshotRecord): boolean => record.type === 'shardedCluster';

/**
 * The newest completed snapshot among `candidates` by `createdAt` (then id), whatever order they
 * came in; undefined when none is completed.
 */
export function newestCompleted<T extends SnapshotRecord>(candidates: Iterable<T>): T | undefined {
  let newest: T | undefined;
  for (const s of candidates) {
    if (s.status !== 'completed' || s.createdAt === undefined) continue;
    const key = (r: T) => `${new Date(r.createdAt!).toISOString()}/${r.id}`;
    if (newest === undefined || key(s) > key(newest)) newest = s;
  }
  return newest;
}
