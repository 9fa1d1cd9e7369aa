/**
 * The simulator's notion of "now", which tests move. Resources created by writes progress over this
 * clock's time, lazily: each keeps a {@link Timeline} of timed changes, applied when the simulator
 * next serves a request (or the clock moves), never by a timer. Tokens, nonces and RateLimit windows
 * keep real time: only backup lifecycles follow this clock.
 */

/** A change of state due at `at` (ms since the epoch, on the simulator clock). */
interface Step {
  at: number;
  apply: () => void;
}

/** The timed changes of one resource, applied in time order; cancelling drops those not yet applied. */
export class Timeline {
  #steps: Step[] = [];

  /** Adds the change `apply`, due at `at`. */
  at(at: number, apply: () => void): this {
    const index = this.#steps.findIndex((step) => step.at > at);
    this.#steps.splice(index === -1 ? this.#steps.length : index, 0, { at, apply });
    return this;
  }

  /** Drops every change not yet applied (a cancelled job, a deleted snapshot). */
  cancel(): void {
    this.#steps = [];
  }

  /** Applies the changes due by `now`, oldest first; whether any remain. */
  settle(now: number): boolean {
    while (this.#steps.length > 0 && this.#steps[0]!.at <= now) this.#steps.shift()!.apply();
    return this.#steps.length > 0;
  }

  /** When the last change is due; undefined once none remain. */
  get end(): number | undefined {
    return this.#steps.at(-1)?.at;
  }
}

/** How a simulator's clock starts. */
export interface SimClockOptions {
  /** The clock's time at start (ms since the epoch). @default Date.now() */
  start?: number;
  /** Stand still between `advance` calls instead of following real time. @default false */
  frozen?: boolean;
}

/** The clock tests control: `now()`, `advance(ms)`, `fastForward()`. */
export class SimClock {
  #offset: number;
  readonly #frozenAt: number | undefined;
  readonly #timelines = new Set<Timeline>();

  constructor(options: SimClockOptions = {}) {
    const realNow = Date.now();
    this.#frozenAt = options.frozen ? (options.start ?? realNow) : undefined;
    this.#offset = options.frozen ? 0 : (options.start ?? realNow) - realNow;
  }

  /** The simulator's current time, in ms since the epoch. */
  now(): number {
    return (this.#frozenAt ?? Date.now()) + this.#offset;
  }

  /** Moves the clock `ms` forward and applies every change that became due. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`The clock only moves forward: advance(${ms}).`);
    this.#offset += ms;
    this.settle();
  }

  /** Moves the clock to when the last pending change is due, so every resource reaches its end; the ms moved. */
  fastForward(): number {
    const ends = [...this.#timelines].map((t) => t.end ?? 0);
    const by = Math.max(0, ...ends.map((end) => end - this.now()));
    this.advance(by);
    return by;
  }

  /** Starts following `timeline`: its changes apply as the clock reaches them. */
  track(timeline: Timeline): Timeline {
    this.#timelines.add(timeline);
    this.settle();
    return timeline;
  }

  /** Applies every change due by now (the simulator calls it before serving each request). */
  settle(): void {
    const now = this.now();
    for (const timeline of this.#timelines) if (!timeline.settle(now)) this.#timelines.delete(timeline);
  }
}
