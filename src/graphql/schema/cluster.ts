import type { ClusterRecord, DedicatedClusterRecord, FlexClusterRecord } from '../../backups/cluster-record.js';
import type { Context } from '../context.js';
import { BadUserInputError } from '../errors.js';
import { lookupDescription, pathArgs } from './arguments.js';
import { builder } from './builder.js';
import { clusterArgs } from './cluster-arguments.js';
import { CLUSTER_STATES, CLUSTER_TYPES, ClusterStateRef, ClusterTypeRef } from './cluster-enums.js';
import { ClusterRegionRef, ReplicationSpecRef } from './cluster-region.js';
import { clusterKeySchema, keyedEntity } from './entity-keys.js';
import { knownEnumValue } from './enum-value.js';
import { LinkRef } from './link.js';

/** What every cluster shows, dedicated or Flex: one fragment serves a project's clusters of every tier. */
export const ClusterRef = builder.interfaceRef<ClusterRecord>('Cluster').implement({
  description:
    'An Atlas cluster, dedicated (M10 and up, `getCluster`) or Flex (`getFlexCluster`): a name answers as whichever it is.',
  resolveType: (c) => (c.kind === 'FLEX' ? 'FlexCluster' : 'DedicatedCluster'),
  fields: (t) => ({
    groupId: t.exposeID('groupId', { description: 'Id of the Atlas project (group), as given in the query.' }),
    name: t.exposeString('name', { description: 'Name of the cluster, unique in its project.' }),
    id: t.exposeID('id', { description: 'Unique 24-hexadecimal-digit id of the cluster.' }),
    clusterType: t.field({
      type: ClusterTypeRef,
      nullable: true,
      description: 'Replica set, sharded or geo-sharded; null for a value this schema does not know.',
      resolve: (c, _a, ctx, info) =>
        knownEnumValue(CLUSTER_TYPES, c.clusterType, `${info.parentType.name}.clusterType`, ctx.logger),
    }),
    state: t.field({
      type: ClusterStateRef,
      nullable: true,
      description: 'What Atlas is doing with the cluster (`stateName`); null for a value this schema does not know.',
      resolve: (c, _a, ctx, info) =>
        knownEnumValue(CLUSTER_STATES, c.stateName, `${info.parentType.name}.state`, ctx.logger),
    }),
    mongoDBVersion: t.exposeString('mongoDBVersion', {
      nullable: true,
      description: 'Version of MongoDB the cluster runs, e.g. `8.0.29`.',
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When Atlas created the cluster (UTC; `createDate`).',
    }),
    backupEnabled: t.exposeBoolean('backupEnabled', {
      nullable: true,
      description: 'Whether Atlas takes backups of the cluster (Flex: `backupSettings.enabled`).',
    }),
    regions: t.expose('regions', {
      type: [ClusterRegionRef],
      description: 'Every region the cluster runs in, with provider and instance sizes (all shards together).',
    }),
    links: t.expose('links', { type: [LinkRef], description: 'Links Atlas returned with the cluster.' }),
  }),
});

/** The `DedicatedCluster` type (an entity keyed by `groupId name`); its backup fields are added by their own files. */
export const DedicatedClusterRef = builder.objectRef<DedicatedClusterRecord>('DedicatedCluster').implement({
  description:
    'A dedicated cluster (M10 and up; Atlas operation `getCluster`, API version 2024-08-05): a documented subset of its description, and its Cloud Backups.',
  interfaces: [ClusterRef],
  isTypeOf: (c) => (c as ClusterRecord).kind === 'DEDICATED',
  fields: (t) => ({
    paused: t.exposeBoolean('paused', { nullable: true, description: 'Whether the cluster is paused.' }),
    pitEnabled: t.exposeBoolean('pitEnabled', {
      nullable: true,
      description: 'Whether continuous cloud backup (point-in-time restore) is on.',
    }),
    replicationSpecs: t.expose('replicationSpecs', {
      type: [ReplicationSpecRef],
      description: 'One per shard (one for a replica set): zones and regions.',
    }),
  }),
});

/** The `FlexCluster` type (an entity keyed by `groupId name`). */
const FlexClusterRef = builder.objectRef<FlexClusterRecord>('FlexCluster').implement({
  description:
    'A Flex cluster (Atlas operation `getFlexCluster`, API version 2024-11-13). Its backups are `flexSnapshots` and `flexRestoreJobs`.',
  interfaces: [ClusterRef],
  isTypeOf: (c) => (c as ClusterRecord).kind === 'FLEX',
  fields: (t) => ({
    diskSizeGB: t.exposeFloat('diskSizeGB', {
      nullable: true,
      description: 'Storage available to the cluster, in GB.',
    }),
    terminationProtectionEnabled: t.exposeBoolean('terminationProtectionEnabled', {
      nullable: true,
      description: 'Whether the cluster is protected from deletion.',
    }),
  }),
});

builder.queryFields((t) => ({
  cluster: t.field({
    type: ClusterRef,
    nullable: true,
    description: lookupDescription(
      'One cluster by name, dedicated or Flex: `getCluster`, and `getFlexCluster` when Atlas answers that the name is a Flex cluster (remembered, so the next lookup of that name costs one call).',
    ),
    args: { groupId: pathArgs.groupId, name: clusterArgs.anyClusterName },
    resolve: (_root, { groupId, name }, ctx) => ctx.loaders.cluster.load({ groupId, clusterName: name }),
  }),
}));

const clusterKey = builder.selection<{ groupId: string; name: string }>('groupId name');
/** A cluster another subgraph refers to: a batch of several of one project is answered by one list call. */
const loadCluster = (ctx: Context, groupId: string, name: string) =>
  ctx.loaders.clusterReference.load({ groupId, clusterName: name });

/** A reference to `typename` answered by a cluster of the other kind: that entry fails, the others resolve. */
const wrongKind = (typename: string, c: ClusterRecord) =>
  new BadUserInputError(`representations[${typename}]`, `names a ${c.kind === 'FLEX' ? 'Flex' : 'dedicated'} cluster`);

// Cluster is an entity interface (Federation 2.3): a subgraph that owns clusters by `groupId name`
// reaches either kind through it; the concrete types are entities with the same key.
keyedEntity(ClusterRef, {
  key: clusterKey,
  schema: clusterKeySchema,
  load: (ctx, { groupId, name }) => loadCluster(ctx, groupId, name),
});
keyedEntity(DedicatedClusterRef, {
  key: clusterKey,
  schema: clusterKeySchema,
  load: async (ctx, { groupId, name }) => {
    const c = await loadCluster(ctx, groupId, name);
    if (c.kind !== 'DEDICATED') throw wrongKind('DedicatedCluster', c);
    return c;
  },
});
keyedEntity(FlexClusterRef, {
  key: clusterKey,
  schema: clusterKeySchema,
  load: async (ctx, { groupId, name }) => {
    const c = await loadCluster(ctx, groupId, name);
    if (c.kind !== 'FLEX') throw wrongKind('FlexCluster', c);
    return c;
  },
});
