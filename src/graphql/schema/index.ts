import { isUnionType } from 'graphql';
import type { Context } from '../context.js';
import { TypedGraphQLError } from '../errors.js';
import { builder } from './builder.js';
import { representationProblem } from './entity-keys.js';
import './scalars.js';
import './link.js';
import './snapshot-enums.js';
import './backup-snapshot.js';
import './serverless-snapshot.js';
import './flex-snapshot.js';
import './restore-job-enums.js';
import './serverless-restore-job.js';
import './flex-restore-job.js';

/** The executable subgraph schema (Apollo Federation 2: `_service`, `_entities`), built once per process. */
export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key'],
  sortSchema: false,
});

// `_entities` takes a list that no alias limit bounds: cap it before any representation is resolved.
// Each representation is input too: one that does not name an entity type fails its own entry with
// BAD_USER_INPUT (the federation resolver would fail the whole list, or resolve a non-entity type).
const entitiesField = schema.getQueryType()?.getFields()._entities;
const entityUnion = schema.getType('_Entity');
const entityTypes = isUnionType(entityUnion) ? entityUnion.getTypes().map((type) => type.name) : [];
if (entitiesField?.resolve) {
  const resolveEntities = entitiesField.resolve;
  entitiesField.resolve = (source, args: { representations: unknown[] }, context: Context, info) => {
    if (args.representations.length > context.maxRepresentations) {
      throw new TypedGraphQLError(
        'QUERY_TOO_EXPENSIVE',
        `_entities takes at most ${context.maxRepresentations} representations (UPSTREAM_MAX_REPRESENTATIONS); got ${args.representations.length}.`,
      );
    }
    const problems = args.representations.map((representation, index) =>
      representationProblem(representation, index, entityTypes),
    );
    const valid = args.representations.filter((_, index) => problems[index] === undefined);
    const resolved: unknown =
      valid.length > 0 ? resolveEntities(source, { representations: valid }, context, info) : [];
    if (!Array.isArray(resolved)) throw new Error('the federation _entities resolver returned no list');
    const entities: readonly unknown[] = resolved;
    let next = 0;
    // An Error in a list is completed as that entry's error: the other entries resolve.
    return problems.map((problem) => problem ?? entities[next++]);
  };
}
