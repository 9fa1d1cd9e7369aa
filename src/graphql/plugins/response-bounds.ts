import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ERROR_CODES } from '../error-codes.js';
import { TypedGraphQLError } from '../errors.js';
import { cutCallerText } from '../mask-error.js';

/** An error of graphql-js or Yoga with its message cut; ours (typed) are built bounded and pass. */
function withCutMessage(error: GraphQLError): GraphQLError {
  if (error instanceof TypedGraphQLError) return error;
  const message = cutCallerText(error.message);
  if (message === error.message) return error;
  const { nodes, source, positions, path, originalError, extensions } = error;
  return new GraphQLError(message, { nodes, source, positions, path, originalError, extensions });
}

/** Characters JSON.stringify escapes: `"` and `\\` (2 bytes), controls (2 or 6), lone surrogates (6). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: JSON escapes them
const ESCAPED = /["\\\u0000-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Controls with a two-character escape: `\b \t \n \f \r`. */
const SHORT_ESCAPE = new Set(['\b', '\t', '\n', '\f', '\r', '"', '\\']);

/** Printable ASCII but `"` and `\\`: what nearly every string of a response is, one byte each as JSON. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** The bytes of `text` as a JSON string, quotes included: UTF-8, with escapes at their serialised length. */
function jsonStringBytes(text: string): number {
  if (PLAIN.test(text)) return text.length + 2;
  let bytes = Buffer.byteLength(text) + 2;
  for (const [character] of text.matchAll(ESCAPED)) {
    // An escaped character was counted above at its UTF-8 length (1, or 3 for a lone surrogate).
    bytes += SHORT_ESCAPE.has(character) ? 1 : 6 - Buffer.byteLength(character);
  }
  return bytes;
}

/**
 * The bytes `value` takes as JSON, counted until they pass `limit` (then some number above it):
 * strings and keys as JSON.stringify writes them (UTF-8, escapes at their serialised length: a
 * control character is 6 bytes), numbers their digits, one separator per value (one too many per
 * non-empty container, and for the whole). It walks the result without building the text: a
 * response too large to send is never serialised.
 */
export function jsonBytes(value: unknown, limit: number): number {
  let total = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0 && total <= limit) {
    const next = pending.pop();
    total += 1;
    if (typeof next === 'string') total += jsonStringBytes(next);
    else if (typeof next === 'number' || typeof next === 'boolean') total += String(next).length;
    else if (next === null || typeof next !== 'object') total += 4;
    else if (Array.isArray(next)) {
      total += 2;
      for (const item of next as unknown[]) pending.push(item);
    } else {
      total += 2;
      for (const key in next) {
        total += jsonStringBytes(key) + 1;
        pending.push((next as Record<string, unknown>)[key]);
      }
    }
  }
  return total;
}

/** What a response is measured by: its data, and its errors as they are sent. */
const sentParts = (result: { data?: unknown; errors?: readonly GraphQLError[] }) => [
  result.data,
  (result.errors ?? []).map((e) => ({ message: e.message, path: e.path, extensions: e.extensions })),
];

/** The response that replaces one larger than `maxBytes`: a request error, HTTP 400 under graphql-response+json. */
const tooLarge = (maxBytes: number) =>
  new TypedGraphQLError(
    'QUERY_TOO_EXPENSIVE',
    `${ERROR_CODES.QUERY_TOO_EXPENSIVE.message}: its response would be larger than ${maxBytes} bytes (GRAPHQL_MAX_RESPONSE_BYTES); ask for fewer fields, aliases or items.`,
    { http: ERROR_CODES.QUERY_TOO_EXPENSIVE.http, maxResponseBytes: maxBytes },
  );

/**
 * What leaves in a response is bounded. Messages that quote the caller's input (a field name in a
 * validation error, which never passes the error translator) are cut to a few hundred characters.
 * A response whose JSON would be larger than `maxBytes` (GRAPHQL_MAX_RESPONSE_BYTES) is replaced,
 * before it is serialised, by a QUERY_TOO_EXPENSIVE error: 15 aliases of a 3 MB Atlas field once
 * made a 45 MB response. Measured by walking the result (jsonBytes), which stops at the limit.
 */
export function responseBounds(options: { maxBytes: number; onRefused?: () => void }): Plugin {
  return {
    onResultProcess(payload) {
      const { result } = payload;
      if (Array.isArray(result) || !('data' in result || 'errors' in result)) return;
      const errors = result.errors?.map((e) => (e instanceof GraphQLError ? withCutMessage(e) : e));
      const bounded = errors?.some((e, i) => e !== result.errors![i]) ? { ...result, errors } : result;
      if (jsonBytes(sentParts(bounded), options.maxBytes) > options.maxBytes) {
        options.onRefused?.();
        payload.setResult({ errors: [tooLarge(options.maxBytes)] });
      } else if (bounded !== result) payload.setResult(bounded);
    },
  };
}
