import { SimApiError } from './api-error.js';
import { BACKUP_MEDIA, CLUSTER, restoreJobView } from './cloud-backup-routes.js';
import type { SimCloudRestoreJob, SimCloudSnapshot, SimDedicatedCluster } from './cloud-backup-state.js';
import { iso } from './cloud-seed-builders.js';
import { dedicatedCluster } from './cluster-routes.js';
import { restoreRequest, type RestoreRequest } from './restore-request.js';
import { holds } from './roles.js';
import { byId, route, type Route, type RouteRequest } from './route.js';
import { newObjectId } from './sim-ids.js';
import { restoreSteps } from './timelines.js';
import { parseWrite } from './write-validation.js';

const DAY = 86_400_000;

/** Whether a restore job is still running at `now`: not finished, failed, cancelled or expired (by flag or date). */
const running = (j: SimCloudRestoreJob, now: number) =>
  !j.finishedAt &&
  !j.failed &&
  !j.cancelled &&
  !j.expired &&
  !(typeof j.expiresAt === 'string' && Date.parse(j.expiresAt) <= now);

/**
 * The snapshot a restore starts from: the one named (404 SNAPSHOT_NOT_FOUND; 409 while it is not
 * completed), or for a point in time without one, the newest completed snapshot taken before it
 * (404 UNABLE_T0_FIND_SNAPSHOT_PRIOR_TO_PIT_RESTORE_OPTIME, the "T0" being Atlas's spelling).
 */
function sourceSnapshot(c: SimDedicatedCluster, body: RestoreRequest, at: number): SimCloudSnapshot {
  const completed = [...c.snapshots.values()].filter((s) => s.status === 'completed');
  if (body.snapshotId === undefined) {
    const before = completed.filter((s) => Date.parse(s.createdAt!) <= at).at(-1);
    if (before) return before;
    const detail = 'Unable to find snapshot prior to pit restore optime.';
    throw new SimApiError(404, 'UNABLE_T0_FIND_SNAPSHOT_PRIOR_TO_PIT_RESTORE_OPTIME', detail);
  }
  const s = c.snapshots.get(body.snapshotId);
  if (!s) {
    const detail = `No snapshot with ID ${body.snapshotId} exists for ${c.name}.`;
    throw new SimApiError(404, 'SNAPSHOT_NOT_FOUND', detail, [body.snapshotId, c.name]);
  }
  if (s.status === 'completed') return s;
  if (body.deliveryType === 'download') {
    throw new SimApiError(409, 'CANNOT_DOWNLOAD_INCOMPLETE_SNAPSHOT', 'Cannot download incomplete cluster snapshot.');
  }
  const detail = 'Cannot start restore job for incomplete cluster snapshot.';
  throw new SimApiError(409, 'CANNOT_START_RESTORE_JOB_FOR_INCOMPLETE_CLUSTER_SNAPSHOT', detail);
}

/** Restore jobs of every cluster of every project, for the checks that look across them. */
const allJobs = (req: RouteRequest) =>
  [...req.projects.values()].flatMap((p) =>
    [...(p.cloud?.clusters.values() ?? [])].flatMap((c) => [...c.restoreJobs.values()]),
  );

/**
 * The cluster an automated or point-in-time restore overwrites: its project must exist and let the
 * caller restore (403 CANNOT_RESTORE_TO_TARGET), the cluster exist (404 CLUSTER_NOT_FOUND), not be
 * paused (400 CLUSTER_PAUSED_CANNOT_RESTORE), be IDLE (409 RESTORE_INITIATION_FAILED) and not be the
 * target of a restore still running (409 ATLAS_CLUSTER_RESTORE_IN_PROGRESS).
 */
function restoreTarget(req: RouteRequest, groupId: string, name: string, now: number): SimDedicatedCluster {
  const group = req.projects.get(groupId);
  if (!group) throw new SimApiError(404, 'GROUP_NOT_FOUND', `No group with ID ${groupId} exists.`, [groupId]);
  if (!holds(req, group, 'restore')) {
    const detail = 'Cannot restore with insufficient permission on source snapshot or target cluster.';
    throw new SimApiError(403, 'CANNOT_RESTORE_TO_TARGET', detail);
  }
  const target = group.cloud?.clusters.get(name);
  if (!target) {
    throw new SimApiError(404, 'CLUSTER_NOT_FOUND', `No cluster named ${name} exists in group ${groupId}.`, [
      name,
      groupId,
    ]);
  }
  if (target.paused) {
    const detail =
      'Backup restore cannot occur on a paused cluster. Please unpause the target cluster or choose another target cluster.';
    throw new SimApiError(400, 'CLUSTER_PAUSED_CANNOT_RESTORE', detail);
  }
  if (target.stateName !== 'IDLE') {
    const detail = `Restore process initiation failed: cluster ${name} is ${target.stateName}.`;
    throw new SimApiError(409, 'RESTORE_INITIATION_FAILED', detail, [`cluster ${name} is ${target.stateName}`]);
  }
  const into = (j: SimCloudRestoreJob) =>
    j.targetGroupId === groupId && j.targetClusterName === name && running(j, now);
  if (allJobs(req).some(into))
    throw new SimApiError(409, 'ATLAS_CLUSTER_RESTORE_IN_PROGRESS', 'Cluster restore already in progress.');
  return target;
}

