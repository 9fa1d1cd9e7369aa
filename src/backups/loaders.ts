import DataLoader from 'dataloader';
import type { AtlasAuth } from '../atlas/auth.js';
import type { AtlasCallOptions } from '../atlas/client.js';
import type { FlexClusterKey, FlexRestoreJobKey, FlexSnapshotKey } from '../atlas/flex-backup.js';
import type { PageRequest } from '../atlas/pagination.js';
import type {
  ServerlessInstanceKey,
  ServerlessRestoreJobKey,
  ServerlessSnapshotKey,
} from '../atlas/serverless-backup.js';
import type { BackupReader, Page } from './backup-reader.js';
import { createBackupSettingsLoaders } from './backup-settings-loaders.js';
import { createClusterLoaders } from './cluster-loaders.js';
import { lazyLoader, toError, type KeyLoader, type Listing } from './loader-kit.js';
import type { FlexRestoreJobRecord, RestoreJobRecord } from './restore-job-record.js';
import type { SnapshotRecord } from './snapshot-record.js';

/** Per-request loader settings. */
export interface LoaderOptions {
  /** Upstream calls in flight at once for the whole request (UPSTREAM_CONCURRENCY). */
  concurrency: number;
  /** Aborted when the GraphQL request's client goes away; cancels the upstream calls. */
  signal?: AbortSignal;
  /** This request's own Atlas credentials (forward mode); the client's otherwise. */
  auth?: AtlasAuth;
  /** Atlas calls this request may make, routing probes included (UPSTREAM_MAX_KEYS). */
  maxCalls: number;
  /** Told about every upstream attempt of this request (for its log line and metrics). */
  onAttempt?: AtlasCallOptions['onAttempt'];
  /** Told the size of every batch a loader dispatches. */
  onBatch?: (loader: string, size: number) => void;
  /** Runs every batch a loader dispatches (a tracing span around it, made active). @default runs it as is */
  traceBatch?: <T>(loader: string, size: number, run: () => Promise<T>) => Promise<T>;
  /** Told the size of every Atlas body chunk as it arrives (the request's memory meter); may refuse it by throwing. */
  onBodyBytes?: AtlasCallOptions['onBodyBytes'];
  /** Told before every Atlas call that passes `maxCalls`; may refuse it by throwing (the caller's call budget). */
  onCall?: () => void;
  /** Every read must see Atlas now (a subscription's poll): the record cache is skipped, then refreshed. @default false */
  freshReads?: boolean;
  /** Told how each read through the record cache was answered (the response's `atlasCache` extension). */
  onCache?: AtlasCallOptions['onCache'];
}

/** The request needs more Atlas calls than UPSTREAM_MAX_KEYS allows: the call past the budget is refused before it leaves. */
export class UpstreamBudgetError extends Error {
  override readonly name = 'UpstreamBudgetError';
  constructor(readonly maxCalls: number) {
    super(`this request needs more than ${maxCalls} Atlas calls (UPSTREAM_MAX_KEYS)`);
  }
}

/**
 * Runs tasks with at most `limit` in flight, in arrival order. Once `signal` aborts (the client went
 * away), tasks not yet started never run: they reject with an `AbortError`; running ones finish.
 */
