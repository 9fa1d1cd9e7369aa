import { AtlasNetworkError, AtlasResponseError, AtlasTimeoutError } from './errors.js';

/** The retry settings of one client. */
export interface RetryPolicyOptions {
  /** Attempts per call, the first included (ATLAS_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** First back-off ceiling; doubles per attempt (ATLAS_RETRY_BASE_DELAY_MS). */
  baseDelayMs: number;
  /** Largest back-off ceiling (ATLAS_RETRY_MAX_DELAY_MS). */
  maxDelayMs: number;
  /** Longest `Retry-After` honoured; a longer one ends the call (ATLAS_RETRY_AFTER_MAX_MS). */
  retryAfterMaxMs: number;
}

/** Whether to try again, and after how long. */
export type RetryDecision = { retry: false } | { retry: true; delayMs: number; reason: string };

/** Statuses worth another attempt of an idempotent GET: rate limited, or a gateway/Atlas hiccup. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** Why an error is worth another attempt, or undefined when it is not. */
export function retryableReason(error: unknown): string | undefined {
  if (error instanceof AtlasResponseError)
    return RETRYABLE_STATUSES.has(error.status) ? `HTTP ${error.status}` : undefined;
  if (error instanceof AtlasNetworkError) return error.beforeResponse ? error.causeCode : undefined;
  if (error instanceof AtlasTimeoutError) return error.phase === 'total' ? undefined : `${error.phase} timeout`;
  return undefined;
}

/**
 * Decides the next step after attempt number `attempt` failed: retry only listed failures, with
 * exponential back-off and full jitter, or after `Retry-After` when Atlas sent one, and only when
 * the wait ends before the call's deadline.
 */
export function decideRetry(
  options: RetryPolicyOptions,
  attempt: number,
  error: unknown,
  remainingMs: number,
  random: () => number = Math.random,
): RetryDecision {
  const reason = retryableReason(error);
  if (reason === undefined || attempt >= options.maxAttempts) return { retry: false };
  const retryAfterSeconds = error instanceof AtlasResponseError ? error.retryAfterSeconds : undefined;
  let delayMs: number;
  if (retryAfterSeconds !== undefined) {
    delayMs = retryAfterSeconds * 1000;
    if (delayMs > options.retryAfterMaxMs) return { retry: false };
  } else {
    const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
    delayMs = Math.floor(random() * ceiling);
  }
  // An attempt needs time of its own: give up rather than wait past the deadline.
  if (delayMs >= remainingMs - 50) return { retry: false };
  return { retry: true, delayMs, reason };
}
