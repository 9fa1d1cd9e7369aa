import DataLoader from 'dataloader';
import type { AtlasAuth } from './atlas/auth.js';
import type { AtlasCallOptions } from './atlas/client.js';
import type { FlexClusterKey, FlexRestoreJobKey, FlexSnapshotKey } from './atlas/flex-backup.js';
import type { PageRequest } from './atlas/pagination.js';
import type { ServerlessInstanceKey, ServerlessRestoreJobKey, ServerlessSnapshotKey } from './atlas/serverless-backup.js';
import type { BackupReader, FlexRestoreJobModel, Page } from './backups/backup-reader.js';
import type { RestoreJobRecord } from './backups/restore-job-record.js';
import type { SnapshotRecord } from './backups/snapshot-record.js';

/** Per-request loader settings. */
export interface LoaderOptions {
  /** Upstream calls in flight at once for the whole request. @default 8 */
  concurrency: number;
  /** Aborted when the GraphQL request's client goes away; cancels the upstream calls. */
  signal?: AbortSignal;
  /** This request's own Atlas credentials (forward mode); the client's otherwise. */
  auth?: AtlasAuth;
  /** Distinct upstream lookups (keys and list pages) this request may make. @default 100 */
  maxKeys: number;
  /** Told about every upstream attempt of this request (for its log line and metrics). */
  onAttempt?: AtlasCallOptions['onAttempt'];
  /** Told the size of every batch a loader dispatches. */
  onBatch?: (loader: string, size: number) => void;
}

/** The request asked for more distinct upstream lookups than UPSTREAM_MAX_KEYS allows. */
export class UpstreamBudgetError extends Error {
  override readonly name = 'UpstreamBudgetError';
  constructor(readonly maxKeys: number) {
    super(`this request needs more than ${maxKeys} distinct Atlas lookups (UPSTREAM_MAX_KEYS)`);
  }
}

/** Runs tasks with at most `limit` in flight, in arrival order. */
export function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
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
export const cacheKeys = {
  serverlessSnapshot: (k: ServerlessSnapshotKey) => `${k.groupId}/${k.clusterName}/${k.snapshotId}`,
  flexSnapshot: (k: FlexSnapshotKey) => `${k.groupId}/${k.name}/${k.snapshotId}`,
  serverlessRestoreJob: (k: ServerlessRestoreJobKey) => `${k.groupId}/${k.clusterName}/${k.restoreJobId}`,
  flexRestoreJob: (k: FlexRestoreJobKey) => `${k.groupId}/${k.name}/${k.restoreJobId}`,
};

/**
 * A fresh set of loaders for one GraphQL request: the same key asked for any number of times costs
 * one lookup, distinct keys run concurrently (at most `concurrency` upstream calls for the whole
 * request), and nothing outlives the request. List pages prime the loaders with what they returned.
 */
export function createLoaders(reader: BackupReader, options: LoaderOptions) {
  const call: AtlasCallOptions = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.onAttempt ? { onAttempt: options.onAttempt } : {}),
  };
  const concurrent = createLimiter(options.concurrency);
  let lookups = 0;
  /** Every distinct lookup goes through here: counted against the budget, then bounded in concurrency. */
  const limit = <T>(task: () => Promise<T>): Promise<T> => {
    lookups += 1;
    if (lookups > options.maxKeys) return Promise.reject(new UpstreamBudgetError(options.maxKeys));
    return concurrent(task);
  };
  const loader = <K, V>(name: string, fetch: (key: K, call: AtlasCallOptions) => Promise<V>, cacheKeyFn: (key: K) => string) =>
    new DataLoader<K, V, string>(
      // The batch contract: results in key order, an Error (never a rejection) per failed key.
      (keys) => {
        options.onBatch?.(name, keys.length);
        return Promise.all(keys.map((key) => limit(() => fetch(key, call)).catch((error: unknown) => toError(error))));
      },
      { cacheKeyFn },
    );
  const serverlessSnapshot = loader('serverlessSnapshot', (k: ServerlessSnapshotKey, c) => reader.serverlessSnapshot(k, c), cacheKeys.serverlessSnapshot);
  const flexSnapshot = loader('flexSnapshot', (k: FlexSnapshotKey, c) => reader.flexSnapshot(k, c), cacheKeys.flexSnapshot);
  const serverlessRestoreJob = loader('serverlessRestoreJob', (k: ServerlessRestoreJobKey, c) => reader.serverlessRestoreJob(k, c), cacheKeys.serverlessRestoreJob);
  const flexRestoreJob = loader('flexRestoreJob', (k: FlexRestoreJobKey, c) => reader.flexRestoreJob(k, c), cacheKeys.flexRestoreJob);

  /** A list page through the budget and the concurrency bound, its items primed into `target`. */
  const listing =
    <K, V extends { id: string }, ItemKey>(
      fetch: (key: K, page: PageRequest, call: AtlasCallOptions) => Promise<Page<V>>,
      target: DataLoader<ItemKey, V, string>,
      itemKey: (key: K, id: string) => ItemKey,
    ) =>
    async (key: K, page: PageRequest): Promise<Page<V>> => {
      const result = await limit(() => fetch(key, page, call));
      for (const item of result.items) target.prime(itemKey(key, item.id), item);
      return result;
    };

  return {
    serverlessSnapshot,
    flexSnapshot,
    serverlessRestoreJob,
    flexRestoreJob,
    serverlessSnapshots: listing(
      (k: ServerlessInstanceKey, p, c): Promise<Page<SnapshotRecord>> => reader.serverlessSnapshots(k, p, c),
      serverlessSnapshot,
      (k, snapshotId) => ({ ...k, snapshotId }),
    ),
    flexSnapshots: listing((k: FlexClusterKey, p, c): Promise<Page<SnapshotRecord>> => reader.flexSnapshots(k, p, c), flexSnapshot, (k, snapshotId) => ({ ...k, snapshotId })),
    serverlessRestoreJobs: listing(
      (k: ServerlessInstanceKey, p, c): Promise<Page<RestoreJobRecord>> => reader.serverlessRestoreJobs(k, p, c),
      serverlessRestoreJob,
      (k, restoreJobId) => ({ ...k, restoreJobId }),
    ),
    flexRestoreJobs: listing(
      (k: FlexClusterKey, p, c): Promise<Page<FlexRestoreJobModel>> => reader.flexRestoreJobs(k, p, c),
      flexRestoreJob,
      (k, restoreJobId) => ({ ...k, restoreJobId }),
    ),
  };
}

/** The loaders of one request. */
export type Loaders = ReturnType<typeof createLoaders>;

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
