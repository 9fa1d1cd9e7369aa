/**
 * What a call may spend of Atlas's rate limit: a token bucket per endpoint family and project (and,
 * in forward mode, per caller token). A port: the in-memory budget below serves one process; a
 * fleet shares one in Redis (src/fleet/redis-rate-budget.ts), which falls back to a local share of
 * it while Redis is away. Callers cannot tell which they have.
 */
export interface RateBudget {
  /**
   * Reserves one call under `key`: granted at once (`waitMs` 0), granted for a time up to
   * `maxWaitMs` from now (the caller waits that long, the token is its own meanwhile), or refused
   * when no token comes within `maxWaitMs` (nothing is taken; `retryAfterMs` says when one would).
   */
  reserve(key: string, maxWaitMs: number): Promise<RateReservation>;
  /** Lowers the bucket under `key` to at most `tokens` (what Atlas says is left); never raises it. */
  lower(key: string, tokens: number): void;
}

/** The answer of `RateBudget.reserve`. */
export type RateReservation = { granted: true; waitMs: number } | { granted: false; retryAfterMs: number };

/** A bucket's level, and when it was last refilled (ms on the budget's clock). */
export interface BucketState {
  tokens: number;
  at: number;
}

/**
 * The token-bucket arithmetic both adapters share (the Redis adapter runs the same in Lua): the
 * bucket holds at most `perMinute` tokens and refills `perMinute` a minute, continuously, so that
 * in any minute at most `perMinute` calls (plus what was saved up, at most `perMinute`) go out. A
 * level may go below zero: reservations waiting for tokens still to come.
 */
export class TokenBucketMath {
  /** Tokens per millisecond. */
  readonly rate: number;

  constructor(readonly perMinute: number) {
    if (!(perMinute > 0)) throw new RangeError(`a rate budget needs a positive size, got ${perMinute}`);
    this.rate = perMinute / 60_000;
  }

  /** The level at `now` of a bucket last seen as `state` (full when never seen). */
  refill(state: BucketState | undefined, now: number): number {
    if (!state) return this.perMinute;
    return Math.min(this.perMinute, state.tokens + Math.max(0, now - state.at) * this.rate);
  }

  /** Whether a bucket at `tokens` can give one more call within `maxWaitMs`, and after how long. */
  reserve(tokens: number, maxWaitMs: number): RateReservation {
    if (tokens >= 1) return { granted: true, waitMs: 0 };
    const waitMs = Math.ceil((1 - tokens) / this.rate);
    return waitMs <= maxWaitMs ? { granted: true, waitMs } : { granted: false, retryAfterMs: waitMs };
  }
}

/** Keys kept before full buckets (the same as none) are swept. */
const SWEEP_ABOVE = 10_000;

/**
 * The in-process RateBudget: the default of a single process (ATLAS_RATE_LIMIT_PER_MINUTE) and the
 * local share a replica falls back to while Redis is away. Time is monotonic (`performance.now`),
 * so a test that stops the wall clock does not stop refills.
 */
export class MemoryRateBudget implements RateBudget {
  readonly #buckets = new Map<string, BucketState>();
  readonly #math: TokenBucketMath;

  constructor(
    /** Calls per minute, and the largest burst. */
    perMinute: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#math = new TokenBucketMath(perMinute);
  }

  reserve(key: string, maxWaitMs: number): Promise<RateReservation> {
    const now = this.now();
    const tokens = this.#math.refill(this.#buckets.get(key), now);
    const reservation = this.#math.reserve(tokens, maxWaitMs);
    if (reservation.granted) {
      if (this.#buckets.size >= SWEEP_ABOVE && !this.#buckets.has(key)) this.#sweep(now);
      this.#buckets.set(key, { tokens: tokens - 1, at: now });
    }
    return Promise.resolve(reservation);
  }

  lower(key: string, tokens: number): void {
    const now = this.now();
    const level = this.#math.refill(this.#buckets.get(key), now);
    if (tokens >= level) return;
    if (this.#buckets.size >= SWEEP_ABOVE && !this.#buckets.has(key)) this.#sweep(now);
    this.#buckets.set(key, { tokens, at: now });
  }

  /** Whether `key` has a bucket of its own (else it is full). */
  has(key: string): boolean {
    return this.#buckets.has(key);
  }

  /** Every bucket that is not full, with its level now. */
  *levels(): IterableIterator<[string, number]> {
    const now = this.now();
    for (const [key, state] of this.#buckets) {
      const tokens = this.#math.refill(state, now);
      if (tokens < this.#math.perMinute) yield [key, tokens];
    }
  }

  #sweep(now: number): void {
    for (const [key, state] of this.#buckets)
      if (this.#math.refill(state, now) >= this.#math.perMinute) this.#buckets.delete(key);
  }
}
