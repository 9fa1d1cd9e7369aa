import { z } from 'zod';
import type { AtlasCallOptions, AtlasClient } from './client.js';
import { clusterNameSchema, objectIdSchema } from './ids.js';
import { dateTimeSchema } from './date-time.js';
import { linksSchema } from './links.js';
import { defineOperation } from './operation.js';
import { pageQuery, paginatedSchema, type PageRequest } from './pagination.js';
import { atlasPath } from './path.js';

// The serverless backup operations (API version 2023-01-01), retired by Atlas on 2026-01-22.
const MEDIA_TYPE = 'application/vnd.atlas.2023-01-01+json';

/**
 * `ServerlessBackupSnapshot`. Enum-like fields are plain strings here: Atlas may add values, and one
 * unknown value must not fail the whole snapshot (the schema layer decides).
 */
export const serverlessSnapshotSchema = z.object({
  // Required: a 2xx body without its id is not the resource (an error envelope, a proxy's page).
  id: objectIdSchema,
  createdAt: dateTimeSchema.optional(),
  expiresAt: dateTimeSchema.optional(),
  frequencyType: z.string().optional(),
  snapshotType: z.string().optional(),
  status: z.string().optional(),
  mongodVersion: z.string().optional(),
  serverlessInstanceName: z.string().optional(),
  // int64 upstream. Not `.int()`: zod would then refuse the whole snapshot past 2^53-1, where
  // JSON numbers lose precision; the SafeInt scalar fails that one field instead.
  storageSizeBytes: z.number().optional(),
  links: linksSchema,
});

/** One serverless backup snapshot as Atlas describes it. */
export type ServerlessSnapshotBody = z.infer<typeof serverlessSnapshotSchema>;

/** `ServerlessBackupRestoreJob`. The int32 Unix-second fields are read as plain numbers: past 2038 they exceed int32. */
export const serverlessRestoreJobSchema = z.object({
  // Required: a 2xx body without its id is not the resource (an error envelope, a proxy's page).
  id: objectIdSchema,
  deliveryType: z.string().optional(),
  cancelled: z.boolean().optional(),
  expired: z.boolean().optional(),
  failed: z.boolean().optional(),
  deliveryUrl: z.array(z.string()).optional(),
  desiredTimestamp: z.object({ date: dateTimeSchema.optional(), increment: z.number().int().optional() }).optional(),
  expiresAt: dateTimeSchema.optional(),
  finishedAt: dateTimeSchema.optional(),
  timestamp: dateTimeSchema.optional(),
  oplogInc: z.number().int().optional(),
  oplogTs: z.number().int().optional(),
  pointInTimeUTCSeconds: z.number().int().optional(),
  snapshotId: objectIdSchema.optional(),
  targetClusterName: clusterNameSchema.optional().catch(undefined),
  targetGroupId: objectIdSchema.optional(),
  links: linksSchema,
});

/** One serverless restore job as Atlas describes it. */
export type ServerlessRestoreJobBody = z.infer<typeof serverlessRestoreJobSchema>;

/** The path parameters shared by the serverless backup operations. */
export interface ServerlessInstanceKey {
  groupId: string;
  clusterName: string;
}

export interface ServerlessSnapshotKey extends ServerlessInstanceKey {
  snapshotId: string;
}

export interface ServerlessRestoreJobKey extends ServerlessInstanceKey {
  restoreJobId: string;
}

export const getServerlessBackupSnapshot = defineOperation(
  'getServerlessBackupSnapshot',
  MEDIA_TYPE,
  `/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/snapshots/{snapshotId}`,
  serverlessSnapshotSchema,
);
export const listServerlessBackupSnapshots = defineOperation(
  'listServerlessBackupSnapshots',
  MEDIA_TYPE,
  `/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/snapshots`,
  paginatedSchema(serverlessSnapshotSchema),
  true,
);
export const getServerlessRestoreJob = defineOperation(
  'getServerlessRestoreJob',
  MEDIA_TYPE,
  `/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/restoreJobs/{restoreJobId}`,
  serverlessRestoreJobSchema,
);
export const listServerlessRestoreJobs = defineOperation(
  'listServerlessRestoreJobs',
  MEDIA_TYPE,
  `/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/restoreJobs`,
  paginatedSchema(serverlessRestoreJobSchema),
  true,
);

/** `…/serverless/{clusterName}/backup` of one instance. */
const backupPath = ({ groupId, clusterName }: ServerlessInstanceKey) =>
  atlasPath`/api/atlas/v2/groups/${groupId}/serverless/${clusterName}/backup`;

/** The encoded path of one serverless snapshot. */
export function serverlessSnapshotPath(key: ServerlessSnapshotKey): string {
  return `${backupPath(key)}${atlasPath`/snapshots/${key.snapshotId}`}`;
}

/** The serverless backup operations over one client. */
export const serverlessBackup = {
  getSnapshot: (client: AtlasClient, key: ServerlessSnapshotKey, options?: AtlasCallOptions) =>
    client.get(getServerlessBackupSnapshot, serverlessSnapshotPath(key), options),
  listSnapshots: (client: AtlasClient, key: ServerlessInstanceKey, page: PageRequest, options?: AtlasCallOptions) =>
    client.get(listServerlessBackupSnapshots, `${backupPath(key)}/snapshots${pageQuery(page)}`, options),
  getRestoreJob: (client: AtlasClient, key: ServerlessRestoreJobKey, options?: AtlasCallOptions) =>
    client.get(getServerlessRestoreJob, `${backupPath(key)}${atlasPath`/restoreJobs/${key.restoreJobId}`}`, options),
  listRestoreJobs: (client: AtlasClient, key: ServerlessInstanceKey, page: PageRequest, options?: AtlasCallOptions) =>
    client.get(listServerlessRestoreJobs, `${backupPath(key)}/restoreJobs${pageQuery(page)}`, options),
};
