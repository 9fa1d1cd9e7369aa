import { z } from 'zod';
import { backupWrites } from '../../atlas/backup-writes.js';
import { objectIdSchema } from '../../atlas/ids.js';
import { exportJobRecord, type ExportJobRecord } from '../backup-settings-records.js';
import { atlasWrite, type BackupAction, type SchemaOf } from './action.js';
import { actionInputFields, clusterOf, completedSnapshot, dedicatedClusterFor } from './checks.js';

// Export a snapshot of a dedicated cluster to one of the project's export buckets (README §10.1
// op 17, body §10.2 `DiskBackupExportJobRequest`): Atlas answers with the new job, `Queued`.

/** Custom data Atlas writes into the export's metadata: plain key/value pairs. */
const customDataSchema = z
  .array(z.object({ key: z.string().min(1).max(256), value: z.string().max(1024) }))
  .max(50, { error: 'at most 50 entries' });

/** The input of `exportClusterSnapshot`. */
export const exportInputSchema = z.object({
  ...actionInputFields,
  snapshotId: objectIdSchema,
  exportBucketId: objectIdSchema,
  customData: customDataSchema.nullish(),
});

type ExportInput = z.infer<typeof exportInputSchema>;

/** Op 17: export a completed snapshot to a bucket (Project Backup Export Operator). */
export const exportClusterSnapshot: BackupAction<
  ExportInput,
  void,
  SchemaOf<typeof backupWrites.createBackupExport>,
  ExportJobRecord
> = {
  name: 'exportClusterSnapshot',
  scope: () => 'backups:export',
  targets: (input) => ({ ...clusterOf(input), snapshotId: input.snapshotId, exportBucketId: input.exportBucketId }),
  prepare: () => Promise.resolve(),
  request: (input) =>
    atlasWrite(backupWrites.createBackupExport, clusterOf(input), {
      exportBucketId: input.exportBucketId,
      snapshotId: input.snapshotId,
      ...(input.customData == null ? {} : { customData: input.customData }),
    }),
  async check(input, loaders) {
    await dedicatedClusterFor(loaders, input);
    await completedSnapshot(loaders, { ...clusterOf(input), snapshotId: input.snapshotId }, 'exported');
    await loaders.exportBucket.load({ groupId: input.groupId, exportBucketId: input.exportBucketId });
  },
  settle(answer, input, loaders) {
    const job = exportJobRecord(clusterOf(input), answer);
    loaders.exportJobs.forget(clusterOf(input));
    loaders.exportJob.prime({ ...clusterOf(input), exportId: job.id }, job);
    return job;
  },
};
