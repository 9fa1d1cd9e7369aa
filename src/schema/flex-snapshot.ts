import type { SnapshotRecord } from '../backups/snapshot-record.js';
import { ARG_DESCRIPTIONS, parseArguments, pathArgs, upstream } from './arguments.js';
import { BackupSnapshotRef } from './backup-snapshot.js';
import { builder } from './builder.js';
import { connectionWithCount, resolveConnection } from './pagination.js';

export const FlexSnapshotRef = builder.objectRef<SnapshotRecord>('FlexSnapshot').implement({
  description: 'A backup snapshot of a Flex cluster (Atlas operation `getFlexBackupSnapshot`, API version 2024-11-13).',
  interfaces: [BackupSnapshotRef],
  fields: (t) => ({
    name: t.exposeString('clusterName', { description: 'Name of the Flex cluster, as given in the query (same as `clusterName`).' }),
    mongoDBVersion: t.exposeString('mongodVersion', { nullable: true, description: 'MongoDB version the snapshot runs, as the Flex API names it.' }),
    expiration: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the download link no longer works (UTC), as the Flex API names it (same as `expiresAt`).',
      resolve: (s) => s.expiresAt ?? null,
    }),
  }),
});

const getArgs = { groupId: pathArgs.groupId, name: pathArgs.name, snapshotId: pathArgs.snapshotId };
const listArgs = { groupId: pathArgs.groupId, name: pathArgs.name };

builder.queryFields((t) => ({
  flexSnapshot: t.field({
    type: FlexSnapshotRef,
    nullable: true,
    description: 'One backup snapshot of one Flex cluster (`GET …/flexClusters/{name}/backup/snapshots/{snapshotId}`).',
    args: {
      groupId: t.arg.id({ required: true, description: ARG_DESCRIPTIONS.groupId }),
      name: t.arg.string({ required: true, description: ARG_DESCRIPTIONS.name }),
      snapshotId: t.arg.id({ required: true, description: ARG_DESCRIPTIONS.snapshotId }),
    },
    resolve: (_root, args, ctx) => {
      const key = parseArguments(getArgs, args);
      return upstream(() => ctx.loaders.flexSnapshot.load(key));
    },
  }),
  flexSnapshots: t.connection(
    {
      type: FlexSnapshotRef,
      nullable: true,
      description: 'The backup snapshots of one Flex cluster, a page at a time (`GET …/flexClusters/{name}/backup/snapshots`).',
      args: {
        groupId: t.arg.id({ required: true, description: ARG_DESCRIPTIONS.groupId }),
        name: t.arg.string({ required: true, description: ARG_DESCRIPTIONS.name }),
      },
      resolve: (_root, args, ctx, info) => {
        const key = parseArguments(listArgs, args);
        return upstream(() => resolveConnection(args, info, (page) => ctx.loaders.flexSnapshots(key, page)));
      },
    },
    connectionWithCount('FlexSnapshot', 'Flex snapshots'),
    { name: 'FlexSnapshotEdge', description: 'A Flex snapshot and its cursor.' },
  ),
}));
