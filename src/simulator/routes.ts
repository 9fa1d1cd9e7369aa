import { SimApiError } from './api-error.js';
import type { SimProject, SimServerlessInstance } from './seed.js';

/** What a route handler sees of a request. */
export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  /** `http://host:port`, for `links` hrefs. */
  origin: string;
  /** The raw path, for `self` links. */
  path: string;
  projects: Map<string, SimProject>;
}

/** One Atlas operation the simulator serves. */
export interface Route {
  name: string;
  pattern: RegExp;
  paramNames: string[];
  /** The one media type this operation accepts (`application/vnd.atlas.<date>+json`). */
  mediaType: string;
  /** `Sunset` header value for deprecated operations (Atlas sends HTTP-dates). */
  sunset?: string;
  handle(request: RouteRequest): unknown;
}

const OBJECT_ID = /^([a-f0-9]{24})$/;
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;
const SERVERLESS_MEDIA = 'application/vnd.atlas.2023-01-01+json';
const SERVERLESS_SUNSET = 'Thu, 22 Jan 2026 00:00:00 GMT';

function route(
  name: string,
  template: string,
  mediaType: string,
  handle: Route['handle'],
  sunset?: string,
): Route {
  const paramNames: string[] = [];
  const source = template.replace(/\{(\w+)\}/g, (_, param: string) => {
    paramNames.push(param);
    return '([^/?#]+)';
  });
  return { name, pattern: new RegExp(`^/api/atlas/v2${source}$`), paramNames, mediaType, handle, ...(sunset ? { sunset } : {}) };
}

function project(req: RouteRequest): SimProject {
  const groupId = req.params.groupId!;
  if (!OBJECT_ID.test(groupId)) {
    throw new SimApiError(400, 'INVALID_GROUP_ID', `An invalid group ID ${groupId} was specified.`, [groupId]);
  }
  const found = req.projects.get(groupId);
  if (!found) throw new SimApiError(404, 'GROUP_NOT_FOUND', `No group with ID ${groupId} exists.`, [groupId]);
  if (found.restricted) {
    throw new SimApiError(403, 'USER_UNAUTHORIZED', 'The currently logged in user does not have permission to access this resource.', []);
  }
  return found;
}

function serverlessInstance(req: RouteRequest, param: 'clusterName' | 'name'): SimServerlessInstance {
  const group = project(req);
  const name = req.params[param]!;
  if (!NAME.test(name)) {
    throw new SimApiError(400, 'INVALID_ATTRIBUTE', `Invalid attribute ${param} specified.`, [param]);
  }
  const found = group.serverless.get(name);
  if (!found) {
    throw new SimApiError(404, 'SERVERLESS_INSTANCE_NOT_FOUND', `No serverless instance named ${name} exists in group ${group.id}.`, [name, group.id]);
  }
  return found;
}

/** Reads `pageNum`, `itemsPerPage` and `includeCount` as Atlas does, with its defaults and bounds. */
function pagination(query: URLSearchParams): { pageNum: number; itemsPerPage: number; includeCount: boolean } {
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      throw new SimApiError(400, 'INVALID_QUERY_PARAMETER', `Invalid query parameter ${name} specified.`, [name]);
    }
    return value;
  };
  const includeCount = query.get('includeCount');
  if (includeCount !== null && includeCount !== 'true' && includeCount !== 'false') {
    throw new SimApiError(400, 'INVALID_QUERY_PARAMETER', 'Invalid query parameter includeCount specified.', ['includeCount']);
  }
  return {
    pageNum: int('pageNum', 1, 1, Number.MAX_SAFE_INTEGER),
    itemsPerPage: int('itemsPerPage', 100, 1, 500),
    includeCount: includeCount !== 'false',
  };
}

/** A page of a list in Atlas's paginated envelope, with `self`/`next`/`previous` links. */
export function paginate<T>(req: RouteRequest, items: T[]): Record<string, unknown> {
  const { pageNum, itemsPerPage, includeCount } = pagination(req.query);
  const start = (pageNum - 1) * itemsPerPage;
  const pageHref = (page: number) =>
    `${req.origin}${req.path}?includeCount=${includeCount}&pageNum=${page}&itemsPerPage=${itemsPerPage}`;
  const links = [{ href: pageHref(pageNum), rel: 'self' }];
  if (start + itemsPerPage < items.length) links.push({ href: pageHref(pageNum + 1), rel: 'next' });
  if (pageNum > 1) links.push({ href: pageHref(pageNum - 1), rel: 'previous' });
  return {
    links,
    results: items.slice(start, start + itemsPerPage),
    ...(includeCount ? { totalCount: items.length } : {}),
  };
}

const selfLinks = (href: string) => [{ href, rel: 'self' }];

function serverlessSnapshotBody(req: RouteRequest, snapshot: object & { id: string }, instance: string) {
  const href = `${req.origin}/api/atlas/v2/groups/${req.params.groupId}/serverless/${instance}/backup/snapshots/${snapshot.id}`;
  return { ...snapshot, links: selfLinks(href) };
}

/** Every operation the simulator serves, matched against the raw request path. */
export const routes: Route[] = [
  route('getServerlessBackupSnapshot', '/groups/{groupId}/serverless/{clusterName}/backup/snapshots/{snapshotId}', SERVERLESS_MEDIA, (req) => {
    const instance = serverlessInstance(req, 'clusterName');
    const snapshotId = req.params.snapshotId!;
    if (!OBJECT_ID.test(snapshotId)) {
      throw new SimApiError(400, 'INVALID_ATTRIBUTE', 'Invalid attribute snapshotId specified.', ['snapshotId']);
    }
    const snapshot = instance.snapshots.find((s) => s.id === snapshotId);
    if (!snapshot) {
      throw new SimApiError(404, 'SNAPSHOT_NOT_FOUND', `No snapshot with ID ${snapshotId} exists for ${instance.name}.`, [snapshotId, instance.name]);
    }
    return serverlessSnapshotBody(req, snapshot, instance.name);
  }, SERVERLESS_SUNSET),

  route('listServerlessBackupSnapshots', '/groups/{groupId}/serverless/{clusterName}/backup/snapshots', SERVERLESS_MEDIA, (req) => {
    const instance = serverlessInstance(req, 'clusterName');
    return paginate(req, instance.snapshots.map((s) => serverlessSnapshotBody(req, s, instance.name)));
  }, SERVERLESS_SUNSET),

  route('getServerlessInstance', '/groups/{groupId}/serverless/{name}', SERVERLESS_MEDIA, (req) => {
    const instance = serverlessInstance(req, 'name');
    return {
      id: req.params.groupId!.slice(0, 12) + instance.createDate.replace(/\D/g, '').slice(0, 12),
      groupId: req.params.groupId,
      name: instance.name,
      createDate: instance.createDate,
      mongoDBVersion: '8.0.17',
      stateName: 'IDLE',
      terminationProtectionEnabled: false,
      serverlessBackupOptions: { serverlessContinuousBackupEnabled: true },
      providerSettings: { backingProviderName: 'AWS', providerName: 'SERVERLESS', regionName: 'US_EAST_1' },
      connectionStrings: { standardSrv: `mongodb+srv://${instance.name}.example.mongodb.net` },
      links: selfLinks(`${req.origin}/api/atlas/v2/groups/${req.params.groupId}/serverless/${instance.name}`),
    };
  }, 'Mon, 18 Jan 2027 00:00:00 GMT'),
];
