import { SimApiError } from './api-error.js';
import { byId, nameParam, paginate, project, route, selfLinks, type Route, type RouteRequest } from './route.js';
import type { SimFlexCluster } from './seed.js';

/** The Flex operations' only media type, reads and writes (README §1, §10.1). */
export const FLEX_MEDIA = 'application/vnd.atlas.2024-11-13+json';

/** The Flex cluster a name denotes, or the errors Atlas answers for other kinds of names (observed). */
export function flexCluster(req: RouteRequest): SimFlexCluster {
  const group = project(req);
  const name = nameParam(req, 'name');
  const found = group.flex.get(name);
  if (found) return found;
  if (group.dedicated.has(name)) {
    throw new SimApiError(
      400,
      'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API',
      `Cannot use non-flex cluster ${name} in the flex API.`,
      [name],
    );
  }
  throw new SimApiError(404, 'CLUSTER_NOT_FOUND', `No cluster named ${name} exists in group ${group.id}.`, [
    name,
    group.id,
  ]);
}

const backupPath = (req: RouteRequest, c: SimFlexCluster) =>
  `/groups/${req.params.groupId}/flexClusters/${c.name}/backup`;

// Observed Flex snapshots and restore jobs came back without `links`; the simulator sends none either.

/** Operations 6–10 of the spec excerpt: the Flex successors. */
export const flexRoutes: Route[] = [
  route(
    'getFlexBackupSnapshot',
    '/groups/{groupId}/flexClusters/{name}/backup/snapshots/{snapshotId}',
    FLEX_MEDIA,
    (req) => {
      const c = flexCluster(req);
      return byId(req, 'snapshotId', c.snapshots, 'SNAPSHOT_NOT_FOUND', 'snapshot', c.name);
    },
  ),

  route('listFlexBackupSnapshots', '/groups/{groupId}/flexClusters/{name}/backup/snapshots', FLEX_MEDIA, (req) =>
    paginate(req, flexCluster(req).snapshots),
  ),

  route(
    'getFlexRestoreJob',
    '/groups/{groupId}/flexClusters/{name}/backup/restoreJobs/{restoreJobId}',
    FLEX_MEDIA,
    (req) => {
      const c = flexCluster(req);
      return byId(req, 'restoreJobId', c.restoreJobs, 'RESTORE_JOB_NOT_FOUND', 'restore job', c.name);
    },
  ),

  route('listFlexRestoreJobs', '/groups/{groupId}/flexClusters/{name}/backup/restoreJobs', FLEX_MEDIA, (req) =>
    paginate(req, flexCluster(req).restoreJobs),
  ),

  route('getFlexCluster', '/groups/{groupId}/flexClusters/{name}', FLEX_MEDIA, (req) => {
    const c = flexCluster(req);
    return {
      id: req.params.groupId!.slice(0, 12) + c.createDate.replace(/\D/g, '').slice(0, 12),
      groupId: req.params.groupId,
      name: c.name,
      clusterType: 'REPLICASET',
      createDate: c.createDate,
      mongoDBVersion: '8.0.29',
      stateName: 'IDLE',
      versionReleaseSystem: 'LTS',
      terminationProtectionEnabled: false,
      backupSettings: { enabled: true },
      connectionStrings: {
        standard: `mongodb://${c.name}.example.mongodb.net`,
        standardSrv: `mongodb+srv://${c.name}.example.mongodb.net`,
      },
      providerSettings: { backingProviderName: 'AWS', diskSizeGB: 5, providerName: 'FLEX', regionName: 'US_EAST_1' },
      tags: [],
      links: selfLinks(req, `${backupPath(req, c).replace(/\/backup$/, '')}`),
    };
  }),
];
