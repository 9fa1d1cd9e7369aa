import { createHash, randomBytes } from 'node:crypto';
import type { CacheTtls } from '../atlas/cache-policy.js';
import type { AtlasErrorEnvelope } from '../atlas/error-envelope.js';
import { MemoryReadCache } from '../atlas/memory-read-cache.js';
import type { CacheEntry, CacheKey, CacheLookup, ReadCache } from '../atlas/read-cache.js';
import type { SharedRedis } from './redis.js';
import type { RedisClient } from './redis-topology.js';

// The record cache shared by the replicas (docs/fleet.md "Record cache"). Per scope (a cluster, or
// a project's own lists) a generation key; per cached read an entry holding the generation it was
// stored under, and while a replica reads it from Atlas a claim (a pending marker). All three keys
// of a read share the scope's hash tag, so that they sit in one slot of a Redis Cluster: a lookup
// is one MGET, a store one script. A write sets a new random generation: every entry of the scope,
// for every credentials, is stale at once, and so is an answer read before the write but stored after.

/**
 * KEYS: entry, generation, claim; ARGV: value, ttl ms, the generation seen, this claim's token.
 * Stores the entry only while the scope is still at the generation seen; gives up the claim if it
 * is still this one's.
 */
const STORE = `
local generation = redis.call('GET', KEYS[2]) or ''
if generation == ARGV[3] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
if ARGV[4] ~= '' and redis.call('GET', KEYS[3]) == ARGV[4] then redis.call('DEL', KEYS[3]) end
return 1`;

/** KEYS: claim; ARGV: token. Gives up the claim if it is still this one's. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** The scripts above, defined on the shared client (so that their keys get REDIS_KEY_PREFIX). */
type WithScripts = RedisClient & {
  readCacheStore(entry: string, generation: string, claim: string, ...args: string[]): Promise<number>;
  readCacheRelease(claim: string, token: string): Promise<number>;
};

/** The Redis keys of one read: `cache:{<scope>}:<identity>:<digest of operation and path>`, its claim, its scope's generation. */
function keysOf(key: CacheKey): { entry: string; claim: string; generation: string } {
  const digest = createHash('sha256').update(`${key.operation}\0${key.path}`).digest('base64url').slice(0, 22);
  const entry = `cache:{${key.scope}}:${key.identity}:${digest}`;
  return { entry, claim: `${entry}:claim`, generation: generationKey(key.scope) };
}

const generationKey = (scope: string) => `cache:{${scope}}:generation`;

/** An entry's value: the generation, when it was read, `b` (a body) or `n` (a 404's envelope as JSON), then the text. */
function encode(entry: CacheEntry, generation: string): string {
  const [kind, text] = 'body' in entry.answer ? ['b', entry.answer.body] : ['n', JSON.stringify(entry.answer.notFound)];
  return `${generation}\n${entry.storedAt}\n${kind}\n${text}`;
}

/** The entry of `value` if it was stored under `generation`, else undefined (stale, or not ours to read). */
function decode(value: string | null, generation: string): CacheEntry | undefined {
  const match = value === null ? null : /^([^\n]*)\n(\d{1,15})\n([bn])\n/.exec(value);
  if (!match || match[1] !== generation) return undefined;
  const text = value!.slice(match[0].length);
  const storedAt = Number(match[2]);
  try {
    return match[3] === 'b'
      ? { answer: { body: text }, storedAt }
      : { answer: { notFound: JSON.parse(text) as AtlasErrorEnvelope }, storedAt };
  } catch {
    return undefined;
  }
}

/**
 * The fleet's ReadCache in Redis. Every command is bounded by REDIS_TIMEOUT_MS; while Redis is down
 * or a command fails, a lookup answers "cannot tell" (the read goes to Atlas, nothing is stored)
 * and never throws. Invalidations that could not be sent are kept and sent when Redis is back, so
 * that entries stored before an outage do not outlive a write made during it.
 */
