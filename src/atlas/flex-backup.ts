import { z } from 'zod';
import {
  defineBackupFamily,
  type BackupClusterKey,
  type BackupRestoreJobKey,
  type BackupSnapshotKey,
} from './backup-family.js';
import { dateTimeSchema } from './date-time.js';
import { objectIdSchema } from './ids.js';
import { linksSchema } from './links.js';
import { atlasText } from './wire-fields.js';

// The Flex backup operations (API version 2024-11-13): the successors of the serverless ones.

/** `FlexBackupSnapshot20241113`: no size, frequency, type or instance name; upper-case statuses. */
export const flexSnapshotSchema = z.object({
  // Required: a 2xx body without its id is not the resource (an error envelope, a proxy's page).
  id: objectIdSchema,
  status: atlasText('enum').optional(),
  mongoDBVersion: atlasText('version').optional(),
  scheduledTime: dateTimeSchema.optional(),
  startTime: dateTimeSchema.optional(),
  finishTime: dateTimeSchema.optional(),
  expiration: dateTimeSchema.optional(),
  links: linksSchema,
});

/** One Flex backup snapshot as Atlas describes it. */
export type FlexSnapshotBody = z.infer<typeof flexSnapshotSchema>;

/** `FlexBackupRestoreJob20241113`. */
export const flexRestoreJobSchema = z.object({
  // Required: a 2xx body without its id is not the resource (an error envelope, a proxy's page).
  id: objectIdSchema,
  projectId: objectIdSchema.optional(),
  snapshotId: objectIdSchema.optional(),
  targetProjectId: objectIdSchema.optional(),
  deliveryType: atlasText('enum').optional(),
  status: atlasText('enum').optional(),
  instanceName: atlasText('name').optional(),
  targetDeploymentItemName: atlasText('name').optional(),
  snapshotUrl: atlasText('url').optional(),
  expirationDate: dateTimeSchema.optional(),
  restoreScheduledDate: dateTimeSchema.optional(),
  restoreFinishedDate: dateTimeSchema.optional(),
  snapshotFinishedDate: dateTimeSchema.optional(),
  links: linksSchema,
});

/** One Flex restore job as Atlas describes it. */
export type FlexRestoreJobBody = z.infer<typeof flexRestoreJobSchema>;

/** The Flex backup operations over one client (`name` is the cluster's path parameter). */
export const flexBackup = defineBackupFamily({
  names: {
    getSnapshot: 'getFlexBackupSnapshot',
    listSnapshots: 'listFlexBackupSnapshots',
    getRestoreJob: 'getFlexRestoreJob',
    listRestoreJobs: 'listFlexRestoreJobs',
  },
  mediaType: 'application/vnd.atlas.2024-11-13+json',
  pathPrefix: '/api/atlas/v2/groups/{groupId}/flexClusters',
  nameParameter: 'name',
  snapshot: flexSnapshotSchema,
  restoreJob: flexRestoreJobSchema,
});

/** Operations under their Atlas names, for the tests that check their path patterns and families. */
export const {
  getSnapshot: getFlexBackupSnapshot,
  listSnapshots: listFlexBackupSnapshots,
  listRestoreJobs: listFlexRestoreJobs,
} = flexBackup.operations;

/** The path parameters of one Flex cluster. */
export type FlexClusterKey = BackupClusterKey<'name'>;
/** The path parameters of one Flex snapshot. */
export type FlexSnapshotKey = BackupSnapshotKey<'name'>;
/** The path parameters of one Flex restore job. */
export type FlexRestoreJobKey = BackupRestoreJobKey<'name'>;
