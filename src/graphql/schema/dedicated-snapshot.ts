import type {
  DedicatedSnapshotRecord,
  ReplicaSetSnapshotRecord,
  ShardedSnapshotMemberRecord,
  ShardedSnapshotRecord,
} from '../../backups/dedicated-snapshot-record.js';
import { lookupDescription, pathArgs } from './arguments.js';
import { BackupSnapshotRef } from './backup-snapshot.js';
import { builder } from './builder.js';
import { clusterArgs } from './cluster-arguments.js';
import { CLOUD_PROVIDERS, CloudProviderRef } from './cluster-enums.js';
import {
  CLUSTER_SNAPSHOT_FREQUENCIES,
  CLUSTER_SNAPSHOT_TYPES,
  ClusterSnapshotFrequencyRef,
  ClusterSnapshotTypeRef,
  CONFIG_SERVER_TYPES,
  ConfigServerTypeRef,
} from './dedicated-snapshot-enums.js';
import { keyedEntity, clusterItemKeySchema } from './entity-keys.js';
import { knownEnumValue } from './enum-value.js';
import { connectionWithCount, edgeOptions, resolveConnection } from './pagination.js';

/** What both kinds of dedicated-cluster snapshot show besides BackupSnapshot: one fragment for the dashboard. */
export const ClusterSnapshotRef = builder.interfaceRef<DedicatedSnapshotRecord>('ClusterSnapshot').implement({
  description:
    'A Cloud Backup snapshot of a dedicated cluster (`source: DEDICATED`): a ReplicaSetSnapshot or, for a sharded cluster, a ShardedClusterSnapshot.',
  interfaces: [BackupSnapshotRef],
  resolveType: (s) => (s.topology === 'sharded' ? 'ShardedClusterSnapshot' : 'ReplicaSetSnapshot'),
  fields: (t) => ({
    description: t.exposeString('description', {
      nullable: true,
      description: 'What the person who requested an on-demand snapshot wrote.',
    }),
    frequencyType: t.field({
      type: ClusterSnapshotFrequencyRef,
      nullable: true,
      description: 'Which policy item took it, or ON_DEMAND; null for a value this schema does not know.',
      resolve: (s, _a, ctx, info) =>
        knownEnumValue(
          CLUSTER_SNAPSHOT_FREQUENCIES,
          s.frequencyType,
          `${info.parentType.name}.frequencyType`,
          ctx.logger,
        ),
    }),
    snapshotType: t.field({
      type: ClusterSnapshotTypeRef,
      nullable: true,
      description: 'On demand, scheduled or fallback; null for a value this schema does not know.',
      resolve: (s, _a, ctx, info) =>
        knownEnumValue(CLUSTER_SNAPSHOT_TYPES, s.snapshotType, `${info.parentType.name}.snapshotType`, ctx.logger),
    }),
    storageSizeBytes: t.expose('storageSizeBytes', {
      type: 'SafeInt',
      nullable: true,
      description:
        'Size of the snapshot in bytes (int64 upstream; 0 until it completes). Exact up to 2^53-1; larger values fail this field.',
    }),
    policyItems: t.idList({
      description: 'Ids of the backup policy items that took the snapshot (none for an on-demand one).',
      resolve: (s) => s.policyItems,
    }),
    masterKeyUUID: t.exposeString('masterKeyUUID', {
      nullable: true,
      description: 'The customer master key that encrypted the snapshot (encryption at rest), when there is one.',
    }),
  }),
});

/** `ReplicaSetSnapshot` (an entity keyed by `groupId clusterName id`). */
const ReplicaSetSnapshotRef = builder.objectRef<ReplicaSetSnapshotRecord>('ReplicaSetSnapshot').implement({
  description:
    'A snapshot of a dedicated replica set (Atlas operation `getClusterBackupSnapshot`, API version 2023-01-01).',
  interfaces: [BackupSnapshotRef, ClusterSnapshotRef],
  isTypeOf: (s) => (s as DedicatedSnapshotRecord).topology === 'replicaSet',
  fields: (t) => ({
    replicaSetName: t.exposeString('replicaSetName', { nullable: true, description: 'Name of the replica set.' }),
    cloudProvider: t.field({
      type: CloudProviderRef,
      nullable: true,
      description:
        'Where the snapshot is stored; null until Atlas places it, or for a value this schema does not know.',
      resolve: (s, _a, ctx) =>
        knownEnumValue(CLOUD_PROVIDERS, s.cloudProvider, 'ReplicaSetSnapshot.cloudProvider', ctx.logger),
    }),
    copyRegions: t.stringList({
      description: 'Regions the snapshot is copied to (the schedule’s copy settings).',
      resolve: (s) => s.copyRegions,
    }),
  }),
});

