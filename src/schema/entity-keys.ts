import { z } from 'zod';
import { clusterNameSchema, objectIdSchema } from '../atlas/ids.js';
import { BadUserInputError } from '../errors.js';

/** An entity representation from a gateway is input too: checked like arguments, before any call. */
export function parseRepresentation<Shape extends z.ZodRawShape>(typename: string, shape: Shape, representation: unknown): z.infer<z.ZodObject<Shape>> {
  const parsed = z.object(shape).safeParse(representation);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadUserInputError(`representations[${typename}].${issue?.path.join('.') ?? ''}`, issue?.message ?? 'is invalid');
  }
  return parsed.data;
}

/** The key fields of the snapshot entities. */
export const serverlessSnapshotKeyShape = { groupId: objectIdSchema, clusterName: clusterNameSchema, id: objectIdSchema };
export const flexSnapshotKeyShape = { groupId: objectIdSchema, name: clusterNameSchema, id: objectIdSchema };
