import type { Logger } from 'pino';
import type { z } from 'zod';
import { pause, remainingMs, type Call } from './call.js';
import { AtlasRateBudgetError, AtlasRateLimitHoldError, AtlasResponseError } from './errors.js';
import type { RateBudgetGate } from './rate-budget-gate.js';
import type { RateLimitHold } from './rate-limit-hold.js';
import type { RetryBudget } from './retry-budget.js';
import { decideRetry, type RetryPolicyOptions } from './retry-policy.js';

/** What the retries of every call share, process-wide. */
export interface RetryLoopOptions {
  retry: RetryPolicyOptions;
  budget: RetryBudget;
  /** Pauses of endpoint families after a 429 with `Retry-After`. */
  hold: RateLimitHold;
  /** Longest such pause; 0 turns holds off. */
  holdMaxMs: number;
  /** Every attempt's turn within Atlas's rate limit; undefined when ATLAS_RATE_LIMIT_PER_MINUTE is 0. */
  rateBudget: RateBudgetGate | undefined;
  logger: Logger | undefined;
  /** Told about every retry, before its wait. */
  onRetry: ((event: { operation: string; attempt: number; reason: string }) => void) | undefined;
}

/**
 * The retry policy applied to one call's attempts: retries what the policy allows while the retry
 * budget and the deadline last, after a jittered back-off, and keeps calls off an endpoint family
 * that Atlas paused.
 */
export class RetryLoop {
  constructor(private readonly options: RetryLoopOptions) {}

  /** Runs `attempt` until it succeeds or the policy, budget, deadline or caller says stop. */
  async run<Schema extends z.ZodType>(
    call: Call<Schema>,
    attempt: (call: Call<Schema>) => Promise<z.infer<Schema>>,
  ): Promise<z.infer<Schema>> {
    const { retry, budget, logger } = this.options;
    const operation = call.operation.name;
    for (let n = 1; ; n += 1) {
      try {
        const body = await attempt(call);
        budget.recordSuccess();
        return body;
      } catch (error) {
        this.#noteRateLimit(call, error);
        // Nobody is left to retry for.
        if (call.caller?.aborted) throw error;
        const write = call.operation.method !== 'GET';
        const decision = decideRetry(retry, n, error, remainingMs(call), Math.random, write);
        if (!decision.retry) throw error;
        if (!budget.tryRetry()) {
          logger?.warn({ operation, attempt: n }, 'Atlas retry budget spent: not retrying');
          throw error;
        }
        logger?.warn(
          {
            operation,
            attempt: n + 1,
            maxAttempts: retry.maxAttempts,
            reason: decision.reason,
            delayMs: decision.delayMs,
          },
          'retrying Atlas call',
        );
        this.options.onRetry?.({ operation, attempt: n + 1, reason: decision.reason });
        await pause(decision.delayMs, call);
        await this.respectHold(call);
        if (!(await this.#admitRetry(call))) throw error;
      }
    }
  }

  /**
   * Clears the first attempt of a call for the wire: Atlas's pause, then its turn in the rate budget.
   * The client calls it outside the breaker: a call stopped here is neither a probe nor a failure.
   */
  async beforeFirstAttempt(call: Call<z.ZodType>): Promise<void> {
    await this.respectHold(call);
    await this.options.rateBudget?.admit(call);
  }

  /** A retry's turn in the rate budget; when there is none, the call ends with the failure it has. */
  async #admitRetry(call: Call<z.ZodType>): Promise<boolean> {
    try {
      await this.options.rateBudget?.admit(call);
      return true;
    } catch (refusal) {
      if (!(refusal instanceof AtlasRateBudgetError)) throw refusal;
      this.options.logger?.debug({ operation: call.operation.name }, 'Atlas rate budget spent: not retrying');
      return false;
    }
  }

  /**
   * Keeps the call off Atlas while its endpoint family is paused: waits out a pause no longer than
   * a `Retry-After` the call would honour itself (and ending before its deadline), else fails fast.
   */
  async respectHold(call: Call<z.ZodType>): Promise<void> {
    const { hold, retry } = this.options;
    for (let heldMs = hold.remainingMs(call.holdKey); heldMs > 0; heldMs = hold.remainingMs(call.holdKey)) {
      if (heldMs > retry.retryAfterMaxMs || heldMs >= remainingMs(call) - 50) {
        throw new AtlasRateLimitHoldError(call.operation.name, Math.ceil(heldMs / 1000));
      }
      await pause(heldMs, call);
    }
  }

  /** A 429 with `Retry-After` pauses the call's endpoint family for that long (capped), for every call. */
  #noteRateLimit(call: Call<z.ZodType>, error: unknown): void {
    if (!(error instanceof AtlasResponseError) || error.status !== 429 || !error.retryAfterSeconds) return;
    const holdMs = Math.min(error.retryAfterSeconds * 1000, this.options.holdMaxMs);
    if (holdMs <= 0) return;
    this.options.hold.hold(call.holdKey, holdMs);
    this.options.logger?.warn(
      { operation: call.operation.name, hold: call.holdKey, holdMs, retryAfterSeconds: error.retryAfterSeconds },
      'Atlas rate limit: holding calls to this endpoint family',
    );
  }
}
