import { z } from 'zod';
import {
  defineBackupFamily,
  type BackupClusterKey,
  type BackupRestoreJobKey,
  type BackupSnapshotKey,
} from './backup-family.js';
import { dateTimeSchema } from './date-time.js';
import { clusterNameSchema, objectIdSchema } from './ids.js';
import { linksSchema } from './links.js';
import { atlasArray, atlasText } from './wire-fields.js';

// The serverless backup operations (API version 2023-01-01), retired by Atlas on 2026-01-22.

/**
 * `ServerlessBackupSnapshot`. Enum-like fields are plain strings here: Atlas may add values, and one
 * unknown value must not fail the whole snapshot (the schema layer decides).
 */
export const serverlessSnapshotSchema = z.object({
  // Required: a 2xx body without its id is not the resource (an error envelope, a proxy's page).
  id: objectIdSchema,
  createdAt: dateTimeSchema.optional(),
  expiresAt: dateTimeSchema.optional(),
  frequencyType: atlasText('enum').optional(),
  snapshotType: atlasText('enum').optional(),
  status: atlasText('enum').optional(),
  mongodVersion: atlasText('version').optional(),
  serverlessInstanceName: atlasText('name').optional(),
  // int64 upstream. Not `.int()`: zod would then refuse the whole snapshot past 2^53-1, where
  // JSON numbers lose precision; the SafeInt scalar fails that one field instead.
  storageSizeBytes: z.number().optional(),
  links: linksSchema,
});

/** One serverless backup snapshot as Atlas describes it. */
export type ServerlessSnapshotBody = z.infer<typeof serverlessSnapshotSchema>;

/** More download URLs than one restore job has (the recordings have one). */
const MAX_DELIVERY_URLS = 32;

/** `ServerlessBackupRestoreJob`. The int32 Unix-second fields are read as plain numbers: past 2038 they exceed int32. */
export const serverlessRestoreJobSchema = z.object({
  // Required: a 2xx body without its id is not the resource (an error envelope, a proxy's page).
  id: objectIdSchema,
  deliveryType: atlasText('enum').optional(),
  cancelled: z.boolean().optional(),
  expired: z.boolean().optional(),
  failed: z.boolean().optional(),
  deliveryUrl: atlasArray(atlasText('url'), MAX_DELIVERY_URLS).optional(),
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

/** The serverless backup operations over one client (`clusterName` is the instance's path parameter). */
export const serverlessBackup = defineBackupFamily({
  names: {
    getSnapshot: 'getServerlessBackupSnapshot',
    listSnapshots: 'listServerlessBackupSnapshots',
    getRestoreJob: 'getServerlessRestoreJob',
    listRestoreJobs: 'listServerlessRestoreJobs',
  },
  mediaType: 'application/vnd.atlas.2023-01-01+json',
  pathPrefix: '/api/atlas/v2/groups/{groupId}/serverless',
  nameParameter: 'clusterName',
  snapshot: serverlessSnapshotSchema,
  restoreJob: serverlessRestoreJobSchema,
});

/** The four operations under their Atlas names (the router names them in its answers). */
export const {
  getSnapshot: getServerlessBackupSnapshot,
  listSnapshots: listServerlessBackupSnapshots,
  getRestoreJob: getServerlessRestoreJob,
  listRestoreJobs: listServerlessRestoreJobs,
} = serverlessBackup.operations;

/** The path parameters of one serverless instance. */
export type ServerlessInstanceKey = BackupClusterKey<'clusterName'>;
/** The path parameters of one serverless snapshot. */
export type ServerlessSnapshotKey = BackupSnapshotKey<'clusterName'>;
/** The path parameters of one serverless restore job. */
export type ServerlessRestoreJobKey = BackupRestoreJobKey<'clusterName'>;

/** The encoded path of one serverless snapshot. */
export const serverlessSnapshotPath = serverlessBackup.snapshotPath;
