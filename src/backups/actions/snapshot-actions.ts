import { z } from 'zod';
import { backupWrites } from '../../atlas/backup-writes.js';
import type { ReplicaSetSnapshotBody } from '../../atlas/cloud-backup.js';
import type { ClusterKey } from '../../atlas/cluster.js';
import { objectIdSchema } from '../../atlas/ids.js';
import {
  snapshotFromReplicaSet,
  snapshotFromSharded,
  type DedicatedSnapshotRecord,
} from '../dedicated-snapshot-record.js';
import { headPage, tailPage } from '../latest-snapshot.js';
import type { Loaders } from '../loaders.js';
import { ActionRefusedError, atlasWrite, type BackupAction, type SchemaOf } from './action.js';
import { actionInputFields, clusterOf, dedicatedClusterFor, int32, settledSnapshot } from './checks.js';

// The snapshot actions of dedicated clusters (README §10.1 ops 2, 4, 5, 8): take one on demand,
// change one's retention, delete one. Atlas answers the POST and the PATCH with the snapshot, which
// this request's loaders then hold; the cluster's snapshot lists are forgotten.

/** The input of `takeClusterSnapshot`. */
export const takeSnapshotInputSchema = z.object({
  ...actionInputFields,
  description: z.string().max(1024).nullish(),
  retentionInDays: int32.min(1, { error: 'must be at least 1 day' }).nullish(),
});

/** The input of `updateClusterSnapshotRetention`. */
export const snapshotRetentionInputSchema = z.object({
  ...actionInputFields,
  snapshotId: objectIdSchema,
  retentionUnit: z.enum(['days', 'weeks', 'months', 'years']),
  retentionValue: int32.min(1, { error: 'must be at least 1' }),
});

/** The input of `deleteClusterSnapshot`. */
export const deleteSnapshotInputSchema = z.object({ ...actionInputFields, snapshotId: objectIdSchema });

type TakeInput = z.infer<typeof takeSnapshotInputSchema>;
type RetentionInput = z.infer<typeof snapshotRetentionInputSchema>;
type DeleteInput = z.infer<typeof deleteSnapshotInputSchema>;

/** A snapshot body answered by a replica-set operation as a record of the right topology (`type` tells). */
const snapshotRecord = (at: ClusterKey, body: ReplicaSetSnapshotBody): DedicatedSnapshotRecord =>
  body.type === 'shardedCluster' ? snapshotFromSharded(at, body) : snapshotFromReplicaSet(at, body);

/** The request's loaders see a write to a cluster's snapshots: the lists are forgotten, `snapshot` primed. */
function snapshotsChanged(loaders: Loaders, at: ClusterKey, snapshotId: string, snapshot?: DedicatedSnapshotRecord) {
  const key = { ...at, snapshotId };
  loaders.replicaSetSnapshots.forget(at);
  loaders.allShardedSnapshots.clear(at);
  loaders.replicaSetSnapshot.clear(key);
  loaders.shardedSnapshot.clear(key);
  if (snapshot === undefined) return;
  if (snapshot.topology === 'sharded') loaders.shardedSnapshot.prime(key, snapshot);
  else loaders.replicaSetSnapshot.prime(key, snapshot);
}

/** The on-demand snapshot of the cluster still queued or in progress, if any (Atlas takes one at a time). */
async function pendingOnDemand(loaders: Loaders, at: ClusterKey): Promise<DedicatedSnapshotRecord | undefined> {
  const head = await loaders.clusterSnapshots(at, headPage());
  const tail = tailPage(head);
  const items = [...head.items, ...(tail ? (await loaders.clusterSnapshots(at, tail)).items : [])];
  return items.find((s) => s.snapshotType === 'onDemand' && (s.status === 'queued' || s.status === 'inProgress'));
}

