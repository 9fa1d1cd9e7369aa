import { z } from 'zod';
import { SimApiError } from './api-error.js';
import { BACKUP_MEDIA, CLUSTER } from './cloud-backup-routes.js';
import { ORG_ID } from './cloud-seed-builders.js';
import { exportJob } from './cloud-seed-jobs.js';
import { dedicatedCluster } from './cluster-routes.js';
import { route, type Route, type RouteRequest } from './route.js';
import { newObjectId } from './sim-ids.js';
import { exportSteps } from './timelines.js';
import { objectId, parseWrite } from './write-validation.js';

/** `DiskBackupExportJobRequest`: `exportBucketId` and `snapshotId` required, `customData` key/value pairs. */
const exportRequest = z.object({
  exportBucketId: objectId(),
  snapshotId: objectId(),
  customData: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
});

/**
 * op 17: a new export job, `Queued`, shaped like the recorded one (no links, `exportStatus` 0/0, the
 * observed prefix). The bucket must be the project's (404 EXPORT_BUCKET_NOT_FOUND), the snapshot the
 * cluster's (404 SNAPSHOT_NOT_FOUND) and completed (409 CANNOT_EXPORT_INCOMPLETE_SNAPSHOT, inferred).
 */
function createExport(req: RouteRequest) {
  const { group, cluster } = dedicatedCluster(req, 'export');
  const body = parseWrite(exportRequest, req.body);
  if (!group.cloud?.exportBuckets.has(body.exportBucketId)) {
    const detail = `No export bucket with ID ${body.exportBucketId} exists.`;
    throw new SimApiError(404, 'EXPORT_BUCKET_NOT_FOUND', detail, [body.exportBucketId]);
  }
  const snapshot = cluster.snapshots.get(body.snapshotId);
  if (!snapshot) {
    const detail = `No snapshot with ID ${body.snapshotId} exists for ${cluster.name}.`;
    throw new SimApiError(404, 'SNAPSHOT_NOT_FOUND', detail, [body.snapshotId, cluster.name]);
  }
  if (snapshot.status !== 'completed') {
    const detail = `Cannot export snapshot ${snapshot.id}: it is not completed.`;
    throw new SimApiError(409, 'CANNOT_EXPORT_INCOMPLETE_SNAPSHOT', detail, [snapshot.id]);
  }
  const now = req.lifecycles.clock.now();
  const id = newObjectId(now);
  const job = {
    ...exportJob(id, 'Queued', cluster, snapshot, body.exportBucketId, now, ORG_ID, group.id),
    customData: body.customData ?? [],
  };
  cluster.exports.set(id, job);
  req.lifecycles.start(id, 'createBackupExport', (outcome) => exportSteps(job, now, outcome));
  return job;
}

/** The export write of README §10.1: op 17 (Project Backup Export Operator). */
export const exportWriteRoutes: Route[] = [
  route('createBackupExport', `${CLUSTER}/exports`, BACKUP_MEDIA, createExport, { method: 'POST' }),
];