export class RedisReadCache implements ReadCache {
  readonly #client: WithScripts;
  /** This replica's claims, by claim key: their tokens. */
  readonly #claims = new Map<string, string>();
  /** Scopes whose invalidation did not reach Redis yet. */
  readonly #unsent = new Set<string>();
  /** Sends them again a second after a failure, while Redis stays up (a slow command, not an outage). */
  #retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: SharedRedis,
    /** How long a scope's generation is kept: longer than any entry lives (the largest TTL). */
    private readonly generationTtlMs: number,
  ) {
    redis.client.defineCommand('readCacheStore', { numberOfKeys: 3, lua: STORE });
    redis.client.defineCommand('readCacheRelease', { numberOfKeys: 1, lua: RELEASE });
    this.#client = redis.client as WithScripts;
    redis.onChange((state) => {
      if (state === 'up') void this.invalidate([]);
    });
  }

  async lookup(key: CacheKey): Promise<CacheLookup> {
    const unknown = { entry: undefined, seen: undefined, pending: false };
    if (this.redis.state !== 'up') return unknown;
    const keys = keysOf(key);
    try {
      const [value, stored, claim] = await this.#client.mget(keys.entry, keys.generation, keys.claim);
      const generation = stored ?? '';
      const entry = decode(value ?? null, generation);
      return { entry, seen: generation, pending: claim != null && claim !== this.#claims.get(keys.claim) };
    } catch {
      return unknown;
    }
  }

  async claim(key: CacheKey, ms: number): Promise<boolean> {
    const { claim } = keysOf(key);
    const token = randomBytes(9).toString('base64url');
    try {
      if ((await this.#client.set(claim, token, 'PX', ms, 'NX')) !== 'OK') return false;
      this.#claims.set(claim, token);
      return true;
    } catch {
      // Cannot tell who reads it: this replica does, as without Redis.
      return true;
    }
  }

  async store(key: CacheKey, entry: CacheEntry, ttlMs: number, seen: string): Promise<void> {
    const keys = keysOf(key);
    const token = this.#claims.get(keys.claim) ?? '';
    this.#claims.delete(keys.claim);
    try {
      const value = encode(entry, seen);
      await this.#client.readCacheStore(keys.entry, keys.generation, keys.claim, value, String(ttlMs), seen, token);
    } catch {
      // Not kept: the next read asks Atlas again (a claim left behind expires with its TTL).
    }
  }

  async release(key: CacheKey): Promise<void> {
    const { claim } = keysOf(key);
    const token = this.#claims.get(claim);
    this.#claims.delete(claim);
    if (token === undefined) return;
    try {
      await this.#client.readCacheRelease(claim, token);
    } catch {
      // The claim expires with its TTL.
    }
  }

  /** Sets a new generation for each scope (and for those not sent before); kept for later when Redis fails. */
  async invalidate(scopes: readonly string[]): Promise<void> {
    for (const scope of scopes) this.#unsent.add(scope);
    if (this.#unsent.size === 0 || this.redis.state !== 'up') return;
    const sending = [...this.#unsent];
    // One SET per scope, all sent at once: the scopes' keys may sit on different nodes of a Redis
    // Cluster, which a pipeline cannot span. A failed one stays in #unsent: sent again below, with the
    // next invalidation, or when Redis is up again.
    const results = await Promise.allSettled(
      sending.map((scope) =>
        this.#client.set(generationKey(scope), randomBytes(9).toString('base64url'), 'PX', this.generationTtlMs),
      ),
    );
    sending.forEach((scope, i) => {
      if (results[i]?.status === 'fulfilled') this.#unsent.delete(scope);
    });
    if (this.#unsent.size > 0 && this.#retry === undefined)
      this.#retry = setTimeout(() => this.#resend(), RETRY_MS).unref();
  }

  #resend(): void {
    this.#retry = undefined;
    void this.invalidate([]);
  }
}

/** How soon an invalidation that failed while Redis was up (slow) is sent again. */
const RETRY_MS = 1_000;

/** A generation outlives every entry of its scope by this much. */
const GENERATION_MARGIN_MS = 60_000;

/**
 * The record cache of a process (the AtlasClient's `readCache`): shared by the fleet in `redis` when
 * REDIS_URL is set, else in memory (CACHE_MEMORY_MAX_BYTES); undefined when every CACHE_TTL_* is 0.
 */
export function recordCacheFor(
  config: { cache: { ttls: CacheTtls; memoryMaxBytes: number; inProcess: boolean; freezeShared: boolean } },
  redis: SharedRedis | undefined,
): { cache: ReadCache; ttls: CacheTtls; freezeShared: boolean } | undefined {
  const { ttls, memoryMaxBytes, inProcess, freezeShared } = config.cache;
  const longest = Math.max(ttls.completedMs, ttls.activeMs, ttls.listMs, ttls.notFoundMs);
  // Without Redis only when asked for (CACHE_IN_PROCESS): see its description.
  if (longest === 0 || (!redis && !inProcess)) return undefined;
  const cache = redis ? new RedisReadCache(redis, longest + GENERATION_MARGIN_MS) : new MemoryReadCache(memoryMaxBytes);
  return { cache, ttls: { ...ttls }, freezeShared };
}
