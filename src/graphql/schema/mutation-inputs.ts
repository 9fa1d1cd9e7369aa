import type { BuilderTypes } from './builder.js';

// The input fields the backup mutations share, each validated by the action's zod schema (the
// messages name the field). Written once here; each mutation file adds its own.

/** What an id looks like, for descriptions. */
export const ID_FORMAT = '24 lower-case hexadecimal characters.';
const NAME_FORMAT = 'ASCII letters, digits and hyphens, starting with a letter or digit, at most 64 characters.';

type InputFields = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;

/** The project and the dedicated cluster a mutation acts on. */
export const clusterInputFields = (t: InputFields) => ({
  groupId: t.id({ required: true, description: `Project (group) id: ${ID_FORMAT}` }),
  clusterName: t.string({ required: true, description: `Dedicated cluster name: ${NAME_FORMAT}` }),
});

/** The project and the Flex cluster a mutation acts on (`name`, as in the Flex queries). */
export const flexInputFields = (t: InputFields) => ({
  groupId: t.id({ required: true, description: `Project (group) id: ${ID_FORMAT}` }),
  name: t.string({ required: true, description: `Flex cluster name: ${NAME_FORMAT}` }),
  snapshotId: t.id({ required: true, description: `Snapshot id: ${ID_FORMAT}` }),
});

/**
 * The target of a restore and its confirmation. Flex restores always have one (its project defaults
 * to the source's); dedicated ones for `AUTOMATED` and `POINT_IN_TIME` only (the schema says which).
 */
export const targetInputFields = (t: InputFields, flex: boolean) => ({
  targetGroupId: t.id({
    required: false,
    description: `Project of the target cluster: ${ID_FORMAT} ${flex ? 'Default: the source’s project.' : 'For AUTOMATED and POINT_IN_TIME.'}`,
  }),
  targetClusterName: t.string({
    required: flex,
    description: `Name of the cluster to restore into: ${NAME_FORMAT}${flex ? '' : ' For AUTOMATED and POINT_IN_TIME.'}`,
  }),
  confirmTargetClusterName: t.string({
    required: flex,
    description:
      'The target cluster’s name again, exactly: the restore erases all data on the target cluster (as the Atlas UI and CLI ask).',
  }),
});
