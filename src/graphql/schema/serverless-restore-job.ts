import type { RestoreJobRecord } from '../../backups/restore-job-record.js';
import { upstream } from './arguments.js';
import { defineBackupQueries } from './backup-queries.js';
import { builder } from './builder.js';
import { knownEnumValue } from './enum-value.js';
import { LinkRef } from './link.js';
import {
  RESTORE_DELIVERY_TYPES,
  RESTORE_JOB_STATUSES,
  RestoreDeliveryTypeRef,
  RestoreJobStatusRef,
  unixSecondsToDate,
} from './restore-job-enums.js';
import { ServerlessSnapshotRef } from './serverless-snapshot.js';
import { SnapshotSourceRef } from './snapshot-enums.js';

/** Atlas asks more of a caller for serverless restore jobs than for anything else here. */
const FORBIDDEN_HINT =
  'Serverless restore jobs need the Project Owner role in Atlas (snapshots need only Project Read Only).';
const SERVERLESS_ONLY = 'Null on a Flex-sourced job.';

const BsonTimestampRef = builder.objectRef<{ date?: string; increment?: number }>('BsonTimestamp').implement({
  description: 'A BSON timestamp: when the oplog recorded an operation, and its order within that second.',
  fields: (t) => ({
    date: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the oplog recorded the operation (UTC).',
      resolve: (b) => b.date ?? null,
    }),
    increment: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'Order of the operation within that second.',
      resolve: (b) => b.increment ?? null,
    }),
  }),
});

export const ServerlessRestoreJobRef = builder.objectRef<RestoreJobRecord>('ServerlessRestoreJob').implement({
  description: 'A restore job of a serverless instance (or of the Flex cluster it became: see `source`). Read-only.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Unique 24-hexadecimal-digit id of the restore job.' }),
    groupId: t.exposeID('groupId', { description: 'Id of the Atlas project (group), as given in the query.' }),
    clusterName: t.exposeString('clusterName', {
      description: 'Name of the serverless instance, as given in the query.',
    }),
    source: t.field({
      type: SnapshotSourceRef,
      description: 'Which Atlas operation answered.',
      resolve: (j) => j.source,
    }),
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
      description: 'URLs of the snapshot files to download (download jobs).',
      resolve: (j) => j.deliveryUrl ?? [],
    }),
    desiredTimestamp: t.field({
      type: BsonTimestampRef,
      nullable: true,
      description: `The oplog point to restore to. ${SERVERLESS_ONLY}`,
      resolve: (j) => j.desiredTimestamp ?? null,
    }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the job (and its download link) expires (UTC).',
      resolve: (j) => j.expiresAt ?? null,
    }),
    finishedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the job completed (UTC).',
      resolve: (j) => j.finishedAt ?? null,
    }),
    restoreScheduledDate: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Flex only: when the restore was scheduled (UTC).',
      resolve: (j) => j.restoreScheduledDate ?? null,
    }),
    timestamp: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When Atlas took the snapshot being restored (UTC).',
      resolve: (j) => j.timestamp ?? null,
    }),
    oplogTs: t.field({
      type: 'SafeInt',
      nullable: true,
      description: `Oplog timestamp to restore to, raw Unix seconds (int32 upstream). ${SERVERLESS_ONLY}`,
      resolve: (j) => j.oplogTs ?? null,
    }),
    oplogTime: t.field({
      type: 'DateTime',
      nullable: true,
      description: '`oplogTs` as a date (UTC); works past 2038.',
      resolve: (j) => unixSecondsToDate(j.oplogTs),
    }),
    oplogInc: t.field({
      type: 'SafeInt',
      nullable: true,
      description: `Oplog operation order within \`oplogTs\`. ${SERVERLESS_ONLY}`,
      resolve: (j) => j.oplogInc ?? null,
    }),
    pointInTimeUTCSeconds: t.field({
      type: 'SafeInt',
      nullable: true,
      description: `Point in time to restore to, raw Unix seconds (int32 upstream). ${SERVERLESS_ONLY}`,
      resolve: (j) => j.pointInTimeUTCSeconds ?? null,
    }),
    pointInTime: t.field({
      type: 'DateTime',
      nullable: true,
      description: '`pointInTimeUTCSeconds` as a date (UTC); works past 2038.',
      resolve: (j) => unixSecondsToDate(j.pointInTimeUTCSeconds),
    }),
    snapshotId: t.exposeID('snapshotId', { nullable: true, description: 'Id of the snapshot being restored.' }),
    snapshot: t.field({
      type: ServerlessSnapshotRef,
      nullable: true,
      description:
        'The snapshot being restored, looked up through the same per-request loader as `serverlessSnapshot`.',
      resolve: (j, _a, ctx) =>
        j.snapshotId === undefined
          ? null
          : upstream(() =>
              ctx.loaders.serverlessSnapshot.load({
                groupId: j.groupId,
                clusterName: j.clusterName,
                snapshotId: j.snapshotId!,
              }),
            ),
    }),
    targetClusterName: t.exposeString('targetClusterName', {
      nullable: true,
      description: 'Instance or cluster restored into.',
    }),
    targetGroupId: t.exposeID('targetGroupId', {
      nullable: true,
      description: 'Project of the instance or cluster restored into.',
    }),
    links: t.field({ type: [LinkRef], description: 'Links Atlas returned with the job.', resolve: (j) => j.links }),
  }),
});

defineBackupQueries({
  type: ServerlessRestoreJobRef,
  typeName: 'ServerlessRestoreJob',
  items: 'serverless restore jobs',
  container: 'clusterName',
  itemId: 'restoreJobId',
  forbiddenHint: FORBIDDEN_HINT,
  get: {
    field: 'serverlessRestoreJob',
    description:
      'One restore job of one serverless instance (routed like `serverlessSnapshot`). Atlas requires Project Owner for it.',
    load: (ctx, key) => ctx.loaders.serverlessRestoreJob.load(key),
  },
  list: {
    field: 'serverlessRestoreJobs',
    description: 'The restore jobs of one serverless instance, a page at a time (routed like `serverlessSnapshot`).',
    load: (ctx, key, page) => ctx.loaders.serverlessRestoreJobs(key, page),
  },
});
