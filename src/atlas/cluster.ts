import { z } from 'zod';
import type { BackupClusterKey } from './backup-family.js';
import type { AtlasCallOptions, AtlasClient } from './client.js';
import { dateTimeSchema } from './date-time.js';
import { objectIdSchema } from './ids.js';
import { linksSchema } from './links.js';
import { lenient, nullable } from './nullable.js';
import { defineOperation } from './operation.js';
import { pageQuery, paginatedSchema, type PageRequest } from './pagination.js';
import { expandPath } from './path.js';
import { atlasArray, atlasText } from './wire-fields.js';

// The cluster operations: `getCluster`/`listClusters` (2024-08-05, README §10.1 ops 25–26) and
// `getFlexCluster` (2024-11-13). Only a documented subset of the enormous cluster schema is read;
// every other field is dropped. Enum-like fields are plain strings (the schema layer degrades an
// unknown value), and the parts the spec gets wrong (§10.6 item 5: `regionName` declared an object,
// hardware specs in a oneOf without discriminator) are read leniently.

/** More shards than Atlas allows a cluster (its documented maximum is 70). */
const MAX_SHARDS = 100;
/** More regions than one shard has (a few per provider at most). */
const MAX_REGIONS = 50;

/** Hardware of one node type in one region: only what a dashboard shows. */
const hardwareSpecSchema = z.object({
  instanceSize: nullable(atlasText('enum')),
  nodeCount: nullable(z.number().int()),
  diskSizeGB: nullable(z.number()),
});

/** `CloudRegionConfig20240805`, reduced: provider, region (a string, whatever the spec says), priority, node specs. */
const regionConfigSchema = z.object({
  providerName: nullable(atlasText('enum')),
  /** Set on `TENANT` regions: the cloud the shared cluster runs on. */
  backingProviderName: nullable(atlasText('enum')),
  regionName: lenient(atlasText('enum')),
  priority: lenient(z.number().int()),
  electableSpecs: lenient(hardwareSpecSchema),
  readOnlySpecs: lenient(hardwareSpecSchema),
  analyticsSpecs: lenient(hardwareSpecSchema),
  /** What runs after auto-scaling; preferred over the configured spec when present. */
  effectiveElectableSpecs: lenient(hardwareSpecSchema),
});

/** `ReplicationSpec20240805`, reduced: its ids (the zone id keys copy settings), zone and regions. */
const replicationSpecSchema = z.object({
  id: lenient(objectIdSchema),
  zoneId: lenient(objectIdSchema),
  zoneName: nullable(atlasText('name')),
  regionConfigs: lenient(atlasArray(regionConfigSchema, MAX_REGIONS)),
});

/** `ClusterDescription20240805`, the documented subset this service reads (README §10.3 "Cluster"). */
export const clusterSchema = z.object({
  // Required: a 2xx body without its id or name is not a cluster (an error envelope, a proxy's page).
  id: objectIdSchema,
  name: atlasText('name').min(1),
  groupId: nullable(objectIdSchema),
  clusterType: nullable(atlasText('enum')),
  stateName: nullable(atlasText('enum')),
  paused: nullable(z.boolean()),
  backupEnabled: nullable(z.boolean()),
  pitEnabled: nullable(z.boolean()),
  mongoDBVersion: nullable(atlasText('version')),
  createDate: nullable(dateTimeSchema),
  configServerType: nullable(atlasText('enum')),
  replicationSpecs: lenient(atlasArray(replicationSpecSchema, MAX_SHARDS)),
  links: linksSchema,
});

/** One dedicated cluster as Atlas describes it (the subset read). */
export type ClusterBody = z.infer<typeof clusterSchema>;
/** One region of a dedicated cluster's replication spec, as read. */
export type RegionConfigBody = z.infer<typeof regionConfigSchema>;

/** `FlexClusterDescription20241113`, the subset this service reads. */
export const flexClusterSchema = z.object({
  id: objectIdSchema,
  name: atlasText('name').min(1),
  groupId: nullable(objectIdSchema),
  clusterType: nullable(atlasText('enum')),
  stateName: nullable(atlasText('enum')),
  mongoDBVersion: nullable(atlasText('version')),
  createDate: nullable(dateTimeSchema),
  terminationProtectionEnabled: nullable(z.boolean()),
  backupSettings: lenient(z.object({ enabled: nullable(z.boolean()) })),
  providerSettings: lenient(
    z.object({
      backingProviderName: nullable(atlasText('enum')),
      providerName: nullable(atlasText('enum')),
      regionName: lenient(atlasText('enum')),
      diskSizeGB: lenient(z.number()),
    }),
  ),
  links: linksSchema,
});

/** One Flex cluster as Atlas describes it (the subset read). */
export type FlexClusterBody = z.infer<typeof flexClusterSchema>;

/** The path parameters of one cluster (dedicated or Flex) by name. */
export type ClusterKey = BackupClusterKey<'clusterName'>;

const CLUSTER_MEDIA = 'application/vnd.atlas.2024-08-05+json';

/** `GET /groups/{groupId}/clusters/{clusterName}`: Project Read Only; 400 CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API for a Flex name. */
const getCluster = defineOperation(
  'getCluster',
  CLUSTER_MEDIA,
  '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}',
  clusterSchema,
);

/** `GET /groups/{groupId}/clusters`: the project's dedicated clusters, paged. */
export const listClusters = defineOperation(
  'listClusters',
  CLUSTER_MEDIA,
  '/api/atlas/v2/groups/{groupId}/clusters',
  paginatedSchema(clusterSchema),
  true,
);

/** `GET /groups/{groupId}/flexClusters/{name}` (2024-11-13): 400 CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API for a dedicated name. */
const getFlexCluster = defineOperation(
  'getFlexCluster',
  'application/vnd.atlas.2024-11-13+json',
  '/api/atlas/v2/groups/{groupId}/flexClusters/{name}',
  flexClusterSchema,
);

/** The cluster reads over one client. */
export const clusterApi = {
  getCluster: (client: AtlasClient, key: ClusterKey, options?: AtlasCallOptions) =>
    client.get(getCluster, expandPath(getCluster.template, key), options),
  listClusters: (client: AtlasClient, key: { groupId: string }, page: PageRequest, options?: AtlasCallOptions) =>
    client.get(listClusters, `${expandPath(listClusters.template, key)}${pageQuery(page)}`, options),
  getFlexCluster: (client: AtlasClient, { groupId, clusterName }: ClusterKey, options?: AtlasCallOptions) =>
    client.get(getFlexCluster, expandPath(getFlexCluster.template, { groupId, name: clusterName }), options),
};
