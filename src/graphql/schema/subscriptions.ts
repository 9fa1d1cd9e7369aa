import type { ActivityChange, ClusterActivity } from '../../backups/watch/watch-plans.js';
import {
  clusterActivityPlan,
  clusterRestoreJobPlan,
  clusterSnapshotPlan,
  flexRestoreJobPlan,
  flexSnapshotPlan,
} from '../../backups/watch/watch-plans.js';
import type { WatchEvent } from '../../backups/watch/poller.js';
import { READ_SCOPE } from '../scope-auth.js';
import { pathArgs } from './arguments.js';
import { builder } from './builder.js';
import { clusterArgs } from './cluster-arguments.js';
import { ClusterRestoreJobRef } from './cluster-restore-job.js';
import { ClusterSnapshotRef } from './dedicated-snapshot.js';
import { FlexRestoreJobRef } from './flex-restore-job.js';
import { FlexSnapshotRef } from './flex-snapshot.js';

// Live status (docs/live-status.md): each subscription sends the resource's current state first,
// then an event whenever what its type shows changes, and completes once the resource is terminal
// (its last event) or gone (a last event carrying NOT_FOUND). A failed poll is an event with the
// typed error (the field null); the stream goes on. Arguments are validated before anything is
// polled. Every watcher of one resource shares one poller (backups/watch).

builder.subscriptionType({
  description: 'Live status of backups: Atlas is polled once per resource, whatever the number of watchers.',
  authScopes: READ_SCOPE,
});

/** The value of an event; a failure is thrown, so the event carries it as a typed error. */
const valueOf = <T>(event: WatchEvent<T>): T => {
  if (event.kind === 'state') return event.value;
  throw event.error;
};

const WHEN = 'First the current state, then each change; completes when';

const ChangeKindRef = builder.enumType('ClusterBackupChangeKind', {
  description: 'What changed in a cluster’s backups.',
  values: {
    SNAPSHOT_ADDED: { description: 'A new snapshot (e.g. one just taken).' },
    SNAPSHOT_CHANGED: { description: 'A snapshot’s status, size, expiry or other field changed.' },
    SNAPSHOT_REMOVED: {
      description: 'A snapshot is no longer among the newest (deleted, or pushed out of the window).',
    },
    RESTORE_JOB_ADDED: { description: 'A new restore job.' },
    RESTORE_JOB_CHANGED: { description: 'A restore job’s state or other field changed.' },
  } as const,
});

const ChangeRef = builder.objectRef<ActivityChange>('ClusterBackupChange').implement({
  description: 'One change since the previous event.',
  fields: (t) => ({
    kind: t.expose('kind', { type: ChangeKindRef, description: 'What changed.' }),
    id: t.exposeID('id', { description: 'The snapshot’s or restore job’s id.' }),
  }),
});

const ActivityRef = builder.objectRef<ClusterActivity>('ClusterBackupActivity').implement({
  description: 'The backups of one dedicated cluster as they are now, and what changed since the previous event.',
  fields: (t) => ({
    groupId: t.exposeID('groupId', { description: 'Project (group) id, as given.' }),
    clusterName: t.exposeString('clusterName', { description: 'Cluster name, as given.' }),
    snapshots: t.expose('snapshots', {
      type: [ClusterSnapshotRef],
      description: 'The newest snapshots (up to 20), in Atlas order.',
    }),
    restoreJobs: t.expose('restoreJobs', {
      type: [ClusterRestoreJobRef],
      description: 'The newest restore jobs (up to 20), newest first (Atlas requires Project Backup Manager).',
    }),
    changes: t.expose('changes', {
      type: [ChangeRef],
      description: 'What changed since the previous event; empty in the first.',
    }),
  }),
});

builder.subscriptionFields((t) => ({
  clusterSnapshot: t.field({
    type: ClusterSnapshotRef,
    nullable: true,
    description: `One snapshot of a dedicated cluster. ${WHEN} it is completed or failed.`,
    args: { groupId: pathArgs.groupId, clusterName: clusterArgs.clusterName, snapshotId: pathArgs.snapshotId },
    subscribe: (_root, key, ctx) =>
      ctx.watch(`clusterSnapshot:${key.groupId}/${key.clusterName}/${key.snapshotId}`, (s) =>
        clusterSnapshotPlan(s, key),
      ),
    resolve: valueOf,
  }),
  flexSnapshot: t.field({
    type: FlexSnapshotRef,
    nullable: true,
    description: `One snapshot of a Flex cluster. ${WHEN} it is completed or failed.`,
    args: { groupId: pathArgs.groupId, name: pathArgs.name, snapshotId: pathArgs.snapshotId },
    subscribe: (_root, key, ctx) =>
      ctx.watch(`flexSnapshot:${key.groupId}/${key.name}/${key.snapshotId}`, (s) => flexSnapshotPlan(s, key)),
    resolve: valueOf,
  }),
  clusterRestoreJob: t.field({
    type: ClusterRestoreJobRef,
    nullable: true,
    description: `One restore job of a dedicated cluster. ${WHEN} its state is COMPLETED, FAILED, CANCELLED or EXPIRED.`,
    args: { groupId: pathArgs.groupId, clusterName: clusterArgs.clusterName, restoreJobId: pathArgs.restoreJobId },
    subscribe: (_root, key, ctx) =>
      ctx.watch(`clusterRestoreJob:${key.groupId}/${key.clusterName}/${key.restoreJobId}`, (s) =>
        clusterRestoreJobPlan(s, key),
      ),
    resolve: valueOf,
  }),
  flexRestoreJob: t.field({
    type: FlexRestoreJobRef,
    nullable: true,
    description: `One restore job of a Flex cluster. ${WHEN} its status is COMPLETED or FAILED.`,
    args: { groupId: pathArgs.groupId, name: pathArgs.name, restoreJobId: pathArgs.restoreJobId },
    subscribe: (_root, key, ctx) =>
      ctx.watch(`flexRestoreJob:${key.groupId}/${key.name}/${key.restoreJobId}`, (s) => flexRestoreJobPlan(s, key)),
    resolve: valueOf,
  }),
  clusterBackupActivity: t.field({
    type: ActivityRef,
    nullable: true,
    description:
      'A dedicated cluster’s backup activity: its newest snapshots and restore jobs, with what changed (new snapshots, status changes). First the current state, then each change; it completes only if the cluster disappears.',
    args: { groupId: pathArgs.groupId, clusterName: clusterArgs.clusterName },
    subscribe: (_root, key, ctx) =>
      ctx.watch(`clusterBackupActivity:${key.groupId}/${key.clusterName}`, (s) => clusterActivityPlan(s, key)),
    resolve: valueOf,
  }),
}));
