import type { ExportJobRecord } from '../../backups/backup-settings-records.js';
import { lookupDescription, pathArgs } from './arguments.js';
import { settingsArgs } from './backup-settings-arguments.js';
import { EXPORT_JOB_STATES, ExportJobStateRef } from './backup-settings-enums.js';
import { builder } from './builder.js';
import { clusterArgs } from './cluster-arguments.js';
import { knownEnumValue } from './enum-value.js';
import { ExportBucketRef } from './export-bucket.js';
import { LinkRef } from './link.js';
import { connectionWithCount, edgeOptions, resolveConnection } from './pagination.js';

type StateReason = NonNullable<ExportJobRecord['stateReason']>;
type ExportStatus = NonNullable<ExportJobRecord['exportStatus']>;
type Label = NonNullable<ExportJobRecord['customData']>[number];
type Component = NonNullable<ExportJobRecord['components']>[number];

const StateReasonRef = builder.objectRef<StateReason>('ExportJobStateReason').implement({
  description: 'Why an export job failed, as Atlas put it.',
  fields: (t) => ({
    errorCode: t.exposeString('errorCode', { nullable: true, description: 'Atlas error code.' }),
    message: t.exposeString('message', { nullable: true, description: 'What went wrong.' }),
  }),
});

const ExportStatusRef = builder.objectRef<ExportStatus>('ExportJobStatus').implement({
  description: 'Collections exported so far. Atlas has been seen to report 0 of 0 even for a successful export.',
  fields: (t) => ({
    exportedCollections: t.exposeInt('exportedCollections', { nullable: true, description: 'Collections exported.' }),
    totalCollections: t.exposeInt('totalCollections', { nullable: true, description: 'Collections to export.' }),
  }),
});

const LabelRef = builder.objectRef<Label>('BackupLabel').implement({
  description: 'A key-value pair attached to an export job when it was created.',
  fields: (t) => ({
    key: t.exposeString('key', { nullable: true, description: 'The key.' }),
    value: t.exposeString('value', { nullable: true, description: 'The value.' }),
  }),
});

const ComponentRef = builder.objectRef<Component>('ExportJobComponent').implement({
  description: 'The export of one shard of a sharded cluster.',
  fields: (t) => ({
    exportId: t.exposeID('exportId', { nullable: true, description: 'Id of the shard’s export.' }),
    replicaSetName: t.exposeString('replicaSetName', { nullable: true, description: 'The shard’s replica set.' }),
  }),
});

/** The `ExportJob` type. */
export const ExportJobRef = builder.objectRef<ExportJobRecord>('ExportJob').implement({
  description:
    'An export of a snapshot of a dedicated cluster to an export bucket (Atlas operation `getBackupExport`, API version ' +
    '2023-01-01). Atlas requires Project Backup Manager for it. Read-only.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Unique 24-hexadecimal-digit id of the export job.' }),
    groupId: t.exposeID('groupId', { description: 'Id of the Atlas project (group), as given.' }),
    clusterName: t.exposeString('clusterName', { description: 'Name of the cluster, as given.' }),
    state: t.field({
      type: ExportJobStateRef,
      nullable: true,
      description: 'Where the job is. Null when absent or a value this schema does not know.',
      resolve: (j, _a, ctx) => knownEnumValue(EXPORT_JOB_STATES, j.state, 'ExportJob.state', ctx.logger),
    }),
    stateReason: t.expose('stateReason', {
      type: StateReasonRef,
      nullable: true,
      description: 'Why the job failed; null unless it failed.',
    }),
    exportStatus: t.expose('exportStatus', {
      type: ExportStatusRef,
      nullable: true,
      description: 'Collections exported so far.',
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the job was created (UTC).',
    }),
    finishedAt: t.expose('finishedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the job ended (UTC); null while it is queued or in progress.',
    }),
    components: t.field({
      type: [ComponentRef],
      description: 'Sharded clusters: the export of each shard. Empty for a replica set.',
      resolve: (j) => j.components ?? [],
    }),
    prefix: t.exposeString('prefix', {
      nullable: true,
      description:
        'Where in the bucket the export goes, e.g. `exported_snapshots/<orgId>/<projectId>/<cluster>/<snapshot date>/<Unix seconds>`.',
    }),
    customData: t.field({
      type: [LabelRef],
      description: 'Key-value pairs given when the job was created.',
      resolve: (j) => j.customData ?? [],
    }),
    exportBucketId: t.exposeID('exportBucketId', { description: 'Id of the export bucket the snapshot goes to.' }),
    exportBucket: t.field({
      type: ExportBucketRef,
      nullable: true,
      description:
        'The export bucket the snapshot goes to, looked up through the same per-request loader as `exportBucket`.',
      resolve: (j, _a, ctx) => ctx.loaders.exportBucket.load({ groupId: j.groupId, exportBucketId: j.exportBucketId }),
    }),
    snapshotId: t.exposeID('snapshotId', { nullable: true, description: 'Id of the snapshot exported.' }),
    links: t.expose('links', { type: [LinkRef], description: 'Links Atlas returned with the job (none recorded).' }),
  }),
});

/** `ExportJobConnection`: shared by `exportJobs` and `DedicatedCluster.exports`. */
export const ExportJobConnectionRef = builder.connectionObject(
  { type: ExportJobRef, ...connectionWithCount('ExportJob', 'export jobs') },
  edgeOptions('ExportJob', 'export jobs'),
);

builder.queryFields((t) => ({
  exportJob: t.field({
    type: ExportJobRef,
    nullable: true,
    description: lookupDescription(
      'One export job of one dedicated cluster (`GET …/clusters/{clusterName}/backup/exports/{exportId}`). ' +
        'Atlas requires Project Backup Manager for it.',
    ),
    args: { groupId: pathArgs.groupId, clusterName: clusterArgs.clusterName, exportId: settingsArgs.exportId },
    resolve: (_root, key, ctx) => ctx.loaders.exportJob.load(key),
  }),
  exportJobs: t.connection(
    {
      type: ExportJobRef,
      nullable: true,
      description:
        'The export jobs of one dedicated cluster, in Atlas order, a page at a time (`GET …/backup/exports`). ' +
        'Atlas requires Project Backup Manager for them.',
      args: { groupId: pathArgs.groupId, clusterName: clusterArgs.clusterName },
      resolve: (_root, args, ctx, info) =>
        resolveConnection(args, info, (page) =>
          ctx.loaders.exportJobs({ groupId: args.groupId, clusterName: args.clusterName }, page),
        ),
    },
    ExportJobConnectionRef,
  ),
}));
