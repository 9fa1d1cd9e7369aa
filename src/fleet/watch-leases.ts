import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { errorFields } from '../support/error-fields.js';
import type { SharedRedis } from './redis.js';
import type { RedisClient } from './redis-topology.js';

// The Redis side of the fleet's live-status pollers (docs/fleet.md "Subscriptions"): per resource a
// lease (the replica that polls it), the last event (for late joiners on other replicas) and a
// channel (the events). Every command may fail or time out (REDIS_TIMEOUT_MS): each method then
// answers 'failed' and the caller polls on its own.

/**
 * Renews the lease KEYS[1] when ARGV[1] holds it, or takes it when nobody does, for ARGV[2] ms, and
 * the last event KEYS[2] with it (a new holder's first read replaces it): 1; 0 when another replica holds it.
 */
const CLAIM = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1`;

/**
 * As CLAIM, then publishes ARGV[4] on channel ARGV[3] and keeps ARGV[5], unless empty, as the last
 * event: only the lease holder publishes. 0 (nothing published) when another replica holds it.
 */
const PUBLISH = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if ARGV[5] ~= '' then redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[2]) end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1`;

/** Deletes the lease KEYS[1] if ARGV[1] still holds it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** The scripts, defined on the shared client (ioredis puts REDIS_KEY_PREFIX on their KEYS). */
interface LeaseCommands {
  watchClaim(lease: string, last: string, holder: string, ttlMs: number): Promise<number>;
  watchPublish(
    lease: string,
    last: string,
    holder: string,
    ttlMs: number,
    channel: string,
    message: string,
    kept: string,
  ): Promise<number>;
  watchRelease(lease: string, holder: string): Promise<number>;
}

/** Where one resource lives in Redis. */
export interface WatchKeys {
  lease: string;
  last: string;
  /** With REDIS_KEY_PREFIX already on it: ioredis prefixes keys, not channels. */
  channel: string;
}

/**
 * The lease, last event and channel of each resource, for one replica (`holder`). The key names a
 * digest of the resource's key (which names the Atlas credentials: in forward mode a digest of the
 * caller's token), in one hash slot (Redis Cluster) for the scripts.
 */
export class WatchLeases {
  readonly #client: RedisClient & LeaseCommands;

  constructor(
    private readonly redis: SharedRedis,
    /** This replica's id in the leases. */
    readonly holder: string,
    /** How long a lease lasts without renewal. */
    readonly ttlMs: number,
    private readonly logger: Logger,
  ) {
    redis.client.defineCommand('watchClaim', { numberOfKeys: 2, lua: CLAIM });
    redis.client.defineCommand('watchPublish', { numberOfKeys: 2, lua: PUBLISH });
    redis.client.defineCommand('watchRelease', { numberOfKeys: 1, lua: RELEASE });
    this.#client = redis.client as RedisClient & LeaseCommands;
  }

  /** The Redis names of resource `key`. */
  keysOf(key: string): WatchKeys {
    const slot = `watch:{${createHash('sha256').update(key).digest('base64url')}}`;
    return { lease: `${slot}:lease`, last: `${slot}:last`, channel: `${this.redis.keyPrefix}${slot}:events` };
  }

  /** Renews this replica's lease or takes a free one: true; false when another replica holds it. */
  claim(keys: WatchKeys): Promise<boolean | 'failed'> {
    return this.#try(
      'claim',
      async () => (await this.#client.watchClaim(keys.lease, keys.last, this.holder, this.ttlMs)) === 1,
    );
  }

  /**
   * Publishes `message` and keeps `kept` (if given) as the last event, while holding the lease (taking
   * it if free): false, and nothing published, when another replica holds it.
   */
  publish(keys: WatchKeys, message: string, kept: string | undefined): Promise<boolean | 'failed'> {
    return this.#try(
      'publish',
      async () =>
        (await this.#client.watchPublish(
          keys.lease,
          keys.last,
          this.holder,
          this.ttlMs,
          keys.channel,
          message,
          kept ?? '',
        )) === 1,
    );
  }

  /** Gives the lease up (if still this replica's): another replica's next claim takes it. */
  async release(keys: WatchKeys): Promise<void> {
    await this.#try('release', () => this.#client.watchRelease(keys.lease, this.holder));
  }

  /** The last event kept, as text (null: none). */
  last(keys: WatchKeys): Promise<{ text: string | null } | 'failed'> {
    return this.#try('last', async () => ({ text: await this.#client.get(keys.last) }));
  }

  async #try<R>(what: string, command: () => Promise<R>): Promise<R | 'failed'> {
    if (this.redis.state !== 'up') return 'failed';
    try {
      return await command();
    } catch (error) {
      // Not a warning: SharedRedis logs the state changes once each; this replica polls on its own.
      this.logger.debug({ err: errorFields(error), what }, 'live-status lease: Redis did not answer');
      return 'failed';
    }
  }
}
