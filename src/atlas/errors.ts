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
    /** The deadline passed while the call waited (its turn, a back-off, a pause): this attempt was never sent. */
    readonly whileWaiting = false,
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
 * This service's own share of Atlas's rate limit for the endpoint family and project
 * (ATLAS_RATE_LIMIT_PER_MINUTE, shared by the fleet) has no call free within ATLAS_RATE_WAIT_MS: the
 * call failed fast, without reaching Atlas.
 */
export class AtlasRateBudgetError extends AtlasError {
  override readonly name = 'AtlasRateBudgetError';
  constructor(
    readonly operation: string,
    /** Whole seconds until the budget has a call free (at least 1). */
    readonly retryAfterSeconds: number,
  ) {
    super(
      `Atlas ${operation} not attempted: the rate budget of this endpoint family is spent for ${retryAfterSeconds} s`,
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

/**
 * A write may or may not have taken effect: its request left for Atlas and no answer says what
 * became of it (the connection dropped, a deadline passed, a gateway or Atlas failed with 5xx, or
 * the answer was unreadable). It is never sent again: Atlas has no idempotency key, so a second POST
 * could start a second restore. The caller checks (lists the restore jobs or snapshots) instead.
 */
export class AtlasOutcomeUnknownError extends AtlasError {
  override readonly name = 'AtlasOutcomeUnknownError';
  constructor(
    readonly operation: string,
    /** What happened after the request was sent, secret-free, e.g. `connection error (ECONNRESET)`. */
    readonly happened: string,
    /** The failure itself. */
    override readonly cause: AtlasError,
  ) {
    super(`Atlas ${operation}: the outcome is unknown (${happened}); it was not sent again`);
  }
}
