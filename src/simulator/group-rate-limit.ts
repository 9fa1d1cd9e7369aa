import { SimApiError } from './api-error.js';
import type { RateLimitBucket } from './route.js';

/** The verdict on one call: its RateLimit headers, and the 429 to answer when its bucket is empty. */
export interface GroupRateVerdict {
  headers: Record<string, string>;
  refusal: SimApiError | undefined;
}

/**
 * Atlas's rate limit, enforced (opt-in, `rateLimitPerMinutePerGroup`): a token bucket per project and
 * RateLimit bucket (backup, cluster) holding `perMinute` calls and refilled at `perMinute` a minute,
 * continuously (README §6: a token bucket per endpoint set and scope; the GROUP scope here). An
 * empty bucket answers 429 `RATE_LIMITED_TOKEN_BUCKET` with `Retry-After` (whole seconds until a
 * token), worded as the docs' sample; a refused call takes no token. Real time, not the sim clock.
 */
export class GroupRateLimits {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  /** Tokens per millisecond. */
  readonly #rate: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(perMinute > 0)) throw new RangeError(`rateLimitPerMinutePerGroup must be positive, got ${perMinute}`);
    this.#rate = perMinute / 60_000;
  }

  /** Takes one call of `bucket` in project `groupId` (`path` names it in a refusal). */
  take(groupId: string, bucket: RateLimitBucket, path: string): GroupRateVerdict {
    const key = `${bucket}:${groupId}`;
    const now = this.now();
    const state = this.#buckets.get(key);
    let tokens = state ? Math.min(this.perMinute, state.tokens + (now - state.at) * this.#rate) : this.perMinute;
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    this.#buckets.set(key, { tokens, at: now });
    const headers = { 'RateLimit-Limit': String(this.perMinute), 'RateLimit-Remaining': String(Math.floor(tokens)) };
    if (allowed) return { headers, refusal: undefined };
    const retryAfter = Math.max(1, Math.ceil((1 - tokens) / this.#rate / 1000));
    const resource = path.replace(/^\//, '');
    const refusal = new SimApiError(
      429,
      'RATE_LIMITED_TOKEN_BUCKET',
      `Rate limit exceeded for ${resource}. Please retry after ${retryAfter} seconds. Request capacity: ${this.perMinute}. Refill rate: ${this.perMinute} per 60 seconds.`,
      [resource, retryAfter, this.perMinute, this.perMinute, 60],
    );
    return { headers: { ...headers, 'Retry-After': String(retryAfter) }, refusal };
  }
}
