import { z } from 'zod';
import type { AtlasCallOptions, AtlasClient } from './client.js';
import { objectIdSchema } from './ids.js';
import { dateTimeSchema } from './date-time.js';
import { linksSchema } from './links.js';
import { defineOperation } from './operation.js';
import { pageQuery, paginatedSchema, type PageRequest } from './pagination.js';
import { atlasPath } from './path.js';

// The Flex backup operations (API version 2024-11-13): the successors of the serverless ones.
const MEDIA_TYPE = 'application/vnd.atlas.2024-11-13+json';

/** `FlexBackupSnapshot20241113`: no size, frequency, type or instance name; upper-case statuses. */
export const flexSnapshotSchema = z.object({
  // Required: a 2xx body without its id is not the resource (an error envelope, a proxy's page).
  id: objectIdSchema,
  status: z.string().optional(),
  mongoDBVersion: z.string().optional(),
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
  deliveryType: z.string().optional(),
  status: z.string().optional(),
  instanceName: z.string().optional(),
  targetDeploymentItemName: z.string().optional(),
  snapshotUrl: z.string().optional(),
  expirationDate: dateTimeSchema.optional(),
  restoreScheduledDate: dateTimeSchema.optional(),
  restoreFinishedDate: dateTimeSchema.optional(),
  snapshotFinishedDate: dateTimeSchema.optional(),
  links: linksSchema,
});

/** One Flex restore job as Atlas describes it. */
export type FlexRestoreJobBody = z.infer<typeof flexRestoreJobSchema>;

/** The path parameters shared by the Flex backup operations. */
export interface FlexClusterKey {
  groupId: string;
  name: string;
}

export interface FlexSnapshotKey extends FlexClusterKey {
  snapshotId: string;
}

export interface FlexRestoreJobKey extends FlexClusterKey {
  restoreJobId: string;
}

export const getFlexBackupSnapshot = defineOperation(
  'getFlexBackupSnapshot',
  MEDIA_TYPE,
  `/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots/{snapshotId}`,
  flexSnapshotSchema,
);
export const listFlexBackupSnapshots = defineOperation(
  'listFlexBackupSnapshots',
  MEDIA_TYPE,
  `/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots`,
  paginatedSchema(flexSnapshotSchema),
  true,
);
export const getFlexRestoreJob = defineOperation(
  'getFlexRestoreJob',
  MEDIA_TYPE,
  `/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/restoreJobs/{restoreJobId}`,
  flexRestoreJobSchema,
);
export const listFlexRestoreJobs = defineOperation(
  'listFlexRestoreJobs',
  MEDIA_TYPE,
  `/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/restoreJobs`,
  paginatedSchema(flexRestoreJobSchema),
  true,
);

/** `…/flexClusters/{name}/backup` of one cluster. */
const backupPath = ({ groupId, name }: FlexClusterKey) =>
  atlasPath`/api/atlas/v2/groups/${groupId}/flexClusters/${name}/backup`;

/** The Flex backup operations over one client. */
export const flexBackup = {
  getSnapshot: (client: AtlasClient, key: FlexSnapshotKey, options?: AtlasCallOptions) =>
    client.get(getFlexBackupSnapshot, `${backupPath(key)}${atlasPath`/snapshots/${key.snapshotId}`}`, options),
  listSnapshots: (client: AtlasClient, key: FlexClusterKey, page: PageRequest, options?: AtlasCallOptions) =>
    client.get(listFlexBackupSnapshots, `${backupPath(key)}/snapshots${pageQuery(page)}`, options),
  getRestoreJob: (client: AtlasClient, key: FlexRestoreJobKey, options?: AtlasCallOptions) =>
    client.get(getFlexRestoreJob, `${backupPath(key)}${atlasPath`/restoreJobs/${key.restoreJobId}`}`, options),
  listRestoreJobs: (client: AtlasClient, key: FlexClusterKey, page: PageRequest, options?: AtlasCallOptions) =>
    client.get(listFlexRestoreJobs, `${backupPath(key)}/restoreJobs${pageQuery(page)}`, options),
};
