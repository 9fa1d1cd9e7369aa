/** Settings of a retry budget. */
export interface RetryBudgetOptions {
  /** Window over which calls are counted. @default 10000 */
  windowMs: number;
  /** Retries allowed per second regardless of traffic (the floor). @default 10 */
  minPerSecond: number;
  /** Retries allowed as a share of successful calls in the window. @default 0.2 */
  retryRatio: number;
}

/**
 * Caps retries per origin, as Apollo Router's retry budget does: retries in the last `windowMs`
 * may not exceed `retryRatio` × successes plus a floor, so an outage does not multiply the load
 * on Atlas. Counts live in one-second buckets.
 */
export class RetryBudget {
  readonly #options: RetryBudgetOptions;
  readonly #now: () => number;
  readonly #successes: number[];
  readonly #retries: number[];
  #bucketStart = 0;
  #bucket = 0;

  constructor(options: Partial<RetryBudgetOptions> = {}, now: () => number = Date.now) {
    this.#options = { windowMs: 10_000, minPerSecond: 10, retryRatio: 0.2, ...options };
    this.#now = now;
    const buckets = Math.max(1, Math.ceil(this.#options.windowMs / 1000));
    this.#successes = new Array<number>(buckets).fill(0);
    this.#retries = new Array<number>(buckets).fill(0);
    this.#bucketStart = now();
  }

  /** Records a call that succeeded (it earns retry allowance). */
  recordSuccess(): void {
    this.#advance();
    this.#successes[this.#bucket]! += 1;
  }

  /** Takes one retry from the budget; false when the budget is spent. */
  tryRetry(): boolean {
    this.#advance();
    const successes = this.#successes.reduce((a, b) => a + b, 0);
    const retries = this.#retries.reduce((a, b) => a + b, 0);
    const allowed = this.#options.minPerSecond * (this.#options.windowMs / 1000) + this.#options.retryRatio * successes;
    if (retries + 1 > allowed) return false;
    this.#retries[this.#bucket]! += 1;
    return true;
  }

  /** Moves to the current one-second bucket, clearing the buckets that fell out of the window. */
  #advance(): void {
    const elapsed = Math.floor((this.#now() - this.#bucketStart) / 1000);
    if (elapsed <= 0) return;
    const steps = Math.min(elapsed, this.#successes.length);
    for (let i = 1; i <= steps; i += 1) {
      const index = (this.#bucket + i) % this.#successes.length;
      this.#successes[index] = 0;
      this.#retries[index] = 0;
    }
    this.#bucket = (this.#bucket + elapsed) % this.#successes.length;
    this.#bucketStart += elapsed * 1000;
  }
}
