import type { z } from 'zod';
import { Flight, type FlightAnswer } from './cache-flight.js';
import { ttlMsOf, type CacheTtls } from './cache-policy.js';
import type { AtlasCallOptions } from './client.js';
import { AtlasAbortedError, AtlasResponseError } from './errors.js';
import type { AtlasOperation } from './operation.js';
import { scopeOf, scopeOfPath, type CacheKey, type ReadCache, type ReadScope } from './read-cache.js';
import { parseBody } from './response-body.js';

/** How one read was answered, for the metrics and the response's `atlasCache` extension. */
export interface CacheReadEvent {
  operation: string;
  /**
   * `hit`: from the cache; `shared`: from a call another request was making (on this replica, or
   * on another one that claimed the key); `miss`: this read called Atlas; `bypass`: it called Atlas
   * because the cache could not be read (Redis down or slow).
   */
  outcome: 'hit' | 'shared' | 'miss' | 'bypass';
  /** How old the answer is, in ms (0 when read from Atlas now). */
  ageMs: number;
}

/** The record cache of one client. */
export interface CachedReadsOptions {
  cache: ReadCache;
  ttls: CacheTtls;
  /** A read's total deadline (ATLAS_TIMEOUT_MS): a claim lasts that long, waiting for another's claim half of it. */
  timeoutMs: number;
  /** Freeze the answers readers share (outside production), so that changing one throws. @default false */
  freezeShared?: boolean | undefined;
  /** Told about every read through the cache. */
  onRead?: ((event: CacheReadEvent) => void) | undefined;
}

/** One Atlas call with these options and total deadline; its 2xx body text is handed to `onBody`. */
export type AtlasFetch<T = unknown> = (
  options: AtlasCallOptions,
  timeoutMs: number,
  onBody: (text: string) => void,
) => Promise<T>;

const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 100;

/** `value` frozen deeply (a shared answer outside production): changing it throws where the change is made. */
function freezeDeeply<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const inner of Object.values(value)) freezeDeeply(inner);
  return Object.freeze(value);
}

const idOf = (key: CacheKey): string => `${key.identity}\0${key.operation}\0${key.path}`;
const ignore = () => undefined;

/**
 * Atlas GETs through the record cache (docs/fleet.md "Record cache"): a fresh cached answer costs
 * no call; concurrent reads of one key on this replica share one flight (one lookup, one Atlas
 * call); a key another replica has claimed is waited for (polling the cache, at most half the
 * deadline) instead of read again; what Atlas answers is kept for as long as cache-policy.ts says.
 * The readers of a flight share its one parse, and each is charged its bytes like a call's (see
 * cache-flight.ts: as they arrive, so a reader that leaves leaves them charged to the others).
 */
export class CachedReads {
  readonly #flights = new Map<string, Flight>();

  constructor(private readonly options: CachedReadsOptions) {}

  /** The answer to `operation` at `path` for `identity`'s credentials: from the cache, or `fetch`ed and kept. */
  async get<Schema extends z.ZodType>(
    operation: AtlasOperation<Schema>,
    path: string,
    options: AtlasCallOptions,
    identity: string,
    fetch: AtlasFetch<z.infer<Schema>>,
  ): Promise<z.infer<Schema>> {
    const scope = scopeOfPath(path);
    if (scope === undefined) return fetch(options, this.options.timeoutMs, ignore);
    if (options.signal?.aborted) throw new AtlasAbortedError(operation.name);
    const key: CacheKey = { scope, identity, operation: operation.name, path };
    if (options.cache === 'refresh') return this.#refresh(operation, key, options, fetch);
    const id = idOf(key);
    const existing = this.#flights.get(id);
    const flight = existing ?? this.#start(id, operation, key, options, fetch);
    const first = existing === undefined;
    const member = flight.join(options, operation.name);
    let found: FlightAnswer;
    try {
      found = await member.answer;
    } catch (error) {
      if (!first && error === flight.refusal) return this.get(operation, path, options, identity, fetch);
      // A failed read is this request's miss when it called Atlas, and nothing for those who waited on it.
      if (first && flight.outcome) this.#report(operation, options, flight.outcome, 0);
      throw error;
    }
    return this.#deliver(operation, path, found, first, member.charged, options);
  }

