import { z } from 'zod';
import type { ClusterKey } from '../../atlas/cluster.js';
import { clusterNameSchema, objectIdSchema } from '../../atlas/ids.js';
import type { DedicatedClusterRecord } from '../cluster-record.js';
import type { Loaders } from '../loaders.js';
import { ActionRefusedError } from './action.js';

// What every action's input has, and the reads dry runs share.

/** A client-made idempotency key: 1 to 64 visible ASCII characters (a UUID fits). */
const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,64}$/, { error: 'must be 1 to 64 visible ASCII characters (a UUID, for example)' });

/** An integer Atlas takes as int32 (README §10.6 item 3). */
export const int32 = z
  .number()
  .int()
  .max(2 ** 31 - 1, { error: 'must fit in 32 bits (Atlas takes int32 here)' });

/** The cluster part of an input (an action's targets, a loader key, a write's path parameters). */
export const clusterOf = ({ groupId, clusterName }: ClusterKey): ClusterKey => ({ groupId, clusterName });

/** The fields every action's input carries besides its own. */
export const actionInputFields = {
  groupId: objectIdSchema,
  clusterName: clusterNameSchema,
  dryRun: z.boolean().nullish(),
  idempotencyKey: idempotencyKeySchema.nullish(),
  clientMutationId: z.string().max(256).nullish(),
};

/** The cluster of `key`, which must be a dedicated one with Cloud Backup on, in a state that takes backups. */
export async function dedicatedClusterFor(loaders: Loaders, key: ClusterKey): Promise<DedicatedClusterRecord> {
  const cluster = await loaders.cluster.load(key);
  if (cluster.kind !== 'DEDICATED')
    throw new ActionRefusedError(
      'invalid',
      `${key.clusterName} is a Flex cluster: use the Flex mutations`,
      'clusterName',
    );
  if (cluster.backupEnabled === false)
    throw new ActionRefusedError('conflict', `${key.clusterName} does not have Cloud Backup turned on`, 'clusterName');
  return cluster;
}

/** A target cluster for a restore: it must exist, be idle and not paused (Atlas restores into such a cluster only). */
export async function idleTargetCluster(loaders: Loaders, key: ClusterKey, field: string): Promise<void> {
  const cluster = await loaders.cluster.load(key);
  const name = key.clusterName;
  if (cluster.stateName !== undefined && cluster.stateName !== 'IDLE')
    throw new ActionRefusedError('conflict', `the target cluster ${name} is ${cluster.stateName}, not IDLE`, field);
  if (cluster.kind === 'DEDICATED' && cluster.paused === true)
    throw new ActionRefusedError('conflict', `the target cluster ${name} is paused`, field);
}

/** The snapshot of `key`: it must exist (NOT_FOUND otherwise) and not be queued or in progress. */
export async function settledSnapshot(
  loaders: Loaders,
  key: ClusterKey & { snapshotId: string },
  what: string,
): Promise<void> {
  const { status } = await loaders.clusterSnapshot(key);
  if (status === 'queued' || status === 'inProgress')
    throw new ActionRefusedError(
      'conflict',
      `snapshot ${key.snapshotId} is ${status}: ${what} once it has completed`,
      'snapshotId',
    );
}

/** The snapshot of `key`: it must exist (NOT_FOUND otherwise) and be completed to be restored or exported. */
export async function completedSnapshot(
  loaders: Loaders,
  key: ClusterKey & { snapshotId: string },
  what: string,
): Promise<void> {
  const snapshot = await loaders.clusterSnapshot(key);
  if (snapshot.status !== 'completed')
    throw new ActionRefusedError(
      'conflict',
      `snapshot ${key.snapshotId} is ${snapshot.status ?? 'in an unknown state'}: only a completed snapshot can be ${what}`,
      'snapshotId',
    );
}
