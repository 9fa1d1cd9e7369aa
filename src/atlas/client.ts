import { BrokenCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
import type { Logger } from 'pino';
import { Pool } from 'undici';
import type { z } from 'zod';
import { AttemptRunner } from './attempt.js';
import type { AtlasAuth } from './auth.js';
import { breakerStateOf, createBreaker, type BreakerOptions, type BreakerState } from './breaker.js';
import type { CacheTtls } from './cache-policy.js';
import { CachedReads, type CacheReadEvent } from './cached-reads.js';
import { startCall } from './call.js';
import { endCallSpan, startCallSpan, type CallTracing } from './call-tracing.js';
import { DispatchGate } from './dispatch-gate.js';
import { AtlasAbortedError, AtlasCircuitOpenError, AtlasOutcomeUnknownError, type AtlasError } from './errors.js';
import type { AtlasOperation } from './operation.js';
import { MemoryRateBudget, type RateBudget } from './rate-budget.js';
import { RateBudgetGate, type RateBudgetEvent } from './rate-budget-gate.js';
import { MemoryRateLimitHold, type RateLimitHold } from './rate-limit-hold.js';
import type { ReadCache, ReadScope } from './read-cache.js';
import { RetryBudget, type RetryBudgetOptions } from './retry-budget.js';
import { RetryLoop } from './retry-loop.js';
import { writeOutcomeUnknown, type RetryPolicyOptions } from './retry-policy.js';

/**
 * Options of the one client a process keeps per Atlas origin. The settings an operator tunes have no
 * default here: they come from the configuration (`config.atlasClient`, see docs/configuration.md).
 */
export interface AtlasClientOptions {
  /** The Atlas origin, e.g. https://cloud.mongodb.com. */
  baseUrl: URL;
  /** Credentials for calls that bring none of their own. */
  auth: AtlasAuth;
  /** Sent as `User-Agent`. */
  userAgent: string;
  /** Total deadline of one call, all attempts and back-off included, in ms (ATLAS_TIMEOUT_MS). */
  timeoutMs: number;
  /** TCP/TLS connect deadline of one attempt (ATLAS_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs: number;
  /** Time to response headers of one attempt (ATLAS_HEADERS_TIMEOUT_MS). */
  headersTimeoutMs: number;
  /** Attempts and back-off (ATLAS_MAX_ATTEMPTS, ATLAS_RETRY_*). */
  retry: RetryPolicyOptions;
  /** @default { windowMs: 10000, minPerSecond: 10, retryRatio: 0.2 } */
  retryBudget?: Partial<RetryBudgetOptions>;
  /** Consecutive failed calls that open the circuit, and how long it stays open (ATLAS_BREAKER_*). */
  breaker: BreakerOptions;
  /** Keep-alive connections to the origin, and calls on the wire at once (the rest wait their turn). @default 128 */
  connections?: number;
  /** Longest pause of an endpoint family after a 429 with `Retry-After`; 0 turns holds off (ATLAS_RATE_LIMIT_HOLD_MAX_MS). */
  rateLimitHoldMaxMs: number;
  /** Where those pauses are kept. @default an in-process MemoryRateLimitHold */
  rateLimitHold?: RateLimitHold;
  /**
   * Calls a minute per endpoint family and project (and caller token in forward mode) this client
   * may make, Atlas's `RateLimit-Remaining` permitting; 0 turns the budget off (ATLAS_RATE_LIMIT_PER_MINUTE).
   */
  rateLimitPerMinute: number;
  /** Longest wait for a call's turn in that budget; later turns fail at once (ATLAS_RATE_WAIT_MS). */
  rateWaitMs: number;
  /** Where the budget is kept (a fleet shares one in Redis). @default an in-process MemoryRateBudget */
  rateBudget?: RateBudget;
  /** Told about every call the budget held back or refused. */
  onRateBudget?: (event: RateBudgetEvent) => void;
  /** Largest response body accepted, in bytes. @default 8 MiB */
  maxBodyBytes?: number;
  logger?: Logger;
  /** Told about every finished attempt: for logs, tests and metrics. */
  onAttempt?: (event: AtlasAttemptEvent) => void;
  /** Told about every retry, before its wait. */
  onRetry?: (event: { operation: string; attempt: number; reason: string }) => void;
  /** Spans for every call and attempt, and `traceparent` to Atlas. @default none (no tracing) */
  tracing?: CallTracing;
  /**
   * The record cache of GETs (CACHE_*, docs/fleet.md "Record cache"): where answers are kept, for
   * how long, and who is told how each read was answered. @default none: every read calls Atlas
   */
  readCache?: {
    cache: ReadCache;
    ttls: CacheTtls;
    freezeShared?: boolean;
    onRead?: (event: CacheReadEvent) => void;
  };
}

/** One HTTP exchange with Atlas, reported after it ends. */
export interface AtlasAttemptEvent {
  operation: string;
  /** HTTP status, or undefined when the attempt failed before a response. */
  status: number | undefined;
  durationMs: number;
}

/** Per-call options. */
export interface AtlasCallOptions {
  /**
   * Aborted when the caller goes away: what has not started (dispatch, back-off, retries) is not
   * done, an exchange on the wire finishes on its pooled connection and its result is dropped.
   */
  signal?: AbortSignal;
  /** Credentials of this call (forward mode), instead of the client's. */
  auth?: AtlasAuth;
  /** Told about every attempt of this call (the request's own log), besides the client's `onAttempt`. */
  onAttempt?: (event: AtlasAttemptEvent) => void;
  /**
   * Called once before the call is made (retries and credential refreshes are part of the same call):
   * a per-request budget counts here and throws to refuse the call, which then never leaves.
   */
  beforeCall?: () => void;
  /** Told the size of every response body chunk as it arrives; throwing stops reading and fails the attempt. */
  onBodyBytes?: (bytes: number) => void;
  /** `refresh`: a GET that must see Atlas now (a subscription's poll): it skips the cache, then refreshes it. */
  cache?: 'refresh';
  /** Told how a GET through the record cache was answered (hit, shared, miss), and how old the answer is. */
  onCache?: (event: CacheReadEvent) => void;
}

/**
 * The Atlas Administration API over one keep-alive undici pool: versioned Accept, credentials,
 * retries of idempotent GETs with back-off and a budget, a total deadline per call, a circuit
 * breaker for the origin, and typed errors from Atlas's error envelopes. A call's setup is in
 * call.ts, its retries in retry-loop.ts, one attempt (gate, credentials, exchange) in attempt.ts.
 */
export class AtlasClient {
  readonly #pool: Pool;
  readonly #auth: AtlasAuth;
  readonly #timeoutMs: number;
  readonly #breaker: CircuitBreakerPolicy;
  readonly #cooldownMs: number;
  readonly #retries: RetryLoop;
  readonly #attempts: AttemptRunner;
  readonly #origin: URL;
  readonly #tracing: CallTracing | undefined;
  readonly #reads: CachedReads | undefined;

  constructor(options: AtlasClientOptions) {
    const { timeoutMs, connectTimeoutMs, headersTimeoutMs } = options;
    const connections = options.connections ?? 128;
    this.#timeoutMs = timeoutMs;
    this.#pool = new Pool(options.baseUrl.origin, {
      connections,
      keepAliveTimeout: 30_000,
      connect: { timeout: connectTimeoutMs },
      headersTimeout: headersTimeoutMs,
      bodyTimeout: timeoutMs,
    });
    this.#auth = options.auth;
    this.#origin = options.baseUrl;
    this.#tracing = options.tracing;
    const rateBudget =
      options.rateLimitPerMinute > 0
        ? new RateBudgetGate({
            budget: options.rateBudget ?? new MemoryRateBudget(options.rateLimitPerMinute),
            perMinute: options.rateLimitPerMinute,
            waitMs: options.rateWaitMs,
            onEvent: options.onRateBudget,
          })
        : undefined;
    this.#retries = new RetryLoop({
      retry: options.retry,
      budget: new RetryBudget(options.retryBudget),
      hold: options.rateLimitHold ?? new MemoryRateLimitHold(),
      holdMaxMs: options.rateLimitHoldMaxMs,
      rateBudget,
      logger: options.logger,
      onRetry: options.onRetry,
    });
    this.#attempts = new AttemptRunner({
      pool: this.#pool,
      gate: new DispatchGate(connections),
      userAgent: options.userAgent,
      maxBodyBytes: options.maxBodyBytes ?? 8 * 1024 * 1024,
      connectTimeoutMs,
      headersTimeoutMs,
      rateBudget,
      onAttempt: options.onAttempt,
      tracing: options.tracing,
    });
    this.#cooldownMs = options.breaker.cooldownMs;
    this.#breaker = createBreaker(options.breaker, options.baseUrl.origin, options.logger);
    this.#reads = options.readCache && new CachedReads({ ...options.readCache, timeoutMs });
  }

  /** `closed`, `open` or `half-open`: whether calls currently reach Atlas. */
  get breakerState(): BreakerState {
    return breakerStateOf(this.#breaker);
  }

  /**
   * Calls `listener` each time the circuit opens (on the failures that trip it, and again when a
   * half-open call fails), e.g. to schedule a probe; returns the unsubscribe.
   */
  onCircuitOpen(listener: () => void): () => void {
    const subscription = this.#breaker.onBreak(() => listener());
    return () => subscription.dispose();
  }

  /**
   * GETs `path` (already encoded) and returns the body parsed with the operation's schema; through
   * the record cache when there is one, kept apart per Atlas credentials (`service`, or the
   * identity of a forwarded token).
   */
  get<Schema extends z.ZodType>(
    operation: AtlasOperation<Schema>,
    path: string,
    options: AtlasCallOptions = {},
  ): Promise<z.infer<Schema>> {
    if (!this.#reads) return this.#call(operation, path, undefined, options);
    const identity = (options.auth ?? this.#auth).identity ?? 'service';
    return this.#reads.get(operation, path, options, identity, (call, timeoutMs, onBody) =>
      this.#call(operation, path, undefined, call, timeoutMs, onBody),
    );
  }

  /** Forgets the cached reads of resources a write changed (on every replica sharing the cache). */
  forgetReads(resources: readonly ReadScope[]): Promise<void> {
    return this.#reads?.forget(resources) ?? Promise.resolve();
  }

  /**
   * Sends one write (POST, PATCH, DELETE) with `body` as JSON and returns the parsed answer
   * (undefined for a 204). It is retried only while it provably never reached Atlas or Atlas asked to
   * come back (429/503 with `Retry-After`); a failure after it may have reached Atlas is an
   * AtlasOutcomeUnknownError, never a second send. It takes no abort signal: once started, a write
   * runs to its answer even when the caller leaves, so that its outcome is known and recorded.
   */
  async send<Schema extends z.ZodType>(
    operation: AtlasOperation<Schema>,
    path: string,
    body: unknown,
    options: Omit<AtlasCallOptions, 'signal'> = {},
  ): Promise<z.infer<Schema>> {
    if (operation.method === 'GET') throw new Error(`${operation.name} is a read: use get()`);
    try {
      return await this.#call(operation, path, body === undefined ? undefined : JSON.stringify(body), options);
    } catch (error) {
      if (writeOutcomeUnknown(error)) throw new AtlasOutcomeUnknownError(operation.name, describeFailure(error), error);
      throw error;
    }
  }

  async #call<Schema extends z.ZodType>(
    operation: AtlasOperation<Schema>,
    path: string,
    body: string | undefined,
    options: AtlasCallOptions,
    timeoutMs = this.#timeoutMs,
    onBody?: (text: string) => void,
  ): Promise<z.infer<Schema>> {
    // Defence in depth against SSRF: whatever the callers validated, only the operation's own
    // template goes out, on the pool's one origin.
    if (!operation.pathPattern.test(path))
      throw new Error(`refusing to request a path outside the ${operation.name} template`);
    const caller = options.signal;
    // A caller already gone (a loader batch dispatched after its request was aborted) costs nothing.
    if (caller?.aborted) throw new AtlasAbortedError(operation.name);
    options.beforeCall?.();
    const settings = { auth: this.#auth, timeoutMs, body };
    const { call, end } = startCall(operation, path, options, settings);
    call.onBody = onBody;
    const span = this.#tracing && startCallSpan(this.#tracing, call, this.#origin);
    let failure: unknown;
    try {
      // Before the breaker: a call that Atlas's pause or the rate budget stops is neither a probe nor a failure.
      await this.#retries.beforeFirstAttempt(call);
      const answer = await this.#breaker.execute(() => this.#retries.run(call, (c) => this.#attempts.run(c)));
      if (caller?.aborted) throw new AtlasAbortedError(operation.name);
      return answer;
    } catch (error) {
      failure = error;
      // The caller left while the call ran to its end: the breaker has counted the outcome, nobody reads it.
      if (caller?.aborted) throw error instanceof AtlasAbortedError ? error : new AtlasAbortedError(operation.name);
      if (error instanceof BrokenCircuitError) throw new AtlasCircuitOpenError(operation.name, this.#cooldownMs);
      throw error;
    } finally {
      end();
      if (span) endCallSpan(span, call, failure);
    }
  }

  /** Closes the pool's connections; in-flight calls finish first. */
  async close(): Promise<void> {
    await this.#pool.close();
  }
}

/** What became of a write whose outcome is unknown, in words without secrets (the error's own summary). */
const describeFailure = (error: AtlasError): string => error.message.replace(/^Atlas \S+:? (failed: )?/, '');
