import { clusterNameSchema, objectIdSchema } from '../../atlas/ids.js';
import { builder } from './builder.js';

const NAME_FORMAT = 'ASCII letters, digits and hyphens, starting with a letter or digit, at most 64 characters.';

/**
 * The arguments of the cluster and Cloud Backup fields that `pathArgs` (arguments.ts) does not have,
 * validated the same way: a value that fails is BAD_USER_INPUT naming the argument, before any call.
 */
export const clusterArgs = builder.args((t) => ({
  projectId: t
    .id({ required: true, description: 'Project (group) id: 24 lower-case hexadecimal characters.' })
    .validate(objectIdSchema),
  clusterName: t
    .string({ required: true, description: `Dedicated cluster name: ${NAME_FORMAT}` })
    .validate(clusterNameSchema),
  anyClusterName: t
    .string({ required: true, description: `Cluster name, dedicated or Flex: ${NAME_FORMAT}` })
    .validate(clusterNameSchema),
}));
