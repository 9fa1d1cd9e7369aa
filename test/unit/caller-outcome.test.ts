import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AtlasAbortedError } from '../../src/atlas/errors.js';
import { callerOutcome } from '../../src/graphql/mask-error.js';
import { TypedGraphQLError } from '../../src/graphql/errors.js';

// What Yoga logs goes to debug when it is the caller's outcome (issue #10, findings 9 and 10): by
// the error's type, never by its message text, and cut.
describe('callerOutcome (what the server logs at debug, not at error)', () => {
  const located = (originalError: Error) => new GraphQLError(originalError.message, { originalError, path: ['s0'] });

  it('a cancellation is one whatever its message: an AbortError, a wrapped one, REQUEST_CANCELLED, an Atlas call cut off', () => {
    const cancellations = [
      new DOMException('The request was aborted before this Atlas call started.', 'AbortError'),
      new DOMException('anything at all', 'AbortError'),
      located(new DOMException('This operation was aborted', 'AbortError')),
      Object.assign(new Error('no telling message'), { name: 'AbortError' }),
      new Error('wrapper', { cause: new DOMException('x', 'AbortError') }),
      new TypedGraphQLError('REQUEST_CANCELLED', 'The request was cancelled.'),
      located(new AtlasAbortedError('getServerlessBackupSnapshot')),
    ];
    for (const error of cancellations) expect(callerOutcome(error)?.code, String(error)).toBe('REQUEST_CANCELLED');
  });

  it('a message that only reads like a cancellation is not one: a bug stays at error level', () => {
    expect(callerOutcome(new Error('This operation was aborted'))).toBeUndefined();
    expect(
      callerOutcome(located(new TypeError('The request was aborted before this Atlas call started.'))),
    ).toBeUndefined();
  });

  it('caller input errors keep their code and a cut message; a bug is left to the error log', () => {
    const coercion = new GraphQLError(
      `Variable "$n" got invalid value "${'A'.repeat(400_000)}"; Int cannot represent it.`,
    );
    expect(callerOutcome(coercion)).toEqual({ code: 'BAD_USER_INPUT', message: expect.any(String) as string });
    expect(callerOutcome(coercion)!.message.length).toBeLessThan(400);
    expect(callerOutcome(located(new TypeError('x.slice is not a function')))).toBeUndefined();
  });
});
