import type { z } from 'zod';
import { clusterNameSchema, objectIdSchema } from '../../atlas/ids.js';
import { BadUserInputError, toGraphQLError } from '../errors.js';

/**
 * Validates resolver arguments against zod schemas, in declaration order, before any upstream call.
 * The first bad argument becomes a BAD_USER_INPUT error naming it and stating the expected format.
 */
export function parseArguments<Shape extends Record<string, z.ZodType>>(
  shape: Shape,
  args: object,
): { [K in keyof Shape]: z.infer<Shape[K]> } {
  const parsed: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(shape)) {
    const result = schema.safeParse((args as Record<string, unknown>)[name]);
    if (!result.success) throw new BadUserInputError(name, result.error.issues[0]?.message ?? 'is invalid');
    parsed[name] = result.data;
  }
  return parsed as { [K in keyof Shape]: z.infer<Shape[K]> };
}

/** The validators of every path argument, by argument name. */
export const pathArgs = {
  groupId: objectIdSchema,
  clusterName: clusterNameSchema,
  name: clusterNameSchema,
  snapshotId: objectIdSchema,
  restoreJobId: objectIdSchema,
};

/** Descriptions of the path arguments (what GraphiQL users read). */
export const ARG_DESCRIPTIONS = {
  groupId: 'Project (group) id: 24 lower-case hexadecimal characters.',
  clusterName:
    'Serverless instance name (or the Flex cluster it became): ASCII letters, digits and hyphens, starting with a letter or digit, at most 64 characters.',
  name: 'Flex cluster name: ASCII letters, digits and hyphens, starting with a letter or digit, at most 64 characters.',
  snapshotId: 'Snapshot id: 24 lower-case hexadecimal characters.',
  restoreJobId: 'Restore job id: 24 lower-case hexadecimal characters.',
} as const;

/** Runs an upstream read and turns its failure into the typed GraphQL error (with a hint for a FORBIDDEN). */
export async function upstream<T>(work: () => Promise<T>, options?: { forbiddenHint?: string }): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toGraphQLError(error, options);
  }
}
