import type { SnapshotRecord } from '../../backups/snapshot-record.js';
import { upstream } from './arguments.js';
import { defineBackupQueries } from './backup-queries.js';
import { BackupSnapshotRef } from './backup-snapshot.js';
import { builder } from './builder.js';
import { flexSnapshotKeySchema, parseRepresentation } from './entity-keys.js';

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
    expiration: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the download link no longer works (UTC), as the Flex API names it (same as `expiresAt`).',
      resolve: (s) => s.expiresAt ?? null,
    }),
  }),
});

defineBackupQueries({
  type: FlexSnapshotRef,
  typeName: 'FlexSnapshot',
  items: 'Flex snapshots',
  container: 'name',
  itemId: 'snapshotId',
  get: {
    field: 'flexSnapshot',
    description: 'One backup snapshot of one Flex cluster (`GET …/flexClusters/{name}/backup/snapshots/{snapshotId}`).',
    load: (ctx, key) => ctx.loaders.flexSnapshot.load(key),
  },
  list: {
    field: 'flexSnapshots',
    description:
      'The backup snapshots of one Flex cluster, in Atlas order, a page at a time (`GET …/flexClusters/{name}/backup/snapshots`).',
    load: (ctx, key, page) => ctx.loaders.flexSnapshots(key, page),
  },
});

// A federation entity with its own key: a Flex cluster's snapshots are addressed by `name`.
builder.asEntity(FlexSnapshotRef, {
  key: builder.selection<{ groupId: string; name: string; id: string }>('groupId name id'),
  // async: a bad representation fails its own entry, not the whole `_entities` list.
  resolveReference: async (reference, ctx) => {
    const { groupId, name, id } = parseRepresentation('FlexSnapshot', flexSnapshotKeySchema, reference);
    return upstream(() => ctx.loaders.flexSnapshot.load({ groupId, name, snapshotId: id }));
  },
});