  /** Forgets the cached reads of these resources (for every credentials, on every replica sharing the cache). */
  async forget(resources: readonly ReadScope[]): Promise<void> {
    const scopes = [...new Set(resources.map(scopeOf))];
    for (const [id, flight] of this.#flights) if (scopes.includes(flight.scope)) this.#drop(id, flight);
    await this.options.cache.invalidate(scopes);
  }

  /**
   * One member's result: the answer's one parse, shared by every member of the flight (each charged
   * its bytes in full, as if it held its own copy). Shared values are read-only: outside production
   * they are frozen, so a resolver that would change one fails its tests rather than another's answer.
   */
  #deliver<Schema extends z.ZodType>(
    operation: AtlasOperation<Schema>,
    path: string,
    found: FlightAnswer,
    first: boolean,
    charged: number,
    options: AtlasCallOptions,
  ): z.infer<Schema> {
    const own = first && found.outcome !== 'hit';
    const outcome = own ? found.outcome : found.outcome === 'hit' ? 'hit' : 'shared';
    this.#report(operation, options, outcome, Math.max(0, Date.now() - found.readAt));
    if ('notFound' in found.answer) throw new AtlasResponseError(operation.name, 404, found.answer.notFound, undefined);
    // Every reader is charged the answer's bytes (what a request holds is bounded by what it reads: it
    // builds its answer from them, shared or not); those that waited on the call were, as they came.
    const size = found.answer.body.length;
    if (charged < size) options.onBodyBytes?.(size - charged);
    // The flight of a key read it with this same operation (the key names it).
    found.value ??= this.#shared(parseBody(operation, found.answer.body, 'application/json', path));
    return found.value as z.infer<Schema>;
  }