/** Op 2: an on-demand snapshot (Project Backup Creator); Atlas refuses while another is queued or in progress. */
export const takeClusterSnapshot: BackupAction<
  TakeInput,
  void,
  SchemaOf<typeof backupWrites.takeSnapshots>,
  DedicatedSnapshotRecord
> = {
  name: 'takeClusterSnapshot',
  scope: () => 'backups:snapshot',
  targets: clusterOf,
  prepare: () => Promise.resolve(),
  request: (input) =>
    atlasWrite(backupWrites.takeSnapshots, clusterOf(input), {
      ...(input.description == null ? {} : { description: input.description }),
      retentionInDays: input.retentionInDays ?? 1,
    }),
  async check(input, loaders) {
    await dedicatedClusterFor(loaders, input);
    const pending = await pendingOnDemand(loaders, clusterOf(input));
    if (pending)
      throw new ActionRefusedError(
        'conflict',
        `on-demand snapshot ${pending.id} is ${pending.status}: Atlas takes another once it has completed`,
      );
  },
  settle(answer, input, loaders) {
    const snapshot = snapshotRecord(clusterOf(input), answer);
    snapshotsChanged(loaders, clusterOf(input), snapshot.id, snapshot);
    return snapshot;
  },
};

/** Op 4: keep a snapshot for another period (Project Backup Manager). */
export const updateClusterSnapshotRetention: BackupAction<
  RetentionInput,
  void,
  SchemaOf<typeof backupWrites.updateBackupSnapshot>,
  DedicatedSnapshotRecord
> = {
  name: 'updateClusterSnapshotRetention',
  scope: () => 'backups:snapshot',
  targets: ({ groupId, clusterName, snapshotId }) => ({ groupId, clusterName, snapshotId }),
  prepare: () => Promise.resolve(),
  request: (input) =>
    atlasWrite(
      backupWrites.updateBackupSnapshot,
      { ...clusterOf(input), snapshotId: input.snapshotId },
      {
        retentionUnit: input.retentionUnit.toUpperCase(),
        retentionValue: input.retentionValue,
      },
    ),
  async check(input, loaders) {
    await settledSnapshot(loaders, { ...clusterOf(input), snapshotId: input.snapshotId }, 'change its retention');
  },
  settle(answer, input, loaders) {
    const snapshot = snapshotRecord(clusterOf(input), answer);
    snapshotsChanged(loaders, clusterOf(input), input.snapshotId, snapshot);
    return snapshot;
  },
};

/** Which delete a snapshot takes: the sharded-cluster operation (op 8) for a sharded cluster, op 5 otherwise. */
type DeleteFacts = { sharded: boolean };

/** Ops 5 and 8: delete a snapshot (Project Backup Manager); Atlas answers 204. */
export const deleteClusterSnapshot: BackupAction<
  DeleteInput,
  DeleteFacts,
  SchemaOf<typeof backupWrites.deleteClusterBackupSnapshot>,
  null
> = {
  name: 'deleteClusterSnapshot',
  scope: () => 'backups:delete',
  targets: ({ groupId, clusterName, snapshotId }) => ({ groupId, clusterName, snapshotId }),
  async prepare(input, loaders) {
    const topology = await loaders.clusterTopology(clusterOf(input));
    if (topology === 'flex')
      throw new ActionRefusedError(
        'invalid',
        `${input.clusterName} is a Flex cluster: Atlas manages its snapshots`,
        'clusterName',
      );
    return { sharded: topology === 'sharded' };
  },
  request: (input, facts) =>
    atlasWrite(facts.sharded ? backupWrites.deleteBackupShardedCluster : backupWrites.deleteClusterBackupSnapshot, {
      ...clusterOf(input),
      snapshotId: input.snapshotId,
    }),
  async check(input, loaders) {
    await settledSnapshot(loaders, { ...clusterOf(input), snapshotId: input.snapshotId }, 'delete it');
  },
  settle(_answer, input, loaders) {
    snapshotsChanged(loaders, clusterOf(input), input.snapshotId);
    return null;
  },
};
