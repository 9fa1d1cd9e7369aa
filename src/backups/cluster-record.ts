import type { ClusterBody, FlexClusterBody, RegionConfigBody } from '../atlas/cluster.js';
import type { AtlasLink } from '../atlas/links.js';

/** Node hardware of one kind (electable, read-only, analytics) in one region. */
export interface HardwareRecord {
  instanceSize?: string | undefined;
  nodeCount?: number | undefined;
  diskSizeGB?: number | undefined;
}

/** One region a cluster runs in. */
export interface ClusterRegionRecord {
  /** `AWS` `AZURE` `GCP`; for a shared (`TENANT`) or Flex region, the cloud it is backed by. */
  provider?: string | undefined;
  regionName?: string | undefined;
  priority?: number | undefined;
  /** Electable nodes: what runs after auto-scaling when Atlas says so, the configured spec otherwise. */
  electable?: HardwareRecord | undefined;
  readOnly?: HardwareRecord | undefined;
  analytics?: HardwareRecord | undefined;
}

/** One replication spec: the only one of a replica set, one per shard otherwise. */
export interface ReplicationSpecRecord {
  id?: string | undefined;
  /** The zone's id: what the backup schedule's copy settings are keyed by (2024-08-05). */
  zoneId?: string | undefined;
  zoneName?: string | undefined;
  regions: ClusterRegionRecord[];
}

/** What every cluster has, whichever API described it; `groupId` and `name` as asked (or as listed). */
interface ClusterBase {
  groupId: string;
  name: string;
  id: string;
  /** `REPLICASET` `SHARDED` `GEOSHARDED`, or a value as sent. */
  clusterType?: string | undefined;
  /** `IDLE` `CREATING` `UPDATING` `DELETING` `REPAIRING`, or a value as sent. */
  stateName?: string | undefined;
  mongoDBVersion?: string | undefined;
  /** `createDate`. */
  createdAt?: string | undefined;
  backupEnabled?: boolean | undefined;
  regions: ClusterRegionRecord[];
  links: AtlasLink[];
}

/** A dedicated (M10+) cluster, from `getCluster`/`listClusters`. */
export interface DedicatedClusterRecord extends ClusterBase {
  kind: 'DEDICATED';
  paused?: boolean | undefined;
  pitEnabled?: boolean | undefined;
  configServerType?: string | undefined;
  replicationSpecs: ReplicationSpecRecord[];
}

/** A Flex cluster, from `getFlexCluster`. */
export interface FlexClusterRecord extends ClusterBase {
  kind: 'FLEX';
  diskSizeGB?: number | undefined;
  terminationProtectionEnabled?: boolean | undefined;
}

/** A cluster of either kind. */
export type ClusterRecord = DedicatedClusterRecord | FlexClusterRecord;

function regionRecord(body: RegionConfigBody): ClusterRegionRecord {
  const tenant = body.providerName === 'TENANT' || body.providerName === 'FLEX';
  return {
    provider: (tenant ? body.backingProviderName : body.providerName) ?? body.providerName,
    regionName: body.regionName,
    priority: body.priority,
    electable: body.effectiveElectableSpecs ?? body.electableSpecs,
    readOnly: body.readOnlySpecs,
    analytics: body.analyticsSpecs,
  };
}

/** A `getCluster` or `listClusters` body as a record, in project `groupId`. */
export function clusterFromDedicated(groupId: string, body: ClusterBody): DedicatedClusterRecord {
  const replicationSpecs = (body.replicationSpecs ?? []).map((spec) => ({
    id: spec.id,
    zoneId: spec.zoneId,
    zoneName: spec.zoneName,
    regions: (spec.regionConfigs ?? []).map(regionRecord),
  }));
  return {
    kind: 'DEDICATED',
    groupId,
    name: body.name,
    id: body.id,
    clusterType: body.clusterType,
    stateName: body.stateName,
    mongoDBVersion: body.mongoDBVersion,
    createdAt: body.createDate,
    backupEnabled: body.backupEnabled,
    paused: body.paused,
    pitEnabled: body.pitEnabled,
    configServerType: body.configServerType,
    replicationSpecs,
    regions: replicationSpecs.flatMap((spec) => spec.regions),
    links: body.links,
  };
}

/** A `getFlexCluster` body as a record, in project `groupId`: one region, backed by one cloud. */
export function clusterFromFlex(groupId: string, body: FlexClusterBody): FlexClusterRecord {
  const provider = body.providerSettings;
  return {
    kind: 'FLEX',
    groupId,
    name: body.name,
    id: body.id,
    clusterType: body.clusterType,
    stateName: body.stateName,
    mongoDBVersion: body.mongoDBVersion,
    createdAt: body.createDate,
    backupEnabled: body.backupSettings?.enabled,
    diskSizeGB: provider?.diskSizeGB,
    terminationProtectionEnabled: body.terminationProtectionEnabled,
    regions: provider ? [{ provider: provider.backingProviderName, regionName: provider.regionName }] : [],
    links: body.links,
  };
}

/** How a cluster's snapshots are read: replica-set operations, sharded-cluster operations, or Flex ones. */
export type SnapshotTopology = 'replicaSet' | 'sharded' | 'flex';

/** The snapshot operations a cluster's type calls for (an unknown type reads as a replica set: those operations answer for any). */
export const topologyOf = (cluster: ClusterRecord): SnapshotTopology => {
  if (cluster.kind === 'FLEX') return 'flex';
  return cluster.clusterType === 'SHARDED' || cluster.clusterType === 'GEOSHARDED' ? 'sharded' : 'replicaSet';
};
