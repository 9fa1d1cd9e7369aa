import { builder } from './builder.js';
import { ClusterRestoreJobConnectionRef, ClusterRestoreJobRef } from './cluster-restore-job.js';
import { DedicatedClusterRef } from './cluster.js';
import { ClusterSnapshotConnectionRef, ClusterSnapshotRef } from './dedicated-snapshot.js';
import { resolveConnection } from './pagination.js';

// The graph a backup dashboard walks from a dedicated cluster: its snapshots, the newest completed
// one, its restore jobs. Each goes through the same per-request loaders as the root fields, and the
// cluster's type (from the parent, remembered) picks the snapshot operations without another call.

builder.objectFields(DedicatedClusterRef, (t) => ({
  snapshots: t.connection(
    {
      type: ClusterSnapshotRef,
      nullable: true,
      description: "The cluster's snapshots, in Atlas order (oldest first), a page at a time (as `clusterSnapshots`).",
      resolve: (c, args, ctx, info) =>
        resolveConnection(args, info, (page) =>
          ctx.loaders.clusterSnapshots({ groupId: c.groupId, clusterName: c.name }, page),
        ),
    },
    ClusterSnapshotConnectionRef,
  ),
  latestSnapshot: t.field({
    type: ClusterSnapshotRef,
    nullable: true,
    description:
      'The newest completed snapshot, by `createdAt`; null when there is none. One Atlas call (the first 50 snapshots, with the count); a second for a longer list (the page holding its last 50). Atlas documents no order: both ends of the list are read. A sharded cluster: its whole list, one call.',
    resolve: (c, _a, ctx) => ctx.loaders.latestSnapshot({ groupId: c.groupId, clusterName: c.name }),
  }),
  restoreJobs: t.connection(
    {
      type: ClusterRestoreJobRef,
      nullable: true,
      description:
        "The cluster's restore jobs, newest first, a page at a time (as `clusterRestoreJobs`; Atlas requires Project Backup Manager).",
      resolve: (c, args, ctx, info) =>
        resolveConnection(args, info, (page) =>
          ctx.loaders.clusterRestoreJobs({ groupId: c.groupId, clusterName: c.name }, page),
        ),
    },
    ClusterRestoreJobConnectionRef,
  ),
}));
