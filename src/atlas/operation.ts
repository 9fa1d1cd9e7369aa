import type { z } from 'zod';

/** The HTTP methods of the Atlas operations this service calls; every one but GET changes something. */
export type AtlasMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** What the client needs to know about one Atlas operation. */
export interface AtlasOperation<Schema extends z.ZodType> {
  /** The Go SDK method name (the spec's `x-xgen-operation-id-override`), used in logs and errors. */
  readonly name: string;
  /** GET for reads; a write is never retried once it may have reached Atlas (see retry-policy.ts). */
  readonly method: AtlasMethod;
  /** The versioned media type, e.g. `application/vnd.atlas.2023-01-01+json`. */
  readonly accept: string;
  /** The shape of a 200 body; a write answered 204 (the deletes) has none and resolves to undefined. */
  readonly schema: Schema;
  /** The spec's path template, e.g. `/api/atlas/v2/groups/{groupId}/flexClusters/{name}`. */
  readonly template: string;
  /** The only paths the client will request for it: the template, segment for segment. */
  readonly pathPattern: RegExp;
  /**
   * The endpoint family Atlas rate-limits it with: the template's segment after `{groupId}`, and
   * `/backup` for backup operations, e.g. `flexClusters/backup`. Atlas counts backup operations
   * (limit 1,200) apart from cluster endpoints (10,000), shared/atlas README §10.5.
   */
  readonly family: string;
}

/** One encoded path parameter: unreserved characters and percent-escapes only (no `.`, `/`, `?`, `#`). */
const SEGMENT = '[A-Za-z0-9_~%-]+';
/** The page query a list operation may carry (see pagination.ts). */
const PAGE_QUERY = '(?:\\?includeCount=(?:true|false)&pageNum=\\d{1,9}&itemsPerPage=\\d{1,3})?';

/** Describes a GET operation; its path pattern is compiled once, here. */
export function defineOperation<Schema extends z.ZodType>(
  name: string,
  accept: string,
  template: string,
  schema: Schema,
  list = false,
): AtlasOperation<Schema> {
  return describe('GET', name, accept, template, schema, list);
}

/** Describes a write (POST, PATCH or DELETE) of one resource: no page query. */
export function defineWriteOperation<Schema extends z.ZodType>(
  method: Exclude<AtlasMethod, 'GET'>,
  name: string,
  accept: string,
  template: string,
  schema: Schema,
): AtlasOperation<Schema> {
  return describe(method, name, accept, template, schema, false);
}

function describe<Schema extends z.ZodType>(
  method: AtlasMethod,
  name: string,
  accept: string,
  template: string,
  schema: Schema,
  list: boolean,
): AtlasOperation<Schema> {
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, SEGMENT);
  const resource = /\{groupId\}\/([^/{]+)/.exec(template)?.[1] ?? name;
  const family = /\/backup(?:\/|$)/.test(template) && resource !== 'backup' ? `${resource}/backup` : resource;
  const pathPattern = new RegExp(`^${source}${list ? PAGE_QUERY : ''}$`);
  return { name, method, accept, schema, template, pathPattern, family };
}
