import type { Plugin } from 'graphql-yoga';
import { requestError } from '../errors.js';

/**
 * `operationName` must be a string or null (GraphQL over HTTP §6.1; Yoga checks `query`, `variables`
 * and `extensions` only): anything else — a number, an object, an array of long strings — is a
 * typed `BAD_REQUEST` (HTTP 400) before any other plugin reads it, and the value is not echoed.
 */
export function operationNameCheck(): Plugin {
  return {
    onParams({ params }) {
      const { operationName } = params as { operationName?: unknown };
      if (operationName === undefined || operationName === null || typeof operationName === 'string') return;
      throw requestError('BAD_REQUEST', 'Expected "operationName" to be a string or null.');
    },
  };
}
