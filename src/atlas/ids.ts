import { z } from 'zod';

/** Atlas object ids (`groupId`, `snapshotId`, …): the spec's pattern, lower-case hex only. */
export const objectIdSchema = z
  .string()
  .regex(/^([a-f0-9]{24})$/, { error: 'must be exactly 24 lower-case hexadecimal characters (0-9, a-f)' });

/**
 * Cluster and serverless-instance names. The spec's pattern has no length limit; 64 characters is
 * Atlas's cluster-name limit in practice and the bound we enforce.
 */
const CLUSTER_NAME_MAX_LENGTH = 64;

export const clusterNameSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(CLUSTER_NAME_MAX_LENGTH, { error: `must be at most ${CLUSTER_NAME_MAX_LENGTH} characters` })
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9-]*$/, {
    error: 'must start with an ASCII letter or digit and contain only ASCII letters, digits and hyphens',
  });
