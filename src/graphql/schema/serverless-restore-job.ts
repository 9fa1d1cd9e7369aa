import type { RestoreJobRecord } from '../../backups/restore-job-record.js';
import { lookupDescription, pathArgs } from './arguments.js';
import { restoredSnapshotField } from './backup-snapshot.js';
import { builder } from './builder.js';
import { knownEnumValue } from './enum-value.js';
import { LinkRef } from './link.js';
import { connectionWithCount, edgeOptions, resolveConnection } from './pagination.js';
import {
  RESTORE_DELIVERY_TYPES,
  RESTORE_JOB_STATUSES,
  RestoreDeliveryTypeRef,
  RestoreJobStatusRef,
  unixSecondsToDate,
} from './restore-job-enums.js';
import { ServerlessSnapshotRef } from './serverless-snapshot.js';
import { SnapshotSourceRef } from './snapshot-enums.js';
import { downloadUrlOptions } from '../scope-auth.js';

const SERVERLESS_ONLY = 'Null on a Flex-sourced job.';

/** `BsonTimestamp`: an oplog point (restore jobs of serverless instances and dedicated clusters). */
export const BsonTimestampRef = builder.objectRef<{ date?: string; increment?: number }>('BsonTimestamp').implement({
  description: 'A BSON timestamp: when the oplog recorded an operation, and its order within that second.',
  fields: (t) => ({
    date: t.expose('date', {
      type: 'DateTime',
      nullable: true,
      description: 'When the oplog recorded the operation (UTC).',
    }),
    increment: t.expose('increment', {
      type: 'SafeInt',
      nullable: true,
      description: 'Order of the operation within that second.',
    }),
  }),
});

const ServerlessRestoreJobRef = builder.objectRef<RestoreJobRecord>('ServerlessRestoreJob').implement({
  description: 'A restore job of a serverless instance (or of the Flex cluster it became: see `source`). Read-only.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Unique 24-hexadecimal-digit id of the restore job.' }),
    groupId: t.exposeID('groupId', { description: 'Id of the Atlas project (group), as given in the query.' }),
    clusterName: t.exposeString('clusterName', {
      description: 'Name of the serverless instance, as given in the query.',
    }),
    source: t.expose('source', { type: SnapshotSourceRef, description: 'Which Atlas operation answered.' }),
    deliveryType: t.field({
      type: RestoreDeliveryTypeRef,
      nullable: true,
      description: 'How the snapshot is returned; null for a value this schema does not know.',
      resolve: (j, _a, ctx) =>
        knownEnumValue(RESTORE_DELIVERY_TYPES, j.deliveryType, 'ServerlessRestoreJob.deliveryType', ctx.logger),
    }),
    status: t.field({
      type: RestoreJobStatusRef,
      nullable: true,
      description:
        'Flex only: where the job is. Null on a serverless-sourced job (see `cancelled`, `expired`, `failed`, `finishedAt`).',
      resolve: (j, _a, ctx) =>
        knownEnumValue(RESTORE_JOB_STATUSES, j.status, 'ServerlessRestoreJob.status', ctx.logger),
    }),
    cancelled: t.exposeBoolean('cancelled', {
      nullable: true,
      description: `Whether someone cancelled the job. ${SERVERLESS_ONLY}`,
    }),
    expired: t.exposeBoolean('expired', { nullable: true, description: `Whether the job expired. ${SERVERLESS_ONLY}` }),
    failed: t.exposeBoolean('failed', { nullable: true, description: 'Whether the job failed.' }),
    deliveryUrl: t.stringList({
      ...downloadUrlOptions('URLs of the snapshot files to download (download jobs).'),
      resolve: (j) => j.deliveryUrl ?? [],
    }),
    desiredTimestamp: t.expose('desiredTimestamp', {
      type: BsonTimestampRef,
      nullable: true,
      description: `The oplog point to restore to. ${SERVERLESS_ONLY}`,
    }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the job (and its download link) expires (UTC).',
    }),
    finishedAt: t.expose('finishedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the job completed (UTC).',
    }),
    restoreScheduledDate: t.expose('restoreScheduledDate', {
      type: 'DateTime',
      nullable: true,
      description: 'Flex only: when the restore was scheduled (UTC).',
    }),
    timestamp: t.expose('timestamp', {
      type: 'DateTime',
      nullable: true,
      description: 'When Atlas took the snapshot being restored (UTC).',
    }),
    oplogTs: t.expose('oplogTs', {
      type: 'SafeInt',
      nullable: true,
      description: `Oplog timestamp to restore to, raw Unix seconds (int32 upstream). ${SERVERLESS_ONLY}`,
    }),
    oplogTime: t.field({
      type: 'DateTime',
      nullable: true,
      description: '`oplogTs` as a date (UTC); works past 2038.',
      resolve: (j) => unixSecondsToDate(j.oplogTs),
    }),
    oplogInc: t.expose('oplogInc', {
      type: 'SafeInt',
      nullable: true,
      description: `Oplog operation order within \`oplogTs\`. ${SERVERLESS_ONLY}`,
    }),
    pointInTimeUTCSeconds: t.expose('pointInTimeUTCSeconds', {
      type: 'SafeInt',
      nullable: true,
      description: `Point in time to restore to, raw Unix seconds (int32 upstream). ${SERVERLESS_ONLY}`,
    }),
    pointInTime: t.field({
      type: 'DateTime',
      nullable: true,
      description: '`pointInTimeUTCSeconds` as a date (UTC); works past 2038.',
      resolve: (j) => unixSecondsToDate(j.pointInTimeUTCSeconds),
    }),
    snapshotId: t.exposeID('snapshotId', { nullable: true, description: 'Id of the snapshot being restored.' }),
    snapshot: restoredSnapshotField(t, ServerlessSnapshotRef, 'serverlessSnapshot', (ctx, j, snapshotId) =>
      ctx.loaders.serverlessSnapshot.load({ groupId: j.groupId, clusterName: j.clusterName, snapshotId }),
    ),
    targetClusterName: t.exposeString('targetClusterName', {
      nullable: true,
      description: 'Instance or cluster restored into.',
    }),
    targetGroupId: t.exposeID('targetGroupId', {
      nullable: true,
      description: 'Project of the instance or cluster restored into.',
    }),
    links: t.expose('links', { type: [LinkRef], description: 'Links Atlas returned with the job.' }),
  }),
});

builder.queryFields((t) => ({
  serverlessRestoreJob: t.field({
    type: ServerlessRestoreJobRef,
    nullable: true,
    description: lookupDescription(
      'One restore job of one serverless instance (routed like `serverlessSnapshot`). Atlas requires Project Owner for it.',
    ),
    args: { groupId: pathArgs.groupId, clusterName: pathArgs.clusterName, restoreJobId: pathArgs.restoreJobId },
    resolve: (_root, key, ctx) => ctx.loaders.serverlessRestoreJob.load(key),
  }),
  serverlessRestoreJobs: t.connection(
    {
      type: ServerlessRestoreJobRef,
      nullable: true,
      description: 'The restore jobs of one serverless instance, a page at a time (routed like `serverlessSnapshot`).',
      args: { groupId: pathArgs.groupId, clusterName: pathArgs.clusterName },
      resolve: (_root, args, ctx, info) =>
        resolveConnection(args, info, (page) =>
          ctx.loaders.serverlessRestoreJobs({ groupId: args.groupId, clusterName: args.clusterName }, page),
        ),
    },
    connectionWithCount('ServerlessRestoreJob', 'serverless restore jobs'),
    edgeOptions('ServerlessRestoreJob', 'serverless restore jobs'),
  ),
}));
