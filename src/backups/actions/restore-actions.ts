import { z } from 'zod';
import { backupWrites } from '../../atlas/backup-writes.js';
import type { ClusterKey } from '../../atlas/cluster.js';
import { clusterNameSchema, objectIdSchema } from '../../atlas/ids.js';
import { restoreJobFromDedicated, type DedicatedRestoreJobRecord } from '../dedicated-restore-job-record.js';
import type { Loaders } from '../loaders.js';
import { ActionRefusedError, atlasWrite, type BackupAction, type SchemaOf } from './action.js';
import {
  actionInputFields,
  clusterOf,
  completedSnapshot,
  dedicatedClusterFor,
  idleTargetCluster,
  int32,
} from './checks.js';

// Restore jobs of dedicated clusters (README §10.1 ops 10, 12; bodies §10.2). An automated or
// point-in-time restore erases the target cluster's data: the input must repeat the target's name
// in `confirmTargetClusterName`, as the Atlas UI and CLI ask. The body's times are int32 (§10.6 item 3).

const nonNegativeInt32 = int32.min(0, { error: 'must not be negative' });

/** The fields each delivery type needs (true) or refuses (false); others are optional. */
const NEEDS = {
  automated: { snapshotId: true, targetGroupId: true, targetClusterName: true, pointInTime: false },
  download: { snapshotId: true, targetGroupId: false, targetClusterName: false, pointInTime: false },
  pointInTime: { snapshotId: false, targetGroupId: true, targetClusterName: true, pointInTime: true },
} as const;

/** The input of `createClusterRestoreJob`, with the rules of each delivery type and the confirmation. */
export const restoreJobInputSchema = z
  .object({
    ...actionInputFields,
    deliveryType: z.enum(['automated', 'download', 'pointInTime']),
    snapshotId: objectIdSchema.nullish(),
    targetGroupId: objectIdSchema.nullish(),
    targetClusterName: clusterNameSchema.nullish(),
    confirmTargetClusterName: z.string().max(64).nullish(),
    pointInTimeUtcSeconds: nonNegativeInt32.nullish(),
    oplogTs: nonNegativeInt32.nullish(),
    oplogInc: nonNegativeInt32.nullish(),
  })
  .superRefine((input, ctx) => {
    const needs = NEEDS[input.deliveryType];
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const type = `${input.deliveryType === 'automated' ? 'an' : 'a'} ${input.deliveryType} restore`;
    for (const field of ['snapshotId', 'targetGroupId', 'targetClusterName'] as const) {
      if (needs[field] && input[field] == null) problem(field, `${type} needs ${field}`);
      if (!needs[field] && field !== 'snapshotId' && input[field] != null) problem(field, `${type} takes no ${field}`);
    }
    if (input.deliveryType === 'pointInTime' && input.snapshotId != null)
      problem('snapshotId', 'a pointInTime restore takes no snapshotId: Atlas picks the snapshots for the time');
    const seconds = input.pointInTimeUtcSeconds != null;
    const oplog = input.oplogTs != null || input.oplogInc != null;
    if (needs.pointInTime) {
      if (seconds === oplog)
        problem('pointInTimeUtcSeconds', 'give either pointInTimeUtcSeconds or both oplogTs and oplogInc');
      else if (oplog && (input.oplogTs == null || input.oplogInc == null))
        problem(input.oplogTs == null ? 'oplogTs' : 'oplogInc', 'oplogTs and oplogInc go together');
    } else if (seconds || oplog) {
      problem(seconds ? 'pointInTimeUtcSeconds' : 'oplogTs', `${type} takes no point in time`);
    }
    // Both forms of the time are Unix seconds: neither may lie ahead.
    for (const field of ['pointInTimeUtcSeconds', 'oplogTs'] as const) {
      const at = input[field];
      if (at != null && at * 1000 > Date.now())
        problem(field, 'is in the future: a point-in-time restore reaches back, not forward');
    }
    if (input.deliveryType !== 'download' && input.confirmTargetClusterName !== input.targetClusterName)
      problem(
        'confirmTargetClusterName',
        `must repeat targetClusterName exactly: ${type} erases all data on the target cluster`,
      );
  });

/** The input of `cancelClusterRestoreJob`. */
export const cancelRestoreJobInputSchema = z.object({ ...actionInputFields, restoreJobId: objectIdSchema });

type RestoreInput = z.infer<typeof restoreJobInputSchema>;
type CancelInput = z.infer<typeof cancelRestoreJobInputSchema>;

