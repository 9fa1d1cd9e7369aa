import type { z } from 'zod';
import type { AtlasCallOptions, AtlasClient } from './client.js';
import { defineOperation } from './operation.js';
import { pageQuery, paginatedSchema, type PageRequest } from './pagination.js';
import { expandPath } from './path.js';

/** The path parameters of one cluster (or serverless instance) of a family; `Name` is its name parameter. */
export type BackupClusterKey<Name extends string> = { groupId: string } & { [K in Name]: string };

/** The path parameters of one snapshot. */
export type BackupSnapshotKey<Name extends string> = BackupClusterKey<Name> & { snapshotId: string };

/** The path parameters of one restore job. */
export type BackupRestoreJobKey<Name extends string> = BackupClusterKey<Name> & { restoreJobId: string };

/** What tells one backup operation family (Flex, serverless) from another. */
export interface BackupFamilySpec<Name extends string, Snapshot extends z.ZodType, RestoreJob extends z.ZodType> {
  /** The spec's names of the four operations (Go SDK method names): used in logs, errors and metrics. */
  names: { getSnapshot: string; listSnapshots: string; getRestoreJob: string; listRestoreJobs: string };
  /** The versioned media type, e.g. `application/vnd.atlas.2024-11-13+json`. */
  mediaType: string;
  /** The clusters' collection, e.g. `/api/atlas/v2/groups/{groupId}/flexClusters`. */
  pathPrefix: string;
  /** The path parameter that names the cluster: `name` (Flex) or `clusterName` (serverless). */
  nameParameter: Name;
  /** The shape of one snapshot body. */
  snapshot: Snapshot;
  /** The shape of one restore job body. */
  restoreJob: RestoreJob;
}

/**
 * One backup operation family: the four read operations (`…/backup/snapshots[/{snapshotId}]`,
 * `…/backup/restoreJobs[/{restoreJobId}]`) and their calls over a client.
 */
export function defineBackupFamily<Name extends string, Snapshot extends z.ZodType, RestoreJob extends z.ZodType>(
  spec: BackupFamilySpec<Name, Snapshot, RestoreJob>,
) {
  const { names, mediaType } = spec;
  const backup = `${spec.pathPrefix}/{${spec.nameParameter}}/backup`;
  const operations = {
    getSnapshot: defineOperation(names.getSnapshot, mediaType, `${backup}/snapshots/{snapshotId}`, spec.snapshot),
    listSnapshots: defineOperation(
      names.listSnapshots,
      mediaType,
      `${backup}/snapshots`,
      paginatedSchema(spec.snapshot),
      true,
    ),
    getRestoreJob: defineOperation(
      names.getRestoreJob,
      mediaType,
      `${backup}/restoreJobs/{restoreJobId}`,
      spec.restoreJob,
    ),
    listRestoreJobs: defineOperation(
      names.listRestoreJobs,
      mediaType,
      `${backup}/restoreJobs`,
      paginatedSchema(spec.restoreJob),
      true,
    ),
  };
  const { getSnapshot, listSnapshots, getRestoreJob, listRestoreJobs } = operations;
  return {
    operations,
    /** The encoded path of one snapshot. */
    snapshotPath: (key: BackupSnapshotKey<Name>) => expandPath(getSnapshot.template, key),
    getSnapshot: (client: AtlasClient, key: BackupSnapshotKey<Name>, options?: AtlasCallOptions) =>
      client.get(getSnapshot, expandPath(getSnapshot.template, key), options),
    listSnapshots: (client: AtlasClient, key: BackupClusterKey<Name>, page: PageRequest, options?: AtlasCallOptions) =>
      client.get(listSnapshots, `${expandPath(listSnapshots.template, key)}${pageQuery(page)}`, options),
    getRestoreJob: (client: AtlasClient, key: BackupRestoreJobKey<Name>, options?: AtlasCallOptions) =>
      client.get(getRestoreJob, expandPath(getRestoreJob.template, key), options),
    listRestoreJobs: (
      client: AtlasClient,
      key: BackupClusterKey<Name>,
      page: PageRequest,
      options?: AtlasCallOptions,
    ) => client.get(listRestoreJobs, `${expandPath(listRestoreJobs.template, key)}${pageQuery(page)}`, options),
  };
}
