import DataLoader from 'dataloader';
import type { AtlasAuth } from './atlas/auth.js';
import type { AtlasClient } from './atlas/client.js';
import {
  fetchServerlessSnapshot,
  type ServerlessSnapshotBody,
  type ServerlessSnapshotKey,
} from './atlas/serverless-snapshots.js';

/** Per-request loader settings. */
export interface LoaderOptions {
  /** Upstream calls in flight at once for one batch. @default 8 */
  concurrency: number;
  /** Aborted when the GraphQL request's client goes away; cancels the upstream calls. */
  signal?: AbortSignal;
  /** This request's own Atlas credentials (forward mode); the client's otherwise. */
  auth?: AtlasAuth;
}

/**
 * Runs `task` over `items` with at most `limit` in flight, and returns the results in input order
 * with an Error in place of each failure (DataLoader's batch contract).
 */
export async function settleBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<(R | Error)[]> {
  const results = new Array<R | Error>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index]!);
      } catch (error) {
        results[index] = error instanceof Error ? error : new Error(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The cache key of a snapshot: the three path parameters (validated, so `/` cannot occur in them). */
export const serverlessSnapshotCacheKey = ({ groupId, clusterName, snapshotId }: ServerlessSnapshotKey): string =>
  `${groupId}/${clusterName}/${snapshotId}`;

/**
 * A fresh set of loaders for one GraphQL request: the same key asked for any number of times costs
 * one upstream call, distinct keys run concurrently, and nothing outlives the request.
 */
export function createLoaders(atlas: AtlasClient, options: LoaderOptions) {
  const call = { ...(options.signal ? { signal: options.signal } : {}), ...(options.auth ? { auth: options.auth } : {}) };
  return {
    serverlessSnapshot: new DataLoader<ServerlessSnapshotKey, ServerlessSnapshotBody, string>(
      (keys) => settleBounded(keys, options.concurrency, (key) => fetchServerlessSnapshot(atlas, key, call)),
      { cacheKeyFn: serverlessSnapshotCacheKey },
    ),
  };
}

/** The loaders of one request. */
export type Loaders = ReturnType<typeof createLoaders>;