/** The target of an input that has one (automated and point-in-time restores). */
const targetOf = (input: RestoreInput): ClusterKey | undefined =>
  input.targetGroupId != null && input.targetClusterName != null
    ? { groupId: input.targetGroupId, clusterName: input.targetClusterName }
    : undefined;

/** The request's loaders see a change to a cluster's restore jobs. */
function restoreJobsChanged(loaders: Loaders, at: ClusterKey, restoreJobId: string, job?: DedicatedRestoreJobRecord) {
  const key = { ...at, restoreJobId };
  loaders.clusterRestoreJobs.forget(at);
  loaders.clusterRestoreJob.clear(key);
  if (job) loaders.clusterRestoreJob.prime(key, job);
}

/** Op 10: restore a snapshot into a cluster, to a point in time, or as a download (Project Backup Manager or a Recovery Operator). */
export const createClusterRestoreJob: BackupAction<
  RestoreInput,
  void,
  SchemaOf<typeof backupWrites.createBackupRestoreJob>,
  DedicatedRestoreJobRecord
> = {
  name: 'createClusterRestoreJob',
  // A download hands out the snapshot's files: the download scope, not the restore one.
  scope: (input) => (input.deliveryType === 'download' ? 'backups:download' : 'backups:restore'),
  targets: (input) => ({
    ...clusterOf(input),
    snapshotId: input.snapshotId ?? undefined,
    targetGroupId: input.targetGroupId ?? undefined,
    targetClusterName: input.targetClusterName ?? undefined,
  }),
  prepare: () => Promise.resolve(),
  request: (input) =>
    atlasWrite(backupWrites.createBackupRestoreJob, clusterOf(input), {
      deliveryType: input.deliveryType,
      ...(input.snapshotId == null ? {} : { snapshotId: input.snapshotId }),
      ...(input.targetGroupId == null ? {} : { targetGroupId: input.targetGroupId }),
      ...(input.targetClusterName == null ? {} : { targetClusterName: input.targetClusterName }),
      ...(input.pointInTimeUtcSeconds == null ? {} : { pointInTimeUTCSeconds: input.pointInTimeUtcSeconds }),
      ...(input.oplogTs == null ? {} : { oplogTs: input.oplogTs, oplogInc: input.oplogInc }),
    }),
  async check(input, loaders) {
    const source = await dedicatedClusterFor(loaders, input);
    if (input.snapshotId != null)
      await completedSnapshot(loaders, { ...clusterOf(input), snapshotId: input.snapshotId }, 'restored');
    if (input.deliveryType === 'pointInTime') {
      if (source.pitEnabled === false)
        throw new ActionRefusedError(
          'conflict',
          `${input.clusterName} does not have continuous cloud backup (point in time) on`,
        );
    }
    const target = targetOf(input);
    if (target) await idleTargetCluster(loaders, target, 'targetClusterName');
  },
  settle(answer, input, loaders) {
    const job = restoreJobFromDedicated(clusterOf(input), answer);
    restoreJobsChanged(loaders, clusterOf(input), job.id, job);
    return job;
  },
};

/** Op 12: cancel a restore job (Atlas answers 204; it refuses for sharded clusters with 405). */
export const cancelClusterRestoreJob: BackupAction<
  CancelInput,
  void,
  SchemaOf<typeof backupWrites.cancelBackupRestoreJob>,
  null
> = {
  name: 'cancelClusterRestoreJob',
  scope: () => 'backups:restore',
  targets: ({ groupId, clusterName, restoreJobId }) => ({ groupId, clusterName, restoreJobId }),
  prepare: () => Promise.resolve(),
  request: (input) =>
    atlasWrite(backupWrites.cancelBackupRestoreJob, { ...clusterOf(input), restoreJobId: input.restoreJobId }),
  async check(input, loaders) {
    if ((await loaders.clusterTopology(clusterOf(input))) === 'sharded')
      throw new ActionRefusedError('invalid', 'Atlas cannot cancel restore jobs of sharded clusters', 'clusterName');
    const job = await loaders.clusterRestoreJob.load({ ...clusterOf(input), restoreJobId: input.restoreJobId });
    if (job.deliveryType !== 'download')
      throw new ActionRefusedError(
        'conflict',
        `restore job ${job.id} is ${job.deliveryType ?? 'not a download'}: Atlas cancels download jobs only`,
      );
    if (job.state !== 'PENDING' && job.state !== 'READY')
      throw new ActionRefusedError(
        'conflict',
        `restore job ${job.id} is ${job.state}: only a running job can be cancelled`,
      );
  },
  settle(_answer, input, loaders) {
    restoreJobsChanged(loaders, clusterOf(input), input.restoreJobId);
    return null;
  },
};
