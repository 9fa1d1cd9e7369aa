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

/** The call's deadline passed before Atlas answered in full. */
export class AtlasTimeoutError extends AtlasError {
  override readonly name = 'AtlasTimeoutError';
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`Atlas ${operation} did not answer within ${timeoutMs} ms`);
  }
}

/** The connection failed or was reset before a full response arrived. */
export class AtlasNetworkError extends AtlasError {
  override readonly name = 'AtlasNetworkError';
  constructor(
    readonly operation: string,
    /** A short, secret-free cause such as `ECONNRESET` or `UND_ERR_SOCKET`. */
    readonly causeCode: string,
  ) {
    super(`Atlas ${operation} failed: connection error (${causeCode})`);
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
