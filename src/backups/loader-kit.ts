import type DataLoader from 'dataloader';
import type { AtlasCallOptions } from '../atlas/client.js';
import type { PageRequest } from '../atlas/pagination.js';
import type { Page } from './backup-reader.js';

/** What a resolver needs of a DataLoader: load a key, prime one a list page returned, forget one a write changed. */
export interface KeyLoader<K, V> {
  load(key: K): Promise<V>;
  prime(key: K, value: V): void;
  clear(key: K): void;
}

/** A list-page fetcher that can forget a list's pages (after a write changed the list). */
export interface Listing<K, V> {
  (key: K, page: PageRequest): Promise<Page<V>>;
  /** Forgets every page of `key`'s list fetched so far: the next read asks Atlas again. */
  forget(key: K): void;
}

/**
 * A DataLoader built on first use (load or prime): a request pays only for the loaders it touches
 * (and for each untouched one, this object alone: its methods are the class's, not closures).
 */
class LazyLoader<K, V> implements KeyLoader<K, V> {
  #built: DataLoader<K, V, string> | undefined;
  constructor(private readonly build: () => DataLoader<K, V, string>) {}
  load(key: K): Promise<V> {
    return (this.#built ??= this.build()).load(key);
  }
  prime(key: K, value: V): void {
    (this.#built ??= this.build()).prime(key, value);
  }
  clear(key: K): void {
    this.#built?.clear(key);
  }
}

/** A DataLoader built on first use (load or prime): a request pays only for the loaders it touches. */
export function lazyLoader<K, V>(build: () => DataLoader<K, V, string>): KeyLoader<K, V> {
  return new LazyLoader(build);
}

/** The per-request pieces other loader files build on (see cluster-loaders.ts). */
export interface LoaderKit {
  /** A lazily built DataLoader named `name` (for batch metrics) over `fetch`, deduplicating by `cacheKeyFn`. */
  loader: <K, V>(
    name: string,
    fetch: (key: K, call: AtlasCallOptions) => Promise<V>,
    cacheKeyFn: (key: K) => string,
  ) => KeyLoader<K, V>;
  /**
   * A lazily built DataLoader named `name` whose `fetchAll` answers a whole batch at once (for a batch
   * one call can answer): results in key order, an Error per failed key. Its calls go through `loader`s
   * and `listing`s, which bound them.
   */
  batchLoader: <K, V>(
    name: string,
    fetchAll: (keys: readonly K[]) => Promise<(V | Error)[]>,
    cacheKeyFn: (key: K) => string,
  ) => KeyLoader<K, V>;
  /** A list-page fetcher: each (list, page) once per request, its items primed into `target`. */
  listing: <K, V extends { id: string }, ItemKey>(
    fetch: (key: K, page: PageRequest, call: AtlasCallOptions) => Promise<Page<V>>,
    target: KeyLoader<ItemKey, V>,
    itemKey: (key: K, item: V) => ItemKey,
    listKey: (key: K) => string,
  ) => Listing<K, V>;
  /** This request's call options (signal, credentials, call budget). */
  call: AtlasCallOptions;
  /** This request's concurrency bound. */
  concurrent: <T>(task: () => Promise<T>) => Promise<T>;
}

/** What a batch answers for a failed key: the Error thrown, or one wrapping whatever else was. */
export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
