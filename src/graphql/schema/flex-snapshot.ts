import type { SnapshotRecord } from '../../backups/snapshot-record.js';
import { lookupDescription, pathArgs } from './arguments.js';
import { BackupSnapshotRef } from './backup-snapshot.js';
import { builder } from './builder.js';
import { flexSnapshotKeySchema, keyedEntity } from './entity-keys.js';
import { connectionWithCount, edgeOptions, resolveConnection } from './pagination.js';

/** The `FlexSnapshot` type (a federation entity keyed by `groupId name id`). */
export const FlexSnapshotRef = builder.objectRef<SnapshotRecord>('FlexSnapshot').implement({
  description: 'A backup snapshot of a Flex cluster (Atlas operation `getFlexBackupSnapshot`, API version 2024-11-13).',
  interfaces: [BackupSnapshotRef],
  fields: (t) => ({
    name: t.exposeString('clusterName', {
      description: 'Name of the Flex cluster, as given in the query (same as `clusterName`).',
    }),
    mongoDBVersion: t.exposeString('mongodVersion', {
      nullable: true,
      description: 'MongoDB version the snapshot runs, as the Flex API names it.',
    }),
    expiration: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the download link no longer works (UTC), as the Flex API names it (same as `expiresAt`).',
    }),
  }),
});

builder.queryFields((t) => ({
  flexSnapshot: t.field({
    type: FlexSnapshotRef,
    nullable: true,
    description: lookupDescription(
      'One backup snapshot of one Flex cluster (`GET …/flexClusters/{name}/backup/snapshots/{snapshotId}`).',
    ),
    args: { groupId: pathArgs.groupId, name: pathArgs.name, snapshotId: pathArgs.snapshotId },
    resolve: (_root, key, ctx) => ctx.loaders.flexSnapshot.load(key),
  }),
  flexSnapshots: t.connection(
    {
      type: FlexSnapshotRef,
      nullable: true,
      description:
        'The backup snapshots of one Flex cluster, in Atlas order, a page at a time (`GET …/flexClusters/{name}/backup/snapshots`).',
      args: { groupId: pathArgs.groupId, name: pathArgs.name },
      resolve: (_root, args, ctx, info) =>
        resolveConnection(args, info, (page) =>
          ctx.loaders.flexSnapshots({ groupId: args.groupId, name: args.name }, page),
        ),
    },
    connectionWithCount('FlexSnapshot', 'Flex snapshots'),
    edgeOptions('FlexSnapshot', 'Flex snapshots'),
  ),
}));

// A federation entity with its own key: a Flex cluster's snapshots are addressed by `name`.
keyedEntity(FlexSnapshotRef, {
  key: builder.selection<{ groupId: string; name: string; id: string }>('groupId name id'),
  schema: flexSnapshotKeySchema,
  load: (ctx, { id, ...cluster }) => ctx.loaders.flexSnapshot.load({ ...cluster, snapshotId: id }),
});
