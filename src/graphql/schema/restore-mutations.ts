import {
  cancelClusterRestoreJob,
  cancelRestoreJobInputSchema,
  createClusterRestoreJob,
  restoreJobInputSchema,
} from '../../backups/actions/restore-actions.js';
import { ClusterRestoreJobRef } from './cluster-restore-job.js';
import { actionMutation } from './mutation-kit.js';
import { clusterInputFields, ID_FORMAT, targetInputFields } from './mutation-inputs.js';
import { RestoreDeliveryTypeRef } from './restore-job-enums.js';

// The restore-job mutations of dedicated clusters (docs/backup-actions.md).

const INT32 = 'An int32 (Atlas takes 32 bits here).';

actionMutation('createClusterRestoreJob', createClusterRestoreJob, {
  description:
    'Restores a snapshot of a dedicated cluster (Atlas `createBackupRestoreJob`). AUTOMATED (snapshotId, target) and POINT_IN_TIME (target and a time) erase all data on the target cluster: `confirmTargetClusterName` must repeat its name (scope `backups:restore`). DOWNLOAD (snapshotId) hands out files (scope `backups:download`). Atlas role: Project Backup Manager or Backup Recovery Operator.',
  schema: restoreJobInputSchema,
  inputFields: (t) => ({
    ...clusterInputFields(t),
    deliveryType: t.field({ type: RestoreDeliveryTypeRef, required: true, description: 'How to restore.' }),
    snapshotId: t.id({ required: false, description: `The snapshot, for AUTOMATED and DOWNLOAD: ${ID_FORMAT}` }),
    ...targetInputFields(t, false),
    pointInTimeUtcSeconds: t.int({
      required: false,
      description: `POINT_IN_TIME: the time to restore to, in Unix seconds (or give oplogTs and oplogInc). ${INT32}`,
    }),
    oplogTs: t.int({ required: false, description: `POINT_IN_TIME: the oplog timestamp, in Unix seconds. ${INT32}` }),
    oplogInc: t.int({
      required: false,
      description: `POINT_IN_TIME: the oplog operation number within oplogTs. ${INT32}`,
    }),
  }),
  resultFields: (t) => ({
    restoreJob: t.expose('result', {
      type: ClusterRestoreJobRef,
      nullable: true,
      description: 'The new restore job (null in a dry run).',
    }),
  }),
});

actionMutation('cancelClusterRestoreJob', cancelClusterRestoreJob, {
  description:
    'Cancels a running restore job of a dedicated cluster (Atlas `cancelBackupRestoreJob`; Project Backup Manager or Backup Recovery Operator; scope `backups:restore`). Atlas cannot cancel restore jobs of sharded clusters (BAD_USER_INPUT).',
  schema: cancelRestoreJobInputSchema,
  inputFields: (t) => ({
    ...clusterInputFields(t),
    restoreJobId: t.id({ required: true, description: `Restore job id: ${ID_FORMAT}` }),
  }),
  resultFields: (t) => ({
    restoreJob: t.field({
      type: ClusterRestoreJobRef,
      nullable: true,
      description: 'The job as Atlas shows it now (read after the cancel: one more Atlas call when selected).',
      resolve: ({ targets }, _args, ctx) =>
        ctx.loaders.clusterRestoreJob.load({
          groupId: targets.groupId,
          clusterName: targets.clusterName,
          restoreJobId: targets.restoreJobId ?? '',
        }),
    }),
  }),
});
