import type { CloudRestoreJobBody } from '../../atlas/cloud-backup.js';
import type { DedicatedRestoreJobRecord } from '../../backups/dedicated-restore-job-record.js';
import { lookupDescription, pathArgs } from './arguments.js';
import { builder } from './builder.js';
import { clusterArgs } from './cluster-arguments.js';
import { ClusterSnapshotRef } from './dedicated-snapshot.js';
import { clusterItemKeySchema, keyedEntity } from './entity-keys.js';
import { knownEnumValue } from './enum-value.js';
import { LinkRef } from './link.js';
import { connectionWithCount, edgeOptions, resolveConnection } from './pagination.js';
import { RESTORE_DELIVERY_TYPES, RestoreDeliveryTypeRef, unixSecondsToDate } from './restore-job-enums.js';
import { BsonTimestampRef } from './serverless-restore-job.js';
import { downloadUrlOptions } from '../scope-auth.js';

// The derived state's values are the rows of the table in dedicated-restore-job-record.ts (restoreJobState).
const StateRef = builder.enumType('ClusterRestoreJobState', {
  description:
    'Where a restore job of a dedicated cluster is. Atlas sends no status: derived from `cancelled`, `failed`, `expired`, `finishedAt` and the delivery URLs, first match wins, in this order.',
  values: {
    CANCELLED: { description: '`cancelled` (a cancelled download arrives with `failed: true` too: it is CANCELLED).' },
    FAILED: { description: '`failed`, not cancelled.' },
    EXPIRED: { description: '`expired`: the download link ran out.' },
    COMPLETED: { description: '`finishedAt` is set: the restore is done.' },
    READY: { description: 'A download URL is handed out (`deliveryUrl`, or a shard’s `downloadUrl`), not finished.' },
    PENDING: { description: 'None of the above: accepted, in progress.' },
  } as const,
});

type PrivateUrl = NonNullable<CloudRestoreJobBody['privateDownloadDeliveryUrls']>[number];
type Component = NonNullable<CloudRestoreJobBody['components']>[number];

const SECRET = 'Carries a token: treat it as a secret (this service never logs it).';

const PrivateUrlRef = builder.objectRef<PrivateUrl>('PrivateDeliveryUrl').implement({
  description: 'A download URL reachable over one private endpoint.',
  fields: (t) => ({
    deliveryUrl: t.exposeString('deliveryUrl', downloadUrlOptions(`The URL. ${SECRET}`)),
    endpointId: t.exposeString('endpointId', { nullable: true, description: 'The private endpoint.' }),
  }),
});

const ComponentRef = builder.objectRef<Component>('RestoreJobComponent').implement({
  description: "One shard's part of a sharded cluster's download restore job.",
  fields: (t) => ({
    replicaSetName: t.exposeString('replicaSetName', { nullable: true, description: 'The shard’s replica set.' }),
    downloadUrl: t.exposeString('downloadUrl', downloadUrlOptions(`Where to download it. ${SECRET}`)),
    privateDownloadDeliveryUrls: t.field({
      type: [PrivateUrlRef],
      description: 'The same download over private endpoints.',
      resolve: (c) => c.privateDownloadDeliveryUrls ?? [],
    }),
  }),
});

const date = (description: string) => ({ type: 'DateTime', nullable: true, description }) as const;
const seconds = (description: string) => ({ type: 'SafeInt', nullable: true, description }) as const;

