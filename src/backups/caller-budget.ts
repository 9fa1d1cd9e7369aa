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

/** Callers kept before windows that have passed are swept. */
const SWEEP_ABOVE = 10_000;

/**
 * The in-process CallerCallBudget (the default): a fixed window per caller, opened by its first
 * call; at most `perWindow` calls in it, then none until it has passed.
 */
export class MemoryCallerCallBudget implements CallerCallBudget {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    /** Calls per caller per window (CALLER_MAX_ATLAS_CALLS_PER_MINUTE). */
    readonly perWindow: number,
    /** @default one minute */
    readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  take(caller: string): number {
    const now = this.now();
    let window = this.#windows.get(caller);
    if (!window || now - window.start >= this.windowMs) {
      if (!window && this.#windows.size >= SWEEP_ABOVE) this.#sweep(now);
      window = { start: now, count: 0 };
      this.#windows.set(caller, window);
    }
    if (window.count >= this.perWindow) return window.start + this.windowMs - now;
    window.count += 1;
    return 0;
  }

  #sweep(now: number): void {
    for (const [caller, window] of this.#windows) if (now - window.start >= this.windowMs) this.#windows.delete(caller);
  }
}
