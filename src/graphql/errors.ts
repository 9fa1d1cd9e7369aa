import { GraphQLError } from 'graphql';
import {
  AtlasAbortedError,
  AtlasCircuitOpenError,
  AtlasCredentialsError,
  AtlasError,
  AtlasInvalidBodyError,
  AtlasNetworkError,
  AtlasNotFoundError,
  AtlasRateLimitHoldError,
  AtlasResponseError,
  AtlasTimeoutError,
} from '../atlas/errors.js';
import { UpstreamBudgetError } from '../backups/loaders.js';
import { ServerBusyError, UpstreamBytesError } from '../backups/upstream-memory.js';

/** The stable `extensions.code` values of this API. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'UPSTREAM_ERROR'
  | 'UPSTREAM_TIMEOUT'
  | 'QUERY_TOO_EXPENSIVE'
  | 'SERVER_BUSY'
  | 'REQUEST_CANCELLED';

/** What `extensions.atlas` carries: the Atlas error envelope, copied field by field. */
export interface AtlasErrorExtension {
  status: number;
  errorCode: string | null;
  reason: string | null;
  detail: string | null;
}

/** A GraphQL error with a stable `extensions.code`; Yoga passes these through unmasked. */
export class TypedGraphQLError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extensions: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...extensions } });
    this.name = 'TypedGraphQLError';
  }
}

/** An argument failed validation; no upstream call was made. */
export class BadUserInputError extends TypedGraphQLError {
  constructor(argument: string, message: string) {
    super('BAD_USER_INPUT', `Invalid argument "${argument}": ${message}.`, { argument });
  }
}

/** The HTTP-status half of the mapping table: which code each Atlas status becomes. */
export const codeForAtlasStatus = (status: number): ErrorCode => {
  switch (status) {
    case 400:
      return 'BAD_USER_INPUT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 429:
      return 'RATE_LIMITED';
    default:
      // 406/410 mean our request's version is wrong or retired; 5xx and the rest are Atlas's problem.
      return 'UPSTREAM_ERROR';
  }
};

const MESSAGES: Record<ErrorCode, string> = {
  BAD_USER_INPUT: 'Atlas rejected the request as invalid',
  UNAUTHENTICATED: 'Atlas did not accept the configured credentials',
  FORBIDDEN: 'The Atlas credentials lack permission for this resource',
  NOT_FOUND: 'Atlas has no such resource',
  CONFLICT: 'Atlas reported a conflict',
  RATE_LIMITED: 'Atlas rate limit reached',
  UPSTREAM_ERROR: 'Atlas failed to answer',
  UPSTREAM_TIMEOUT: 'Atlas did not answer in time',
  QUERY_TOO_EXPENSIVE: 'This request asks for too much',
  SERVER_BUSY: 'The service is busy',
  REQUEST_CANCELLED: 'The request was cancelled',
};

/** Builds `extensions.atlas` from the envelope only: never from raw upstream text or headers. */
function atlasExtension(error: AtlasResponseError): AtlasErrorExtension {
  const { errorCode, reason, detail } = error.envelope;
  return { status: error.status, errorCode: errorCode ?? null, reason: reason ?? null, detail: detail ?? null };
}

/**
 * The one translation from upstream failures to GraphQL errors. Atlas errors become typed errors;
 * typed errors pass through; anything else is returned unchanged so that Yoga masks it.
 */
export function toGraphQLError(error: unknown, options: { forbiddenHint?: string } = {}): unknown {
  if (error instanceof UpstreamBudgetError) {
    return new TypedGraphQLError('QUERY_TOO_EXPENSIVE', `${MESSAGES.QUERY_TOO_EXPENSIVE}: ${error.message}.`, {
      maxCalls: error.maxCalls,
    });
  }
  if (error instanceof UpstreamBytesError) {
    return new TypedGraphQLError('QUERY_TOO_EXPENSIVE', `${MESSAGES.QUERY_TOO_EXPENSIVE}: ${error.message}.`, {
      maxBytes: error.maxBytes,
    });
  }
  if (error instanceof ServerBusyError) {
    return new TypedGraphQLError('SERVER_BUSY', `${MESSAGES.SERVER_BUSY}: ${error.message}.`, { retryAfterSeconds: 1 });
  }
  if (error instanceof GraphQLError || !(error instanceof AtlasError)) return error;
  if (error instanceof AtlasResponseError) {
    const code = codeForAtlasStatus(error.status);
    const atlas = atlasExtension(error);
    const hint = code === 'FORBIDDEN' ? options.forbiddenHint : undefined;
    const message = `${MESSAGES[code]} (HTTP ${error.status}${atlas.errorCode ? ` ${atlas.errorCode}` : ''})${atlas.detail ? `: ${atlas.detail}` : ''}${hint ? ` ${hint}` : ''}`;
    return new TypedGraphQLError(code, message, {
      atlas,
      ...(hint ? { hint } : {}),
      ...(code === 'RATE_LIMITED' && error.retryAfterSeconds !== undefined
        ? { retryAfterSeconds: error.retryAfterSeconds }
        : {}),
    });
  }
  if (error instanceof AtlasNotFoundError) {
    return new TypedGraphQLError('NOT_FOUND', `${MESSAGES.NOT_FOUND}: ${error.explanation}`, {
      atlas: atlasExtension(error.flexAnswer),
    });
  }
  if (error instanceof AtlasTimeoutError) {
    return new TypedGraphQLError(
      'UPSTREAM_TIMEOUT',
      `${MESSAGES.UPSTREAM_TIMEOUT} (${error.phase} deadline of ${error.timeoutMs} ms)`,
    );
  }
  if (error instanceof AtlasRateLimitHoldError) {
    return new TypedGraphQLError(
      'RATE_LIMITED',
      `${MESSAGES.RATE_LIMITED}: Atlas asked for a pause, calls to it are held for ${error.retryAfterSeconds} s`,
      {
        retryAfterSeconds: error.retryAfterSeconds,
      },
    );
  }
  if (error instanceof AtlasCircuitOpenError) {
    return new TypedGraphQLError(
      'UPSTREAM_ERROR',
      `${MESSAGES.UPSTREAM_ERROR}: too many recent failures, calls are paused (circuit open)`,
      {
        retryAfterSeconds: Math.ceil(error.cooldownMs / 1000),
      },
    );
  }
  if (error instanceof AtlasCredentialsError) {
    const code = error.reason === 'unavailable' ? 'UPSTREAM_ERROR' : 'UNAUTHENTICATED';
    return new TypedGraphQLError(
      code,
      `${code === 'UNAUTHENTICATED' ? 'Not authenticated to Atlas' : MESSAGES.UPSTREAM_ERROR}: ${error.explanation}`,
    );
  }
  if (error instanceof AtlasInvalidBodyError) {
    return new TypedGraphQLError(
      'UPSTREAM_ERROR',
      `${MESSAGES.UPSTREAM_ERROR}: the response body is not the documented shape`,
      {
        problems: error.problems.slice(0, 10),
      },
    );
  }
  if (error instanceof AtlasNetworkError) {
    const when = error.beforeResponse ? '' : ', mid-response';
    return new TypedGraphQLError(
      'UPSTREAM_ERROR',
      `${MESSAGES.UPSTREAM_ERROR}: connection error (${error.causeCode}${when})`,
    );
  }
  if (error instanceof AtlasAbortedError) {
    // The client went away: nobody will read this, but it must not count as an Atlas failure.
    return new TypedGraphQLError('REQUEST_CANCELLED', `${MESSAGES.REQUEST_CANCELLED}.`);
  }
  return error;
}
