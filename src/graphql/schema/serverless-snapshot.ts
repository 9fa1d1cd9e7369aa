import type { SnapshotRecord } from '../../backups/snapshot-record.js';
import { lookupDescription, pathArgs } from './arguments.js';
import { BackupSnapshotRef } from './backup-snapshot.js';
import { builder } from './builder.js';
import { serverlessSnapshotKeySchema, keyedEntity } from './entity-keys.js';
import { knownEnumValue } from './enum-value.js';
import { connectionWithCount, edgeOptions, resolveConnection } from './pagination.js';
import { FREQUENCY_TYPES, SNAPSHOT_TYPES, SnapshotFrequencyTypeRef, SnapshotTypeRef } from './snapshot-enums.js';

const FLEX_NULL = 'Null on a Flex-sourced snapshot (the Flex API has no such field).';

/** The `ServerlessSnapshot` type (a federation entity keyed by `groupId clusterName id`). */
export const ServerlessSnapshotRef = builder.objectRef<SnapshotRecord>('ServerlessSnapshot').implement({
  description:
    'A backup snapshot of a serverless instance. Served by the Flex operations when the instance now lives on as a Flex cluster ' +
    '(`source: FLEX`), by the retired serverless operation otherwise (`source: SERVERLESS`).',
  interfaces: [BackupSnapshotRef],
  fields: (t) => ({
    serverlessInstanceName: t.exposeString('serverlessInstanceName', {
      nullable: true,
      description: `Name of the serverless instance the snapshot was taken of, as Atlas reports it. ${FLEX_NULL}`,
    }),
    frequencyType: t.field({
      type: SnapshotFrequencyTypeRef,
      nullable: true,
      description: `How often the policy item that took this snapshot runs; null for a value this schema does not know. ${FLEX_NULL}`,
      resolve: (s, _args, ctx) =>
        knownEnumValue(FREQUENCY_TYPES, s.frequencyType, 'ServerlessSnapshot.frequencyType', ctx.logger),
    }),
    snapshotType: t.field({
      type: SnapshotTypeRef,
      nullable: true,
      description: `On demand or scheduled; null for a value this schema does not know. ${FLEX_NULL}`,
      resolve: (s, _args, ctx) =>
        knownEnumValue(SNAPSHOT_TYPES, s.snapshotType, 'ServerlessSnapshot.snapshotType', ctx.logger),
    }),
    storageSizeBytes: t.expose('storageSizeBytes', {
      type: 'SafeInt',
      nullable: true,
      description: `Size of the snapshot in bytes (int64 upstream). Exact up to 2^53-1; larger values fail this field with an error rather than round silently. ${FLEX_NULL}`,
    }),
  }),
});

builder.queryFields((t) => ({
  serverlessSnapshot: t.field({
    type: ServerlessSnapshotRef,
    nullable: true,
    description: lookupDescription(
      'One backup snapshot of one serverless instance (`GET …/serverless/{clusterName}/backup/snapshots/{snapshotId}` or, ' +
        'after the serverless sunset, its Flex successor: see `source`).',
    ),
    args: { groupId: pathArgs.groupId, clusterName: pathArgs.clusterName, snapshotId: pathArgs.snapshotId },
    resolve: (_root, key, ctx) => ctx.loaders.serverlessSnapshot.load(key),
  }),
  serverlessSnapshots: t.connection(
    {
      type: ServerlessSnapshotRef,
      nullable: true,
      description:
        'The backup snapshots of one serverless instance, in Atlas order, a page at a time (routed like `serverlessSnapshot`).',
      args: { groupId: pathArgs.groupId, clusterName: pathArgs.clusterName },
      resolve: (_root, args, ctx, info) =>
        resolveConnection(args, info, (page) =>
          ctx.loaders.serverlessSnapshots({ groupId: args.groupId, clusterName: args.clusterName }, page),
        ),
    },
    connectionWithCount('ServerlessSnapshot', 'serverless snapshots'),
    edgeOptions('ServerlessSnapshot', 'serverless snapshots'),
  ),
}));

// Other subgraphs return `ServerlessSnapshot` references by this key; `_entities` goes through the
// same per-request loader as the query.
keyedEntity(ServerlessSnapshotRef, {
  key: builder.selection<{ groupId: string; clusterName: string; id: string }>('groupId clusterName id'),
  schema: serverlessSnapshotKeySchema,
  load: (ctx, { id, ...instance }) => ctx.loaders.serverlessSnapshot.load({ ...instance, snapshotId: id }),
});