/** op 10: a new restore job, shaped like the recorded ones (no status; null `desiredTimestamp`). */
function createRestoreJob(req: RouteRequest) {
  const { cluster } = dedicatedCluster(req, 'restore');
  const body = parseWrite(restoreRequest, req.body);
  const now = req.lifecycles.clock.now();
  const seconds = body.pointInTimeUTCSeconds ?? body.oplogTs;
  if (seconds !== undefined) {
    const windowDays = Number(cluster.schedule?.restoreWindowDays ?? 7);
    if (seconds * 1000 > now || seconds * 1000 < now - windowDays * DAY) {
      throw new SimApiError(
        400,
        'INVALID_PIT_RESTORE_TIME',
        'Please provide a valid UTC time or an operation time (ts).',
      );
    }
  }
  const snapshot = sourceSnapshot(cluster, body, (seconds ?? 0) * 1000);
  const { targetGroupId, targetClusterName } = body;
  const target =
    targetGroupId && targetClusterName ? restoreTarget(req, targetGroupId, targetClusterName, now) : undefined;
  if (
    !target &&
    allJobs(req).some((j) => j.deliveryType === 'download' && j.snapshotId === snapshot.id && running(j, now))
  ) {
    const detail =
      'Cannot create a manual download of a snapshot when there is already an active download for that snapshot.';
    throw new SimApiError(400, 'CANNOT_DOWNLOAD_SNAPSHOT_CONCURRENTLY', detail);
  }
  const id = newObjectId(now);
  const job: SimCloudRestoreJob = {
    cancelled: false,
    deliveryType: body.deliveryType,
    deliveryUrl: [],
    desiredTimestamp: { increment: null, time: null, date: null },
    expired: false,
    failed: false,
    id,
    ...(body.oplogInc === undefined ? {} : { oplogInc: body.oplogInc, oplogTs: body.oplogTs }),
    ...(body.pointInTimeUTCSeconds === undefined ? {} : { pointInTimeUTCSeconds: body.pointInTimeUTCSeconds }),
    snapshotId: snapshot.id,
    ...(target ? { targetClusterName, targetDeploymentItemName: `atlas-${target.id.slice(-6)}`, targetGroupId } : {}),
    timestamp: seconds === undefined ? snapshot.createdAt : iso(seconds * 1000),
  };
  cluster.restoreJobs.set(id, job);
  const members = body.deliveryType === 'download' ? snapshot.members : undefined;
  req.lifecycles.start(id, 'createBackupRestoreJob', (outcome) => restoreSteps(job, now, members, outcome));
  return restoreJobView(req, cluster, job);
}

/**
 * op 12: cancels a download still pending or ready: `cancelled` and `failed` true, `finishedAt` set
 * (the recorded cancelled download). Automated and point-in-time restores cannot be cancelled (400
 * CANNOT_CANCEL_AUTOMATED_RESTORE), nor an expired job (400 ALREADY_EXPIRED), nor one already over
 * (400 RESTORE_JOB_ALREADY_FINISHED, inferred); a sharded cluster's job answers 405.
 */
function cancelRestoreJob(req: RouteRequest): undefined {
  const { cluster } = dedicatedCluster(req, 'restore');
  const jobs = [...cluster.restoreJobs.values()];
  const job = byId(req, 'restoreJobId', jobs, 'RESTORE_JOB_NOT_FOUND', 'restore job', cluster.name);
  if (cluster.clusterType !== 'REPLICASET') {
    const detail =
      'Cannot cancel a restore job of an individual shard. Please cancel the entire sharded cluster restore job.';
    throw new SimApiError(405, 'ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED', detail);
  }
  if (job.deliveryType !== 'download') {
    throw new SimApiError(400, 'CANNOT_CANCEL_AUTOMATED_RESTORE', 'Automated restore cannot be cancelled.');
  }
  if (job.expired) throw new SimApiError(400, 'ALREADY_EXPIRED', 'Cannot update an entity that has already expired.');
  if (!running(job, req.lifecycles.clock.now())) {
    throw new SimApiError(400, 'RESTORE_JOB_ALREADY_FINISHED', `Restore job ${job.id} has already finished.`, [job.id]);
  }
  req.lifecycles.stop(job.id);
  delete job.expiresAt;
  delete job.components;
  Object.assign(job, { cancelled: true, deliveryUrl: [], failed: true, finishedAt: iso(req.lifecycles.clock.now()) });
  return undefined;
}

/** The restore-job writes of README §10.1: ops 10 and 12 (Backup Export or Recovery Operator). */
export const restoreWriteRoutes: Route[] = [
  route('createBackupRestoreJob', `${CLUSTER}/restoreJobs`, BACKUP_MEDIA, createRestoreJob, { method: 'POST' }),
  route('cancelBackupRestoreJob', `${CLUSTER}/restoreJobs/{restoreJobId}`, BACKUP_MEDIA, cancelRestoreJob, {
    method: 'DELETE',
    noContent: true,
  }),
];
