import { SimApiError } from './api-error.js';
import type { SimDedicatedCluster } from './cloud-backup-state.js';
import { clusterBody } from './cluster-body.js';
import { requirePermission, type SimPermission } from './roles.js';
import { nameParam, paginate, project, route, type Route, type RouteRequest } from './route.js';
import type { SimProject } from './seed.js';

/** The cluster endpoints' only media type in the excerpt (README §10.1 ops 25, 26). */
const CLUSTER_MEDIA = 'application/vnd.atlas.2024-08-05+json';

/** Options shared by both cluster routes: their own RateLimit bucket, and 2023-02-01 answered as gone. */
const CLUSTER_ROUTE: Partial<Route> = {
  rateLimitBucket: 'cluster',
  // Observed: "Version 2023-02-01 of api/atlas/v2/groups/…/clusters is no longer available." (README §3).
  // 2023-01-01 (LegacyAtlasCluster) is listed by the spec but not by the excerpt: not served, so 406.
  goneMediaTypes: ['application/vnd.atlas.2023-02-01+json'],
};

/**
 * The dedicated cluster `{clusterName}` names, after the caller's permissions in the project are
 * checked for `required`; otherwise the errors of README §10.4: a Flex name answers 400
 * CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API (parameters [name]), anything else 404 CLUSTER_NOT_FOUND
 * (parameters [name, groupId]) — a deleted cluster, and a serverless instance's name too.
 */
export function dedicatedCluster(
  req: RouteRequest,
  required: SimPermission = 'read',
): { group: SimProject; cluster: SimDedicatedCluster } {
  const group = project(req);
  requirePermission(req, group, required);
  const name = nameParam(req, 'clusterName');
  const cluster = group.cloud?.clusters.get(name);
  if (cluster) return { group, cluster };
  if (group.flex.has(name)) {
    throw new SimApiError(
      400,
      'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API',
      `Flex cluster ${name} cannot be used in the Cluster API.`,
      [name],
    );
  }
  throw new SimApiError(404, 'CLUSTER_NOT_FOUND', `No cluster named ${name} exists in group ${group.id}.`, [
    name,
    group.id,
  ]);
}

/** `/groups/{groupId}/clusters/{name}` under `/api/atlas/v2`. */
export const clusterPath = (groupId: string, name: string) => `/groups/${groupId}/clusters/${name}`;

/** The body of one cluster, with the three links Atlas sends on it (self, restore jobs, snapshots). */
function renderCluster(req: RouteRequest, groupId: string, c: SimDedicatedCluster) {
  const base = `${req.origin}/api/atlas/v2${clusterPath(groupId, c.name)}`;
  return clusterBody(groupId, c, [
    { href: base, rel: 'self' },
    { href: `${base}/backup/restoreJobs`, rel: 'https://cloud.mongodb.com/restoreJobs' },
    { href: `${base}/backup/snapshots`, rel: 'https://cloud.mongodb.com/snapshots' },
  ]);
}

/**
 * Operations 25 and 26 of README §10.1 (Project Read Only, 2024-08-05, the cluster RateLimit bucket).
 * `listClusters` lists dedicated clusters only (Flex clusters have their own API), in creation order;
 * `includeDeletedWithRetainedBackups` is accepted and ignored (no deleted cluster keeps backups here).
 */
export const clusterRoutes: Route[] = [
  route(
    'listClusters',
    '/groups/{groupId}/clusters',
    CLUSTER_MEDIA,
    (req) => {
      const group = project(req);
      const clusters = [...(group.cloud?.clusters.values() ?? [])];
      return paginate(
        req,
        clusters.map((c) => renderCluster(req, group.id, c)),
      );
    },
    CLUSTER_ROUTE,
  ),

  route(
    'getCluster',
    '/groups/{groupId}/clusters/{clusterName}',
    CLUSTER_MEDIA,
    (req) => {
      const { group, cluster } = dedicatedCluster(req);
      return renderCluster(req, group.id, cluster);
    },
    CLUSTER_ROUTE,
  ),
];
