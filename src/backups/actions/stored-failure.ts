import { z } from 'zod';
import { AtlasError, AtlasOutcomeUnknownError, AtlasResponseError } from '../../atlas/errors.js';
import type { OutcomeUnknownRecord } from './idempotency.js';

// A write whose outcome is unknown keeps its idempotency key, and every repeat gets the same typed
// error — on any replica, so the error is stored as plain JSON and rebuilt from it.

const recordSchema = z.object({
  outcomeUnknown: z.object({
    operation: z.string().optional(),
    happened: z.string(),
    atlasStatus: z.number().int().optional(),
  }),
});

/** The failure behind a rebuilt unknown outcome when Atlas did not answer: known only by what happened. */
class RecordedAtlasFailure extends AtlasError {
  override readonly name = 'RecordedAtlasFailure';
  constructor(
    readonly operation: string,
    happened: string,
  ) {
    super(`Atlas ${operation}: ${happened}`);
  }
}

/** `error` as it is stored under its key: operation, what happened and Atlas's status (no body, no secret). */
export const outcomeUnknownRecord = (error: AtlasOutcomeUnknownError): OutcomeUnknownRecord => ({
  outcomeUnknown: {
    operation: error.operation,
    happened: error.happened,
    ...(error.cause instanceof AtlasResponseError ? { atlasStatus: error.cause.status } : {}),
  },
});

/**
 * The error a replay throws for a stored failure: an OutcomeUnknownRecord becomes an
 * AtlasOutcomeUnknownError equal to the first (its operation, what happened, Atlas's status; the
 * `mutation`'s name when the record names no operation); any other failure is thrown as it is.
 */
export function replayedFailure(stored: unknown, mutation: string): unknown {
  const parsed = recordSchema.safeParse(stored);
  if (!parsed.success) return stored;
  const { operation = mutation, happened, atlasStatus } = parsed.data.outcomeUnknown;
  const cause =
    atlasStatus === undefined
      ? new RecordedAtlasFailure(operation, happened)
      : new AtlasResponseError(operation, atlasStatus, {}, undefined);
  return new AtlasOutcomeUnknownError(operation, happened, cause);
}
