import {
  isInterfaceType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import type { Context } from '../context.js';
import { representationProblem } from './entity-keys.js';

/**
 * Lists every field's arguments in the order the type files declare them — group → cluster → item,
 * as the API was designed — where @pothos/plugin-federation's toSubGraphSchema sorted them
 * (it runs graphql-js's lexicographicSortSchema over the whole schema). Types and fields stay
 * sorted. `declared` is the same builder's unsorted `toSchema()`; the arrays are reordered in place,
 * before the schema serves anything, so introspection, validation and the printed SDL all see it.
 */
export function keepDeclaredArgumentOrder(schema: GraphQLSchema, declared: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    const original = declared.getType(type.name);
    if (!(isObjectType(type) || isInterfaceType(type))) continue;
    if (!(isObjectType(original) || isInterfaceType(original))) continue;
    const declaredFields = original.getFields();
    for (const field of Object.values(type.getFields())) {
      const order = declaredFields[field.name]?.args.map((arg) => arg.name);
      if (!order) continue;
      const rank = (arg: GraphQLArgument) => order.indexOf(arg.name);
      // graphql-js types `args` read-only; it is this schema's own array, not shared with another.
      (field.args as GraphQLArgument[]).sort((a, b) => rank(a) - rank(b));
    }
  }
}

/** Whether a type's extensions carry a federation `resolveReference` (the federation plugin puts it there). */
const resolvesReferences = (extensions: unknown): boolean =>
  typeof (extensions as { apollo?: { subgraph?: { resolveReference?: unknown } } } | undefined)?.apollo?.subgraph
    ?.resolveReference === 'function';

/**
 * `_entities` representations are caller input: one that does not name an entity type of this
 * subgraph fails its own entry with BAD_USER_INPUT (the federation resolver would fail the whole
 * list, or resolve a type that is not an entity); the others resolve. Wraps the federation
 * plugin's `_entities` resolver once, when the schema is built.
 */
export function checkEntityRepresentations(schema: GraphQLSchema): void {
  const field = schema.getQueryType()?.getFields()._entities;
  const union = schema.getType('_Entity');
  if (!field?.resolve || !isUnionType(union)) return;
  const entityTypes = [
    ...union.getTypes().map((type) => type.name),
    // Entity interfaces (Federation 2.3, `@key` on an interface, e.g. `Cluster`): a router sends their name.
    ...Object.values(schema.getTypeMap())
      .filter((type) => isInterfaceType(type) && resolvesReferences(type.extensions))
      .map((type) => type.name),
  ];
  const resolveEntities = field.resolve;
  const resolve: GraphQLFieldResolver<unknown, Context, { representations: unknown[] }> = (
    source,
    args,
    context,
    info,
  ) => {
    const problems = args.representations.map((item, index) => representationProblem(item, index, entityTypes));
    const valid = args.representations.filter((_, index) => problems[index] === undefined);
    const resolved: unknown =
      valid.length > 0 ? resolveEntities(source, { representations: valid }, context, info) : [];
    if (!Array.isArray(resolved)) throw new Error('the federation _entities resolver returned no list');
    const entities: readonly unknown[] = resolved;
    let next = 0;
    // An Error in a list is completed as that entry's error: the other entries resolve.
    return problems.map((problem) => problem ?? entities[next++]);
  };
  field.resolve = resolve;
}
