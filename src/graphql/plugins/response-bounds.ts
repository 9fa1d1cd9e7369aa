import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
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

/**
 * What leaves in a response is bounded: messages that quote the caller's input (a field name in a
 * validation error, which never passes the error translator) are cut to a few hundred characters.
 */
export function responseBounds(): Plugin {
  return {
    onResultProcess(payload) {
      const { result } = payload;
      if (Array.isArray(result) || !('errors' in result) || !result.errors) return;
      const errors = result.errors.map((e) => (e instanceof GraphQLError ? withCutMessage(e) : e));
      if (errors.some((e, i) => e !== result.errors![i])) payload.setResult({ ...result, errors });
    },
  };
}
