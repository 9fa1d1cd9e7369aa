import type { FlexRestoreJobRecord } from '../../backups/restore-job-record.js';
import { lookupDescription, pathArgs } from './arguments.js';
import { restoredSnapshotField } from './backup-snapshot.js';
import { builder } from './builder.js';
import { knownEnumValue } from './enum-value.js';
import { FlexSnapshotRef } from './flex-snapshot.js';
import { LinkRef } from './link.js';
import { connectionWithCount, edgeOptions, resolveConnection } from './pagination.js';
import { downloadUrlOptions } from '../scope-auth.js';
import {
  FLEX_RESTORE_DELIVERY_TYPES,
  FlexRestoreDeliveryTypeRef,
  RESTORE_JOB_STATUSES,
  RestoreJobStatusRef,
} from './restore-job-enums.js';

/** A nullable DateTime field with its description. */
const date = (description: string) => ({ type: 'DateTime', nullable: true, description }) as const;

/** `FlexRestoreJob` (an entity keyed by `groupId name id`). */
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
    snapshot: restoredSnapshotField(t, FlexSnapshotRef, 'flexSnapshot', (ctx, j, snapshotId) =>
      ctx.loaders.flexSnapshot.load({ groupId: j.groupId, name: j.name, snapshotId }),
    ),
    snapshotUrl: t.exposeString(
      'snapshotUrl',
      downloadUrlOptions('Download URL of the snapshot (DOWNLOAD jobs only).'),
    ),
    targetProjectId: t.exposeID('targetProjectId', {
      nullable: true,
      description: 'Project of the cluster restored into.',
    }),
    targetDeploymentItemName: t.exposeString('targetDeploymentItemName', {
      nullable: true,
      description: 'Cluster restored into.',
    }),
    expirationDate: t.expose('expirationDate', date('When the download link no longer works (UTC).')),
    restoreScheduledDate: t.expose('restoreScheduledDate', date('When the restore was scheduled (UTC).')),
    restoreFinishedDate: t.expose('restoreFinishedDate', date('When the restore finished (UTC).')),
    snapshotFinishedDate: t.expose(
      'snapshotFinishedDate',
      date('When the snapshot being restored was finished (UTC).'),
    ),
    links: t.expose('links', { type: [LinkRef], description: 'Links Atlas returned with the job.' }),
  }),
});

builder.queryFields((t) => ({
  flexRestoreJob: t.field({
    type: FlexRestoreJobRef,
    nullable: true,
    description: lookupDescription(
      'One restore job of one Flex cluster (`GET …/flexClusters/{name}/backup/restoreJobs/{restoreJobId}`).',
    ),
    args: { groupId: pathArgs.groupId, name: pathArgs.name, restoreJobId: pathArgs.restoreJobId },
    resolve: (_root, key, ctx) => ctx.loaders.flexRestoreJob.load(key),
  }),
  flexRestoreJobs: t.connection(
    {
      type: FlexRestoreJobRef,
      nullable: true,
      description: 'The restore jobs of one Flex cluster, a page at a time.',
      args: { groupId: pathArgs.groupId, name: pathArgs.name },
      resolve: (_root, args, ctx, info) =>
        resolveConnection(args, info, (page) =>
          ctx.loaders.flexRestoreJobs({ groupId: args.groupId, name: args.name }, page),
        ),
    },
    connectionWithCount('FlexRestoreJob', 'Flex restore jobs'),
    edgeOptions('FlexRestoreJob', 'Flex restore jobs'),
  ),
}));
