import { z } from 'zod';
import { SimApiError } from './api-error.js';
import { iso } from './cloud-seed-builders.js';
import { flexCluster, FLEX_MEDIA } from './flex-routes.js';
import { holds, requirePermission, type SimPermission } from './roles.js';
import { project, route, type Route, type RouteRequest } from './route.js';
import type { SimFlexCluster, SimFlexSnapshot, SimRestoreJob } from './seed.js';
import { newObjectId, randomToken } from './sim-ids.js';
import { flexJobSteps } from './timelines.js';
import { objectId, parseWrite } from './write-validation.js';

const HOUR = 3_600_000;
const FLEX_PATH = '/groups/{groupId}/flexClusters/{name}/backup';

/** `FlexBackupRestoreJobCreate20241113`; the name pattern needs the `u` flag (README §9 item 3). */
const restoreRequest = z.object({
  snapshotId: objectId(),
  targetDeploymentItemName: z.string().regex(/^[\p{L}\p{N}\-_.(),:&@+']{1,64}$/u),
  targetProjectId: objectId().optional(),
});

/** `FlexBackupSnapshotDownloadCreate20241113`. */
const downloadRequest = z.object({ snapshotId: objectId() });

/** Whether a Flex job is still on its way. */
const running = (j: SimRestoreJob) => ['PENDING', 'QUEUED', 'RUNNING'].includes(String(j.status));

/**
 * The Flex cluster of the path (400 CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API for a dedicated name,
 * 404 CLUSTER_NOT_FOUND) once the caller's `permission` there is checked.
 */
function flexSource(req: RouteRequest, permission: SimPermission): SimFlexCluster {
  const c = flexCluster(req);
  requirePermission(req, project(req), permission);
  return c;
}

/** The completed snapshot `id` of `c`: 404 SNAPSHOT_NOT_FOUND, or 409 while it is not COMPLETED. */
function completedSnapshot(c: SimFlexCluster, id: string): SimFlexSnapshot {
  const snapshot = c.snapshots.find((s) => s.id === id);
  if (!snapshot)
    throw new SimApiError(404, 'SNAPSHOT_NOT_FOUND', `No snapshot with ID ${id} exists for ${c.name}.`, [id, c.name]);
  if (snapshot.status !== 'COMPLETED') {
    const detail = 'Cannot start restore job for incomplete cluster snapshot.';
    throw new SimApiError(409, 'CANNOT_START_RESTORE_JOB_FOR_INCOMPLETE_CLUSTER_SNAPSHOT', detail);
  }
  return snapshot;
}

/** A new Flex job as recorded: scheduled now, PENDING, the snapshot's finish time; it then runs on the clock. */
function startJob(req: RouteRequest, operation: string, c: SimFlexCluster, s: SimFlexSnapshot, fields: object) {
  const now = req.lifecycles.clock.now();
  const job: SimRestoreJob = {
    id: newObjectId(now),
    instanceName: c.name,
    projectId: req.params.groupId,
    restoreScheduledDate: iso(now),
    snapshotFinishedDate: s.finishTime,
    snapshotId: s.id,
    status: 'PENDING',
    ...fields,
  };
  c.restoreJobs.push(job);
  req.lifecycles.start(job.id, operation, (outcome) => flexJobSteps(job, now, outcome));
  return job;
}

/**
 * op 23: restores a Flex snapshot into a Flex or dedicated cluster of `targetProjectId` (this project
 * by default): 404 GROUP_NOT_FOUND / CLUSTER_NOT_FOUND for an unknown target, 403
 * CANNOT_RESTORE_TO_TARGET without the role there, 409 ATLAS_CLUSTER_RESTORE_IN_PROGRESS while a
 * Flex restore into it runs. `deliveryType` RESTORE, `expirationDate` = scheduled + 6 h (206/206 recorded).
 */
function createFlexRestoreJob(req: RouteRequest) {
  const c = flexSource(req, 'restoreFlex');
  const body = parseWrite(restoreRequest, req.body);
  const snapshot = completedSnapshot(c, body.snapshotId);
  const name = body.targetDeploymentItemName;
  const targetProjectId = body.targetProjectId ?? req.params.groupId!;
  const target = req.projects.get(targetProjectId);
  if (!target)
    throw new SimApiError(404, 'GROUP_NOT_FOUND', `No group with ID ${targetProjectId} exists.`, [targetProjectId]);
  if (!holds(req, target, 'restoreFlex')) {
    const detail = 'Cannot restore with insufficient permission on source snapshot or target cluster.';
    throw new SimApiError(403, 'CANNOT_RESTORE_TO_TARGET', detail);
  }
  if (!target.flex.has(name) && !target.cloud?.clusters.has(name)) {
    const detail = `No cluster named ${name} exists in group ${targetProjectId}.`;
    throw new SimApiError(404, 'CLUSTER_NOT_FOUND', detail, [name, targetProjectId]);
  }
  const into = (j: SimRestoreJob) =>
    j.targetProjectId === targetProjectId && j.targetDeploymentItemName === name && running(j);
  if ([...req.projects.values()].some((p) => [...p.flex.values()].some((f) => f.restoreJobs.some(into)))) {
    throw new SimApiError(409, 'ATLAS_CLUSTER_RESTORE_IN_PROGRESS', 'Cluster restore already in progress.');
  }
  const scheduled = req.lifecycles.clock.now();
  return startJob(req, 'createFlexRestoreJob', c, snapshot, {
    deliveryType: 'RESTORE',
    expirationDate: iso(scheduled + 6 * HOUR),
    targetDeploymentItemName: name,
    targetProjectId,
  });
}

/**
 * op 24: a download job whose pre-signed `snapshotUrl` (a random signature; a secret) is in the answer
 * at once, as the CLI downloads from it straight away, and works four hours (`expirationDate`).
 */
function downloadFlexBackup(req: RouteRequest) {
  const c = flexSource(req, 'export');
  const snapshot = completedSnapshot(c, parseWrite(downloadRequest, req.body).snapshotId);
  const now = req.lifecycles.clock.now();
  const url = `https://flex-backups.s1m0a.example/${req.params.groupId}/${c.name}/${snapshot.id}.tgz`;
  return startJob(req, 'downloadFlexBackup', c, snapshot, {
    deliveryType: 'DOWNLOAD',
    expirationDate: iso(now + 4 * HOUR),
    snapshotUrl: `${url}?X-Amz-Expires=14400&X-Amz-Signature=${randomToken(64)}`,
  });
}

/** The Flex writes of README §10.1: op 23 (Backup Recovery Operator) and op 24 (Backup Export Operator). */
export const flexWriteRoutes: Route[] = [
  route('createFlexRestoreJob', `${FLEX_PATH}/restoreJobs`, FLEX_MEDIA, createFlexRestoreJob, { method: 'POST' }),
  route('downloadFlexBackup', `${FLEX_PATH}/download`, FLEX_MEDIA, downloadFlexBackup, { method: 'POST' }),
];
