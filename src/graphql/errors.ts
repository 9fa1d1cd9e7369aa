import { InputValidationError } from '@pothos/plugin-validation';
import { GraphQLError, type GraphQLErrorOptions } from 'graphql';
import {
  AtlasAbortedError,
  AtlasCircuitOpenError,
  AtlasCredentialsError,
  AtlasError,
  AtlasInvalidBodyError,
  AtlasNetworkError,
  AtlasNotFoundError,
  AtlasRateBudgetError,
  AtlasRateLimitHoldError,
  AtlasResponseError,
  AtlasTimeoutError,
} from '../atlas/errors.js';
import { CallerRateLimitError } from '../backups/caller-budget.js';
import { UpstreamBudgetError } from '../backups/loaders.js';
import { ServerBusyError, UpstreamBytesError } from '../backups/upstream-memory.js';
import { SubscriptionLimitError } from '../backups/watch/watch-hub.js';
import { ERROR_CODE_OVERRIDES, fromActionError, WRITE_FORBIDDEN_HINTS } from './action-errors.js';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';
import { MissingScopeError } from './scope-auth.js';

/** What `extensions.atlas` carries: the Atlas error envelope, copied field by field. */
export interface AtlasErrorExtension {
  status: number;
  errorCode: string | null;
  reason: string | null;
  detail: string | null;
}

/** Where an error points: its nodes (locations) and path, as graphql-js takes them. */
type ErrorLocation = Pick<GraphQLErrorOptions, 'nodes' | 'source' | 'positions' | 'path'>;

/** A GraphQL error with a stable `extensions.code`; Yoga passes these through unmasked. */
export class TypedGraphQLError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extensions: Record<string, unknown> = {},
    location: ErrorLocation = {},
  ) {
    super(message, { ...location, extensions: { code, ...extensions } });
    this.name = 'TypedGraphQLError';
  }

  /** This error where `located` was raised: same path and locations (a resolver's error, as graphql-js wrapped it). */
  at(located: GraphQLError): TypedGraphQLError {
    const { code: _code, ...extensions } = this.extensions;
    const { nodes, source, positions, path } = located;
    return new TypedGraphQLError(this.code, this.message, extensions, { nodes, source, positions, path });
  }
}

/** An argument failed validation; no upstream call was made. */
export class BadUserInputError extends TypedGraphQLError {
  constructor(argument: string, message: string) {
    super('BAD_USER_INPUT', `Invalid argument "${argument}": ${message}.`, { argument });
  }
}

/** The codes that can end a request before execution: those with an HTTP status in the table. */
type RequestErrorCode = { [C in ErrorCode]: (typeof ERROR_CODES)[C] extends { http: object } ? C : never }[ErrorCode];

/** An error that ends the request (no `data`): it carries its code's HTTP status from the table. */
export function requestError(
  code: RequestErrorCode,
  message: string,
  options: Pick<GraphQLErrorOptions, 'nodes'> & { headers?: Record<string, string> } = {},
): TypedGraphQLError {
  const http = { ...ERROR_CODES[code].http, ...(options.headers ? { headers: options.headers } : {}) };
  return new TypedGraphQLError(code, message, { http }, options.nodes ? { nodes: options.nodes } : {});
}

/**
 * The one constructor of QUERY_TOO_EXPENSIVE: refused before execution (`request`: HTTP 400 under
 * graphql-response+json), or a per-request budget spent mid-execution (a field error, beside data).
 */
export function queryTooExpensive(
  message: string,
  options: { request?: boolean; nodes?: GraphQLErrorOptions['nodes']; extensions?: Record<string, unknown> } = {},
): TypedGraphQLError {
  if (options.request) return requestError('QUERY_TOO_EXPENSIVE', message, { nodes: options.nodes });
  return new TypedGraphQLError('QUERY_TOO_EXPENSIVE', message, options.extensions);
}

