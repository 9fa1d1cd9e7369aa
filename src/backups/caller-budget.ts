/**
 * Atlas calls each caller may make per window, so that no caller can spend the rate limit Atlas
 * keeps per project (1,200 calls a minute on the backup endpoints) for everyone else. A port: the
 * in-memory budget below is per process; a fleet shares one (a Redis adapter keeping a local view
 * for these synchronous reads, like the rate-limit hold of src/atlas).
 */
export interface CallerCallBudget {
  /** Counts one Atlas call of `caller`: 0 when it may go now, else the milliseconds until its window has room. */
  take(caller: string): number;
}

/** A caller has spent its Atlas calls for this window: the call is refused before it leaves. */
export class CallerRateLimitError extends Error {
  override readonly name = 'CallerRateLimitError';
  constructor(
    readonly perMinute: number,
    readonly retryAfterMs: number,
  ) {
    super(`this caller may make ${perMinute} Atlas calls per minute (CALLER_MAX_ATLAS_CALLS_PER_MINUTE)`);
  }
}

/** Callers kept before full buckets are swept. */
const SWEEP_ABOVE = 10_000;

/**
 * The in-process CallerCallBudget (the default): a token bucket per caller that holds at most half
 * of `perMinute` calls (a burst: a few dashboard loads at the default) and refills with the other
 * half over the minute, so that in ANY rolling minute a caller makes at most `perMinute` calls.
 * (A fixed window let two callers spend a project's whole Atlas minute in three seconds, at the
 * edges of their windows.)
 */
export class MemoryCallerCallBudget implements CallerCallBudget {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #burst: number;
  /** Tokens per millisecond. */
  readonly #rate: number;

  constructor(
    /** Calls per caller in any rolling window (CALLER_MAX_ATLAS_CALLS_PER_MINUTE). */
    readonly perWindow: number,
    /** @default one minute */
    readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {
    this.#burst = Math.max(1, Math.ceil(perWindow / 2));
    this.#rate = (perWindow - this.#burst) / windowMs;
  }

  take(caller: string): number {
    const now = this.now();
    let bucket = this.#buckets.get(caller);
    if (!bucket) {
      if (this.#buckets.size >= SWEEP_ABOVE) this.#sweep(now);
      bucket = { tokens: this.#burst, at: now };
      this.#buckets.set(caller, bucket);
    }
    bucket.tokens = Math.min(this.#burst, bucket.tokens + (now - bucket.at) * this.#rate);
    bucket.at = now;
    if (bucket.tokens < 1) return this.#rate > 0 ? Math.ceil((1 - bucket.tokens) / this.#rate) : this.windowMs;
    bucket.tokens -= 1;
    return 0;
  }

  /** Forgets callers whose bucket has refilled: they start full anyway. */
  #sweep(now: number): void {
    for (const [caller, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.at) * this.#rate >= this.#burst) this.#buckets.delete(caller);
    }
  }
}
