import type { FlexRestoreJobRecord } from '../../backups/restore-job-record.js';
import { upstream } from './arguments.js';
import { defineBackupQueries } from './backup-queries.js';
import { builder } from './builder.js';
import { knownEnumValue } from './enum-value.js';
import { FlexSnapshotRef } from './flex-snapshot.js';
import { LinkRef } from './link.js';
import {
  FLEX_RESTORE_DELIVERY_TYPES,
  FlexRestoreDeliveryTypeRef,
  RESTORE_JOB_STATUSES,
  RestoreJobStatusRef,
} from './restore-job-enums.js';

const date = (description: string, pick: (j: FlexRestoreJobRecord) => string | undefined) =>
  ({ type: 'DateTime', nullable: true, description, resolve: (j: FlexRestoreJobRecord) => pick(j) ?? null }) as const;

export const FlexRestoreJobRef = builder.objectRef<FlexRestoreJobRecord>('FlexRestoreJob').implement({
  description:
    'A restore job of a Flex cluster (Atlas operation `getFlexRestoreJob`, API version 2024-11-13). Read-only.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Unique 24-hexadecimal-digit id of the restore job.' }),
    groupId: t.exposeID('groupId', { description: 'Id of the Atlas project (group), as given in the query.' }),
    name: t.exposeString('name', { description: 'Name of the Flex cluster, as given in the query.' }),
    projectId: t.exposeID('projectId', { nullable: true, description: 'Project the restore job originated from.' }),
    instanceName: t.exposeString('instanceName', { nullable: true, description: 'Name of the source instance.' }),
    deliveryType: t.field({
      type: FlexRestoreDeliveryTypeRef,
      nullable: true,
      description: 'How the snapshot is returned; null for a value this schema does not know.',
      resolve: (j, _a, ctx) =>
        knownEnumValue(FLEX_RESTORE_DELIVERY_TYPES, j.deliveryType, 'FlexRestoreJob.deliveryType', ctx.logger),
    }),
    status: t.field({
      type: RestoreJobStatusRef,
      nullable: true,
      description: 'Where the job is; null for a value this schema does not know.',
      resolve: (j, _a, ctx) => knownEnumValue(RESTORE_JOB_STATUSES, j.status, 'FlexRestoreJob.status', ctx.logger),
    }),
    snapshotId: t.exposeID('snapshotId', { nullable: true, description: 'Id of the snapshot being restored.' }),
    snapshot: t.field({
      type: FlexSnapshotRef,
      nullable: true,
      description: 'The snapshot being restored, looked up through the same per-request loader as `flexSnapshot`.',
      resolve: (j, _a, ctx) =>
        j.snapshotId === undefined
          ? null
          : upstream(() =>
              ctx.loaders.flexSnapshot.load({ groupId: j.groupId, name: j.name, snapshotId: j.snapshotId! }),
            ),
    }),
    snapshotUrl: t.exposeString('snapshotUrl', {
      nullable: true,
      description: 'Download URL of the snapshot (DOWNLOAD jobs only).',
    }),
    targetProjectId: t.exposeID('targetProjectId', {
      nullable: true,
      description: 'Project of the cluster restored into.',
    }),
    targetDeploymentItemName: t.exposeString('targetDeploymentItemName', {
      nullable: true,
      description: 'Cluster restored into.',
    }),
    expirationDate: t.field(date('When the download link no longer works (UTC).', (j) => j.expirationDate)),
    restoreScheduledDate: t.field(date('When the restore was scheduled (UTC).', (j) => j.restoreScheduledDate)),
    restoreFinishedDate: t.field(date('When the restore finished (UTC).', (j) => j.restoreFinishedDate)),
    snapshotFinishedDate: t.field(
      date('When the snapshot being restored was finished (UTC).', (j) => j.snapshotFinishedDate),
    ),
    links: t.field({ type: [LinkRef], description: 'Links Atlas returned with the job.', resolve: (j) => j.links }),
  }),
});

defineBackupQueries({
  type: FlexRestoreJobRef,
  typeName: 'FlexRestoreJob',
  items: 'Flex restore jobs',
  container: 'name',
  itemId: 'restoreJobId',
  get: {
    field: 'flexRestoreJob',
    description: 'One restore job of one Flex cluster (`GET …/flexClusters/{name}/backup/restoreJobs/{restoreJobId}`).',
    load: (ctx, key) => ctx.loaders.flexRestoreJob.load(key),
  },
  list: {
    field: 'flexRestoreJobs',
    description: 'The restore jobs of one Flex cluster, a page at a time.',
    load: (ctx, key, page) => ctx.loaders.flexRestoreJobs(key, page),
  },
});
