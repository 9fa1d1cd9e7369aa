import {
  AtlasCircuitOpenError,
  AtlasNotFoundError,
  AtlasRateBudgetError,
  AtlasRateLimitHoldError,
  AtlasResponseError,
} from '../../atlas/errors.js';

/** What a watcher receives: the resource's state, a failure to read it, or its disappearance (then the end). */
export type WatchEvent<T> =
  { kind: 'state'; value: T; terminal: boolean } | { kind: 'error'; error: unknown } | { kind: 'gone'; error: unknown };

/** How one kind of resource is polled. */
export interface PollPlan<T> {
  /** Reads the resource once (through the Atlas client: its retries, deadlines and breaker). */
  read(): Promise<T>;
  /** What a watcher sees of it, as text: an event goes out only when this changes. */
  fingerprint(value: T): string;
  /** Whether it will change no more (a completed snapshot, a finished restore job): the last event. */
  terminal(value: T): boolean;
  /** How long to wait before the next read, given what the last read found. */
  intervalMs(value: T): number;
  /** What a watcher that joins late gets first (default: the last value as read). */
  current?(value: T): T;
}

/** The poller's timing settings. */
export interface PollTiming {
  /** The wait after a failed read, doubled per failure in a row up to `maxBackoffMs`. */
  errorBackoffMs: number;
  maxBackoffMs: number;
}

/** Whether Atlas says the resource does not exist (any more). */
const isGone = (error: unknown): boolean =>
  error instanceof AtlasNotFoundError || (error instanceof AtlasResponseError && error.status === 404);

/** How long a failure asks us to wait: Atlas's Retry-After, the breaker's cooldown, else back-off. */
function waitAfter(error: unknown, failures: number, timing: PollTiming): number {
  return Math.min(MAX_WAIT_MS, asked(error, failures, timing));
}

/**
 * The longest wait between two polls, whatever Atlas asks: a `Retry-After` of weeks (or a far-future
 * date) would overflow a timer (Node then fires at once) and leave watchers with nothing for good.
 */
const MAX_WAIT_MS = 15 * 60_000;

function asked(error: unknown, failures: number, timing: PollTiming): number {
  const backoff = Math.min(timing.maxBackoffMs, timing.errorBackoffMs * 2 ** Math.max(0, failures - 1));
  if (error instanceof AtlasResponseError && error.retryAfterSeconds !== undefined)
    return Math.max(backoff, error.retryAfterSeconds * 1000);
  if (error instanceof AtlasRateLimitHoldError || error instanceof AtlasRateBudgetError)
    return Math.max(backoff, error.retryAfterSeconds * 1000);
  if (error instanceof AtlasCircuitOpenError) return Math.max(backoff, error.cooldownMs);
  return backoff;
}

/**
 * One resource polled for all its watchers: reads it, tells every watcher when what they see
 * changed (after an error event, the next successful read sends the state again), waits (by state;
 * longer after failures, as Atlas or the breaker ask), and stops when the resource is terminal or
 * gone, or when its last watcher leaves. A watcher that joins late gets the last state at once.
 * Reads never overlap.
 */
export class Poller<T> {
  readonly #watchers = new Set<(event: WatchEvent<T>) => void>();
  #last: { value: T; print: string } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reading = false;
  #failures = 0;
  /** Watchers saw an error event since the last state: the next successful read sends the state again. */
  #errorShown = false;
  #stopped = false;

  constructor(
    private readonly plan: PollPlan<T>,
    private readonly timing: PollTiming,
    /** Called once when it stops (for whatever reason): the hub forgets it. */
    private readonly onStop: () => void,
    /** Told the outcome of every read, for metrics. */
    private readonly onPoll: (outcome: 'changed' | 'unchanged' | 'error' | 'gone') => void = () => undefined,
  ) {}

  get watchers(): number {
    return this.#watchers.size;
  }

  /** Adds a watcher; the first one starts the reads. Returns the function that removes it. */
  watch(listener: (event: WatchEvent<T>) => void): () => void {
    this.#watchers.add(listener);
    if (this.#last) {
      const value = this.plan.current ? this.plan.current(this.#last.value) : this.#last.value;
      listener({ kind: 'state', value, terminal: false });
    }
    if (this.#watchers.size === 1 && !this.#reading && this.#timer === undefined) void this.#read();
    return () => {
      this.#watchers.delete(listener);
      if (this.#watchers.size === 0) this.stop();
    };
  }

  /** Stops reading; watchers still attached are not told (the caller ends them). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.onStop();
  }

  #emit(event: WatchEvent<T>): void {
    for (const listener of [...this.#watchers]) listener(event);
  }

  async #read(): Promise<void> {
    if (this.#stopped) return;
    this.#reading = true;
    this.#timer = undefined;
    let next: number | undefined;
    try {
      const value = await this.plan.read();
      if (this.#stopped) return;
      this.#failures = 0;
      const print = this.plan.fingerprint(value);
      const terminal = this.plan.terminal(value);
      const changed = this.#last?.print !== print;
      this.onPoll(changed ? 'changed' : 'unchanged');
      this.#last = { value, print };
      if (changed || terminal || this.#errorShown) this.#emit({ kind: 'state', value, terminal });
      this.#errorShown = false;
      if (terminal) this.stop();
      else next = this.plan.intervalMs(value);
    } catch (error) {
      if (this.#stopped) return;
      if (isGone(error)) {
        this.onPoll('gone');
        this.#emit({ kind: 'gone', error });
        this.stop();
        return;
      }
      this.onPoll('error');
      this.#failures += 1;
      this.#errorShown = true;
      this.#emit({ kind: 'error', error });
      next = waitAfter(error, this.#failures, this.timing);
    } finally {
      this.#reading = false;
    }
    if (next !== undefined && !this.#stopped) this.#timer = setTimeout(() => void this.#read(), next);
  }
}
