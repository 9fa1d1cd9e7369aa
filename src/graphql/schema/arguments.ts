import { clusterNameSchema, objectIdSchema } from '../../atlas/ids.js';
import { builder } from './builder.js';

const NAME_FORMAT = 'ASCII letters, digits and hyphens, starting with a letter or digit, at most 64 characters.';

/**
 * The path arguments of the query fields, each with its description and its validator: a value
 * that fails is BAD_USER_INPUT naming the argument, before any Atlas call. Fields list them in the
 * API's order: group → cluster → item.
 */
export const pathArgs = builder.args((t) => ({
  groupId: t
    .id({ required: true, description: 'Project (group) id: 24 lower-case hexadecimal characters.' })
    .validate(objectIdSchema),
  clusterName: t
    .string({
      required: true,
      description: `Serverless instance name (or the Flex cluster it became): ${NAME_FORMAT}`,
    })
    .validate(clusterNameSchema),
  name: t.string({ required: true, description: `Flex cluster name: ${NAME_FORMAT}` }).validate(clusterNameSchema),
  snapshotId: t
    .id({ required: true, description: 'Snapshot id: 24 lower-case hexadecimal characters.' })
    .validate(objectIdSchema),
  restoreJobId: t
    .id({ required: true, description: 'Restore job id: 24 lower-case hexadecimal characters.' })
    .validate(objectIdSchema),
}));

/** A lookup field's description: what it returns, then what a null means. */
export const lookupDescription = (what: string): string =>
  `${what} Null with a typed error (\`extensions.code\`) when it cannot be returned.`;
