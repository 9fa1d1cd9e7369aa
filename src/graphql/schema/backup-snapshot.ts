import type { ObjectRef } from '@pothos/core';
import type { SnapshotRecord } from '../../backups/snapshot-record.js';
import type { Context } from '../context.js';
import { builder, type BuilderTypes } from './builder.js';
import { knownEnumValue } from './enum-value.js';
import { LinkRef } from './link.js';
import { SNAPSHOT_STATUSES, SnapshotSourceRef, SnapshotStatusRef } from './snapshot-enums.js';

/** What every snapshot type shares, so a frontend can write one fragment for both. */
export const BackupSnapshotRef = builder.interfaceRef<SnapshotRecord>('BackupSnapshot').implement({
  description:
    'A backup snapshot of a serverless instance, a Flex cluster or a dedicated cluster, whichever API answered (see `source`).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Unique 24-hexadecimal-digit id of the snapshot.' }),
    groupId: t.exposeID('groupId', { description: 'Id of the Atlas project (group), as given in the query.' }),
    clusterName: t.exposeString('clusterName', {
      description: 'Name of the serverless instance, Flex cluster or dedicated cluster, as given in the query.',
    }),
    source: t.expose('source', {
      type: SnapshotSourceRef,
      description: 'Which Atlas operation family answered: FLEX, SERVERLESS or DEDICATED (Cloud Backup).',
    }),
    status: t.field({
      type: SnapshotStatusRef,
      nullable: true,
      description: 'Where the snapshot is in its life cycle. Null when absent or a value this schema does not know.',
      resolve: (s, _args, ctx, info) =>
        knownEnumValue(SNAPSHOT_STATUSES, s.status, `${info.parentType.name}.status`, ctx.logger),
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the snapshot was taken (UTC). On a Flex snapshot: its `startTime`, null until it starts.',
    }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'When Atlas deletes the snapshot (UTC); null while it is still being taken. On a Flex snapshot: its `expiration`.',
    }),
    scheduledTime: t.expose('scheduledTime', {
      type: 'DateTime',
      nullable: true,
      description:
        'Flex only: when Atlas will take (or took) the snapshot. Null from the serverless and dedicated sources.',
    }),
    startTime: t.expose('startTime', {
      type: 'DateTime',
      nullable: true,
      description:
        'Flex only: when Atlas started writing the snapshot. Null from the serverless and dedicated sources.',
    }),
    finishTime: t.expose('finishTime', {
      type: 'DateTime',
      nullable: true,
      description:
        'Flex only: when Atlas finished writing the snapshot. Null from the serverless and dedicated sources.',
    }),
    mongodVersion: t.exposeString('mongodVersion', {
      nullable: true,
      description:
        'Version of MongoDB the cluster ran when the snapshot was taken, e.g. `8.0.17` (Flex: `mongoDBVersion`).',
    }),
    links: t.expose('links', {
      type: [LinkRef],
      description: 'Links Atlas returned with the snapshot (only links with both `href` and `rel`).',
    }),
  }),
});

/**
 * The `snapshot` field of a restore job: the snapshot it restores (null when the job names none),
 * looked up through the same per-request loader as the snapshot query field `queryField`.
 */
export function restoredSnapshotField<Job extends { snapshotId?: string }>(
  t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, Job>,
  type: ObjectRef<BuilderTypes, SnapshotRecord>,
  queryField: string,
  load: (ctx: Context, job: Job, snapshotId: string) => Promise<SnapshotRecord>,
) {
  return t.field({
    type,
    nullable: true,
    description: `The snapshot being restored, looked up through the same per-request loader as \`${queryField}\`.`,
    resolve: (job, _args, ctx) => (job.snapshotId === undefined ? null : load(ctx, job, job.snapshotId)),
  });
}
