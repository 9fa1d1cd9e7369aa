/**
 * At most `size` exchanges handed to the pool at once, the rest waiting here in arrival order.
 * undici cannot drop a queued request without destroying a socket when it reaches one, so calls
 * whose caller leaves (or whose deadline passes) while waiting must leave from this queue instead.
 */
export class DispatchGate {
  #free: number;
  /** Insertion-ordered, and a waiter that leaves is removed in O(1). */
  readonly #waiting = new Set<() => void>();

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new TypeError(`DispatchGate size must be a positive integer, got ${size}`);
    this.#free = size;
  }

  /** Resolves once a slot is this caller's (it must `release()` it); rejects with `signal.reason` if `signal` aborts first. */
  acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    if (this.#free > 0) {
      this.#free -= 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener('abort', leave);
        resolve();
      };
      const leave = () => {
        this.#waiting.delete(grant);
        reject(signal.reason as Error);
      };
      this.#waiting.add(grant);
      signal.addEventListener('abort', leave, { once: true });
    });
  }

  /** Hands the slot to the longest waiter, or frees it. */
  release(): void {
    const next = this.#waiting.values().next();
    if (next.done) {
      this.#free += 1;
      return;
    }
    this.#waiting.delete(next.value);
    next.value();
  }
}
