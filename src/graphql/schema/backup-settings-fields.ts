import { BackupCompliancePolicyRef } from './backup-compliance-policy.js';
import { BackupScheduleRef } from './backup-schedule.js';
import { builder } from './builder.js';
import { DedicatedClusterRef } from './cluster.js';
import { ClusterSnapshotRef } from './dedicated-snapshot.js';
import { ExportBucketConnectionRef, ExportBucketRef } from './export-bucket.js';
import { ExportJobConnectionRef, ExportJobRef } from './export-job.js';
import { resolveConnection } from './pagination.js';
import { ProjectRef } from './project.js';

// The backup settings a dashboard walks to from a dedicated cluster (its schedule, its export jobs)
// and from a project (its compliance policy, its export buckets), and from an export job to the
// snapshot it exports, through the same per-request loaders as the root fields: the same cluster,
// project or snapshot asked for twice costs nothing more.

builder.objectFields(DedicatedClusterRef, (t) => ({
  backupSchedule: t.field({
    type: BackupScheduleRef,
    nullable: true,
    description:
      'The backup schedule (as `backupSchedule`). Null without an error, and without an Atlas call, when the cluster ' +
      'has backup disabled (`backupEnabled: false`: Atlas keeps no schedule for it); otherwise null with a typed ' +
      'error when it cannot be returned (NOT_FOUND for a cluster Atlas has no backup configuration for yet).',
    resolve: (c, _a, ctx) =>
      c.backupEnabled === false ? null : ctx.loaders.backupSchedule.load({ groupId: c.groupId, clusterName: c.name }),
  }),
  exports: t.connection(
    {
      type: ExportJobRef,
      nullable: true,
      description:
        "The cluster's export jobs, in Atlas order, a page at a time (as `exportJobs`; Atlas requires Project Backup Manager).",
      resolve: (c, args, ctx, info) =>
        resolveConnection(args, info, (page) =>
          ctx.loaders.exportJobs({ groupId: c.groupId, clusterName: c.name }, page),
        ),
    },
    ExportJobConnectionRef,
  ),
}));

builder.objectFields(ProjectRef, (t) => ({
  backupCompliancePolicy: t.field({
    type: BackupCompliancePolicyRef,
    nullable: true,
    description:
      'The backup compliance policy (as `backupCompliancePolicy`; Atlas requires Project Owner). Null without an error ' +
      'when the project has none.',
    resolve: (project, _a, ctx) => ctx.loaders.compliancePolicy.load(project.id),
  }),
  exportBuckets: t.connection(
    {
      type: ExportBucketRef,
      nullable: true,
      description: "The project's export buckets, in Atlas order, a page at a time (as `exportBuckets`).",
      resolve: (project, args, ctx, info) =>
        resolveConnection(args, info, (page) => ctx.loaders.exportBuckets(project.id, page)),
    },
    ExportBucketConnectionRef,
  ),
}));

builder.objectField(ExportJobRef, 'snapshot', (t) =>
  t.field({
    type: ClusterSnapshotRef,
    nullable: true,
    description:
      'The snapshot exported, looked up through the same per-request loader as `clusterSnapshot`; null when the job names none.',
    resolve: (j, _a, ctx) =>
      j.snapshotId === undefined
        ? null
        : ctx.loaders.clusterSnapshot({ groupId: j.groupId, clusterName: j.clusterName, snapshotId: j.snapshotId }),
  }),
);
