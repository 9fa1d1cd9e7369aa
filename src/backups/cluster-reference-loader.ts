import type { ClusterKey } from '../atlas/cluster.js';
import type { PageRequest } from '../atlas/pagination.js';
import type { Page } from './backup-reader.js';
import type { ClusterKindRouter } from './cluster-kind-router.js';
import type { ClusterRecord } from './cluster-record.js';
import { toError, type KeyLoader, type LoaderKit } from './loader-kit.js';

// Cluster references from other subgraphs (`_entities`) arrive in batches: a gateway resolving another
// subgraph's list of clusters sends all of them in one request, most often of one project. Looked up
// one by one they would cost a `getCluster` each, before any of their fields; the project's list
// (`listClusters`) describes every dedicated cluster of the batch in one call. Names it does not hold
// (a Flex cluster, a deleted one, one past the page) are looked up by name as the `cluster` field does.

/** The one page of a project's clusters read for a batch of references: 100 bodies, about 500 KB at the ~5 KB of a recorded one. */
const REFERENCE_LIST_PAGE: PageRequest = { pageNum: 1, itemsPerPage: 100, includeCount: false };

/** Projects with at least two names in `keys` not remembered as Flex: for them one list call is cheaper. */
export function projectsWorthListing(keys: readonly ClusterKey[], kinds: ClusterKindRouter): string[] {
  const names = new Map<string, number>();
  for (const k of keys) {
    if (kinds.recall(k.groupId, k.clusterName) !== 'flex') names.set(k.groupId, (names.get(k.groupId) ?? 0) + 1);
  }
  return [...names].filter(([, count]) => count >= 2).map(([groupId]) => groupId);
}

/**
 * The loader of cluster references: each batch first lists (one page) every project it names at least
 * twice, priming `cluster`, then answers each key through `cluster` (primed: no call; else by name). A
 * list that fails fails the keys of its project with its error: asked by name they would fail alike,
 * one call each.
 */
export function createClusterReferenceLoader(
  { batchLoader }: LoaderKit,
  parts: {
    cluster: KeyLoader<ClusterKey, ClusterRecord>;
    clusters: (key: { groupId: string }, page: PageRequest) => Promise<Page<ClusterRecord>>;
    kinds: ClusterKindRouter;
  },
): KeyLoader<ClusterKey, ClusterRecord> {
  return batchLoader(
    'clusterReference',
    async (keys: readonly ClusterKey[]) => {
      const failed = new Map<string, Error>();
      await Promise.all(
        projectsWorthListing(keys, parts.kinds).map((groupId) =>
          parts.clusters({ groupId }, REFERENCE_LIST_PAGE).catch((error: unknown) => {
            failed.set(groupId, toError(error));
          }),
        ),
      );
      return Promise.all(
        keys.map((k) => {
          const listFailed = failed.get(k.groupId);
          return listFailed ? Promise.resolve(listFailed) : parts.cluster.load(k).catch(toError);
        }),
      );
    },
    (k) => `${k.groupId}/${k.clusterName}`,
  );
}