  #start(
    id: string,
    operation: AtlasOperation<z.ZodType>,
    key: CacheKey,
    options: AtlasCallOptions,
    fetch: AtlasFetch,
  ): Flight {
    const flight = new Flight(key.scope, () => this.#drop(id, flight));
    flight.done = this.#fly(id, flight, operation, key, options, fetch);
    const settle = () => void (flight.settled = true);
    flight.done.then(settle, settle);
    this.#flights.set(id, flight);
    return flight;
  }

  /** A flight: the cache (waiting while another replica reads the key), else Atlas, whose answer is then kept. */
  async #fly(
    id: string,
    flight: Flight,
    operation: AtlasOperation<z.ZodType>,
    key: CacheKey,
    options: AtlasCallOptions,
    fetch: AtlasFetch,
  ): Promise<FlightAnswer> {
    const { cache, timeoutMs } = this.options;
    const started = performance.now();
    let seen: string | undefined;
    let claimed = false;
    let waitedMs = 0;
    /** Another replica claimed the key: this flight waits for its entry rather than claiming it next. */
    let otherClaim = false;
    try {
      for (let pollMs = FIRST_POLL_MS; ; pollMs = Math.min(pollMs * 2, MAX_POLL_MS)) {
        const found = await cache.lookup(key);
        if (found.entry) {
          this.#drop(id, flight);
          return { answer: found.entry.answer, readAt: found.entry.storedAt, outcome: 'hit' };
        }
        seen = found.seen;
        if (seen === undefined) break;
        if (!found.pending) {
          // The claim waited for ended without an entry (its answer is not kept): read too, at once.
          if (otherClaim) break;
          claimed = await cache.claim(key, timeoutMs);
          if (claimed) break;
        }
        otherClaim = true;
        const waitLeft = timeoutMs / 2 - (performance.now() - started);
        if (waitLeft <= 0) break;
        const pausedAt = performance.now();
        await flight.pause(Math.max(1, Math.min(pollMs, waitLeft)), operation.name);
        waitedMs += performance.now() - pausedAt;
      }
      flight.outcome = seen === undefined ? 'bypass' : 'miss';
      // Waiting for another replica's read spent part of the deadline: the call gets the rest.
      const deadline = waitedMs === 0 ? timeoutMs : Math.max(1, Math.round(timeoutMs - waitedMs));
      const read = await this.#readAndKeep(operation, key, seen, claimed, (onBody) =>
        fetch(flight.callOptions(options), deadline, onBody),
      );
      // Until the answer is in the cache, later readers join this flight rather than miss.
      void read.kept.then(() => this.#drop(id, flight));
      return {
        answer: { body: read.body },
        readAt: Date.now(),
        outcome: flight.outcome,
        value: this.#shared(read.value),
      };
    } catch (error) {
      this.#drop(id, flight);
      throw error;
    }
  }

  /**
   * One Atlas call; its answer (or a 404, when CACHE_TTL_NOT_FOUND_S keeps them) is stored for its
   * TTL unless the scope changed since `seen` (undefined: the cache could not be read, nothing is kept).
   */
  async #readAndKeep(
    operation: AtlasOperation<z.ZodType>,
    key: CacheKey,
    seen: string | undefined,
    claimed: boolean,
    call: (onBody: (text: string) => void) => Promise<unknown>,
  ): Promise<{ value: unknown; body: string; kept: Promise<void> }> {
    const { cache, ttls } = this.options;
    let body: string | undefined;
    let value: unknown;
    try {
      value = await call((text) => (body = text));
    } catch (error) {
      const notFound = error instanceof AtlasResponseError && error.status === 404 && ttls.notFoundMs > 0;
      if (notFound && seen !== undefined)
        void cache.store(key, { answer: { notFound: error.envelope }, storedAt: Date.now() }, ttls.notFoundMs, seen);
      else if (claimed) void cache.release(key);
      throw error;
    }
    const text = body ?? JSON.stringify(value);
    const ttlMs = seen === undefined ? 0 : ttlMsOf(operation, value, ttls, Date.now());
    const kept =
      seen !== undefined && ttlMs > 0
        ? cache.store(key, { answer: { body: text }, storedAt: Date.now() }, ttlMs, seen)
        : claimed
          ? cache.release(key)
          : Promise.resolve();
    return { value, body: text, kept };
  }

  /** A subscription's poll: always Atlas (its point is to see change), and what it reads refreshes the cache. */
  async #refresh<Schema extends z.ZodType>(
    operation: AtlasOperation<Schema>,
    key: CacheKey,
    options: AtlasCallOptions,
    fetch: AtlasFetch<z.infer<Schema>>,
  ): Promise<z.infer<Schema>> {
    const { seen } = await this.options.cache.lookup(key);
    const outcome = seen === undefined ? 'bypass' : 'miss';
    try {
      const read = await this.#readAndKeep(operation, key, seen, false, (onBody) =>
        fetch(options, this.options.timeoutMs, onBody),
      );
      return read.value as z.infer<Schema>;
    } finally {
      this.#report(operation, options, outcome, 0);
    }
  }

  #shared<T>(value: T): T {
    return this.options.freezeShared ? freezeDeeply(value) : value;
  }

  #drop(id: string, flight: Flight): void {
    if (this.#flights.get(id) === flight) this.#flights.delete(id);
  }

  #report(
    operation: AtlasOperation<z.ZodType>,
    options: AtlasCallOptions,
    outcome: CacheReadEvent['outcome'],
    ageMs: number,
  ) {
    const event: CacheReadEvent = { operation: operation.name, outcome, ageMs };
    this.options.onRead?.(event);
    options.onCache?.(event);
  }
}
