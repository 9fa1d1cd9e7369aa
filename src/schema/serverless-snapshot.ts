import { clusterNameSchema, objectIdSchema } from '../atlas/ids.js';
import type { ServerlessSnapshotBody } from '../atlas/serverless-snapshots.js';
import { toGraphQLError } from '../errors.js';
import { parseArguments } from './arguments.js';
import { builder } from './builder.js';
import { knownEnumValue } from './enum-value.js';
import { LinkRef } from './link.js';
import {
  FREQUENCY_TYPES,
  SNAPSHOT_STATUSES,
  SNAPSHOT_TYPES,
  SnapshotFrequencyTypeRef,
  SnapshotStatusRef,
  SnapshotTypeRef,
} from './snapshot-enums.js';

/** A snapshot body together with the path parameters it was fetched with. */
export interface ServerlessSnapshotModel extends ServerlessSnapshotBody {
  id: string;
  groupId: string;
  clusterName: string;
}

export const ServerlessSnapshotRef = builder.objectRef<ServerlessSnapshotModel>('ServerlessSnapshot').implement({
  description:
    'A backup snapshot of an Atlas serverless instance (Atlas operation `getServerlessBackupSnapshot`, API version 2023-01-01).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Unique 24-hexadecimal-digit id of the snapshot.' }),
    groupId: t.exposeID('groupId', { description: 'Id of the Atlas project (group) that owns the instance, as given in the query.' }),
    clusterName: t.exposeString('clusterName', { description: 'Name of the serverless instance, as given in the query.' }),
    serverlessInstanceName: t.exposeString('serverlessInstanceName', {
      nullable: true,
      description: 'Name of the serverless instance the snapshot was taken of, as Atlas reports it.',
    }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the snapshot was taken (UTC).',
      resolve: (s) => s.createdAt ?? null,
    }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When Atlas deletes the snapshot (UTC); null while it is still being taken.',
      resolve: (s) => s.expiresAt ?? null,
    }),
    frequencyType: t.field({
      type: SnapshotFrequencyTypeRef,
      nullable: true,
      description: 'How often the policy item that took this snapshot runs. Null when absent or a value this schema does not know.',
      resolve: (s, _args, ctx) => knownEnumValue(FREQUENCY_TYPES, s.frequencyType, 'ServerlessSnapshot.frequencyType', ctx.logger),
    }),
    snapshotType: t.field({
      type: SnapshotTypeRef,
      nullable: true,
      description: 'On demand or scheduled. Null when absent or a value this schema does not know.',
      resolve: (s, _args, ctx) => knownEnumValue(SNAPSHOT_TYPES, s.snapshotType, 'ServerlessSnapshot.snapshotType', ctx.logger),
    }),
    status: t.field({
      type: SnapshotStatusRef,
      nullable: true,
      description: 'Where the snapshot is in its life cycle. Null when absent or a value this schema does not know.',
      resolve: (s, _args, ctx) => knownEnumValue(SNAPSHOT_STATUSES, s.status, 'ServerlessSnapshot.status', ctx.logger),
    }),
    mongodVersion: t.exposeString('mongodVersion', {
      nullable: true,
      description: 'Version of MongoDB the instance ran when the snapshot was taken, e.g. `8.0.17`.',
    }),
    storageSizeBytes: t.field({
      type: 'SafeInt',
      nullable: true,
      description:
        'Size of the snapshot in bytes (int64 upstream). Exact up to 2^53-1; larger values fail this field with an error rather than round silently.',
      resolve: (s) => s.storageSizeBytes ?? null,
    }),
    links: t.field({
      type: [LinkRef],
      description: 'Links Atlas returned with the snapshot (only links with both `href` and `rel`).',
      resolve: (s) => s.links,
    }),
  }),
});

/** Argument checks of `serverlessSnapshot`, in declaration order. */
const serverlessSnapshotArgs = {
  groupId: objectIdSchema,
  clusterName: clusterNameSchema,
  snapshotId: objectIdSchema,
};

builder.queryField('serverlessSnapshot', (t) =>
  t.field({
    type: ServerlessSnapshotRef,
    nullable: true,
    description:
      'One backup snapshot of one serverless instance. Wraps `GET /api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/snapshots/{snapshotId}`. ' +
      'Null with a typed error (`extensions.code`) when the snapshot cannot be returned.',
    args: {
      groupId: t.arg.id({ required: true, description: 'Project (group) id: 24 lower-case hexadecimal characters.' }),
      clusterName: t.arg.string({
        required: true,
        description:
          'Serverless instance name: ASCII letters, digits and hyphens, starting with a letter or digit, at most 64 characters.',
      }),
      snapshotId: t.arg.id({ required: true, description: 'Snapshot id: 24 lower-case hexadecimal characters.' }),
    },
    resolve: async (_root, args, ctx) => {
      const key = parseArguments(serverlessSnapshotArgs, args);
      try {
        const body = await ctx.loaders.serverlessSnapshot.load(key);
        return { ...body, id: body.id ?? key.snapshotId, groupId: key.groupId, clusterName: key.clusterName };
      } catch (error) {
        throw toGraphQLError(error);
      }
    },
  }),
);
