import type { AtlasErrorEnvelope } from './error-envelope.js';

/** Base of every failure of an upstream Atlas call; knows HTTP, never GraphQL. */
export abstract class AtlasError extends Error {
  /** The Atlas operation that failed, e.g. `getServerlessBackupSnapshot`. */
  abstract readonly operation: string;
}

/** Atlas answered with an HTTP error status; the envelope fields are copied when the body had them. */
export class AtlasResponseError extends AtlasError {
  override readonly name = 'AtlasResponseError';
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly envelope: AtlasErrorEnvelope,
    /** Seconds from a `Retry-After` header, when Atlas sent one. */
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(`Atlas ${operation} answered HTTP ${status}${envelope.errorCode ? ` ${envelope.errorCode}` : ''}`);
  }
}

/**
 * A deadline passed: `connect` or `headers` of one attempt (worth another attempt), or the
 * `total` deadline of the call.
 */
export class AtlasTimeoutError extends AtlasError {
  override readonly name = 'AtlasTimeoutError';
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
    readonly phase: 'connect' | 'headers' | 'total',
  ) {
    super(`Atlas ${operation} did not answer within ${timeoutMs} ms (${phase} deadline)`);
  }
}

/** The connection failed or was reset before a full response arrived. */
export class AtlasNetworkError extends AtlasError {
  override readonly name = 'AtlasNetworkError';
  constructor(
    readonly operation: string,
    /** A short, secret-free cause such as `ECONNRESET` or `UND_ERR_SOCKET`. */
    readonly causeCode: string,
    /** True when no response had started: the request may not have reached Atlas at all. */
    readonly beforeResponse: boolean,
  ) {
    super(`Atlas ${operation} failed: connection error (${causeCode}${beforeResponse ? '' : ', mid-response'})`);
  }
}

/** The circuit breaker is open after a burst of failures: the call failed fast, without reaching Atlas. */
export class AtlasCircuitOpenError extends AtlasError {
  override readonly name = 'AtlasCircuitOpenError';
  constructor(
    readonly operation: string,
    readonly cooldownMs: number,
  ) {
    super(`Atlas ${operation} not attempted: too many recent failures, calls are paused for up to ${cooldownMs} ms`);
  }
}

/**
 * Atlas asked for a pause (a 429 with `Retry-After`) for this endpoint family and project, longer
 * than a call may wait: the call failed fast, without reaching Atlas.
 */
export class AtlasRateLimitHoldError extends AtlasError {
  override readonly name = 'AtlasRateLimitHoldError';
  constructor(
    readonly operation: string,
    /** Whole seconds left of the pause. */
    readonly retryAfterSeconds: number,
  ) {
    super(
      `Atlas ${operation} not attempted: Atlas rate-limited this endpoint family, calls are held for ${retryAfterSeconds} s`,
    );
  }
}

/**
 * No usable credentials: `missing` (forward mode and the caller sent no bearer token), `rejected`
 * (the token endpoint refused the client id/secret) or `unavailable` (the token endpoint failed, or
 * Atlas asked for a Digest algorithm this server cannot sign with).
 */
export class AtlasCredentialsError extends AtlasError {
  override readonly name = 'AtlasCredentialsError';
  constructor(
    readonly operation: string,
    readonly reason: 'missing' | 'rejected' | 'unavailable',
    /** A secret-free explanation, e.g. the OAuth error code or the token endpoint's status. */
    readonly explanation: string,
  ) {
    super(`Atlas ${operation}: ${explanation}`);
  }
}

/** The caller went away (its GraphQL request was aborted), so the upstream call was cancelled. */
export class AtlasAbortedError extends AtlasError {
  override readonly name = 'AtlasAbortedError';
  constructor(readonly operation: string) {
    super(`Atlas ${operation} was cancelled because the client went away`);
  }
}

/** Atlas answered 2xx with a body that is not the documented shape. */
export class AtlasInvalidBodyError extends AtlasError {
  override readonly name = 'AtlasInvalidBodyError';
  constructor(
    readonly operation: string,
    /** Where the body departs from the schema, e.g. `status: expected string`; never the body itself. */
    readonly problems: string[],
  ) {
    super(`Atlas ${operation} returned a body that is not the documented shape`);
  }
}

/**
 * Neither API holds the resource: the Flex API said the name is not a Flex cluster and the retired
 * serverless API is gone or does not know it either. `flexAnswer` is the Flex API's real answer.
 */
export class AtlasNotFoundError extends AtlasError {
  override readonly name = 'AtlasNotFoundError';
  constructor(
    readonly operation: string,
    readonly flexAnswer: AtlasResponseError,
    readonly explanation: string,
  ) {
    super(`Atlas ${operation}: ${explanation}`);
  }
}
