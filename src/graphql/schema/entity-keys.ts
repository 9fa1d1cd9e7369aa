import type { InterfaceRef, ObjectRef } from '@pothos/core';
import type { Selection } from '@pothos/plugin-federation';
import { z } from 'zod';
import { clusterNameSchema, objectIdSchema } from '../../atlas/ids.js';
import type { Context } from '../context.js';
import { BadUserInputError } from '../errors.js';
import { missingScope, READ_SCOPE } from '../scope-auth.js';
import { builder, type BuilderTypes } from './builder.js';

/** The key fields of a `ServerlessSnapshot` entity, compiled once. */
export const serverlessSnapshotKeySchema = z.object({
  groupId: objectIdSchema,
  clusterName: clusterNameSchema,
  id: objectIdSchema,
});
/** The key fields of a `FlexSnapshot` entity. */
export const flexSnapshotKeySchema = z.object({ groupId: objectIdSchema, name: clusterNameSchema, id: objectIdSchema });
/** The key fields of a dedicated cluster's snapshot or restore job entity (the same as a serverless snapshot's). */
export const clusterItemKeySchema = z.object({
  groupId: objectIdSchema,
  clusterName: clusterNameSchema,
  id: objectIdSchema,
});
/** The key fields of a `Cluster` entity (dedicated or Flex). */
export const clusterKeySchema = z.object({ groupId: objectIdSchema, name: clusterNameSchema });
/** The key fields of a `Project` entity. */
export const projectKeySchema = z.object({ id: objectIdSchema });

/** How much of a caller's own text an error message quotes (and so any log line that carries it). */
const QUOTED_INPUT_MAX_CHARS = 100;

/** Caller-supplied text for a message: JSON-quoted and cut after QUOTED_INPUT_MAX_CHARS characters. */
function quoteInput(text: string): string {
  return JSON.stringify(text.length > QUOTED_INPUT_MAX_CHARS ? `${text.slice(0, QUOTED_INPUT_MAX_CHARS)}…` : text);
}

/**
 * What every `_entities` representation must be before any type resolves it: an object whose own
 * `__typename` is one of `entityTypes`. Returns the BAD_USER_INPUT error of one that is not.
 */
export function representationProblem(
  representation: unknown,
  index: number,
  entityTypes: readonly string[],
): BadUserInputError | undefined {
  // What was got comes first: error messages are capped, and the list of entity types grows.
  const expected = () => `an entity type of this subgraph (${entityTypes.join(', ')})`;
  if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) {
    const got = Array.isArray(representation)
      ? 'a list'
      : representation === null
        ? 'null'
        : `a ${typeof representation}`;
    return new BadUserInputError(
      `representations[${index}]`,
      `got ${got}; must be an object whose __typename names ${expected()}`,
    );
  }
  const typename: unknown = Object.hasOwn(representation, '__typename')
    ? (representation as { __typename: unknown }).__typename
    : undefined;
  if (typeof typename === 'string' && entityTypes.includes(typename)) return undefined;
  const got =
    typename === undefined ? 'none' : typeof typename === 'string' ? quoteInput(typename) : `a ${typeof typename}`;
  return new BadUserInputError(`representations[${index}].__typename`, `got ${got}; must name ${expected()}`);
}

/** An entity representation from a gateway is input too: checked like arguments, before any call. */
function parseRepresentation<Schema extends z.ZodType>(
  typename: string,
  schema: Schema,
  representation: unknown,
): z.infer<Schema> {
  const parsed = schema.safeParse(representation);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadUserInputError(
      `representations[${typename}].${issue?.path.join('.') ?? ''}`,
      issue?.message ?? 'is invalid',
    );
  }
  return parsed.data;
}

/** Each request's `backups:read` check, run once however many representations it resolves. */
const readChecks = new WeakMap<Context, Promise<void>>();
const readCheck = (ctx: Context): Promise<void> => {
  let check = readChecks.get(ctx);
  if (!check) {
    check = (async () => builder.runAuthScopes(ctx, READ_SCOPE, (result) => missingScope(ctx, result)))();
    readChecks.set(ctx, check);
  }
  return check;
};

/**
 * Makes a type (or an interface) a federation entity: other subgraphs return references by `key`,
 * each representation is checked against `schema` like arguments (a bad one fails its own
 * `_entities` entry), and `load` answers it through the query field's per-request loader. Like every
 * query field, it needs `backups:read` (`_entities` is no Pothos field: the Query type's scopes miss it).
 */
export function keyedEntity<Key extends object, Shape>(
  ref: ObjectRef<BuilderTypes, Shape> | InterfaceRef<BuilderTypes, Shape>,
  entity: {
    key: Selection<Key>;
    schema: z.ZodType<Key>;
    load: (ctx: Context, key: Key) => Promise<Shape>;
  },
): void {
  builder.asEntity(ref, {
    key: entity.key,
    // async: a representation that fails its check rejects its own entry, not the whole list.
    resolveReference: async (reference, ctx) => {
      await readCheck(ctx);
      return await entity.load(ctx, parseRepresentation(ref.name, entity.schema, reference));
    },
  });
}
