import {
  deleteClusterSnapshot,
  deleteSnapshotInputSchema,
  snapshotRetentionInputSchema,
  takeClusterSnapshot,
  takeSnapshotInputSchema,
  updateClusterSnapshotRetention,
} from '../../backups/actions/snapshot-actions.js';
import { BackupRetentionUnitRef } from './backup-settings-enums.js';
import { ClusterSnapshotRef } from './dedicated-snapshot.js';
import { actionMutation } from './mutation-kit.js';
import { clusterInputFields, ID_FORMAT } from './mutation-inputs.js';

// The snapshot mutations of dedicated clusters (docs/backup-actions.md).

actionMutation('takeClusterSnapshot', takeClusterSnapshot, {
  description:
    'Takes an on-demand snapshot of a dedicated cluster (Atlas `takeSnapshots`; Atlas role Project Backup Manager or Backup Creator; scope `backups:snapshot`). Atlas refuses while another on-demand snapshot is queued or in progress (CONFLICT).',
  schema: takeSnapshotInputSchema,
  inputFields: (t) => ({
    ...clusterInputFields(t),
    description: t.string({ required: false, description: 'What the snapshot is for (≤ 1,024 characters).' }),
    retentionInDays: t.int({
      required: false,
      description: 'Days to keep the snapshot, from 1 (the default, as in the Atlas CLI).',
    }),
  }),
  resultFields: (t) => ({
    snapshot: t.expose('result', {
      type: ClusterSnapshotRef,
      nullable: true,
      description: 'The new snapshot, `queued` (null in a dry run).',
    }),
  }),
});

actionMutation('updateClusterSnapshotRetention', updateClusterSnapshotRetention, {
  description:
    "Changes how long a dedicated cluster's snapshot is kept (Atlas `updateBackupSnapshot`; Project Backup Manager; scope `backups:snapshot`).",
  schema: snapshotRetentionInputSchema,
  inputFields: (t) => ({
    ...clusterInputFields(t),
    snapshotId: t.id({ required: true, description: `Snapshot id: ${ID_FORMAT}` }),
    retentionUnit: t.field({
      type: BackupRetentionUnitRef,
      required: true,
      description: 'The unit of retentionValue.',
    }),
    retentionValue: t.int({ required: true, description: 'How long to keep it, from 1, in retentionUnit.' }),
  }),
  resultFields: (t) => ({
    snapshot: t.expose('result', {
      type: ClusterSnapshotRef,
      nullable: true,
      description: 'The snapshot with its new `expiresAt` (null in a dry run).',
    }),
  }),
});

actionMutation('deleteClusterSnapshot', deleteClusterSnapshot, {
  description:
    "Deletes a dedicated cluster's snapshot (Atlas `deleteClusterBackupSnapshot`, or `deleteBackupShardedCluster` for a sharded cluster; Project Backup Manager; scope `backups:delete`). It cannot be undone.",
  schema: deleteSnapshotInputSchema,
  inputFields: (t) => ({
    ...clusterInputFields(t),
    snapshotId: t.id({ required: true, description: `Snapshot id: ${ID_FORMAT}` }),
  }),
  resultFields: (t) => ({
    deletedSnapshotId: t.id({
      nullable: true,
      description: 'The id of the deleted snapshot (null in a dry run).',
      resolve: (outcome) => (outcome.dryRun ? null : (outcome.targets.snapshotId ?? null)),
    }),
  }),
});
