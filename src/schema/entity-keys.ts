import { z } from 'zod';
import { clusterNameSchema, objectIdSchema } from '../atlas/ids.js';
import { BadUserInputError } from '../errors.js';

/** The key fields of the snapshot entities, compiled once. */
export const serverlessSnapshotKeySchema = z.object({ groupId: objectIdSchema, clusterName: clusterNameSchema, id: objectIdSchema });
export const flexSnapshotKeySchema = z.object({ groupId: objectIdSchema, name: clusterNameSchema, id: objectIdSchema });

/** An entity representation from a gateway is input too: checked like arguments, before any call. */
export function parseRepresentation<Schema extends z.ZodType>(typename: string, schema: Schema, representation: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(representation);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadUserInputError(`representations[${typename}].${issue?.path.join('.') ?? ''}`, issue?.message ?? 'is invalid');
  }
  return parsed.data;
}
