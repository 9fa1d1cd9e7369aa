import type { z } from 'zod';

/** What the client needs to know about one Atlas GET operation. */
export interface AtlasOperation<Schema extends z.ZodType> {
  /** The Go SDK method name (the spec's `x-xgen-operation-id-override`), used in logs and errors. */
  readonly name: string;
  /** The versioned media type, e.g. `application/vnd.atlas.2023-01-01+json`. */
  readonly accept: string;
  /** The shape of a 200 body. */
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

/** Describes an operation; its path pattern is compiled once, here. */
export function defineOperation<Schema extends z.ZodType>(
  name: string,
  accept: string,
  template: string,
  schema: Schema,
  list = false,
): AtlasOperation<Schema> {
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, SEGMENT);
  const resource = /\{groupId\}\/([^/{]+)/.exec(template)?.[1] ?? name;
  const family = /\/backup(?:\/|$)/.test(template) && resource !== 'backup' ? `${resource}/backup` : resource;
  return { name, accept, schema, template, pathPattern: new RegExp(`^${source}${list ? PAGE_QUERY : ''}$`), family };
}
