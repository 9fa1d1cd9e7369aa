import type { SnapshotRecord } from '../../backups/snapshot-record.js';
import { builder } from './builder.js';
import { knownEnumValue } from './enum-value.js';
import { LinkRef } from './link.js';
import { SNAPSHOT_STATUSES, SnapshotSourceRef, SnapshotStatusRef } from './snapshot-enums.js';

/** What every snapshot type shares, so a frontend can write one fragment for both. */
export const BackupSnapshotRef = builder.interfaceRef<SnapshotRecord>('BackupSnapshot').implement({
  description: 'A backup snapshot of a serverless instance or Flex cluster, whichever API answered.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Unique 24-hexadecimal-digit id of the snapshot.' }),
    groupId: t.exposeID('groupId', { description: 'Id of the Atlas project (group), as given in the query.' }),
    clusterName: t.exposeString('clusterName', {
      description: 'Name of the serverless instance or Flex cluster, as given in the query.',
    }),
    source: t.field({
      type: SnapshotSourceRef,
      description: 'Which Atlas operation answered: FLEX or SERVERLESS.',
      resolve: (s) => s.source,
    }),
    status: t.field({
      type: SnapshotStatusRef,
      nullable: true,
      description: 'Where the snapshot is in its life cycle. Null when absent or a value this schema does not know.',
      resolve: (s, _args, ctx, info) =>
        knownEnumValue(SNAPSHOT_STATUSES, s.status, `${info.parentType.name}.status`, ctx.logger),
    }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the snapshot was taken (UTC). On a Flex snapshot: its `startTime`, null until it starts.',
      resolve: (s) => s.createdAt ?? null,
    }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'When Atlas deletes the snapshot (UTC); null while it is still being taken. On a Flex snapshot: its `expiration`.',
      resolve: (s) => s.expiresAt ?? null,
    }),
    scheduledTime: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Flex only: when Atlas will take (or took) the snapshot. Null on a serverless-sourced snapshot.',
      resolve: (s) => s.scheduledTime ?? null,
    }),
    startTime: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Flex only: when Atlas started writing the snapshot. Null on a serverless-sourced snapshot.',
      resolve: (s) => s.startTime ?? null,
    }),
    finishTime: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Flex only: when Atlas finished writing the snapshot. Null on a serverless-sourced snapshot.',
      resolve: (s) => s.finishTime ?? null,
    }),
    mongodVersion: t.exposeString('mongodVersion', {
      nullable: true,
      description:
        'Version of MongoDB the cluster ran when the snapshot was taken, e.g. `8.0.17` (Flex: `mongoDBVersion`).',
    }),
    links: t.field({
      type: [LinkRef],
      description: 'Links Atlas returned with the snapshot (only links with both `href` and `rel`).',
      resolve: (s) => s.links,
    }),
  }),
});
