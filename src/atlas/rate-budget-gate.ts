import type { z } from 'zod';
import { pause, remainingMs, type Call } from './call.js';
import { AtlasRateBudgetError } from './errors.js';
import type { RateBudget } from './rate-budget.js';

/** A call the rate budget held back for a while (`waited`), or refused (`refused`, no call made). */
export interface RateBudgetEvent {
  operation: string;
  outcome: 'waited' | 'refused';
  /** How long it waited, or would have had to. */
  waitMs: number;
}

/** Settings of the rate budget of one client. */
export interface RateBudgetGateOptions {
  budget: RateBudget;
  /** Calls a minute the budget allows per key (ATLAS_RATE_LIMIT_PER_MINUTE): scales Atlas's `RateLimit-Remaining`. */
  perMinute: number;
  /** Longest wait for a call's turn (ATLAS_RATE_WAIT_MS); a call whose turn comes later is refused at once. */
  waitMs: number;
  /** Told about every call held back or refused. */
  onEvent: ((event: RateBudgetEvent) => void) | undefined;
}

/** Keys with a known refusal kept before passed ones are swept. */
const SWEEP_ABOVE = 10_000;

/** A count from a header: a non-negative integer, or undefined when absent or anything else. */
const countOf = (value: string | undefined): number | undefined =>
  value !== undefined && /^\d{1,12}$/.test(value.trim()) ? Number(value) : undefined;

/**
 * Keeps every attempt that would reach Atlas within the rate budget of its endpoint family and
 * project: it waits for its turn when that comes within ATLAS_RATE_WAIT_MS (and before the call's
 * deadline), else fails at once with AtlasRateBudgetError, never calling Atlas. Each answer's
 * `RateLimit-Remaining` lowers the budget to what Atlas says is left (others spend it too).
 */
export class RateBudgetGate {
  /**
   * When each refused key has a call free at the earliest (monotonic ms): until a call could wait
   * for that, it is refused here, without asking the budget (a round trip to Redis for a fleet).
   * Never too early: others only take tokens, and Atlas's answers only lower them.
   */
  readonly #freeAt = new Map<string, number>();

  constructor(private readonly options: RateBudgetGateOptions) {}

  /** Resolves when the attempt may go (after its wait), or throws AtlasRateBudgetError. */
  async admit(call: Call<z.ZodType>): Promise<void> {
    const { budget, waitMs, onEvent } = this.options;
    const operation = call.operation.name;
    const key = call.budgetKey;
    // A wait that would leave the attempt no time of its own is no better than a refusal.
    const maxWaitMs = Math.max(0, Math.min(waitMs, remainingMs(call) - 50));
    const known = this.#freeAt.get(key);
    const reservation =
      known !== undefined && known - performance.now() > maxWaitMs
        ? { granted: false as const, retryAfterMs: known - performance.now() }
        : await budget.reserve(key, maxWaitMs);
    if (!reservation.granted) {
      this.#refused(key, reservation.retryAfterMs);
      onEvent?.({ operation, outcome: 'refused', waitMs: reservation.retryAfterMs });
      throw new AtlasRateBudgetError(operation, Math.max(1, Math.ceil(reservation.retryAfterMs / 1000)));
    }
    if (reservation.waitMs <= 0) return;
    onEvent?.({ operation, outcome: 'waited', waitMs: reservation.waitMs });
    // A caller leaving meanwhile leaves its token spent: the budget errs on the side of fewer calls.
    await pause(reservation.waitMs, call);
  }

  /**
   * Reads an answer's `RateLimit-Remaining` (and `RateLimit-Limit`): the budget keeps no more than
   * that share of its own size, e.g. 600 left of Atlas's 1,200 is at most 500 of a budget of 1,000.
   */
  observe(call: Call<z.ZodType>, remaining: string | undefined, limit: string | undefined): void {
    const left = countOf(remaining);
    if (left === undefined) return;
    const capacity = countOf(limit);
    const scale = capacity !== undefined && capacity > this.options.perMinute ? this.options.perMinute / capacity : 1;
    this.options.budget.lower(call.budgetKey, left * scale);
  }

  #refused(key: string, retryAfterMs: number): void {
    const now = performance.now();
    if (this.#freeAt.size >= SWEEP_ABOVE && !this.#freeAt.has(key))
      for (const [other, at] of this.#freeAt) if (at <= now) this.#freeAt.delete(other);
    this.#freeAt.set(key, now + retryAfterMs);
  }
}
