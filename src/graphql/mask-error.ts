import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';
import { toGraphQLError, TypedGraphQLError } from './errors.js';
import { armorRejection } from './plugins/operation-limits.js';

/** The most characters sent or logged of a message built from caller input (a variable's value, a field name). */
const MAX_CALLER_TEXT = 300;

/** `text` cut to MAX_CALLER_TEXT characters, saying how much was left out. */
export const cutCallerText = (text: string) =>
  text.length <= MAX_CALLER_TEXT
    ? text
    : `${text.slice(0, MAX_CALLER_TEXT)}… (${text.length - MAX_CALLER_TEXT} more characters)`;

/** Codes the GraphQL tooling sets that mean one of ours. */
const CODE_ALIASES: Readonly<Record<string, ErrorCode>> = {
  // graphql-tools' executor: no operation by that name, or several and none named.
  OPERATION_RESOLUTION_FAILURE: 'BAD_REQUEST',
};

/** The typed error a domain error becomes, or undefined when toGraphQLError does not know it. */
function translated(error: unknown): TypedGraphQLError | undefined {
  if (error instanceof GraphQLError && !error.originalError) {
    const rejected = armorRejection(error);
    if (rejected) return rejected;
  }
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
  if (!(masked instanceof GraphQLError) || masked instanceof TypedGraphQLError) return masked;
  const { originalError: dropped, ...extensions } = masked.extensions as Record<string, unknown>;
  const given = typeof extensions.code === 'string' ? extensions.code : undefined;
  const code = given === undefined ? codeless(masked) : (CODE_ALIASES[given] ?? given);
  // graphql-js and Yoga quote the caller's input in their messages (a variable's value, a field name).
  const text = cutCallerText(masked.message);
  if (code === given && dropped === undefined && text === masked.message) return masked;
  // Yoga answers application/json with 400 (not 200) for such errors by the presence of
  // originalError: keep that status, without the text, by making the HTTP status unconditional.
  const http = extensions.http as { status?: number; spec?: boolean } | undefined;
  if (dropped !== undefined && http?.spec) extensions.http = { ...http, spec: false };
  return new GraphQLError(text, {
    ...(masked.nodes ? { nodes: masked.nodes } : {}),
    ...(masked.path ? { path: masked.path } : {}),
    ...(masked.originalError ? { originalError: masked.originalError } : {}),
    extensions: { ...extensions, code },
  });
}

/** Whether `error`, or an error it wraps, is a cancellation: an AbortError of any message, or REQUEST_CANCELLED. */
function isCancellation(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; depth += 1) {
    if (e.name === 'AbortError') return true;
    if (e instanceof GraphQLError && e.extensions.code === 'REQUEST_CANCELLED') return true;
    e = e instanceof GraphQLError ? e.originalError : e.cause;
  }
  return false;
}

/**
 * What to log of an error Yoga reports, when it is an outcome the caller is told about rather than a
 * fault of this server: a cancellation (the client went away), an error the translator gives a code
 * (Atlas said 404, a budget), or one graphql-js or Yoga raised over the caller's input (parse,
 * validation, variable coercion, request checks). Such an error is logged at debug, by its code and
 * its message cut (never the document it quotes); undefined for anything else (a bug: logged in full).
 */
export function callerOutcome(error: unknown): { code: string; message: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  if (isCancellation(error)) return { code: 'REQUEST_CANCELLED', message: cutCallerText(error.message) };
  const typed = translated(error);
  if (typed) return { code: typed.code, message: typed.message };
  if (!(error instanceof GraphQLError)) return undefined;
  const masked = maskError(error, ERROR_CODES.INTERNAL_SERVER_ERROR.message);
  const code = masked instanceof GraphQLError ? masked.extensions.code : undefined;
  if (typeof code !== 'string' || code === 'INTERNAL_SERVER_ERROR') return undefined;
  return { code, message: masked.message };
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
