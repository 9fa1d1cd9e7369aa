import { z } from 'zod';
import { backupWrites } from '../../atlas/backup-writes.js';
import type { FlexClusterKey } from '../../atlas/flex-backup.js';
import { clusterNameSchema, objectIdSchema } from '../../atlas/ids.js';
import { flexRestoreJobRecord, type FlexRestoreJobRecord } from '../restore-job-record.js';
import type { Loaders } from '../loaders.js';
import { ActionRefusedError, atlasWrite, type BackupAction, type SchemaOf } from './action.js';
import { actionInputFields, idleTargetCluster } from './checks.js';

// The Flex backup actions (README §10.1 ops 23, 24; bodies §10.2): restore a snapshot into a
// cluster named as its target (Flex or dedicated, optionally in another project), and download a
// snapshot (the answer's `snapshotUrl` is pre-signed and lives four hours: a secret). Both answer
// with a Flex restore job, which this request's loaders then hold.

const { clusterName: _clusterName, ...common } = actionInputFields;
/** What both Flex inputs have: the Flex cluster is `name`, as in the Flex queries. */
const flexFields = { ...common, name: clusterNameSchema, snapshotId: objectIdSchema };

/** The input of `restoreFlexSnapshot`: the target repeated in `confirmTargetClusterName`, as the Atlas UI asks. */
export const flexRestoreInputSchema = z
  .object({
    ...flexFields,
    targetClusterName: clusterNameSchema,
    targetGroupId: objectIdSchema.nullish(),
    confirmTargetClusterName: z.string().max(64),
  })
  .refine((input) => input.confirmTargetClusterName === input.targetClusterName, {
    path: ['confirmTargetClusterName'],
    message: 'must repeat targetClusterName exactly: the restore erases all data on the target cluster',
  });

/** The input of `downloadFlexSnapshot`. */
export const flexDownloadInputSchema = z.object(flexFields);

type RestoreInput = z.infer<typeof flexRestoreInputSchema>;
type DownloadInput = z.infer<typeof flexDownloadInputSchema>;

const flexOf = ({ groupId, name }: FlexClusterKey): FlexClusterKey => ({ groupId, name });

/** The snapshot must exist and be completed (`COMPLETED` in the Flex vocabulary, `completed` in the record's). */
async function completedFlexSnapshot(loaders: Loaders, input: DownloadInput, what: string): Promise<void> {
  const snapshot = await loaders.flexSnapshot.load({ ...flexOf(input), snapshotId: input.snapshotId });
  if (snapshot.status !== 'completed')
    throw new ActionRefusedError(
      'conflict',
      `snapshot ${input.snapshotId} is ${snapshot.status ?? 'in an unknown state'}: only a completed snapshot can be ${what}`,
      'snapshotId',
    );
}

/** The request's loaders see the new job. */
function flexJobCreated(loaders: Loaders, at: FlexClusterKey, job: FlexRestoreJobRecord): FlexRestoreJobRecord {
  loaders.flexRestoreJobs.forget(at);
  loaders.flexRestoreJob.prime({ ...at, restoreJobId: job.id }, job);
  return job;
}

/** Op 23: restore a Flex snapshot into a cluster (Project Backup Recovery Operator). */
export const restoreFlexSnapshot: BackupAction<
  RestoreInput,
  void,
  SchemaOf<typeof backupWrites.createFlexRestoreJob>,
  FlexRestoreJobRecord
> = {
  name: 'restoreFlexSnapshot',
  scope: () => 'backups:restore',
  targets: (input) => ({
    groupId: input.groupId,
    clusterName: input.name,
    snapshotId: input.snapshotId,
    targetGroupId: input.targetGroupId ?? input.groupId,
    targetClusterName: input.targetClusterName,
  }),
  prepare: () => Promise.resolve(),
  request: (input) =>
    atlasWrite(backupWrites.createFlexRestoreJob, flexOf(input), {
      snapshotId: input.snapshotId,
      targetDeploymentItemName: input.targetClusterName,
      ...(input.targetGroupId == null ? {} : { targetProjectId: input.targetGroupId }),
    }),
  async check(input, loaders) {
    await completedFlexSnapshot(loaders, input, 'restored');
    // The same rule as a dedicated restore's target: it exists, is IDLE and (a dedicated one) not paused.
    const target = { groupId: input.targetGroupId ?? input.groupId, clusterName: input.targetClusterName };
    await idleTargetCluster(loaders, target, 'targetClusterName');
  },
  settle: (answer, input, loaders) =>
    flexJobCreated(loaders, flexOf(input), flexRestoreJobRecord(flexOf(input), answer)),
};

/** Op 24: a download link for a Flex snapshot (Project Backup Export Operator); it lives four hours. */
export const downloadFlexSnapshot: BackupAction<
  DownloadInput,
  void,
  SchemaOf<typeof backupWrites.downloadFlexBackup>,
  FlexRestoreJobRecord
> = {
  name: 'downloadFlexSnapshot',
  scope: () => 'backups:download',
  targets: (input) => ({ groupId: input.groupId, clusterName: input.name, snapshotId: input.snapshotId }),
  prepare: () => Promise.resolve(),
  request: (input) => atlasWrite(backupWrites.downloadFlexBackup, flexOf(input), { snapshotId: input.snapshotId }),
  check: (input, loaders) => completedFlexSnapshot(loaders, input, 'downloaded'),
  settle: (answer, input, loaders) =>
    flexJobCreated(loaders, flexOf(input), flexRestoreJobRecord(flexOf(input), answer)),
};
