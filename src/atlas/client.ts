import { Pool } from 'undici';
import type { z } from 'zod';
import type { AtlasAuth } from './auth.js';
import { parseErrorEnvelope } from './error-envelope.js';
import {
  AtlasAbortedError,
  AtlasInvalidBodyError,
  AtlasNetworkError,
  AtlasResponseError,
  AtlasTimeoutError,
} from './errors.js';
import type { AtlasOperation } from './operation.js';
import { parseRetryAfter } from './retry-after.js';

/** Options of the one client a process keeps per Atlas origin. */
export interface AtlasClientOptions {
  /** The Atlas origin, e.g. https://cloud.mongodb.com. */
  baseUrl: URL;
  auth: AtlasAuth;
  /** Total deadline of one call (all attempts, body included), in ms. @default 10000 */
  timeoutMs?: number;
  /** Sent as `User-Agent`. */
  userAgent: string;
  /** Keep-alive connections to the origin. @default 128 */
  connections?: number;
  /** Largest response body accepted, in bytes. @default 8 MiB */
  maxBodyBytes?: number;
  /** Told about every finished attempt: for logs, tests and (later) metrics. */
  onAttempt?: (event: AtlasAttemptEvent) => void;
}

/** One HTTP exchange with Atlas, reported after it ends. */
export interface AtlasAttemptEvent {
  operation: string;
  /** HTTP status, or undefined when the attempt failed before a response. */
  status: number | undefined;
  durationMs: number;
}

/**
 * The Atlas Administration API over one keep-alive undici pool: versioned Accept, credentials,
 * a total deadline per call, error envelopes turned into typed errors and 200 bodies checked with zod.
 */
export class AtlasClient {
  readonly #pool: Pool;
  readonly #auth: AtlasAuth;
  readonly #timeoutMs: number;
  readonly #userAgent: string;
  readonly #maxBodyBytes: number;
  readonly #onAttempt: ((event: AtlasAttemptEvent) => void) | undefined;

  constructor(options: AtlasClientOptions) {
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#pool = new Pool(options.baseUrl.origin, {
      connections: options.connections ?? 128,
      keepAliveTimeout: 30_000,
      headersTimeout: this.#timeoutMs,
      bodyTimeout: this.#timeoutMs,
    });
    this.#auth = options.auth;
    this.#userAgent = options.userAgent;
    this.#maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
    this.#onAttempt = options.onAttempt;
  }

  /** GETs `path` (already encoded) and returns the body parsed with the operation's schema. */
  async get<Schema extends z.ZodType>(
    operation: AtlasOperation<Schema>,
    path: string,
    signal?: AbortSignal,
  ): Promise<z.infer<Schema>> {
    const deadline = AbortSignal.timeout(this.#timeoutMs);
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    let authRetried = false;
    for (;;) {
      const authorization = await this.#auth.authorize('GET', path);
      const started = performance.now();
      let status: number | undefined;
      let authInformed = false;
      try {
        const response = await this.#pool.request({
          method: 'GET',
          path,
          signal: combined,
          headers: {
            accept: operation.accept,
            'user-agent': this.#userAgent,
            ...(authorization === undefined ? {} : { authorization }),
          },
        });
        status = response.statusCode;
        const body = await this.#readBody(operation.name, response.body);
        const header = (name: string) => firstHeader(response.headers[name]);
        const retry = this.#auth.onResponse(status, header('www-authenticate'), authorization);
        authInformed = true;
        if (status === 401 && retry && !authRetried) {
          authRetried = true;
          continue;
        }
        if (status >= 200 && status < 300) return parseBody(operation, body);
        throw new AtlasResponseError(
          operation.name,
          status,
          parseErrorEnvelope(body, header('x-error-code')),
          parseRetryAfter(header('retry-after')),
        );
      } catch (error) {
        if (!authInformed) this.#auth.onResponse(undefined, undefined, authorization);
        throw this.#classify(operation.name, error, signal, deadline);
      } finally {
        this.#onAttempt?.({ operation: operation.name, status, durationMs: performance.now() - started });
      }
    }
  }

  /** Closes the pool's connections; in-flight calls finish first. */
  async close(): Promise<void> {
    await this.#pool.close();
  }

  async #readBody(operation: string, body: AsyncIterable<Buffer>): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > this.#maxBodyBytes) {
        throw new AtlasInvalidBodyError(operation, [`body is larger than ${this.#maxBodyBytes} bytes`]);
      }
      chunks.push(chunk);
    }
    return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
  }

  /** Turns whatever an attempt threw into an AtlasError; our own typed errors pass through. */
  #classify(operation: string, error: unknown, caller: AbortSignal | undefined, deadline: AbortSignal): unknown {
    if (error instanceof AtlasResponseError || error instanceof AtlasInvalidBodyError) return error;
    if (deadline.aborted) return new AtlasTimeoutError(operation, this.#timeoutMs);
    if (caller?.aborted) return new AtlasAbortedError(operation);
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code)) {
      if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
        return new AtlasTimeoutError(operation, this.#timeoutMs);
      }
      return new AtlasNetworkError(operation, code);
    }
    return error;
  }
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseBody<Schema extends z.ZodType>(operation: AtlasOperation<Schema>, body: string): z.infer<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new AtlasInvalidBodyError(operation.name, ['body is not JSON']);
  }
  const parsed = operation.schema.safeParse(json);
  if (!parsed.success) {
    throw new AtlasInvalidBodyError(
      operation.name,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return parsed.data;
}
