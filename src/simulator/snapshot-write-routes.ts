import { z } from 'zod';
import { SimApiError } from './api-error.js';
import { BACKUP_MEDIA, CLUSTER, noBackupConfig, replicaSetView, shardedView } from './cloud-backup-routes.js';
import type { SimCloudSnapshot, SimDedicatedCluster } from './cloud-backup-state.js';
import { iso } from './cloud-seed-builders.js';
import { dedicatedCluster } from './cluster-routes.js';
import { byId, route, type Route, type RouteRequest } from './route.js';
import type { SimProject } from './seed.js';
import { shardMembers } from './sharded-seed.js';
import { newObjectId } from './sim-ids.js';
import { snapshotSteps } from './timelines.js';
import { int32, parseWrite } from './write-validation.js';

const DAY = 86_400_000;

/** `DiskBackupOnDemandSnapshotRequest`: nothing required; retention 1 day by default (the CLI's). */
const takeSnapshotRequest = z.object({ description: z.string().optional(), retentionInDays: int32(1).optional() });

/** `BackupSnapshotRetention`: both required, the unit in upper case. */
const retentionRequest = z.object({
  retentionUnit: z.enum(['DAYS', 'WEEKS', 'MONTHS', 'YEARS']),
  retentionValue: int32(1),
});

/** `createdAt` moved on by `value` units (calendar months and years). */
function after(createdAt: number, unit: z.output<typeof retentionRequest>['retentionUnit'], value: number): number {
  const date = new Date(createdAt);
  if (unit === 'DAYS' || unit === 'WEEKS') return createdAt + value * (unit === 'WEEKS' ? 7 : 1) * DAY;
  if (unit === 'MONTHS') return date.setUTCMonth(date.getUTCMonth() + value);
  return date.setUTCFullYear(date.getUTCFullYear() + value);
}

/** Whether the project has a Backup Compliance Policy in force (any state but DISABLING). */
const complianceEnabled = (group: SimProject) => {
  const policy = group.cloud?.compliancePolicy;
  return policy !== undefined && policy.state !== 'DISABLING';
};

/** A snapshot's own view after a write: the replica-set one, or the sharded one with its members. */
const view = (req: RouteRequest, c: SimDedicatedCluster, s: SimCloudSnapshot) =>
  c.clusterType === 'REPLICASET' ? replicaSetView(req, c, s) : shardedView(req, c, s);

/** What the cluster's next snapshot weighs: its newest completed one plus 4 MiB, or the recorded 1,574,477,824 bytes. */
function nextSize(c: SimDedicatedCluster): number {
  const newest = [...c.snapshots.values()].filter((s) => s.status === 'completed').at(-1);
  return newest ? newest.storageSizeBytes + 4_194_304 : 1_574_477_824;
}

/** op 2: a new on-demand snapshot, queued (the recorded body: size 0, no createdAt); one at a time per cluster. */
function takeSnapshot(req: RouteRequest) {
  const { cluster } = dedicatedCluster(req, 'takeSnapshot');
  const body = parseWrite(takeSnapshotRequest, req.body);
  if (!cluster.backupEnabled)
    throw new SimApiError(400, 'BACKUP_JOB_NOT_FOUND', 'Backups are not enabled for this cluster.');
  if (!cluster.schedule) throw noBackupConfig(cluster, req.params.groupId!);
  const busy = (s: SimCloudSnapshot) =>
    s.snapshotType === 'onDemand' && (s.status === 'queued' || s.status === 'inProgress');
  if ([...cluster.snapshots.values()].some(busy)) {
    throw new SimApiError(400, 'UNFINISHED_ON_DEMAND_SNAPSHOT', 'Another on-demand snapshot is queued or in progress.');
  }
  const now = req.lifecycles.clock.now();
  const retentionDays = body.retentionInDays ?? 1;
  const id = newObjectId(now);
  const sharded = cluster.clusterType !== 'REPLICASET';
  const s: SimCloudSnapshot = {
    copyRegions: [],
    ...(body.description === undefined ? {} : { description: body.description }),
    expiresAt: iso(now + retentionDays * DAY),
    frequencyType: 'ondemand',
    id,
    policyItems: [],
    snapshotType: 'onDemand',
    status: 'queued',
    storageSizeBytes: 0,
    ...(sharded ? { members: shardMembers(cluster, () => newObjectId(now)) } : {}),
  };
  cluster.snapshots.set(id, s);
  const facts = {
    mongodVersion: cluster.mongoDBVersion,
    cloudProvider: sharded ? undefined : cluster.replicationSpecs[0]!.regions[0]!.providerName,
    storageSizeBytes: nextSize(cluster),
    retentionDays,
  };
  req.lifecycles.start(id, 'takeSnapshots', (outcome) => snapshotSteps(s, now, facts, outcome));
  return view(req, cluster, s);
}

