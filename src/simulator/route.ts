import { SimApiError } from './api-error.js';
import type { Lifecycles } from './lifecycle.js';
import { forbidden, permissionsIn, type SimRoleGrant } from './roles.js';
import type { SimProject } from './seed.js';

/** What a route handler sees of a request. */
export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  /** `http://host:port`, for `links` hrefs. */
  origin: string;
  /** The raw path, for `self` links. */
  path: string;
  projects: Map<string, SimProject>;
  /** The media type negotiated from `Accept`: the route's own, or one of its older ones. */
  mediaType: string;
  /** The caller's roles by group id (its API key's grants); projects not named keep their default role. */
  roles?: Readonly<Record<string, SimRoleGrant>> | undefined;
  /** A write's parsed JSON body (an object); undefined for reads. */
  body?: Record<string, unknown>;
  /** The simulator clock and the lives of the resources writes create. */
  lifecycles: Lifecycles;
}

/** The HTTP methods the simulator's operations use. */
export type SimMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** The RateLimit bucket of an operation: Atlas counts backup and cluster endpoints apart (README §10.5). */
export type RateLimitBucket = 'backup' | 'cluster';

/** One Atlas operation the simulator serves. */
export interface Route {
  name: string;
  pattern: RegExp;
  paramNames: string[];
  /** The one media type this operation accepts (`application/vnd.atlas.<date>+json`). */
  mediaType: string;
  /** `Sunset` header value for deprecated operations (Atlas sends HTTP-dates). */
  sunset?: string;
  /** One of the serverless backup operations that the sunset switch retires. */
  retired?: boolean;
  /** Older media types still served, each with the `Deprecation` and `Sunset` headers Atlas sends with it. */
  olderMediaTypes?: Record<string, { deprecation: string; sunset: string }>;
  /** Media types Atlas has removed for this operation: 410 VERSION_GONE. */
  goneMediaTypes?: string[];
  /** @default 'backup' */
  rateLimitBucket?: RateLimitBucket;
  /** @default 'GET' */
  method?: SimMethod;
  /** Answers 204 with no body (and the media type as Content-Type, README §10.6 item 2). */
  noContent?: boolean;
  handle(request: RouteRequest): unknown;
}

export const OBJECT_ID = /^([a-f0-9]{24})$/;
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;

/** A route from its spec path template (after `/api/atlas/v2`). */
export function route(
  name: string,
  template: string,
  mediaType: string,
  handle: Route['handle'],
  extra: Partial<Route> = {},
): Route {
  const paramNames: string[] = [];
  const source = template.replace(/\{(\w+)\}/g, (_, param: string) => {
    paramNames.push(param);
    return '([^/?#]+)';
  });
  return { name, pattern: new RegExp(`^/api/atlas/v2${source}$`), paramNames, mediaType, handle, ...extra };
}

/** The project of `groupId`, or the Atlas error for a bad, unknown or forbidden one. */
export function project(req: RouteRequest): SimProject {
  const groupId = req.params.groupId!;
  if (!OBJECT_ID.test(groupId)) {
    throw new SimApiError(400, 'INVALID_GROUP_ID', `An invalid group ID ${groupId} was specified.`, [groupId]);
  }
  const found = req.projects.get(groupId);
  if (!found) throw new SimApiError(404, 'GROUP_NOT_FOUND', `No group with ID ${groupId} exists.`, [groupId]);
  if (permissionsIn(req, found) === undefined) throw forbidden();
  return found;
}

/** A path parameter that must be a name; 400 otherwise. */
export function nameParam(req: RouteRequest, param: string): string {
  const name = req.params[param]!;
  if (!NAME.test(name))
    throw new SimApiError(400, 'INVALID_ATTRIBUTE', `Invalid attribute ${param} specified.`, [param]);
  return name;
}

/** Finds an item by the id in `param`; 400 for a malformed id, 404 with `notFoundCode` for an unknown one. */
export function byId<T extends { id: string }>(
  req: RouteRequest,
  param: string,
  items: T[],
  notFoundCode: string,
  what: string,
  owner: string,
): T {
  const id = req.params[param]!;
  if (!OBJECT_ID.test(id))
    throw new SimApiError(400, 'INVALID_ATTRIBUTE', `Invalid attribute ${param} specified.`, [param]);
  const found = items.find((item) => item.id === id);
  if (!found) throw new SimApiError(404, notFoundCode, `No ${what} with ID ${id} exists for ${owner}.`, [id, owner]);
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
    throw new SimApiError(400, 'INVALID_QUERY_PARAMETER', 'Invalid query parameter includeCount specified.', [
      'includeCount',
    ]);
  }
  return {
    pageNum: int('pageNum', 1, 1, Number.MAX_SAFE_INTEGER),
    itemsPerPage: int('itemsPerPage', 100, 1, 500),
    includeCount: includeCount !== 'false',
  };
}

/**
 * The media type to answer `accept` with: the route's newest when listed, else an older one it still
 * serves (with its Deprecation/Sunset headers); `gone` for a removed version; undefined for 406.
 */
export function negotiate(
  route: Route,
  accept: string | undefined,
): { mediaType: string; headers: Record<string, string> } | { gone: string } | undefined {
  const accepted = (accept ?? '').split(',').map((part) => part.split(';')[0]!.trim());
  if (accepted.includes(route.mediaType)) return { mediaType: route.mediaType, headers: {} };
  for (const [mediaType, { deprecation, sunset }] of Object.entries(route.olderMediaTypes ?? {})) {
    if (accepted.includes(mediaType)) return { mediaType, headers: { Deprecation: deprecation, Sunset: sunset } };
  }
  const gone = route.goneMediaTypes?.find((mediaType) => accepted.includes(mediaType));
  return gone === undefined ? undefined : { gone };
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

/** A whole list in the paginated envelope, for operations that declare no paging parameters. */
export const unpaged = <T>(req: RouteRequest, items: T[]) => ({
  links: [{ href: `${req.origin}${req.path}`, rel: 'self' }],
  results: items,
  totalCount: items.length,
});

/** `links: [{ href, rel: 'self' }]` for a resource path under `/api/atlas/v2`. */
export const selfLinks = (req: RouteRequest, path: string) => [
  { href: `${req.origin}/api/atlas/v2${path}`, rel: 'self' },
];
