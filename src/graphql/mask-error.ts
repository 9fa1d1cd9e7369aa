import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';
import type { ErrorCode } from './error-codes.js';
import { toGraphQLError, TypedGraphQLError } from './errors.js';

/** The typed error a domain error becomes, or undefined when toGraphQLError does not know it. */
function translated(error: unknown): TypedGraphQLError | undefined {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const typed = toGraphQLError(original);
  return typed instanceof TypedGraphQLError && typed !== original ? typed : undefined;
}

/**
 * Yoga's `maskedErrors.maskError`: the one place anything thrown becomes what the caller reads.
 * A domain error (Atlas, budget, validation, cancellation) becomes its typed error, at the path and
 * locations of the GraphQL error graphql-js wrapped it in; typed errors pass; anything else is
 * masked by Yoga ("Unexpected error."). Every error leaves with an `extensions.code` (see codeless)
 * and none with `extensions.originalError` (Yoga puts the JSON parser's message there, which quotes
 * the request body back).
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const typed = translated(error);
  if (typed) return error instanceof GraphQLError ? typed.at(error) : typed;
  const masked = yogaMaskError(error, message, isDev);
  if (!(masked instanceof GraphQLError)) return masked;
  const { originalError: dropped, ...extensions } = masked.extensions as Record<string, unknown>;
  const code = typeof extensions.code === 'string' ? extensions.code : codeless(masked);
  if (code === extensions.code && dropped === undefined) return masked;
  // Yoga answers application/json with 400 (not 200) for such errors by the presence of
  // originalError: keep that status, without the text, by making the HTTP status unconditional.
  const http = extensions.http as { status?: number; spec?: boolean } | undefined;
  if (dropped !== undefined && http?.spec) extensions.http = { ...http, spec: false };
  return new GraphQLError(masked.message, {
    ...(masked.nodes ? { nodes: masked.nodes } : {}),
    ...(masked.path ? { path: masked.path } : {}),
    ...(masked.originalError ? { originalError: masked.originalError } : {}),
    extensions: { ...extensions, code },
  });
}

/**
 * Whether an error Yoga logs is one the translator gives a code: an outcome the caller is told
 * about (Atlas said 404, the client went away), not a fault of this server, so not an error-level line.
 */
export function isTranslatedError(error: unknown): boolean {
  return translated(error) !== undefined;
}

/**
 * The code of an error graphql-js or Yoga raised without one: variable coercion is the caller's
 * input (`BAD_USER_INPUT`); an operation type the schema does not have is a request that cannot be
 * valid (`GRAPHQL_VALIDATION_FAILED`, as Apollo Server calls it); Yoga's request checks (CSRF) are
 * `BAD_REQUEST`; anything else is ours (`INTERNAL_SERVER_ERROR`).
 */
function codeless(error: GraphQLError): ErrorCode {
  if (error.message.startsWith('Variable "$')) return 'BAD_USER_INPUT';
  if (error.message.startsWith('Schema is not configured to execute')) return 'GRAPHQL_VALIDATION_FAILED';
  if (error.message.startsWith('Required CSRF header')) return 'BAD_REQUEST';
  return 'INTERNAL_SERVER_ERROR';
}
