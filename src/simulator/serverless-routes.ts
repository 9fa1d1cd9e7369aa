import { SimApiError } from './api-error.js';
import { requirePermission } from './roles.js';
import { byId, nameParam, paginate, project, route, selfLinks, type Route, type RouteRequest } from './route.js';
import type { SimFlexCluster, SimFlexSnapshot, SimRestoreJob, SimServerlessInstance } from './seed.js';

const MEDIA = 'application/vnd.atlas.2023-01-01+json';
const BACKUP_SUNSET = { sunset: 'Thu, 22 Jan 2026 00:00:00 GMT', retired: true };

/** What a serverless name denotes: a serverless instance, or a Flex cluster migrated from one (served too, per the spec). */
type Target = { kind: 'serverless'; instance: SimServerlessInstance } | { kind: 'migrated'; cluster: SimFlexCluster };

function target(req: RouteRequest, param: 'clusterName' | 'name'): Target {
  const group = project(req);
  const name = nameParam(req, param);
  const instance = group.serverless.get(name);
  if (instance) return { kind: 'serverless', instance };
  const cluster = group.flex.get(name);
  if (cluster?.migratedFromServerless) return { kind: 'migrated', cluster };
  if (group.dedicated.has(name)) {
    throw new SimApiError(
      400,
      'CANNOT_USE_CLUSTER_IN_SERVERLESS_INSTANCE_API',
      `Cannot use cluster ${name} in the serverless instance API.`,
      [name],
    );
  }
  throw new SimApiError(
    404,
    'SERVERLESS_INSTANCE_NOT_FOUND',
    `No serverless instance named ${name} exists in group ${group.id}.`,
    [name, group.id],
  );
}

/** Serverless restore jobs need Project Owner (a caller is Read Only in read-only projects unless its key says otherwise). */
function requireOwner(req: RouteRequest): void {
  requirePermission(req, project(req), 'owner');
}

const FLEX_TO_SERVERLESS_STATUS: Record<string, string> = {
  PENDING: 'queued',
  QUEUED: 'queued',
  RUNNING: 'inProgress',
  COMPLETED: 'completed',
  FAILED: 'failed',
};

/** A migrated cluster's Flex snapshot as the serverless API shows it (no size, frequency or type). */
function asServerlessSnapshot(s: SimFlexSnapshot, name: string) {
  return {
    id: s.id,
    status: FLEX_TO_SERVERLESS_STATUS[s.status] ?? 'queued',
    mongodVersion: s.mongoDBVersion,
    serverlessInstanceName: name,
    ...(s.startTime ? { createdAt: s.startTime } : {}),
    ...(s.expiration ? { expiresAt: s.expiration } : {}),
  };
}

function asServerlessRestoreJob(j: SimRestoreJob): SimRestoreJob {
  return {
    id: j.id,
    deliveryType: j.deliveryType === 'DOWNLOAD' ? 'download' : 'automated',
    cancelled: false,
    expired: false,
    failed: j.status === 'FAILED',
    ...(j.snapshotId ? { snapshotId: j.snapshotId } : {}),
    ...(j.snapshotUrl ? { deliveryUrl: [j.snapshotUrl] } : {}),
    targetClusterName: j.targetDeploymentItemName ?? j.instanceName,
    targetGroupId: j.targetProjectId ?? j.projectId,
  };
}

function snapshots(t: Target) {
  return t.kind === 'serverless'
    ? t.instance.snapshots
    : t.cluster.snapshots.map((s) => asServerlessSnapshot(s, t.cluster.name));
}

function restoreJobs(t: Target): SimRestoreJob[] {
  return t.kind === 'serverless' ? t.instance.restoreJobs : t.cluster.restoreJobs.map(asServerlessRestoreJob);
}

const nameOf = (t: Target) => (t.kind === 'serverless' ? t.instance.name : t.cluster.name);
const backupPath = (req: RouteRequest, t: Target) => `/groups/${req.params.groupId}/serverless/${nameOf(t)}/backup`;
const withLinks =
  <T extends { id: string }>(req: RouteRequest, t: Target, kind: string) =>
  (item: T) => ({
    ...item,
    links: selfLinks(req, `${backupPath(req, t)}/${kind}/${item.id}`),
  });

/** Operations 1–5 of the spec excerpt: serverless backups (sunset 2026-01-22) and the instance (sunset 2027-01-18). */
export const serverlessRoutes: Route[] = [
  route(
    'getServerlessBackupSnapshot',
    '/groups/{groupId}/serverless/{clusterName}/backup/snapshots/{snapshotId}',
    MEDIA,
    (req) => {
      const t = target(req, 'clusterName');
      return withLinks(
        req,
        t,
        'snapshots',
      )(byId(req, 'snapshotId', snapshots(t), 'SNAPSHOT_NOT_FOUND', 'snapshot', nameOf(t)));
    },
    BACKUP_SUNSET,
  ),

  route(
    'listServerlessBackupSnapshots',
    '/groups/{groupId}/serverless/{clusterName}/backup/snapshots',
    MEDIA,
    (req) => {
      const t = target(req, 'clusterName');
      return paginate(req, snapshots(t).map(withLinks(req, t, 'snapshots')));
    },
    BACKUP_SUNSET,
  ),

  route(
    'getServerlessRestoreJob',
    '/groups/{groupId}/serverless/{clusterName}/backup/restoreJobs/{restoreJobId}',
    MEDIA,
    (req) => {
      const t = target(req, 'clusterName');
      requireOwner(req);
      return withLinks(
        req,
        t,
        'restoreJobs',
      )(byId(req, 'restoreJobId', restoreJobs(t), 'RESTORE_JOB_NOT_FOUND', 'restore job', nameOf(t)));
    },
    BACKUP_SUNSET,
  ),

  route(
    'listServerlessRestoreJobs',
    '/groups/{groupId}/serverless/{clusterName}/backup/restoreJobs',
    MEDIA,
    (req) => {
      const t = target(req, 'clusterName');
      requireOwner(req);
      return paginate(req, restoreJobs(t).map(withLinks(req, t, 'restoreJobs')));
    },
    BACKUP_SUNSET,
  ),

  route(
    'getServerlessInstance',
    '/groups/{groupId}/serverless/{name}',
    MEDIA,
    (req) => {
      const t = target(req, 'name');
      const name = nameOf(t);
      return {
        id: req.params.groupId!.slice(0, 12) + '0'.repeat(11) + String(name.length % 10),
        groupId: req.params.groupId,
        name,
        createDate: t.kind === 'serverless' ? t.instance.createDate : t.cluster.createDate,
        mongoDBVersion: '8.0.17',
        stateName: 'IDLE',
        terminationProtectionEnabled: false,
        serverlessBackupOptions: { serverlessContinuousBackupEnabled: true },
        providerSettings: { backingProviderName: 'AWS', providerName: 'SERVERLESS', regionName: 'US_EAST_1' },
        connectionStrings: { standardSrv: `mongodb+srv://${name}.example.mongodb.net` },
        links: selfLinks(req, `/groups/${req.params.groupId}/serverless/${name}`),
      };
    },
    { sunset: 'Mon, 18 Jan 2027 00:00:00 GMT' },
  ),
];
