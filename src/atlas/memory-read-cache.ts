import type { CacheEntry, CacheKey, CacheLookup, ReadCache } from './read-cache.js';

/** One kept answer: the entry, its size, when it goes stale (monotonic ms) and the scope state it was stored under. */
interface Kept {
  entry: CacheEntry;
  bytes: number;
  until: number;
  generation: string;
}

/** Scopes whose generation is kept before all are swept (each a write's cluster). */
const MAX_GENERATIONS = 10_000;

/**
 * What an entry costs the heap beside its text: the map's entry, its record, entry and answer objects,
 * the generation string and the strings' headers (measured: ~350 bytes; test/unit/memory-read-cache-size).
 */
const ENTRY_OVERHEAD = 384;

/** The size an entry counts for: its key and text, and what holding them costs (a parsed copy is made per read, not kept). */
const sizeOf = (key: string, entry: CacheEntry): number =>
  ENTRY_OVERHEAD +
  key.length +
  ('body' in entry.answer ? entry.answer.body.length : JSON.stringify(entry.answer.notFound).length);

/**
 * The in-process ReadCache, the default of a process without REDIS_URL: an LRU of at most
 * `maxBytes` of answer text (the least recently read go first; an answer larger than an eighth of
 * it is not kept), each entry until its TTL. A scope's invalidation bumps its generation: entries
 * stored under an older one are stale, and so is an answer read from Atlas before the write but
 * stored after it. Claims are always granted (one process coalesces its reads itself).
 */
export class MemoryReadCache implements ReadCache {
  /** In LRU order: the first is the least recently used. */
  readonly #entries = new Map<string, Kept>();
  /** The generation of each invalidated scope (scopes never invalidated are at 0). */
  readonly #generations = new Map<string, number>();
  #bytes = 0;
  #invalidations = 0;
  /** Bumped when the generations are swept: every generation seen before is then stale. */
  #epoch = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Bytes of answer text held now. */
  get bytes(): number {
    return this.#bytes;
  }

  lookup(key: CacheKey): Promise<CacheLookup> {
    const id = idOf(key);
    const generation = this.#generationOf(key.scope);
    const kept = this.#entries.get(id);
    if (kept && (kept.until <= this.now() || kept.generation !== generation)) this.#drop(id, kept);
    const fresh = kept && this.#entries.get(id) === kept ? kept : undefined;
    if (fresh) {
      // Most recently used: to the end of the map.
      this.#entries.delete(id);
      this.#entries.set(id, fresh);
    }
    return Promise.resolve({ entry: fresh?.entry, seen: generation, pending: false });
  }

  claim(): Promise<boolean> {
    return Promise.resolve(true);
  }

  store(key: CacheKey, entry: CacheEntry, ttlMs: number, seen: string): Promise<void> {
    const id = idOf(key);
    if (ttlMs <= 0 || seen !== this.#generationOf(key.scope)) return Promise.resolve();
    const bytes = sizeOf(id, entry);
    if (bytes > this.maxBytes / 8) return Promise.resolve();
    const old = this.#entries.get(id);
    if (old) this.#drop(id, old);
    while (this.#bytes + bytes > this.maxBytes) {
      const [oldest, kept] = this.#entries.entries().next().value!;
      this.#drop(oldest, kept);
    }
    this.#entries.set(id, { entry, bytes, until: this.now() + ttlMs, generation: seen });
    this.#bytes += bytes;
    return Promise.resolve();
  }

  release(): Promise<void> {
    return Promise.resolve();
  }

  invalidate(scopes: readonly string[]): Promise<void> {
    for (const scope of scopes) {
      if (this.#generations.size >= MAX_GENERATIONS && !this.#generations.has(scope)) this.#sweep();
      this.#invalidations += 1;
      this.#generations.set(scope, this.#invalidations);
    }
    return Promise.resolve();
  }

  #generationOf(scope: string): string {
    return `${this.#epoch}.${this.#generations.get(scope) ?? 0}`;
  }

  /** Too many scopes written to: forget every entry and generation, in a new epoch. */
  #sweep(): void {
    this.#entries.clear();
    this.#generations.clear();
    this.#bytes = 0;
    this.#epoch += 1;
  }

  #drop(id: string, kept: Kept): void {
    this.#entries.delete(id);
    this.#bytes -= kept.bytes;
  }
}

/** The map key of a cache key: its parts cannot contain NUL. */
const idOf = (key: CacheKey): string => `${key.scope}\0${key.identity}\0${key.operation}\0${key.path}`;