/** A request error as a whole response, for a plugin that answers before Yoga does (the 401 at the door). */
export function errorResponse(error: TypedGraphQLError): Response {
  const { http, ...extensions } = error.extensions as { http?: { status: number; headers?: Record<string, string> } };
  return new Response(JSON.stringify({ errors: [{ message: error.message, extensions }] }), {
    status: http?.status ?? 500,
    headers: { 'content-type': 'application/graphql-response+json; charset=utf-8', ...http?.headers },
  });
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

/** Atlas operations that need more than Project Read Only: a FORBIDDEN from them says which role. */
const SERVERLESS_RESTORE_JOBS =
  'Serverless restore jobs need the Project Owner role in Atlas (snapshots need only Project Read Only).';
const EXPORT_JOBS =
  'Export jobs need the Project Backup Manager role in Atlas (snapshots need only Project Read Only).';
const COMPLIANCE_POLICY = 'The backup compliance policy needs the Project Owner role in Atlas.';
const CLUSTER_RESTORE_JOBS =
  'Restore jobs of dedicated clusters need the Project Backup Manager role in Atlas (snapshots need only Project Read Only).';
const FORBIDDEN_HINTS: Readonly<Record<string, string>> = {
  ...WRITE_FORBIDDEN_HINTS,
  getServerlessRestoreJob: SERVERLESS_RESTORE_JOBS,
  listServerlessRestoreJobs: SERVERLESS_RESTORE_JOBS,
  getBackupRestoreJob: CLUSTER_RESTORE_JOBS,
  listBackupRestoreJobs: CLUSTER_RESTORE_JOBS,
  getBackupExport: EXPORT_JOBS,
  listBackupExports: EXPORT_JOBS,
  getCompliancePolicy: COMPLIANCE_POLICY,
};

/** Atlas error codes that say which other query answers: a hint names it, whatever the status. */
const ERROR_CODE_HINTS: Readonly<Record<string, string>> = {
  CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API:
    'The name is a Flex cluster: its backups are `flexSnapshot(s)` and `flexRestoreJob(s)`; `cluster(groupId, name)` describes either kind.',
};

/** The dedicated-cluster query to ask when routing found that a serverless name is a dedicated cluster. */
const DEDICATED_INSTEAD: Readonly<Record<string, string>> = {
  getServerlessBackupSnapshot: 'clusterSnapshot(groupId, clusterName, snapshotId)',
  listServerlessBackupSnapshots: 'clusterSnapshots(groupId, clusterName)',
  getServerlessRestoreJob: 'clusterRestoreJob(groupId, clusterName, restoreJobId)',
  listServerlessRestoreJobs: 'clusterRestoreJobs(groupId, clusterName)',
};

/**
 * NOT_FOUND from routing: neither the Flex nor the serverless API serves the name. When the Flex API
 * said the name is a non-Flex cluster, it is a dedicated one: the hint names the query that answers.
 */
function fromRoutingNotFound(error: AtlasNotFoundError): TypedGraphQLError {
  const dedicated =
    error.flexAnswer.envelope.errorCode === 'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API'
      ? DEDICATED_INSTEAD[error.operation]
      : undefined;
  const hint = dedicated && `The name is a dedicated cluster: ask \`${dedicated}\`.`;
  return new TypedGraphQLError(
    'NOT_FOUND',
    `${ERROR_CODES.NOT_FOUND.message}: ${error.explanation}${hint ? `. ${hint}` : ''}`,
    { atlas: atlasExtension(error.flexAnswer), ...(hint ? { hint } : {}) },
  );
}

/** Builds `extensions.atlas` from the envelope only: never from raw upstream text or headers. */
function atlasExtension(error: AtlasResponseError): AtlasErrorExtension {
  const { errorCode, reason, detail } = error.envelope;
  return { status: error.status, errorCode: errorCode ?? null, reason: reason ?? null, detail: detail ?? null };
}

/** An Atlas HTTP error status as its typed error, with the envelope, the role hint and `Retry-After`. */
function fromAtlasResponse(error: AtlasResponseError): TypedGraphQLError {
  const override = ERROR_CODE_OVERRIDES[error.envelope.errorCode ?? ''];
  const code = override?.code ?? codeForAtlasStatus(error.status);
  const atlas = atlasExtension(error);
  const hint =
    override?.hint ??
    (code === 'FORBIDDEN' ? FORBIDDEN_HINTS[error.operation] : ERROR_CODE_HINTS[error.envelope.errorCode ?? '']);
  const status = `HTTP ${error.status}${atlas.errorCode ? ` ${atlas.errorCode}` : ''}`;
  const message = `${ERROR_CODES[code].message} (${status})${atlas.detail ? `: ${atlas.detail}` : ''}${hint ? ` ${hint}` : ''}`;
  const retry = code === 'RATE_LIMITED' && error.retryAfterSeconds !== undefined;
  return new TypedGraphQLError(code, message, {
    atlas,
    ...(hint ? { hint } : {}),
    ...(retry ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
  });
}

/** REQUEST_CANCELLED: the client went away, so its fields were cancelled (an Atlas call's or a queued task's). */
const requestCancelled = () => new TypedGraphQLError('REQUEST_CANCELLED', `${ERROR_CODES.REQUEST_CANCELLED.message}.`);

/** Every other failure of an Atlas call as its typed error. */
function fromAtlas(error: AtlasError): TypedGraphQLError | AtlasError {
  const upstream = ERROR_CODES.UPSTREAM_ERROR.message;
  if (error instanceof AtlasResponseError) return fromAtlasResponse(error);
  if (error instanceof AtlasNotFoundError) return fromRoutingNotFound(error);
  if (error instanceof AtlasTimeoutError)
    return new TypedGraphQLError(
      'UPSTREAM_TIMEOUT',
      `${ERROR_CODES.UPSTREAM_TIMEOUT.message} (${error.phase} deadline of ${error.timeoutMs} ms)`,
    );
  if (error instanceof AtlasRateLimitHoldError)
    return new TypedGraphQLError(
      'RATE_LIMITED',
      `${ERROR_CODES.RATE_LIMITED.message}: Atlas asked for a pause, calls to it are held for ${error.retryAfterSeconds} s`,
      { retryAfterSeconds: error.retryAfterSeconds },
    );
  if (error instanceof AtlasRateBudgetError)
    return new TypedGraphQLError(
      'RATE_LIMITED',
      `${ERROR_CODES.RATE_LIMITED.message}: this service keeps within Atlas's limit and has no call to this endpoint family free for ${error.retryAfterSeconds} s (no call made)`,
      { retryAfterSeconds: error.retryAfterSeconds },
    );
  if (error instanceof AtlasCircuitOpenError)
    return new TypedGraphQLError(
      'UPSTREAM_ERROR',
      `${upstream}: too many recent failures, calls are paused (circuit open)`,
      { retryAfterSeconds: Math.ceil(error.cooldownMs / 1000) },
    );
  if (error instanceof AtlasCredentialsError) {
    const rejected = error.reason !== 'unavailable';
    const code = rejected ? 'UNAUTHENTICATED' : 'UPSTREAM_ERROR';
    return new TypedGraphQLError(code, `${rejected ? 'Not authenticated to Atlas' : upstream}: ${error.explanation}`);
  }
  if (error instanceof AtlasInvalidBodyError)
    return new TypedGraphQLError('UPSTREAM_ERROR', `${upstream}: the response body is not the documented shape`, {
      problems: error.problems.slice(0, 10),
    });
  if (error instanceof AtlasNetworkError)
    return new TypedGraphQLError(
      'UPSTREAM_ERROR',
      `${upstream}: connection error (${error.causeCode}${error.beforeResponse ? '' : ', mid-response'})`,
    );
  // The client went away: nobody will read this, but it must not count as an Atlas failure.
  if (error instanceof AtlasAbortedError) return requestCancelled();
  return error;
}

/** A field the caller's scopes do not cover: FORBIDDEN naming the scope (nothing ran for it). */
function fromMissingScope(error: MissingScopeError): TypedGraphQLError {
  const [scope] = error.needed;
  const needs =
    scope === undefined
      ? 'more scopes'
      : error.needed.length === 1
        ? `the ${scope} scope`
        : error.anyOf
          ? `one of the scopes ${error.needed.join(', ')}`
          : `the scopes ${error.needed.join(' and ')}`;
  const held = error.held.length > 0 ? error.held.join(', ') : 'none';
  return new TypedGraphQLError('FORBIDDEN', `Forbidden: this needs ${needs}; the caller holds ${held}.`, {
    scope: scope ?? null,
    heldScopes: error.held,
  });
}

/** The argument a validation issue names (its path). */
const argumentOf = (issue: InputValidationError['issues'][number] | undefined): string =>
  (issue?.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.') ||
  'arguments';

/** The first validation issue in the message; when several fields are at fault, every issue (up to 10) in `extensions.issues`. */
function fromValidation(error: InputValidationError): BadUserInputError {
  const [first] = error.issues;
  const problem = new BadUserInputError(argumentOf(first), first?.message ?? 'is invalid');
  if (new Set(error.issues.map(argumentOf)).size > 1)
    problem.extensions.issues = error.issues
      .slice(0, 10)
      .map((issue) => ({ argument: argumentOf(issue), message: issue.message }));
  return problem;
}

/**
 * The one translation of domain errors — Atlas failures, per-request budgets, argument validation,
 * missing caller scopes, cancellation — into typed GraphQL errors. GraphQL errors and anything unknown come back
 * unchanged (Yoga masks the unknown). Yoga's maskError calls it (mask-error.ts); resolvers never do.
 */
export function toGraphQLError(error: unknown): unknown {
  // The validation plugin's error is a GraphQLError without a code: ours is BAD_USER_INPUT.
  if (error instanceof InputValidationError) return fromValidation(error);
  if (error instanceof MissingScopeError) return fromMissingScope(error);
  if (error instanceof GraphQLError) return error;
  const action = fromActionError(error);
  if (action) return new TypedGraphQLError(action.code, action.message, action.extensions);
  if (error instanceof AtlasError) return fromAtlas(error);
  const tooMuch = ERROR_CODES.QUERY_TOO_EXPENSIVE.message;
  if (error instanceof UpstreamBudgetError)
    return queryTooExpensive(`${tooMuch}: ${error.message}.`, { extensions: { maxCalls: error.maxCalls } });
  if (error instanceof UpstreamBytesError)
    return queryTooExpensive(`${tooMuch}: ${error.message}.`, { extensions: { maxBytes: error.maxBytes } });
  if (error instanceof CallerRateLimitError) {
    const retryAfterSeconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
    return new TypedGraphQLError(
      'RATE_LIMITED',
      `${ERROR_CODES.RATE_LIMITED.message}: ${error.message}; retry in ${retryAfterSeconds} s.`,
      { retryAfterSeconds },
    );
  }
  if (error instanceof SubscriptionLimitError)
    return new TypedGraphQLError(
      'TOO_MANY_SUBSCRIPTIONS',
      `${ERROR_CODES.TOO_MANY_SUBSCRIPTIONS.message}: ${error.message}.`,
      { limit: error.limit, max: error.max },
    );
  if (error instanceof ServerBusyError)
    return new TypedGraphQLError('SERVER_BUSY', `${ERROR_CODES.SERVER_BUSY.message}: ${error.message}.`, {
      retryAfterSeconds: 1,
    });
  // A task the request's abort signal stopped before it started (or any fetch aborted with it).
  if (error instanceof Error && error.name === 'AbortError') return requestCancelled();
  return error;
}
