import type { ClusterRegionRecord, HardwareRecord, ReplicationSpecRecord } from '../../backups/cluster-record.js';
import { builder } from './builder.js';
import { CLOUD_PROVIDERS, CloudProviderRef } from './cluster-enums.js';
import { knownEnumValue } from './enum-value.js';

/** `NodeHardware`: the instance size and count of one kind of node in one region. */
const NodeHardwareRef = builder.objectRef<HardwareRecord>('NodeHardware').implement({
  description: 'The hardware of one kind of node (electable, read-only, analytics) in one region.',
  fields: (t) => ({
    instanceSize: t.exposeString('instanceSize', {
      nullable: true,
      description: 'Instance size, e.g. `M10` or `M30`.',
    }),
    nodeCount: t.exposeInt('nodeCount', { nullable: true, description: 'Nodes of this kind in the region.' }),
    diskSizeGB: t.exposeFloat('diskSizeGB', { nullable: true, description: 'Storage of each node, in GB.' }),
  }),
});

/** `ClusterRegion`: one region a cluster runs in. */
export const ClusterRegionRef = builder.objectRef<ClusterRegionRecord>('ClusterRegion').implement({
  description: 'One region a cluster runs in, with its nodes (a Flex cluster has one region and no node details).',
  fields: (t) => ({
    provider: t.field({
      type: CloudProviderRef,
      nullable: true,
      description:
        'The cloud: `providerName`, or for a shared or Flex region the cloud behind it (`backingProviderName`). Null for a value this schema does not know.',
      resolve: (r, _a, ctx) => knownEnumValue(CLOUD_PROVIDERS, r.provider, 'ClusterRegion.provider', ctx.logger),
    }),
    regionName: t.exposeString('regionName', {
      nullable: true,
      description: "The provider's region name as Atlas spells it, e.g. `US_EAST_1` or `WESTERN_EUROPE`.",
    }),
    priority: t.exposeInt('priority', {
      nullable: true,
      description: 'Election priority of the region (7 is the highest).',
    }),
    electable: t.expose('electable', {
      type: NodeHardwareRef,
      nullable: true,
      description: 'Electable nodes: what runs after auto-scaling (`effectiveElectableSpecs`) when Atlas says so.',
    }),
    readOnly: t.expose('readOnly', { type: NodeHardwareRef, nullable: true, description: 'Read-only nodes.' }),
    analytics: t.expose('analytics', { type: NodeHardwareRef, nullable: true, description: 'Analytics nodes.' }),
  }),
});

/** `ReplicationSpec`: one shard (or the only replica set) and its zone. */
export const ReplicationSpecRef = builder.objectRef<ReplicationSpecRecord>('ReplicationSpec').implement({
  description: 'The layout of one shard (or of the replica set) of a dedicated cluster, and its zone.',
  fields: (t) => ({
    id: t.exposeID('id', { nullable: true, description: 'Id of the replication spec.' }),
    zoneId: t.exposeID('zoneId', {
      nullable: true,
      description: "Id of the zone: what the backup schedule's copy settings are keyed by.",
    }),
    zoneName: t.exposeString('zoneName', { nullable: true, description: 'Name of the zone, e.g. `Zone 1`.' }),
    regions: t.expose('regions', { type: [ClusterRegionRef], description: 'The regions of this shard.' }),
  }),
});
