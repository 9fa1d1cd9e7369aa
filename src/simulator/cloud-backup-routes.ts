import { SimApiError } from './api-error.js';
import type { SimCloudRestoreJob, SimCloudSnapshot, SimDedicatedCluster } from './cloud-backup-state.js';
import { clusterPath, dedicatedCluster } from './cluster-routes.js';
import { byId, paginate, route, unpaged, type Route, type RouteRequest } from './route.js';

/** The only media type of the snapshot, restore-job and export operations, reads and writes (README §10.1). */
export const BACKUP_MEDIA = 'application/vnd.atlas.2023-01-01+json';
/** The schedule's newest media type; 2023-01-01 is still served, deprecated (README §10.6 item 1). */
export const SCHEDULE_MEDIA = 'application/vnd.atlas.2024-08-05+json';
export const SCHEDULE_2023 = { deprecation: 'Mon, 5 Aug 2024 00:00:00 GMT', sunset: 'Thu, 1 Jul 2027 00:00:00 GMT' };

const href = (req: RouteRequest, path: string) => `${req.origin}/api/atlas/v2${path}`;
const backupPath = (req: RouteRequest, c: SimDedicatedCluster) => `${clusterPath(req.params.groupId!, c.name)}/backup`;
const clusterLink = (req: RouteRequest, c: SimDedicatedCluster) => ({
  href: href(req, clusterPath(req.params.groupId!, c.name)),
  rel: 'https://cloud.mongodb.com/cluster',
});

/**
 * Snapshot lists in creation order, oldest first. Evidence: no recorded dedicated-cluster snapshot
 * list has more than one item (examples/listBackupSnapshots/observed-snapshots-list: one), so Atlas's
 * order there is not established; the recorded lists of the same family with several items are in
 * id (= creation) order, oldest first (listExportBuckets: 3 items; observed/listFlexBackupSnapshots:
 * 8 items, one a day). Only Flex restore jobs came newest first (see `restoreJobsNewestFirst`).
 * Callers must not take results[0] for the newest snapshot.
 */
const snapshotsInAtlasOrder = (c: SimDedicatedCluster) => [...c.snapshots.values()];

/**
 * Restore jobs newest first, as the one recorded list with several jobs came
 * (observed/listFlexRestoreJobs: 2026-08-10, 08-07 08:49, 08-07 08:48); the dedicated list recorded
 * (examples/listBackupRestoreJobs) has one job.
 */
const restoreJobsNewestFirst = (c: SimDedicatedCluster) => [...c.restoreJobs.values()].reverse();

/** `DiskBackupReplicaSet`; a sharded cluster's snapshot shows as `type: shardedCluster` (the enum allows it). */
export function replicaSetView(req: RouteRequest, c: SimDedicatedCluster, s: SimCloudSnapshot) {
  const { members: _members, ...body } = s;
  return {
    ...body,
    links: [{ href: href(req, `${backupPath(req, c)}/snapshots/${s.id}`), rel: 'self' }, clusterLink(req, c)],
    ...(c.clusterType === 'REPLICASET' ? { replicaSetName: c.name, type: 'replicaSet' } : { type: 'shardedCluster' }),
  };
}

/** `DiskBackupShardedClusterSnapshot`: members, their snapshot ids and the config server type. */
export function shardedView(req: RouteRequest, c: SimDedicatedCluster, s: SimCloudSnapshot) {
  const { members = [], copyRegions: _copyRegions, cloudProvider: _cloudProvider, ...body } = s;
  return {
    ...body,
    configServerType: c.configServerType,
    links: [
      { href: href(req, `${backupPath(req, c)}/snapshots/shardedCluster/${s.id}`), rel: 'self' },
      clusterLink(req, c),
    ],
    members,
    snapshotIds: members.map((m) => m.id),
    type: 'shardedCluster',
  };
}

const shardedSnapshots = (c: SimDedicatedCluster) => (c.clusterType === 'REPLICASET' ? [] : snapshotsInAtlasOrder(c));

/** A restore job with the four links Atlas sends (self, snapshot when there is one, cluster, group). */
export function restoreJobView(req: RouteRequest, c: SimDedicatedCluster, j: SimCloudRestoreJob) {
  const backup = backupPath(req, c);
  const snapshot = j.snapshotId
    ? [{ href: href(req, `${backup}/snapshots/${j.snapshotId}`), rel: 'https://cloud.mongodb.com/snapshot' }]
    : [];
  const group = { href: href(req, `/groups/${req.params.groupId}`), rel: 'https://cloud.mongodb.com/group' };
  return {
    ...j,
    links: [{ href: href(req, `${backup}/restoreJobs/${j.id}`), rel: 'self' }, ...snapshot, clusterLink(req, c), group],
  };
}

/** The 404 of a cluster without a backup configuration (observed, README §10.4): parameters [clusterId, groupId]. */
export const noBackupConfig = (c: SimDedicatedCluster, groupId: string) =>
  new SimApiError(
    404,
    'BACKUP_CONFIG_NOT_FOUND',
    `No backup configuration exists for cluster ${c.id} in group ${groupId}.`,
    [c.id, groupId],
  );

