import type { AtlasErrorEnvelope } from './error-envelope.js';

// The record cache's port (docs/fleet.md "Record cache"): where Atlas's answers to GETs are kept
// between requests. The in-process adapter (memory-read-cache.ts) serves one process and is the
// default; a fleet shares one in Redis (src/fleet/redis-read-cache.ts). cached-reads.ts decides
// what is read, fetched, coalesced and kept; callers cannot tell which adapter they have.

/** One cached read: which credentials asked for which path, and the resource it belongs to. */
export interface CacheKey {
  /** What a write invalidates together (see scopeOfPath): `<groupId>/<clusterName>` or `<groupId>`. */
  scope: string;
  /** Whose Atlas credentials read it: `service`, or in forward mode a digest of the caller's token. */
  identity: string;
  /** The Atlas operation, e.g. `getClusterBackupSnapshot`. */
  operation: string;
  /** The encoded path, page query included. */
  path: string;
}

/** What Atlas answered: the 2xx body as it came, or a 404's envelope (kept only when CACHE_TTL_NOT_FOUND_S > 0). */
export type CachedAnswer = { body: string } | { notFound: AtlasErrorEnvelope };

/** A cached answer and when it was read from Atlas (ms since the epoch). */
export interface CacheEntry {
  answer: CachedAnswer;
  storedAt: number;
}

/** What a lookup found. */
export interface CacheLookup {
  /** The fresh entry, if there is one. */
  entry: CacheEntry | undefined;
  /**
   * The state of the key's scope when looked up, to hand to `store`: an entry read from Atlas after
   * the scope was invalidated (a write) is not stored. Undefined when the cache could not be read.
   */
  seen: string | undefined;
  /** Another replica claimed this key and is reading it from Atlas now: its entry is coming. */
  pending: boolean;
}

/**
 * Where cached answers are kept. Adapters never throw: a cache that cannot answer (Redis down or
 * slow) reports a miss with `seen` undefined, and the read goes to Atlas as if there were no cache.
 */
export interface ReadCache {
  /** The entry under `key` while it is fresh and its scope has not been invalidated since it was stored. */
  lookup(key: CacheKey): Promise<CacheLookup>;
  /**
   * Claims `key` for `ms` (a pending marker others see in `lookup`): true when this caller should
   * read it from Atlas, false when another replica holds the claim. In-process adapters always grant it.
   */
  claim(key: CacheKey, ms: number): Promise<boolean>;
  /** Keeps `entry` under `key` for `ttlMs` unless the scope changed since `seen`, and gives up this caller's claim. */
  store(key: CacheKey, entry: CacheEntry, ttlMs: number, seen: string): Promise<void>;
  /** Gives up this caller's claim without storing (the read failed, or its answer is not kept). */
  release(key: CacheKey): Promise<void>;
  /** Forgets every entry of these scopes, for every credentials (a write changed them). */
  invalidate(scopes: readonly string[]): Promise<void>;
}

/** A resource a write changed: a cluster (any kind: names are unique in a project), or the project's own lists. */
export interface ReadScope {
  groupId: string;
  clusterName?: string | undefined;
}

const GROUP_PATH = /^\/api\/atlas\/v2\/groups\/([^/?]+)(?:\/([^/?]+)(?:\/([^/?]+))?)?/;
/** The path segments under which a cluster's name comes next. */
const CLUSTER_COLLECTIONS = new Set(['clusters', 'flexClusters', 'serverless']);

/** The scope of one resource. */
export const scopeOf = ({ groupId, clusterName }: ReadScope): string =>
  clusterName === undefined ? groupId : `${groupId}/${encodeURIComponent(clusterName)}`;

/**
 * The scope a GET path belongs to: everything under a cluster (of any API: dedicated, Flex,
 * serverless) is that cluster's; the rest of a project (its cluster list, export buckets,
 * compliance policy) is the project's. Undefined for paths outside a project (never cached).
 */
export function scopeOfPath(path: string): string | undefined {
  const match = GROUP_PATH.exec(path);
  if (!match) return undefined;
  const [, groupId, collection, name] = match;
  return collection !== undefined && name !== undefined && CLUSTER_COLLECTIONS.has(collection)
    ? `${groupId}/${name}`
    : groupId!;
}
