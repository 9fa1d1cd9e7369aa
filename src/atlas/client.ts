import { setTimeout as sleep } from 'node:timers/promises';
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import type { Logger } from 'pino';
import { Pool } from 'undici';
import type { z } from 'zod';
import type { AtlasAuth } from './auth.js';
import { parseErrorEnvelope } from './error-envelope.js';
import { DispatchGate } from './dispatch-gate.js';
import {
  AtlasAbortedError,
  AtlasCircuitOpenError,
  AtlasError,
  AtlasNetworkError,
  AtlasRateLimitHoldError,
  AtlasResponseError,
  AtlasTimeoutError,
} from './errors.js';
import type { AtlasOperation } from './operation.js';
import { firstHeader, parseBody, readBody, readErrorBody } from './response-body.js';
import { MemoryRateLimitHold, type RateLimitHold } from './rate-limit-hold.js';
import { parseRetryAfter } from './retry-after.js';
import { RetryBudget, type RetryBudgetOptions } from './retry-budget.js';
import { decideRetry, type RetryPolicyOptions } from './retry-policy.js';

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
  breaker: { failures: number; cooldownMs: number };
  /** Keep-alive connections to the origin, and calls on the wire at once (the rest wait their turn). @default 128 */
  connections?: number;
  /** Longest pause of an endpoint family after a 429 with `Retry-After`; 0 turns holds off (ATLAS_RATE_LIMIT_HOLD_MAX_MS). */
  rateLimitHoldMaxMs: number;
  /** Where those pauses are kept. @default an in-process MemoryRateLimitHold */
  rateLimitHold?: RateLimitHold;
  /** Largest response body accepted, in bytes. @default 8 MiB */
  maxBodyBytes?: number;
  logger?: Logger;
  /** Told about every finished attempt: for logs, tests and metrics. */
  onAttempt?: (event: AtlasAttemptEvent) => void;
  /** Told about every retry, before its wait. */
  onRetry?: (event: { operation: string; attempt: number; reason: string }) => void;
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
}

/** One call in progress: what every attempt of it shares. */
interface Call<Schema extends z.ZodType> {
  operation: AtlasOperation<Schema>;
  path: string;
  auth: AtlasAuth;
  onAttempt: ((event: AtlasAttemptEvent) => void) | undefined;
  onBodyBytes: ((bytes: number) => void) | undefined;
  /**
   * What undici sees: aborts at the total deadline only, since aborting a request tears its socket
   * down (even one still queued in the pool, when it reaches a socket).
   */
  signal: AbortSignal;
  /** Aborts on the caller's signal or the deadline, whichever comes first: ends every wait. */
  waits: AbortSignal;
  caller: AbortSignal | undefined;
  /** Set when the total deadline passed (then `signal` is aborted too). */
  deadline: { readonly aborted: boolean };
  startedAt: number;
  /** The rate-limit hold this call falls under: endpoint family and project. */
  holdKey: string;
}

/** Atlas rate-limits per endpoint family and project: `serverless:<groupId>`. */
const holdKeyOf = (operation: AtlasOperation<z.ZodType>, path: string): string =>
  `${operation.family}:${/\/groups\/([^/?]+)/.exec(path)?.[1] ?? ''}`;

/** Failures that say Atlas (or the way to it) is unwell; client errors and cancellations do not count. */
function isBreakerFailure(error: Error): boolean {
  return (
    (error instanceof AtlasResponseError && error.status >= 500) ||
    error instanceof AtlasNetworkError ||
    error instanceof AtlasTimeoutError
  );
}

/**
 * The Atlas Administration API over one keep-alive undici pool: versioned Accept, credentials,
 * retries of idempotent GETs with back-off and a budget, a total deadline per call, a circuit
 * breaker for the origin, and typed errors from Atlas's error envelopes.
 */
