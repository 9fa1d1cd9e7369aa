import { AtlasResponseError } from '../atlas/errors.js';
import { topologyOf, type ClusterRecord, type SnapshotTopology } from './cluster-record.js';

/** The two ways to describe a cluster by name: the cluster API (dedicated) and the Flex API. */
export interface ClusterCalls {
  dedicated: () => Promise<ClusterRecord>;
  flex: () => Promise<ClusterRecord>;
}

const code = (error: unknown) => (error instanceof AtlasResponseError ? error.envelope.errorCode : undefined);

/** `getCluster` says the name is a Flex cluster (observed 400, README §10.4; the Atlas CLI routes on it). */
const isFlexName = (error: unknown) => code(error) === 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API';

/** The Flex API says the name is not (or no longer) a Flex cluster: the codes the Atlas CLI falls back on. */
const NOT_FLEX_CODES = new Set(['CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API', 'CLUSTER_NOT_FOUND', 'FEATURE_UNSUPPORTED']);

/**
 * What kind of cluster a (group, name) is — dedicated replica set, dedicated sharded, or Flex — learnt
 * from Atlas's answers and remembered for the life of the process in a bounded LRU, so that the
 * second lookup of a Flex name costs one call (not getCluster's 400 first), and a snapshot of a known
 * cluster goes straight to the operation of its topology. Only Atlas's answers teach it; any other
 * failure (a refused call, a timeout) passes through and changes nothing.
 */
export class ClusterKindRouter {
  readonly #memory = new Map<string, SnapshotTopology>();

  constructor(
    /** Names remembered at most. @default 10000 */
    readonly capacity = 10_000,
  ) {}

  /** The topology remembered for a cluster, if any (and marks it recently used). */
  recall(groupId: string, name: string): SnapshotTopology | undefined {
    const key = `${groupId}/${name}`;
    const known = this.#memory.get(key);
    if (known !== undefined) this.#remember(key, known);
    return known;
  }

  /** Remembers what an Atlas answer showed about a cluster (a cluster body, a snapshot's `type`). */
  learn(groupId: string, name: string, topology: SnapshotTopology): void {
    this.#remember(`${groupId}/${name}`, topology);
  }

  /**
   * Describes the cluster `name`: through the Flex API when it is remembered as Flex, else through the
   * cluster API, which answers CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API for a Flex name (then the Flex
   * API answers). A remembered Flex name that the Flex API no longer knows is asked again from the start.
   */
  async cluster(groupId: string, name: string, calls: ClusterCalls): Promise<ClusterRecord> {
    const key = `${groupId}/${name}`;
    if (this.recall(groupId, name) === 'flex') {
      try {
        return await calls.flex();
      } catch (error) {
        if (!NOT_FLEX_CODES.has(code(error) ?? '')) throw error;
        this.#memory.delete(key); // converted to dedicated, or deleted: find out again
      }
    }
    try {
      const cluster = await calls.dedicated();
      this.learn(groupId, name, topologyOf(cluster));
      return cluster;
    } catch (error) {
      if (code(error) === 'CLUSTER_NOT_FOUND') this.#memory.delete(key);
      if (!isFlexName(error)) throw error;
    }
    const flex = await calls.flex();
    this.learn(groupId, name, 'flex');
    return flex;
  }

  #remember(key: string, topology: SnapshotTopology): void {
    // Map iteration order is insertion order: re-inserting moves the key to the young end.
    this.#memory.delete(key);
    this.#memory.set(key, topology);
    if (this.#memory.size > this.capacity) this.#memory.delete(this.#memory.keys().next().value!);
  }
}
