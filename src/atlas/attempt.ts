import type { Pool } from 'undici';
import type { z } from 'zod';
import { holdSentCredential } from './auth.js';
import { waitEndedError, type Call } from './call.js';
import { endAttemptSpan, startAttemptSpan, type AttemptTrace, type CallTracing } from './call-tracing.js';
import type { AtlasAttemptEvent } from './client.js';
import type { DispatchGate } from './dispatch-gate.js';
import { parseErrorEnvelope } from './error-envelope.js';
import type { RateBudgetGate } from './rate-budget-gate.js';
import { AtlasError, AtlasNetworkError, AtlasResponseError, AtlasTimeoutError } from './errors.js';
import { firstHeader, parseBody, readBody, readErrorBody } from './response-body.js';
import { parseRetryAfter } from './retry-after.js';

/** What every attempt shares, process-wide. */
export interface AttemptSettings {
  pool: Pool;
  /** Calls on the wire at once; the rest wait their turn. */
  gate: DispatchGate;
  userAgent: string;
  maxBodyBytes: number;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  /** Reads each answer's `RateLimit-Remaining`; undefined when the rate budget is off. */
  rateBudget: RateBudgetGate | undefined;
  /** Told about every finished attempt, besides the call's own `onAttempt`. */
  onAttempt: ((event: AtlasAttemptEvent) => void) | undefined;
  /** Spans for the attempts, when tracing. */
  tracing: CallTracing | undefined;
}

/**
 * One attempt of a call: a turn at the dispatch gate, then one HTTP exchange with its credentials
 * handshake (one more exchange when the credentials needed refreshing), ending in the parsed body
 * or an AtlasError.
 */
export class AttemptRunner {
  constructor(private readonly settings: AttemptSettings) {}

  /** One attempt once the dispatch gate lets it through; waiting there ends when the caller leaves. */
  async run<Schema extends z.ZodType>(call: Call<Schema>): Promise<z.infer<Schema>> {
    const { tracing } = this.settings;
    const attempt = tracing && startAttemptSpan(tracing, call);
    if (!attempt) return this.#run(call, undefined);
    try {
      const body = await this.#run(call, attempt);
      endAttemptSpan(attempt);
      return body;
    } catch (error) {
      endAttemptSpan(attempt, error);
      throw error;
    }
  }

  async #run<Schema extends z.ZodType>(call: Call<Schema>, trace: AttemptTrace | undefined): Promise<z.infer<Schema>> {
    const { gate } = this.settings;
    try {
      await gate.acquire(call.waits);
    } catch {
      throw waitEndedError(call);
    }
    try {
      return await this.#exchange(call, trace);
    } finally {
      gate.release();
    }
  }

  /** One HTTP exchange (plus one more when the credentials needed refreshing). */
  async #exchange<Schema extends z.ZodType>(
    call: Call<Schema>,
    trace: AttemptTrace | undefined,
  ): Promise<z.infer<Schema>> {
    const { operation, path, auth, signal, caller, onAttempt, onBodyBytes } = call;
    const { pool, userAgent, maxBodyBytes } = this.settings;
    let authRetried = false;
    for (;;) {
      const authorization = await auth.authorize(operation.method, path);
      // Scrubbed from Atlas text and logs while the attempt lasts: an upstream may echo it back.
      const credential = holdSentCredential(authorization);
      const started = performance.now();
      let status: number | undefined;
      let authInformed = false;
      try {
        const response = await pool.request({
          method: operation.method,
          path,
          signal,
          headers: {
            accept: operation.accept,
            'user-agent': userAgent,
            ...(call.body === undefined ? {} : { 'content-type': operation.accept }),
            ...(authorization === undefined ? {} : { authorization }),
            ...trace?.headers,
          },
          ...(call.body === undefined ? {} : { body: call.body }),
        });
        status = response.statusCode;
        if (trace) trace.status = status;
        const ok = status >= 200 && status < 300;
        const body = ok
          ? await readBody(operation.name, response.body, maxBodyBytes, onBodyBytes)
          : await readErrorBody(response.body, onBodyBytes);
        const header = (name: string) => firstHeader(response.headers[name]);
        this.settings.rateBudget?.observe(call, header('ratelimit-remaining'), header('ratelimit-limit'));
        const retry = auth.onResponse(status, header('www-authenticate'), authorization);
        authInformed = true;
        if (status === 401 && retry && !authRetried && !caller?.aborted) {
          authRetried = true;
          continue;
        }
        // The deletes answer 204 with a media type and no body (README §10.6 item 2).
        if (status === 204 && operation.method === 'DELETE') return undefined as z.infer<Schema>;
        if (ok) {
          const parsed: z.infer<Schema> = parseBody(operation, body, header('content-type'), path);
          call.onBody?.(body);
          return parsed;
        }
        throw new AtlasResponseError(
          operation.name,
          status,
          parseErrorEnvelope(body, header('x-error-code')),
          parseRetryAfter(header('retry-after')),
        );
      } catch (error) {
        if (!authInformed) auth.onResponse(undefined, undefined, authorization);
        throw this.#classify(call, error, status === undefined);
      } finally {
        credential?.forget();
        const event = { operation: operation.name, status, durationMs: performance.now() - started };
        this.settings.onAttempt?.(event);
        onAttempt?.(event);
      }
    }
  }

  /** Turns whatever an attempt threw into an AtlasError; our own typed errors pass through. */
  #classify(call: Call<z.ZodType>, error: unknown, beforeResponse: boolean): unknown {
    const operation = call.operation.name;
    if (error instanceof AtlasError) return error;
    if (call.deadline.aborted) return new AtlasTimeoutError(operation, call.timeoutMs, 'total');
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string' || !/^[A-Z_]{1,40}$/.test(code)) return error;
    const { connectTimeoutMs, headersTimeoutMs } = this.settings;
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return new AtlasTimeoutError(operation, connectTimeoutMs, 'connect');
    if (code === 'UND_ERR_HEADERS_TIMEOUT') return new AtlasTimeoutError(operation, headersTimeoutMs, 'headers');
    if (code === 'UND_ERR_BODY_TIMEOUT') return new AtlasTimeoutError(operation, call.timeoutMs, 'total');
    return new AtlasNetworkError(operation, code, beforeResponse);
  }
}
