import { z } from 'zod';
import type { BackupClusterKey } from './backup-family.js';
import type { AtlasCallOptions, AtlasClient } from './client.js';
import { dateTimeSchema } from './date-time.js';
import { objectIdSchema } from './ids.js';
import { linksSchema } from './links.js';
import { defineOperation } from './operation.js';
import { pageQuery, paginatedSchema, type PageRequest } from './pagination.js';
import { expandPath } from './path.js';
import { atlasArray, atlasText } from './wire-fields.js';

// Export jobs of a dedicated cluster (API version 2023-01-01, Project Backup Manager) and the
// project's export buckets (2024-05-30: AWS, Azure and GCP). Enum-like fields are plain strings in
// each schema's casing: one value Atlas adds later must not fail the body.

/** Array bounds, well above what Atlas sends (one component per shard; a few labels). */
const MAX = { customData: 64, components: 128 } as const;

const enumText = atlasText('enum');
const int = z.number().int();

/** `DiskBackupExportJob`: no `links` in any recording; `exportStatus` stays 0/0 even when Successful. */
export const exportJobSchema = z.object({
  // Required: a 2xx body without its id is not the resource (an error envelope, a proxy's page).
  id: objectIdSchema,
  exportBucketId: objectIdSchema,
  snapshotId: objectIdSchema.optional(),
  /** PascalCase: `Queued` `InProgress` `Successful` `Failed` `Cancelled`. */
  state: enumText.optional(),
  /** Sent when the job failed. */
  stateReason: z
    .object({ errorCode: atlasText('name').optional(), message: atlasText('description').optional() })
    .optional(),
  exportStatus: z.object({ exportedCollections: int.optional(), totalCollections: int.optional() }).optional(),
  createdAt: dateTimeSchema.optional(),
  /** Appears once the job ends. */
  finishedAt: dateTimeSchema.optional(),
  customData: atlasArray(
    z.object({ key: atlasText('description').optional(), value: atlasText('description').optional() }),
    MAX.customData,
  ).optional(),
  /** Sharded clusters: one export per shard. */
  components: atlasArray(
    z.object({ exportId: objectIdSchema.optional(), replicaSetName: atlasText('name').optional() }),
    MAX.components,
  ).optional(),
  /** Observed `exported_snapshots/<orgId>/<projectId>/<cluster>/<date>/<unix seconds>`; the spec's pattern matches nothing. */
  prefix: atlasText('url').optional(),
  links: linksSchema,
});

/** One export job as Atlas describes it. */
export type ExportJobBody = z.infer<typeof exportJobSchema>;

/** What every export bucket has; the id arrives as `_id`. */
const bucketBase = { _id: objectIdSchema, bucketName: atlasText('name'), links: linksSchema };

/** The providers this client knows how to read a bucket of. */
const KNOWN_PROVIDERS: ReadonlySet<string> = new Set(['AWS', 'AZURE', 'GCP']);

/**
 * `DiskBackupSnapshotExportBucketResponse` (2024-05-30), discriminated by `cloudProvider`. Provider
 * fields the spec requires are optional here (list items lacked `region`); a provider Atlas adds later
 * parses as its common fields, so one new bucket does not fail a list.
 */
export const exportBucketSchema = z.union([
  z.discriminatedUnion('cloudProvider', [
    z.object({
      ...bucketBase,
      cloudProvider: z.literal('AWS'),
      iamRoleId: objectIdSchema.optional(),
      /** Read-only; absent from list items. */
      region: enumText.optional(),
      requirePrivateNetworking: z.boolean().optional(),
    }),
    z.object({
      ...bucketBase,
      cloudProvider: z.literal('AZURE'),
      roleId: objectIdSchema.optional(),
      serviceUrl: atlasText('url').optional(),
      tenantId: atlasText('name').optional(),
    }),
    z.object({ ...bucketBase, cloudProvider: z.literal('GCP'), roleId: objectIdSchema.optional() }),
  ]),
  z.object({ ...bucketBase, cloudProvider: enumText.refine((provider) => !KNOWN_PROVIDERS.has(provider)) }),
]);

/** One export bucket as Atlas describes it. */
export type ExportBucketBody = z.infer<typeof exportBucketSchema>;

/** The path parameters of one export job. */
export type ExportJobKey = BackupClusterKey<'clusterName'> & { exportId: string };
/** The path parameters of one export bucket. */
export type ExportBucketKey = { groupId: string; exportBucketId: string };

const EXPORTS = '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports';
const BUCKETS = '/api/atlas/v2/groups/{groupId}/backup/exportBuckets';
const V2023 = 'application/vnd.atlas.2023-01-01+json';
const V2024 = 'application/vnd.atlas.2024-05-30+json';

/** The four operations, under their Atlas (SDK) names. */
export const exportOperations = {
  listBackupExports: defineOperation('listBackupExports', V2023, EXPORTS, paginatedSchema(exportJobSchema), true),
  getBackupExport: defineOperation('getBackupExport', V2023, `${EXPORTS}/{exportId}`, exportJobSchema),
  listExportBuckets: defineOperation('listExportBuckets', V2024, BUCKETS, paginatedSchema(exportBucketSchema), true),
  getExportBucket: defineOperation('getExportBucket', V2024, `${BUCKETS}/{exportBucketId}`, exportBucketSchema),
};

const { listBackupExports, getBackupExport, listExportBuckets, getExportBucket } = exportOperations;

/** The calls of the four operations over one client. */
export const backupExports = {
  getExportJob: (client: AtlasClient, key: ExportJobKey, options?: AtlasCallOptions) =>
    client.get(getBackupExport, expandPath(getBackupExport.template, key), options),
  listExportJobs: (
    client: AtlasClient,
    key: BackupClusterKey<'clusterName'>,
    page: PageRequest,
    options?: AtlasCallOptions,
  ) => client.get(listBackupExports, `${expandPath(listBackupExports.template, key)}${pageQuery(page)}`, options),
  getExportBucket: (client: AtlasClient, key: ExportBucketKey, options?: AtlasCallOptions) =>
    client.get(getExportBucket, expandPath(getExportBucket.template, key), options),
  listExportBuckets: (client: AtlasClient, groupId: string, page: PageRequest, options?: AtlasCallOptions) =>
    client.get(listExportBuckets, `${expandPath(listExportBuckets.template, { groupId })}${pageQuery(page)}`, options),
};
