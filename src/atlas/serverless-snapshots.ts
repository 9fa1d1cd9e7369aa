import { z } from 'zod';
import type { AtlasCallOptions, AtlasClient } from './client.js';
import { objectIdSchema } from './ids.js';
import { dateTimeSchema, linksSchema } from './links.js';
import type { AtlasOperation } from './operation.js';
import { atlasPath } from './path.js';

/**
 * `ServerlessBackupSnapshot` (spec, 2023-01-01). Enum-like fields are plain strings here: Atlas may
 * add values, and one unknown value must not fail the whole snapshot (the schema layer decides).
 */
export const serverlessSnapshotSchema = z.object({
  id: objectIdSchema.optional(),
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

/** Identifies one serverless snapshot: the three path parameters of the operation. */
export interface ServerlessSnapshotKey {
  groupId: string;
  clusterName: string;
  snapshotId: string;
}

/** `GET /api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/snapshots/{snapshotId}` (sunset 2026-01-22). */
export const getServerlessBackupSnapshot: AtlasOperation<typeof serverlessSnapshotSchema> = {
  name: 'getServerlessBackupSnapshot',
  accept: 'application/vnd.atlas.2023-01-01+json',
  schema: serverlessSnapshotSchema,
};

/** The encoded path of one serverless snapshot. */
export function serverlessSnapshotPath({ groupId, clusterName, snapshotId }: ServerlessSnapshotKey): string {
  return atlasPath`/api/atlas/v2/groups/${groupId}/serverless/${clusterName}/backup/snapshots/${snapshotId}`;
}

/** Fetches one serverless snapshot. */
export function fetchServerlessSnapshot(
  client: AtlasClient,
  key: ServerlessSnapshotKey,
  options?: AtlasCallOptions,
): Promise<ServerlessSnapshotBody> {
  return client.get(getServerlessBackupSnapshot, serverlessSnapshotPath(key), options);
}
