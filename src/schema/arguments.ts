import type { z } from 'zod';
import { BadUserInputError } from '../errors.js';

/**
 * Validates resolver arguments against zod schemas, in declaration order, before any upstream call.
 * The first bad argument becomes a BAD_USER_INPUT error naming it and stating the expected format.
 */
export function parseArguments<Shape extends Record<string, z.ZodType>>(
  shape: Shape,
  args: Record<string, unknown>,
): { [K in keyof Shape]: z.infer<Shape[K]> } {
  const parsed: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(shape)) {
    const result = schema.safeParse(args[name]);
    if (!result.success) throw new BadUserInputError(name, result.error.issues[0]?.message ?? 'is invalid');
    parsed[name] = result.data;
  }
  return parsed as { [K in keyof Shape]: z.infer<Shape[K]> };
}
