import type { SnapshotRecord } from '../backups/snapshot-record.js';
import { ARG_DESCRIPTIONS, parseArguments, pathArgs, upstream } from './arguments.js';
import { BackupSnapshotRef } from './backup-snapshot.js';
import { builder } from './builder.js';
import { knownEnumValue } from './enum-value.js';
import { connectionWithCount, resolveConnection } from './pagination.js';
import { FREQUENCY_TYPES, SNAPSHOT_TYPES, SnapshotFrequencyTypeRef, SnapshotTypeRef } from './snapshot-enums.js';

const FLEX_NULL = 'Null on a Flex-sourced snapshot (the Flex API has no such field).';

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
      resolve: (s, _args, ctx) => knownEnumValue(FREQUENCY_TYPES, s.frequencyType, 'ServerlessSnapshot.frequencyType', ctx.logger),
    }),
    snapshotType: t.field({
      type: SnapshotTypeRef,
      nullable: true,
      description: `On demand or scheduled; null for a value this schema does not know. ${FLEX_NULL}`,
      resolve: (s, _args, ctx) => knownEnumValue(SNAPSHOT_TYPES, s.snapshotType, 'ServerlessSnapshot.snapshotType', ctx.logger),
    }),
    storageSizeBytes: t.field({
      type: 'SafeInt',
      nullable: true,
      description: `Size of the snapshot in bytes (int64 upstream). Exact up to 2^53-1; larger values fail this field with an error rather than round silently. ${FLEX_NULL}`,
      resolve: (s) => s.storageSizeBytes ?? null,
    }),
  }),
});

const getArgs = { groupId: pathArgs.groupId, clusterName: pathArgs.clusterName, snapshotId: pathArgs.snapshotId };
const listArgs = { groupId: pathArgs.groupId, clusterName: pathArgs.clusterName };

builder.queryFields((t) => ({
  serverlessSnapshot: t.field({
    type: ServerlessSnapshotRef,
    nullable: true,
    description:
      'One backup snapshot of one serverless instance (`GET …/serverless/{clusterName}/backup/snapshots/{snapshotId}` or, ' +
      'after the serverless sunset, its Flex successor: see `source`). Null with a typed error (`extensions.code`) when it cannot be returned.',
    args: {
      groupId: t.arg.id({ required: true, description: ARG_DESCRIPTIONS.groupId }),
      clusterName: t.arg.string({ required: true, description: ARG_DESCRIPTIONS.clusterName }),
      snapshotId: t.arg.id({ required: true, description: ARG_DESCRIPTIONS.snapshotId }),
    },
    resolve: (_root, args, ctx) => {
      const key = parseArguments(getArgs, args);
      return upstream(() => ctx.loaders.serverlessSnapshot.load(key));
    },
  }),
  serverlessSnapshots: t.connection(
    {
      type: ServerlessSnapshotRef,
      nullable: true,
      description: 'The backup snapshots of one serverless instance, newest last as Atlas lists them, a page at a time (same routing as `serverlessSnapshot`).',
      args: {
        groupId: t.arg.id({ required: true, description: ARG_DESCRIPTIONS.groupId }),
        clusterName: t.arg.string({ required: true, description: ARG_DESCRIPTIONS.clusterName }),
      },
      resolve: (_root, args, ctx, info) => {
        const key = parseArguments(listArgs, args);
        return upstream(() => resolveConnection(args, info, (page) => ctx.loaders.serverlessSnapshots(key, page)));
      },
    },
    connectionWithCount('ServerlessSnapshot', 'serverless snapshots'),
    { name: 'ServerlessSnapshotEdge', description: 'A serverless snapshot and its cursor.' },
  ),
}));