/** `ClusterRestoreJob` (an entity keyed by `groupId clusterName id`). */
export const ClusterRestoreJobRef = builder.objectRef<DedicatedRestoreJobRecord>('ClusterRestoreJob').implement({
  description:
    'A restore job of a dedicated cluster (Atlas operation `getBackupRestoreJob`, API version 2023-01-01; Atlas requires Project Backup Manager). Read-only.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Unique 24-hexadecimal-digit id of the restore job.' }),
    groupId: t.exposeID('groupId', { description: 'Id of the Atlas project (group), as given in the query.' }),
    clusterName: t.exposeString('clusterName', { description: 'Name of the cluster, as given in the query.' }),
    state: t.expose('state', { type: StateRef, description: 'Derived from the raw fields below (see the enum).' }),
    deliveryType: t.field({
      type: RestoreDeliveryTypeRef,
      nullable: true,
      description: 'How the snapshot is returned; null for a value this schema does not know.',
      resolve: (j, _a, ctx) =>
        knownEnumValue(RESTORE_DELIVERY_TYPES, j.deliveryType, 'ClusterRestoreJob.deliveryType', ctx.logger),
    }),
    cancelled: t.exposeBoolean('cancelled', { nullable: true, description: 'Raw: someone cancelled the job.' }),
    failed: t.exposeBoolean('failed', {
      nullable: true,
      description: 'Raw: the job failed (also set on a cancelled download).',
    }),
    expired: t.exposeBoolean('expired', { nullable: true, description: 'Raw: the download link expired.' }),
    finishedAt: t.expose('finishedAt', date('Raw: when the job finished (UTC); null until then.')),
    expiresAt: t.expose('expiresAt', date('When the download link stops working (UTC).')),
    timestamp: t.expose('timestamp', date('When Atlas took the snapshot being restored (UTC).')),
    deliveryUrl: t.stringList({
      ...downloadUrlOptions(`URLs to download the snapshot from (download jobs, once ready). ${SECRET}`),
      resolve: (j) => j.deliveryUrl ?? [],
    }),
    privateDownloadDeliveryUrls: t.field({
      type: [PrivateUrlRef],
      description: 'The download over private endpoints.',
      resolve: (j) => j.privateDownloadDeliveryUrls ?? [],
    }),
    components: t.field({
      type: [ComponentRef],
      description: 'Sharded clusters: one part per shard.',
      resolve: (j) => j.components ?? [],
    }),
    desiredTimestamp: t.field({
      type: BsonTimestampRef,
      nullable: true,
      description:
        'The oplog point to restore to; null when Atlas sends none (it sends all-null members on every job recorded).',
      resolve: (j) =>
        (j.desiredTimestamp?.date ?? j.desiredTimestamp?.increment) === undefined ? null : j.desiredTimestamp!,
    }),
    oplogTs: t.expose('oplogTs', seconds('Oplog timestamp to restore to, raw Unix seconds (int32 upstream).')),
    oplogInc: t.expose('oplogInc', seconds('Oplog operation order within `oplogTs`.')),
    pointInTimeUTCSeconds: t.expose('pointInTimeUTCSeconds', seconds('Point in time to restore to, raw Unix seconds.')),
    pointInTime: t.field({
      ...date('`pointInTimeUTCSeconds` as a date (UTC).'),
      resolve: (j) => unixSecondsToDate(j.pointInTimeUTCSeconds),
    }),
    snapshotId: t.exposeID('snapshotId', { nullable: true, description: 'Id of the snapshot being restored.' }),
    snapshot: t.field({
      type: ClusterSnapshotRef,
      nullable: true,
      description: 'The snapshot being restored, through the same per-request loader as `clusterSnapshot`.',
      resolve: ({ groupId, clusterName, snapshotId }, _a, ctx) =>
        snapshotId === undefined ? null : ctx.loaders.clusterSnapshot({ groupId, clusterName, snapshotId }),
    }),
    targetClusterName: t.exposeString('targetClusterName', { nullable: true, description: 'Cluster restored into.' }),
    targetGroupId: t.exposeID('targetGroupId', {
      nullable: true,
      description: 'Project of the cluster restored into.',
    }),
    targetDeploymentItemName: t.exposeString('targetDeploymentItemName', {
      nullable: true,
      description: 'Undocumented by Atlas, sent on automated jobs: the deployment item restored into.',
    }),
    links: t.expose('links', { type: [LinkRef], description: 'Links Atlas returned with the job.' }),
  }),
});

/** `ClusterRestoreJobConnection`: shared by `clusterRestoreJobs` and `DedicatedCluster.restoreJobs`. */
export const ClusterRestoreJobConnectionRef = builder.connectionObject(
  { type: ClusterRestoreJobRef, ...connectionWithCount('ClusterRestoreJob', 'restore jobs of a dedicated cluster') },
  edgeOptions('ClusterRestoreJob', 'restore jobs of a dedicated cluster'),
);

builder.queryFields((t) => ({
  clusterRestoreJob: t.field({
    type: ClusterRestoreJobRef,
    nullable: true,
    description: lookupDescription(
      'One restore job of a dedicated cluster (`getBackupRestoreJob`). Atlas requires Project Backup Manager: a FORBIDDEN says so.',
    ),
    args: { groupId: pathArgs.groupId, clusterName: clusterArgs.clusterName, restoreJobId: pathArgs.restoreJobId },
    resolve: (_root, key, ctx) => ctx.loaders.clusterRestoreJob.load(key),
  }),
  clusterRestoreJobs: t.connection(
    {
      type: ClusterRestoreJobRef,
      nullable: true,
      description:
        'The restore jobs of a dedicated cluster, newest first as Atlas sends them, a page at a time (`listBackupRestoreJobs`; Project Backup Manager).',
      args: { groupId: pathArgs.groupId, clusterName: clusterArgs.clusterName },
      resolve: (_root, { groupId, clusterName, ...args }, ctx, info) =>
        resolveConnection(args, info, (page) => ctx.loaders.clusterRestoreJobs({ groupId, clusterName }, page)),
    },
    ClusterRestoreJobConnectionRef,
  ),
}));

keyedEntity(ClusterRestoreJobRef, {
  key: builder.selection<{ groupId: string; clusterName: string; id: string }>('groupId clusterName id'),
  schema: clusterItemKeySchema,
  load: (ctx, { id, ...cluster }) => ctx.loaders.clusterRestoreJob.load({ ...cluster, restoreJobId: id }),
});
