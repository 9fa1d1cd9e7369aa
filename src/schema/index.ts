import type { Context } from '../context.js';
import { TypedGraphQLError } from '../errors.js';
import { builder } from './builder.js';
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
const entitiesField = schema.getQueryType()?.getFields()._entities;
if (entitiesField?.resolve) {
  const resolveEntities = entitiesField.resolve;
  entitiesField.resolve = (source, args: { representations: unknown[] }, context: Context, info) => {
    if (args.representations.length > context.maxRepresentations) {
      throw new TypedGraphQLError(
        'QUERY_TOO_EXPENSIVE',
        `_entities takes at most ${context.maxRepresentations} representations (UPSTREAM_MAX_REPRESENTATIONS); got ${args.representations.length}.`,
      );
    }
    return resolveEntities(source, args, context, info);
  };
}