export class AtlasClient {
  readonly #pool: Pool;
  readonly #auth: AtlasAuth;
  readonly #timeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #headersTimeoutMs: number;
  readonly #userAgent: string;
  readonly #maxBodyBytes: number;
  readonly #retry: RetryPolicyOptions;
  readonly #budget: RetryBudget;
  readonly #breaker: CircuitBreakerPolicy;
  readonly #cooldownMs: number;
  readonly #logger: Logger | undefined;
  readonly #onAttempt: ((event: AtlasAttemptEvent) => void) | undefined;
  readonly #onRetry: AtlasClientOptions['onRetry'];
  readonly #gate: DispatchGate;
  readonly #hold: RateLimitHold;
  readonly #holdMaxMs: number;

  constructor(options: AtlasClientOptions) {
    this.#timeoutMs = options.timeoutMs;
    this.#connectTimeoutMs = options.connectTimeoutMs;
    this.#headersTimeoutMs = options.headersTimeoutMs;
    const connections = options.connections ?? 128;
    this.#gate = new DispatchGate(connections);
    this.#hold = options.rateLimitHold ?? new MemoryRateLimitHold();
    this.#holdMaxMs = options.rateLimitHoldMaxMs;
    this.#pool = new Pool(options.baseUrl.origin, {
      connections,
      keepAliveTimeout: 30_000,
      connect: { timeout: this.#connectTimeoutMs },
      headersTimeout: this.#headersTimeoutMs,
      bodyTimeout: this.#timeoutMs,
    });
    this.#auth = options.auth;
    this.#userAgent = options.userAgent;
    this.#maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
    this.#retry = options.retry;
    this.#budget = new RetryBudget(options.retryBudget);
    const breaker = options.breaker;
    this.#cooldownMs = breaker.cooldownMs;
    this.#breaker = circuitBreaker(handleWhen(isBreakerFailure), {
      halfOpenAfter: breaker.cooldownMs,
      breaker: new ConsecutiveBreaker(breaker.failures),
    });
    this.#logger = options.logger;
    this.#onAttempt = options.onAttempt;
    this.#onRetry = options.onRetry;
    this.#breaker.onBreak(() =>
      this.#logger?.error(
        { origin: options.baseUrl.origin, cooldownMs: breaker.cooldownMs },
        'Atlas circuit opened: failing fast',
      ),
    );
    this.#breaker.onHalfOpen(() =>
      this.#logger?.warn({ origin: options.baseUrl.origin }, 'Atlas circuit half-open: probing'),
    );
    this.#breaker.onReset(() => this.#logger?.info({ origin: options.baseUrl.origin }, 'Atlas circuit closed'));
  }

  /** `closed`, `open` or `half-open`: whether calls currently reach Atlas. */
  get breakerState(): 'closed' | 'open' | 'half-open' {
    const state = this.#breaker.state;
    if (state === CircuitState.Closed) return 'closed';
    return state === CircuitState.HalfOpen ? 'half-open' : 'open';
  }

  /**
   * Calls `listener` each time the circuit opens (on the failures that trip it, and again when a
   * half-open call fails), e.g. to schedule a probe; returns the unsubscribe.
   */
  onCircuitOpen(listener: () => void): () => void {
    const subscription = this.#breaker.onBreak(() => listener());
    return () => subscription.dispose();
  }

  /** GETs `path` (already encoded) and returns the body parsed with the operation's schema. */
  async get<Schema extends z.ZodType>(
    operation: AtlasOperation<Schema>,
    path: string,
    options: AtlasCallOptions = {},
  ): Promise<z.infer<Schema>> {
    // Defence in depth against SSRF: whatever the callers validated, only the operation's own
    // template goes out, on the pool's one origin.
    if (!operation.pathPattern.test(path))
      throw new Error(`refusing to request a path outside the ${operation.name} template`);
    const caller = options.signal;
    // A caller already gone (a loader batch dispatched after its request was aborted) costs nothing.
    if (caller?.aborted) throw new AtlasAbortedError(operation.name);
    options.beforeCall?.();
    // Controllers, not AbortSignal.timeout()/any(): those cost a DOMException and a transferable
    // wrapper each, which shows on the hot path.
    const wire = new AbortController();
    const waits = new AbortController();
    const deadline = { aborted: false };
    const timer = setTimeout(() => {
      deadline.aborted = true;
      wire.abort();
      waits.abort();
    }, this.#timeoutMs);
    const onCallerAbort = () => waits.abort();
    caller?.addEventListener('abort', onCallerAbort, { once: true });
    const call: Call<Schema> = {
      operation,
      path,
      auth: options.auth ?? this.#auth,
      onAttempt: options.onAttempt,
      onBodyBytes: options.onBodyBytes,
      signal: wire.signal,
      waits: waits.signal,
      caller,
      deadline,
      startedAt: performance.now(),
      holdKey: holdKeyOf(operation, path),
    };
    try {
      // Before the breaker: a call that Atlas's pause stops is neither a probe nor a failure.
      await this.#respectHold(call);
      const body = await this.#breaker.execute(() => this.#withRetries(call));
      if (caller?.aborted) throw new AtlasAbortedError(operation.name);
      return body;
    } catch (error) {
      // The caller left while the call ran to its end: the breaker has counted the outcome, nobody reads it.
      if (caller?.aborted) throw error instanceof AtlasAbortedError ? error : new AtlasAbortedError(operation.name);
      if (error instanceof BrokenCircuitError) throw new AtlasCircuitOpenError(operation.name, this.#cooldownMs);
      throw error;
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    }
  }

  /** Closes the pool's connections; in-flight calls finish first. */
  async close(): Promise<void> {
    await this.#pool.close();
  }

  async #withRetries<Schema extends z.ZodType>(call: Call<Schema>): Promise<z.infer<Schema>> {
    const { operation, startedAt } = call;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const body = await this.#gatedAttempt(call);
        this.#budget.recordSuccess();
        return body;
      } catch (error) {
        this.#noteRateLimit(call, error);
        // Nobody is left to retry for.
        if (call.caller?.aborted) throw error;
        const remainingMs = this.#timeoutMs - (performance.now() - startedAt);
        const decision = decideRetry(this.#retry, attempt, error, remainingMs);
        if (!decision.retry) throw error;
        if (!this.#budget.tryRetry()) {
          this.#logger?.warn({ operation: operation.name, attempt }, 'Atlas retry budget spent: not retrying');
          throw error;
        }
        this.#logger?.warn(
          {
            operation: operation.name,
            attempt: attempt + 1,
            maxAttempts: this.#retry.maxAttempts,
            reason: decision.reason,
            delayMs: decision.delayMs,
          },
          'retrying Atlas call',
        );
        this.#onRetry?.({ operation: operation.name, attempt: attempt + 1, reason: decision.reason });
        await this.#pause(decision.delayMs, call);
        await this.#respectHold(call);
      }
    }
  }

  /** Sleeps `ms`, unless the caller leaves or the deadline passes first. */
  async #pause(ms: number, call: Call<z.ZodType>): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: call.waits });
    } catch {
      throw call.deadline.aborted
        ? new AtlasTimeoutError(call.operation.name, this.#timeoutMs, 'total')
        : new AtlasAbortedError(call.operation.name);
    }
  }

  /**
   * Keeps the call off Atlas while its endpoint family is paused: waits out a pause no longer than
   * a `Retry-After` the call would honour itself (and ending before its deadline), else fails fast.
   */
  async #respectHold(call: Call<z.ZodType>): Promise<void> {
    for (let heldMs = this.#hold.remainingMs(call.holdKey); heldMs > 0; heldMs = this.#hold.remainingMs(call.holdKey)) {
      const remainingMs = this.#timeoutMs - (performance.now() - call.startedAt);
      if (heldMs > this.#retry.retryAfterMaxMs || heldMs >= remainingMs - 50) {
        throw new AtlasRateLimitHoldError(call.operation.name, Math.ceil(heldMs / 1000));
      }
      await this.#pause(heldMs, call);
    }
  }

  /** A 429 with `Retry-After` pauses the call's endpoint family for that long (capped), for every call. */
  #noteRateLimit(call: Call<z.ZodType>, error: unknown): void {
    if (!(error instanceof AtlasResponseError) || error.status !== 429 || !error.retryAfterSeconds) return;
    const holdMs = Math.min(error.retryAfterSeconds * 1000, this.#holdMaxMs);
    if (holdMs <= 0) return;
    this.#hold.hold(call.holdKey, holdMs);
    this.#logger?.warn(
      { operation: call.operation.name, hold: call.holdKey, holdMs, retryAfterSeconds: error.retryAfterSeconds },
      'Atlas rate limit: holding calls to this endpoint family',
    );
  }

  /** One attempt once the dispatch gate lets it through; waiting there ends when the caller leaves. */
  async #gatedAttempt<Schema extends z.ZodType>(call: Call<Schema>): Promise<z.infer<Schema>> {
    try {
      await this.#gate.acquire(call.waits);
    } catch {
      throw call.deadline.aborted
        ? new AtlasTimeoutError(call.operation.name, this.#timeoutMs, 'total')
        : new AtlasAbortedError(call.operation.name);
    }
    try {
      return await this.#attempt(call);
    } finally {
      this.#gate.release();
    }
  }

  /** One HTTP exchange (plus one more when the credentials needed refreshing). */
  async #attempt<Schema extends z.ZodType>(call: Call<Schema>): Promise<z.infer<Schema>> {
    const { operation, path, auth, signal, caller, deadline, onAttempt, onBodyBytes } = call;
    let authRetried = false;
    for (;;) {
      const authorization = await auth.authorize('GET', path);
      const started = performance.now();
      let status: number | undefined;
      let authInformed = false;
      try {
        const response = await this.#pool.request({
          method: 'GET',
          path,
          signal,
          headers: {
            accept: operation.accept,
            'user-agent': this.#userAgent,
            ...(authorization === undefined ? {} : { authorization }),
          },
        });
        status = response.statusCode;
        const ok = status >= 200 && status < 300;
        const body = ok
          ? await readBody(operation.name, response.body, this.#maxBodyBytes, onBodyBytes)
          : await readErrorBody(response.body, onBodyBytes);
        const header = (name: string) => firstHeader(response.headers[name]);
        const retry = auth.onResponse(status, header('www-authenticate'), authorization);
        authInformed = true;
        if (status === 401 && retry && !authRetried && !caller?.aborted) {
          authRetried = true;
          continue;
        }
        if (ok) return parseBody(operation, body, header('content-type'));
        throw new AtlasResponseError(
          operation.name,
          status,
          parseErrorEnvelope(body, header('x-error-code')),
          parseRetryAfter(header('retry-after')),
        );
      } catch (error) {
        if (!authInformed) auth.onResponse(undefined, undefined, authorization);
        throw this.#classify(operation.name, error, deadline, status === undefined);
      } finally {
        const event = { operation: operation.name, status, durationMs: performance.now() - started };
        this.#onAttempt?.(event);
        onAttempt?.(event);
      }
    }
  }

  /** Turns whatever an attempt threw into an AtlasError; our own typed errors pass through. */
  #classify(
    operation: string,
    error: unknown,
    deadline: { readonly aborted: boolean },
    beforeResponse: boolean,
  ): unknown {
    if (error instanceof AtlasError) return error;
    if (deadline.aborted) return new AtlasTimeoutError(operation, this.#timeoutMs, 'total');
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string' || !/^[A-Z_]{1,40}$/.test(code)) return error;
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return new AtlasTimeoutError(operation, this.#connectTimeoutMs, 'connect');
    if (code === 'UND_ERR_HEADERS_TIMEOUT') return new AtlasTimeoutError(operation, this.#headersTimeoutMs, 'headers');
    if (code === 'UND_ERR_BODY_TIMEOUT') return new AtlasTimeoutError(operation, this.#timeoutMs, 'total');
    return new AtlasNetworkError(operation, code, beforeResponse);
  }
}