const MemberRef = builder.objectRef<ShardedSnapshotMemberRecord>('ShardedSnapshotMember').implement({
  description: "One shard's (or the dedicated config server's) part of a sharded snapshot.",
  fields: (t) => ({
    id: t.exposeID('id', { nullable: true, description: "Id of this member's snapshot." }),
    replicaSetName: t.exposeString('replicaSetName', { nullable: true, description: 'The shard’s replica set.' }),
    cloudProvider: t.field({
      type: CloudProviderRef,
      nullable: true,
      description: 'Where this part is stored; null for a value this schema does not know.',
      resolve: (m, _a, ctx) =>
        knownEnumValue(CLOUD_PROVIDERS, m.cloudProvider, 'ShardedSnapshotMember.cloudProvider', ctx.logger),
    }),
  }),
});

/** `ShardedClusterSnapshot` (an entity keyed by `groupId clusterName id`). */
const ShardedClusterSnapshotRef = builder.objectRef<ShardedSnapshotRecord>('ShardedClusterSnapshot').implement({
  description:
    'A snapshot of a sharded cluster, one part per shard (Atlas operation `getBackupShardedCluster`, API version 2023-01-01).',
  interfaces: [BackupSnapshotRef, ClusterSnapshotRef],
  isTypeOf: (s) => (s as DedicatedSnapshotRecord).topology === 'sharded',
  fields: (t) => ({
    members: t.expose('members', { type: [MemberRef], description: 'One per shard (and dedicated config server).' }),
    snapshotIds: t.idList({ description: "The members' snapshot ids.", resolve: (s) => s.snapshotIds }),
    configServerType: t.field({
      type: ConfigServerTypeRef,
      nullable: true,
      description: "Where the cluster's config server runs; null for a value this schema does not know.",
      resolve: (s, _a, ctx) =>
        knownEnumValue(CONFIG_SERVER_TYPES, s.configServerType, 'ShardedClusterSnapshot.configServerType', ctx.logger),
    }),
  }),
});

/** `ClusterSnapshotConnection`: shared by `clusterSnapshots` and `DedicatedCluster.snapshots`. */
export const ClusterSnapshotConnectionRef = builder.connectionObject(
  { type: ClusterSnapshotRef, ...connectionWithCount('ClusterSnapshot', 'snapshots of a dedicated cluster') },
  edgeOptions('ClusterSnapshot', 'snapshots of a dedicated cluster'),
);

builder.queryFields((t) => ({
  clusterSnapshot: t.field({
    type: ClusterSnapshotRef,
    nullable: true,
    description: lookupDescription(
      "One snapshot of a dedicated cluster, through the operation of the cluster's type: `getClusterBackupSnapshot` (replica set) or `getBackupShardedCluster` (sharded). The type is looked up once (`getCluster`) and remembered.",
    ),
    args: { groupId: pathArgs.groupId, clusterName: clusterArgs.clusterName, snapshotId: pathArgs.snapshotId },
    resolve: (_root, key, ctx) => ctx.loaders.clusterSnapshot(key),
  }),
  clusterSnapshots: t.connection(
    {
      type: ClusterSnapshotRef,
      nullable: true,
      description:
        'The snapshots of a dedicated cluster, in Atlas order (oldest first), a page at a time: `listBackupSnapshots`, or `listBackupShardedClusters` for a sharded cluster (which Atlas does not page: fetched whole, once per request).',
      args: { groupId: pathArgs.groupId, clusterName: clusterArgs.clusterName },
      resolve: (_root, { groupId, clusterName, ...args }, ctx, info) =>
        resolveConnection(args, info, (page) => ctx.loaders.clusterSnapshots({ groupId, clusterName }, page)),
    },
    ClusterSnapshotConnectionRef,
  ),
}));

keyedEntity(ReplicaSetSnapshotRef, {
  key: builder.selection<{ groupId: string; clusterName: string; id: string }>('groupId clusterName id'),
  schema: clusterItemKeySchema,
  load: (ctx, { id, ...cluster }) => ctx.loaders.replicaSetSnapshot.load({ ...cluster, snapshotId: id }),
});
keyedEntity(ShardedClusterSnapshotRef, {
  key: builder.selection<{ groupId: string; clusterName: string; id: string }>('groupId clusterName id'),
  schema: clusterItemKeySchema,
  load: (ctx, { id, ...cluster }) => ctx.loaders.shardedSnapshot.load({ ...cluster, snapshotId: id }),
});