export function createLimiter(limit: number, signal?: AbortSignal): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  signal?.addEventListener('abort', () => waiting.splice(0).forEach((wake) => wake()), { once: true });
  return async (task) => {
    if (running >= limit && !signal?.aborted) await new Promise<void>((resolve) => waiting.push(resolve));
    if (signal?.aborted)
      throw new DOMException('The request was aborted before this Atlas call started.', 'AbortError');
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/** The cache keys: path parameters, validated, so `/` cannot occur in them. */
const cacheKeys = {
  serverlessSnapshot: (k: ServerlessSnapshotKey) => `${k.groupId}/${k.clusterName}/${k.snapshotId}`,
  flexSnapshot: (k: FlexSnapshotKey) => `${k.groupId}/${k.name}/${k.snapshotId}`,
  serverlessRestoreJob: (k: ServerlessRestoreJobKey) => `${k.groupId}/${k.clusterName}/${k.restoreJobId}`,
  flexRestoreJob: (k: FlexRestoreJobKey) => `${k.groupId}/${k.name}/${k.restoreJobId}`,
  serverlessInstance: (k: ServerlessInstanceKey) => `${k.groupId}/${k.clusterName}`,
  flexCluster: (k: FlexClusterKey) => `${k.groupId}/${k.name}`,
};

/**
 * A fresh set of loaders for one GraphQL request: the same key or list page asked for any number of
 * times costs one lookup, distinct keys run concurrently (at most `concurrency` upstream calls for
 * the whole request), every Atlas call counts against `maxCalls`, and nothing outlives the request.
 * List pages prime the loaders with what they returned.
 */
export function createLoaders(reader: BackupReader, options: LoaderOptions) {
  let calls = 0;
  /** Counts every Atlas call of this request, routing probes and fallbacks included, and refuses the one past the budget. */
  const beforeCall = () => {
    calls += 1;
    if (calls > options.maxCalls) throw new UpstreamBudgetError(options.maxCalls);
    options.onCall?.();
  };
  const call: AtlasCallOptions = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.onAttempt ? { onAttempt: options.onAttempt } : {}),
    ...(options.onBodyBytes ? { onBodyBytes: options.onBodyBytes } : {}),
    ...(options.freshReads ? { cache: 'refresh' as const } : {}),
    ...(options.onCache ? { onCache: options.onCache } : {}),
    beforeCall,
  };
  const concurrent = createLimiter(options.concurrency, options.signal);
  const batchLoader = <K, V>(
    name: string,
    fetchAll: (keys: readonly K[]) => Promise<(V | Error)[]>,
    cacheKeyFn: (key: K) => string,
  ): KeyLoader<K, V> =>
    lazyLoader(
      () =>
        new DataLoader<K, V, string>(
          (keys) => {
            options.onBatch?.(name, keys.length);
            return options.traceBatch ? options.traceBatch(name, keys.length, () => fetchAll(keys)) : fetchAll(keys);
          },
          { cacheKeyFn },
        ),
    );
  // The batch contract: results in key order, an Error (never a rejection) per failed key.
  const loader = <K, V>(
    name: string,
    fetch: (key: K, call: AtlasCallOptions) => Promise<V>,
    cacheKeyFn: (key: K) => string,
  ): KeyLoader<K, V> =>
    batchLoader(
      name,
      (keys: readonly K[]) => Promise.all(keys.map((key) => concurrent(() => fetch(key, call)).catch(toError))),
      cacheKeyFn,
    );
  const serverlessSnapshot = loader(
    'serverlessSnapshot',
    (k: ServerlessSnapshotKey, c) => reader.serverlessSnapshot(k, c),
    cacheKeys.serverlessSnapshot,
  );
  const flexSnapshot = loader(
    'flexSnapshot',
    (k: FlexSnapshotKey, c) => reader.flexSnapshot(k, c),
    cacheKeys.flexSnapshot,
  );
  const serverlessRestoreJob = loader(
    'serverlessRestoreJob',
    (k: ServerlessRestoreJobKey, c) => reader.serverlessRestoreJob(k, c),
    cacheKeys.serverlessRestoreJob,
  );
  const flexRestoreJob = loader(
    'flexRestoreJob',
    (k: FlexRestoreJobKey, c) => reader.flexRestoreJob(k, c),
    cacheKeys.flexRestoreJob,
  );

  /**
   * A list page through the concurrency bound, its items primed into `target`; each (list, page) is
   * fetched once per request, failure included, like a loader's key.
   */
  const listing = <K, V extends { id: string }, ItemKey>(
    fetch: (key: K, page: PageRequest, call: AtlasCallOptions) => Promise<Page<V>>,
    target: KeyLoader<ItemKey, V>,
    itemKey: (key: K, item: V) => ItemKey,
    listKey: (key: K) => string,
  ): Listing<K, V> => {
    // Made on the first page asked for: most requests touch few of the lists.
    let pages: Map<string, Promise<Page<V>>> | undefined;
    const load = async (key: K, page: PageRequest): Promise<Page<V>> => {
      const result = await concurrent(() => fetch(key, page, call));
      for (const item of result.items) target.prime(itemKey(key, item), item);
      return result;
    };
    const fetchPage = (key: K, page: PageRequest): Promise<Page<V>> => {
      const at = `${listKey(key)}?pageNum=${page.pageNum}&itemsPerPage=${page.itemsPerPage}&includeCount=`;
      // A page fetched with its count also answers the same page asked for without one.
      pages ??= new Map();
      const known = pages.get(`${at}true`) ?? (page.includeCount ? undefined : pages.get(`${at}false`));
      if (known) return known;
      const pending = load(key, page);
      pages.set(`${at}${page.includeCount}`, pending);
      return pending;
    };
    const forget = (key: K) => {
      const prefix = `${listKey(key)}?`;
      if (pages) for (const at of pages.keys()) if (at.startsWith(prefix)) pages.delete(at);
    };
    return Object.assign(fetchPage, { forget });
  };

  return {
    /**
     * This request's options for an Atlas write: its credentials, attempt log and call budget, but
     * not its abort signal (a write that started runs to its answer, see AtlasClient.send).
     */
    writeCall: {
      ...(options.auth ? { auth: options.auth } : {}),
      ...(options.onAttempt ? { onAttempt: options.onAttempt } : {}),
      beforeCall,
    } satisfies Omit<AtlasCallOptions, 'signal'>,
    serverlessSnapshot,
    flexSnapshot,
    serverlessRestoreJob,
    flexRestoreJob,
    serverlessSnapshots: listing(
      (k: ServerlessInstanceKey, p, c): Promise<Page<SnapshotRecord>> => reader.serverlessSnapshots(k, p, c),
      serverlessSnapshot,
      (k, { id }) => ({ ...k, snapshotId: id }),
      cacheKeys.serverlessInstance,
    ),
    flexSnapshots: listing(
      (k: FlexClusterKey, p, c): Promise<Page<SnapshotRecord>> => reader.flexSnapshots(k, p, c),
      flexSnapshot,
      (k, { id }) => ({ ...k, snapshotId: id }),
      cacheKeys.flexCluster,
    ),
    serverlessRestoreJobs: listing(
      (k: ServerlessInstanceKey, p, c): Promise<Page<RestoreJobRecord>> => reader.serverlessRestoreJobs(k, p, c),
      serverlessRestoreJob,
      (k, { id }) => ({ ...k, restoreJobId: id }),
      cacheKeys.serverlessInstance,
    ),
    flexRestoreJobs: listing(
      (k: FlexClusterKey, p, c): Promise<Page<FlexRestoreJobRecord>> => reader.flexRestoreJobs(k, p, c),
      flexRestoreJob,
      (k, { id }) => ({ ...k, restoreJobId: id }),
      cacheKeys.flexCluster,
    ),
    ...createClusterLoaders(reader.clusters, { loader, batchLoader, listing, call, concurrent }),
    ...createBackupSettingsLoaders(reader.settings, { loader, batchLoader, listing, call, concurrent }),
  };
}

/** The loaders of one request. */
export type Loaders = ReturnType<typeof createLoaders>;

/**
 * The loaders of one request, built on first use: a request that reads nothing through them (a
 * subscription, whose polls have loaders of their own; a mutation refused before running) never
 * pays for them — about 35 KB each, held for as long as a subscription lives.
 */
export function lazyLoaders(build: () => Loaders): Loaders {
  let built: Loaders | undefined;
  return new Proxy({} as Loaders, {
    get: (_target, property) => (built ??= build())[property as keyof Loaders],
  });
}

// The pieces loader files of other areas build on (cluster-loaders.ts, backup-settings-loaders.ts).
export type { KeyLoader, LoaderKit, Listing } from './loader-kit.js';
