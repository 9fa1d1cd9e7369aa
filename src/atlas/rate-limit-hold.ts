/**
 * Where the pauses Atlas asks for (a 429 with `Retry-After`) are kept, per endpoint family and
 * project: a port, so a fleet can share them (a Redis adapter keeping a local copy for these reads).
 */
export interface RateLimitHold {
  /** Milliseconds before calls under `key` may go again; 0 when they may go now. */
  remainingMs(key: string): number;
  /** Holds calls under `key` for `ms` from now; a hold that already lasts longer stays as it is. */
  hold(key: string, ms: number): void;
}

/** Keys held at once before passed holds are swept; only keys Atlas answered 429 for ever get here. */
const SWEEP_ABOVE = 1_000;

/** The in-process RateLimitHold (the default): one deadline per key, dropped once it has passed. */
export class MemoryRateLimitHold implements RateLimitHold {
  readonly #until = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  remainingMs(key: string): number {
    const until = this.#until.get(key);
    if (until === undefined) return 0;
    const remaining = until - this.now();
    if (remaining > 0) return remaining;
    this.#until.delete(key);
    return 0;
  }

  hold(key: string, ms: number): void {
    if (!(ms > 0)) return;
    const until = this.now() + ms;
    if ((this.#until.get(key) ?? 0) >= until) return;
    if (this.#until.size >= SWEEP_ABOVE) this.#sweep();
    this.#until.set(key, until);
  }

  #sweep(): void {
    const now = this.now();
    for (const [key, until] of this.#until) if (until <= now) this.#until.delete(key);
  }
}