/** The schedule in the negotiated version: 2023-01-01 keys copy settings by replication spec, not zone. */
export function scheduleView(req: RouteRequest, c: SimDedicatedCluster) {
  const groupId = req.params.groupId!;
  if (!c.schedule) throw noBackupConfig(c, groupId);
  const links = [
    { href: href(req, `${backupPath(req, c)}/schedule`), rel: 'self' },
    { href: `${req.origin}/api/public/v1.0/groups/${groupId}`, rel: 'https://cloud.mongodb.com/group' },
  ];
  const identity = { clusterId: c.id, clusterName: c.name, links };
  if (req.mediaType === SCHEDULE_MEDIA) return { ...c.schedule, ...identity };
  const { autoCopySettingsEnabled: _autoCopy, copySettings, ...legacy } = c.schedule;
  return {
    ...legacy,
    ...identity,
    copySettings: copySettings.flatMap(({ zoneId, ...setting }) =>
      c.replicationSpecs
        .filter((spec) => spec.zoneId === zoneId)
        .map((spec) => ({ ...setting, replicationSpecId: spec.id })),
    ),
  };
}

/** The path of a dedicated cluster's backup operations (after `/api/atlas/v2`). */
export const CLUSTER = '/groups/{groupId}/clusters/{clusterName}/backup';

/**
 * Cloud Backup reads of README §10.1: ops 1, 3, 6, 7 (snapshots; Project Read Only), 9, 11 (restore
 * jobs), 16, 18 (exports; both Project Backup Manager, §10.6 item 9) and 13 (schedule; Read Only).
 * Ops 1, 9 and 16 page; op 6 declares no paging parameters and sends the whole list. Op 1's
 * `pointInTimeUtcSeconds`/`oplogTs`/`oplogInc` are accepted and ignored. The sharded list is matched
 * before op 3, whose `{snapshotId}` would otherwise take `shardedClusters`.
 */
export const cloudBackupRoutes: Route[] = [
  route('listBackupShardedClusters', `${CLUSTER}/snapshots/shardedClusters`, BACKUP_MEDIA, (req) => {
    const { cluster } = dedicatedCluster(req);
    return unpaged(
      req,
      shardedSnapshots(cluster).map((s) => shardedView(req, cluster, s)),
    );
  }),

  route('getBackupShardedCluster', `${CLUSTER}/snapshots/shardedCluster/{snapshotId}`, BACKUP_MEDIA, (req) => {
    const { cluster } = dedicatedCluster(req);
    const s = byId(req, 'snapshotId', shardedSnapshots(cluster), 'SNAPSHOT_NOT_FOUND', 'snapshot', cluster.name);
    return shardedView(req, cluster, s);
  }),

  route('listBackupSnapshots', `${CLUSTER}/snapshots`, BACKUP_MEDIA, (req) => {
    const { cluster } = dedicatedCluster(req);
    return paginate(
      req,
      snapshotsInAtlasOrder(cluster).map((s) => replicaSetView(req, cluster, s)),
    );
  }),

  route('getClusterBackupSnapshot', `${CLUSTER}/snapshots/{snapshotId}`, BACKUP_MEDIA, (req) => {
    const { cluster } = dedicatedCluster(req);
    const s = byId(req, 'snapshotId', snapshotsInAtlasOrder(cluster), 'SNAPSHOT_NOT_FOUND', 'snapshot', cluster.name);
    return replicaSetView(req, cluster, s);
  }),

  route('listBackupRestoreJobs', `${CLUSTER}/restoreJobs`, BACKUP_MEDIA, (req) => {
    const { cluster } = dedicatedCluster(req, 'readBackupJobs');
    return paginate(
      req,
      restoreJobsNewestFirst(cluster).map((j) => restoreJobView(req, cluster, j)),
    );
  }),

  route('getBackupRestoreJob', `${CLUSTER}/restoreJobs/{restoreJobId}`, BACKUP_MEDIA, (req) => {
    const { cluster } = dedicatedCluster(req, 'readBackupJobs');
    const jobs = [...cluster.restoreJobs.values()];
    return restoreJobView(
      req,
      cluster,
      byId(req, 'restoreJobId', jobs, 'RESTORE_JOB_NOT_FOUND', 'restore job', cluster.name),
    );
  }),

  route(
    'getBackupSchedule',
    `${CLUSTER}/schedule`,
    SCHEDULE_MEDIA,
    (req) => scheduleView(req, dedicatedCluster(req).cluster),
    { olderMediaTypes: { [BACKUP_MEDIA]: SCHEDULE_2023 } },
  ),

  // Recorded export jobs carry no `links`; neither do these.
  route('listBackupExports', `${CLUSTER}/exports`, BACKUP_MEDIA, (req) =>
    paginate(req, [...dedicatedCluster(req, 'readBackupJobs').cluster.exports.values()]),
  ),

  route('getBackupExport', `${CLUSTER}/exports/{exportId}`, BACKUP_MEDIA, (req) => {
    const { cluster } = dedicatedCluster(req, 'readBackupJobs');
    return byId(req, 'exportId', [...cluster.exports.values()], 'EXPORT_JOB_NOT_FOUND', 'export job', cluster.name);
  }),
];
