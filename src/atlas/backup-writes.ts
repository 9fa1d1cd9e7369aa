import { z } from 'zod';
import { exportJobSchema } from './backup-exports.js';
import { backupScheduleSchema } from './backup-schedule.js';
import { cloudRestoreJobSchema, replicaSetSnapshotSchema } from './cloud-backup.js';
import { flexRestoreJobSchema } from './flex-backup.js';
import { defineWriteOperation } from './operation.js';

// The backup writes (README §10.1 ops 2, 4, 5, 8, 10, 12, 14, 17, 23, 24) and their request bodies
// (§10.2; the actions build them from validated inputs). Every write answers 200 with a body, the deletes 204 without one. Atlas has no
// idempotency key: each POST makes a new snapshot or job, so the client never sends one twice
// unless it provably did not arrive (client.ts `send`). Bodies are the wire's: Atlas field names
// and casings, int32 where the spec says so (§10.6 item 3: `pointInTimeUTCSeconds`, not `Utc`).

const V2023 = 'application/vnd.atlas.2023-01-01+json';
const V2024_08 = 'application/vnd.atlas.2024-08-05+json';
const V2024_11 = 'application/vnd.atlas.2024-11-13+json';
const BACKUP = '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup';
const FLEX_BACKUP = '/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup';

/** Nothing: a 204 has no body (README §10.6 item 2). */
const noContent = z.undefined();

/** The write operations, by their Go SDK names. */
export const backupWrites = {
  takeSnapshots: defineWriteOperation('POST', 'takeSnapshots', V2023, `${BACKUP}/snapshots`, replicaSetSnapshotSchema),
  updateBackupSnapshot: defineWriteOperation(
    'PATCH',
    'updateBackupSnapshot',
    V2023,
    `${BACKUP}/snapshots/{snapshotId}`,
    replicaSetSnapshotSchema,
  ),
  deleteClusterBackupSnapshot: defineWriteOperation(
    'DELETE',
    'deleteClusterBackupSnapshot',
    V2023,
    `${BACKUP}/snapshots/{snapshotId}`,
    noContent,
  ),
  deleteBackupShardedCluster: defineWriteOperation(
    'DELETE',
    'deleteBackupShardedCluster',
    V2023,
    `${BACKUP}/snapshots/shardedCluster/{snapshotId}`,
    noContent,
  ),
  createBackupRestoreJob: defineWriteOperation(
    'POST',
    'createBackupRestoreJob',
    V2023,
    `${BACKUP}/restoreJobs`,
    cloudRestoreJobSchema,
  ),
  cancelBackupRestoreJob: defineWriteOperation(
    'DELETE',
    'cancelBackupRestoreJob',
    V2023,
    `${BACKUP}/restoreJobs/{restoreJobId}`,
    noContent,
  ),
  updateBackupSchedule: defineWriteOperation(
    'PATCH',
    'updateBackupSchedule',
    V2024_08,
    `${BACKUP}/schedule`,
    backupScheduleSchema,
  ),
  createBackupExport: defineWriteOperation('POST', 'createBackupExport', V2023, `${BACKUP}/exports`, exportJobSchema),
  createFlexRestoreJob: defineWriteOperation(
    'POST',
    'createFlexRestoreJob',
    V2024_11,
    `${FLEX_BACKUP}/restoreJobs`,
    flexRestoreJobSchema,
  ),
  downloadFlexBackup: defineWriteOperation(
    'POST',
    'downloadFlexBackup',
    V2024_11,
    `${FLEX_BACKUP}/download`,
    flexRestoreJobSchema,
  ),
} as const;
