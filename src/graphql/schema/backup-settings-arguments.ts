import { objectIdSchema } from '../../atlas/ids.js';
import { builder } from './builder.js';

/**
 * The ids of the export query fields that `pathArgs` and `clusterArgs` do not have, validated the
 * same way: a value that fails is BAD_USER_INPUT naming the argument, before any Atlas call.
 */
export const settingsArgs = builder.args((t) => ({
  exportId: t
    .id({ required: true, description: 'Export job id: 24 lower-case hexadecimal characters.' })
    .validate(objectIdSchema),
  exportBucketId: t
    .id({ required: true, description: 'Export bucket id: 24 lower-case hexadecimal characters.' })
    .validate(objectIdSchema),
}));
