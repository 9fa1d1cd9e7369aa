import {
  AtlasError,
  AtlasInvalidBodyError,
  AtlasNetworkError,
  AtlasResponseError,
  AtlasTimeoutError,
} from './errors.js';

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
 * Connection failures that can only happen before a request is on the wire: a refused connection, a
 * host that does not resolve. Not EHOSTUNREACH/ENETUNREACH: Linux also reports those on an
 * established keep-alive socket whose retransmits died after the request left. Anything later (a
 * reset, a dropped socket) may follow a request Atlas received.
 */
const NEVER_SENT_CAUSES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** Whether a failed attempt provably never reached Atlas: it failed while connecting, or never left its wait. */
export const provablyNotSent = (error: unknown): boolean =>
  (error instanceof AtlasNetworkError && NEVER_SENT_CAUSES.has(error.causeCode)) ||
  (error instanceof AtlasTimeoutError && (error.phase === 'connect' || error.whileWaiting));

/**
 * Whether Atlas answered a write in a way that says it did nothing: any 4xx (it refused), or a 503
 * with `Retry-After` (it asked to come back later).
 */
const refusedByAtlas = (error: AtlasResponseError): boolean =>
  (error.status >= 400 && error.status < 500) || (error.status === 503 && error.retryAfterSeconds !== undefined);

/**
 * Whether a write's failure leaves its effect unknown: it may have reached Atlas, and no answer from
 * Atlas says it did nothing. Failures before sending (credentials, the breaker, a rate-limit pause,
 * a refused connection) and Atlas's refusals are known; everything else is not.
 */
export function writeOutcomeUnknown(error: unknown): error is AtlasError {
  if (!(error instanceof AtlasError) || provablyNotSent(error)) return false;
  if (error instanceof AtlasResponseError) return !refusedByAtlas(error);
  return (
    error instanceof AtlasNetworkError || error instanceof AtlasTimeoutError || error instanceof AtlasInvalidBodyError
  );
}

/**
 * Why a failed write is worth another attempt: only when it provably never reached Atlas, or Atlas
 * answered 429 or 503 with `Retry-After` (it did nothing and said when to come back).
 */
function writeRetryableReason(error: unknown): string | undefined {
  if (provablyNotSent(error)) return retryableReason(error);
  if (error instanceof AtlasResponseError && (error.status === 429 || error.status === 503))
    return error.retryAfterSeconds === undefined ? undefined : `HTTP ${error.status}`;
  return undefined;
}

/**
 * Decides the next step after attempt number `attempt` failed: retry only listed failures (for a
 * write, only those that prove it did nothing: `writeRetryableReason`), with
 * exponential back-off and full jitter, or after `Retry-After` when Atlas sent one, and only when
 * the wait ends before the call's deadline.
 */
export function decideRetry(
  options: RetryPolicyOptions,
  attempt: number,
  error: unknown,
  remainingMs: number,
  random: () => number = Math.random,
  write = false,
): RetryDecision {
  const reason = write ? writeRetryableReason(error) : retryableReason(error);
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
