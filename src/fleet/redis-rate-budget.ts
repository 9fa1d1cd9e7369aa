import {
  MemoryRateBudget,
  TokenBucketMath,
  type BucketState,
  type RateBudget,
  type RateReservation,
} from '../atlas/rate-budget.js';
import type { SharedRedis } from './redis.js';
import type { RedisClient } from './redis-topology.js';

// The token bucket of src/atlas/rate-budget.ts (TokenBucketMath), run inside Redis so that a
// reservation is one atomic round trip, on Redis's clock (TIME) so that the replicas' clocks do not
// matter. A bucket is a hash {tokens, at} that expires once it would be full again. Redis ≥ 5
// (a script may write after TIME). KEYS[1]: the bucket; ARGV[1]: calls a minute.
const REFILL = `
local perMinute = tonumber(ARGV[1])
local rate = perMinute / 60000
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then tokens = perMinute
else tokens = math.min(perMinute, tokens + math.max(0, now - at) * rate) end
local function save(level)
  redis.call('HSET', KEYS[1], 'tokens', tostring(level), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[1], math.ceil((perMinute - level) / rate) + 1000)
end
`;

/** ARGV[2]: the longest wait. Answers {granted 1|0, wait or retry-after ms, tokens left}. */
const RESERVE = `${REFILL}
local wait = 0
if tokens < 1 then
  wait = math.ceil((1 - tokens) / rate)
  if wait > tonumber(ARGV[2]) then return {0, wait, tostring(tokens)} end
end
save(tokens - 1)
return {1, wait, tostring(tokens - 1)}
`;

/** ARGV[2]: the ceiling. Answers the tokens left. */
const LOWER = `${REFILL}
local ceiling = tonumber(ARGV[2])
if ceiling < tokens then tokens = ceiling; save(tokens) end
return tostring(tokens)
`;

/** The commands `defineCommand` adds to the client (ioredis puts the key prefix on KEYS). */
interface BudgetCommands {
  atlasRateReserve(key: string, perMinute: number, maxWaitMs: number): Promise<[number, number, string]>;
  atlasRateLower(key: string, perMinute: number, ceiling: number): Promise<string>;
}

/** Levels last seen in Redis kept for the fallback, at most. */
const REMEMBER_AT_MOST = 10_000;

/** How the fleet shares the budget. */
export interface RedisRateBudgetSettings {
  /** ATLAS_RATE_LIMIT_PER_MINUTE: the fleet's budget per key. */
  perMinute: number;
  /** FLEET_REPLICAS: while Redis is away each replica keeps to 1/replicas of it. */
  replicas: number;
}

/**
 * The fleet's RateBudget: one token bucket per key in Redis for every replica. While Redis is down
 * or a command fails (REDIS_TIMEOUT_MS), the replica keeps to a local bucket of 1/replicas of the
 * budget, starting from its share of the level it last saw in Redis (not full: the fleet may just
 * have emptied the shared one); when Redis is back, each replica lowers the shared buckets to
 * `replicas` times what its local ones hold (Redis may have restarted empty). Never throws.
 */
export class RedisRateBudget implements RateBudget {
  readonly #client: RedisClient & BudgetCommands;
  readonly #math: TokenBucketMath;
  /** The level each key had in Redis when this replica last saw it (local monotonic time). */
  readonly #seen = new Map<string, BucketState>();
  #local: MemoryRateBudget | undefined;

  constructor(
    private readonly redis: SharedRedis,
    private readonly settings: RedisRateBudgetSettings,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#math = new TokenBucketMath(settings.perMinute);
    redis.client.defineCommand('atlasRateReserve', { numberOfKeys: 1, lua: RESERVE });
    redis.client.defineCommand('atlasRateLower', { numberOfKeys: 1, lua: LOWER });
    // defineCommand added the methods BudgetCommands names.
    this.#client = redis.client as RedisClient & BudgetCommands;
    redis.onChange((state) => {
      if (state === 'up') this.#handBack();
    });
  }

  async reserve(key: string, maxWaitMs: number): Promise<RateReservation> {
    if (this.redis.state === 'up') {
      try {
        const [granted, ms, left] = await this.#client.atlasRateReserve(
          redisKey(key),
          this.settings.perMinute,
          maxWaitMs,
        );
        this.#remember(key, Number(left));
        return granted === 1 ? { granted: true, waitMs: ms } : { granted: false, retryAfterMs: ms };
      } catch {
        // Slow or gone: this call takes the replica's local share (SharedRedis logs the state change).
      }
    }
    return this.#localShare(key).reserve(key, maxWaitMs);
  }

  lower(key: string, tokens: number): void {
    this.#local?.lower(key, tokens / this.settings.replicas);
    if (this.redis.state !== 'up') return;
    const seen = this.#seen.get(key);
    // What this replica saw, refilled, is the most the shared bucket can hold: no lower, no round trip.
    if (seen && this.#math.refill(seen, this.now()) <= tokens) return;
    this.#remember(key, tokens);
    this.#client.atlasRateLower(redisKey(key), this.settings.perMinute, tokens).catch(() => undefined);
  }

  #remember(key: string, tokens: number): void {
    if (!Number.isFinite(tokens)) return;
    this.#seen.delete(key);
    if (this.#seen.size >= REMEMBER_AT_MOST) this.#seen.delete(this.#seen.keys().next().value!);
    this.#seen.set(key, { tokens, at: this.now() });
  }

  /** The local bucket of `key`, seeded with this replica's share of the level last seen in Redis. */
  #localShare(key: string): MemoryRateBudget {
    const { perMinute, replicas } = this.settings;
    const local = (this.#local ??= new MemoryRateBudget(perMinute / replicas, this.now));
    const seen = this.#seen.get(key);
    if (seen && !local.has(key)) local.lower(key, this.#math.refill(seen, this.now()) / replicas);
    return local;
  }

  /** Redis is back: the shared buckets hold no more than the replicas' local ones did together. */
  #handBack(): void {
    const local = this.#local;
    this.#local = undefined;
    if (!local) return;
    for (const [key, tokens] of local.levels()) {
      const ceiling = tokens * this.settings.replicas;
      this.#remember(key, ceiling);
      this.#client.atlasRateLower(redisKey(key), this.settings.perMinute, ceiling).catch(() => undefined);
    }
  }
}

/**
 * The Atlas client's rate budget for a replica of a fleet: shared in `redis`, sized by
 * ATLAS_RATE_LIMIT_PER_MINUTE and FLEET_REPLICAS; undefined when the budget is off (0).
 */
export function fleetRateBudget(
  redis: SharedRedis,
  config: { atlasClient: { rateLimitPerMinute: number }; redis?: { replicas: number } | undefined },
): RedisRateBudget | undefined {
  const perMinute = config.atlasClient.rateLimitPerMinute;
  return perMinute > 0 ? new RedisRateBudget(redis, { perMinute, replicas: config.redis?.replicas ?? 1 }) : undefined;
}

/** The bucket's key in Redis (ioredis adds REDIS_KEY_PREFIX). */
const redisKey = (key: string) => `rate:${key}`;