/** op 4: a completed snapshot's expiry becomes `createdAt` + the retention; never in the past. */
function updateRetention(req: RouteRequest) {
  const { group, cluster } = dedicatedCluster(req, 'manageSnapshots');
  const s = byId(req, 'snapshotId', [...cluster.snapshots.values()], 'SNAPSHOT_NOT_FOUND', 'snapshot', cluster.name);
  const { retentionUnit, retentionValue } = parseWrite(retentionRequest, req.body);
  if (s.status !== 'completed' || s.createdAt === undefined) {
    const detail = 'Snapshot retention can only be modified once it is completed.';
    throw new SimApiError(400, 'CANNOT_MODIFY_IN_PROGRESS_SNAPSHOT_RETENTION', detail);
  }
  const expiresAt = after(Date.parse(s.createdAt), retentionUnit, retentionValue);
  if (expiresAt <= req.lifecycles.clock.now()) {
    throw new SimApiError(400, 'BACKUP_SNAPSHOT_RETENTION_VALUE_INVALID', 'Retention value of snapshot is invalid.');
  }
  if (complianceEnabled(group) && expiresAt < Date.parse(s.expiresAt)) {
    const detail = "You can't decrease the snapshot retention while you have a Backup Compliance Policy enabled.";
    throw new SimApiError(400, 'CANNOT_DECREASE_SNAPSHOT_RETENTION_WITH_BACKUP_COMPLIANCE_POLICY', detail);
  }
  s.expiresAt = iso(expiresAt);
  return replicaSetView(req, cluster, s);
}

/**
 * ops 5 and 8: removes a finished snapshot. The replica-set path serves replica sets only and the
 * sharded path sharded clusters only: the other cluster type's snapshot is not found there (404).
 */
function deleteSnapshot(req: RouteRequest, shardedPath: boolean): undefined {
  const { group, cluster } = dedicatedCluster(req, 'manageSnapshots');
  const served = (cluster.clusterType === 'REPLICASET') !== shardedPath ? [...cluster.snapshots.values()] : [];
  const s = byId(req, 'snapshotId', served, 'SNAPSHOT_NOT_FOUND', 'snapshot', cluster.name);
  if (s.status === 'queued' || s.status === 'inProgress') {
    throw new SimApiError(400, 'CANNOT_DELETE_IN_PROGRESS_SNAPSHOT', `Cannot delete an in progress snapshot ${s.id}.`, [
      s.id,
    ]);
  }
  if (complianceEnabled(group)) {
    const detail = "You can't delete snapshots while you have a Backup Compliance Policy enabled.";
    throw new SimApiError(400, 'CANNOT_DELETE_SNAPSHOT_WITH_BACKUP_COMPLIANCE_POLICY', detail);
  }
  cluster.snapshots.delete(s.id);
  req.lifecycles.stop(s.id);
  return undefined;
}

/** The snapshot writes of README §10.1: ops 2 (Backup Creator), 4, 5 and 8 (Backup Manager). */
export const snapshotWriteRoutes: Route[] = [
  route('takeSnapshots', `${CLUSTER}/snapshots`, BACKUP_MEDIA, takeSnapshot, { method: 'POST' }),
  route('updateBackupSnapshot', `${CLUSTER}/snapshots/{snapshotId}`, BACKUP_MEDIA, updateRetention, {
    method: 'PATCH',
  }),
  route(
    'deleteClusterBackupSnapshot',
    `${CLUSTER}/snapshots/{snapshotId}`,
    BACKUP_MEDIA,
    (req) => deleteSnapshot(req, false),
    {
      method: 'DELETE',
      noContent: true,
    },
  ),
  route(
    'deleteBackupShardedCluster',
    `${CLUSTER}/snapshots/shardedCluster/{snapshotId}`,
    BACKUP_MEDIA,
    (req) => deleteSnapshot(req, true),
    { method: 'DELETE', noContent: true },
  ),
];
