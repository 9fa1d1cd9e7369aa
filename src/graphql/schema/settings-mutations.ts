import { exportClusterSnapshot, exportInputSchema } from '../../backups/actions/export-action.js';
import { scheduleInputSchema, updateClusterBackupSchedule } from '../../backups/actions/schedule-action.js';
import { BackupScheduleRef } from './backup-schedule.js';
import { BackupFrequencyTypeRef, BackupRetentionUnitRef } from './backup-settings-enums.js';
import { builder } from './builder.js';
import { ExportJobRef } from './export-job.js';
import { actionMutation } from './mutation-kit.js';
import { clusterInputFields, ID_FORMAT } from './mutation-inputs.js';

// The backup-settings mutations of dedicated clusters: the schedule and exports (docs/backup-actions.md).
// Not exposed, on purpose: compliance-policy writes (once on, only MongoDB support can turn it off)
// and deleting a schedule (it stops every scheduled snapshot).

const PolicyItemInputRef = builder.inputType('BackupPolicyItemInput', {
  description: 'One item of a backup policy: how often a snapshot is taken and how long it is kept.',
  fields: (t) => ({
    frequencyType: t.field({
      type: BackupFrequencyTypeRef,
      required: true,
      description: 'HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY (ON_DEMAND is not scheduled).',
    }),
    frequencyInterval: t.int({
      required: true,
      description:
        'Hourly: 1, 2, 4, 6, 8 or 12 hours; daily: 1; weekly: 1 (Monday) to 7 (Sunday); monthly: 1–28 or 40 (last day); yearly: the month, 1–12.',
    }),
    retentionUnit: t.field({
      type: BackupRetentionUnitRef,
      required: true,
      description: 'The unit of retentionValue.',
    }),
    retentionValue: t.int({
      required: true,
      description: 'How long its snapshots are kept: at least as long as a more frequent item keeps its own.',
    }),
  }),
});

const KEEP = 'Unchanged when absent.';

actionMutation('updateClusterBackupSchedule', updateClusterBackupSchedule, {
  description:
    "Changes a dedicated cluster's backup schedule (Atlas `updateBackupSchedule`; Project Backup Manager; scope `backups:schedule`). Only the fields given change; `policyItems` replaces the whole list.",
  schema: scheduleInputSchema,
  inputFields: (t) => ({
    ...clusterInputFields(t),
    policyItems: t.field({
      type: [PolicyItemInputRef],
      required: false,
      description: `The policy's items, all of them (at most one hourly and one daily). ${KEEP}`,
    }),
    updateSnapshots: t.boolean({
      required: false,
      description: 'Apply the new items’ retention to the snapshots they already took (with policyItems).',
    }),
    referenceHourOfDay: t.int({ required: false, description: `UTC hour of the scheduled snapshots, 0–23. ${KEEP}` }),
    referenceMinuteOfHour: t.int({ required: false, description: `UTC minute of that hour, 0–59. ${KEEP}` }),
    restoreWindowDays: t.int({
      required: false,
      description: `Days back a point-in-time restore can reach, from 1. ${KEEP}`,
    }),
    autoExportEnabled: t.boolean({ required: false, description: `Export snapshots automatically. ${KEEP}` }),
    useOrgAndGroupNamesInExportPrefix: t.boolean({
      required: false,
      description: `Name exports by organization and project names rather than ids. ${KEEP}`,
    }),
  }),
  resultFields: (t) => ({
    schedule: t.expose('result', {
      type: BackupScheduleRef,
      nullable: true,
      description: 'The schedule as Atlas now holds it (null in a dry run).',
    }),
  }),
});

const CustomDataInputRef = builder.inputType('ExportCustomDataInput', {
  description: 'A key/value pair Atlas writes into the export’s metadata.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'The key (1–256 characters).' }),
    value: t.string({ required: true, description: 'The value (≤ 1,024 characters).' }),
  }),
});

actionMutation('exportClusterSnapshot', exportClusterSnapshot, {
  description:
    'Exports a completed snapshot of a dedicated cluster to one of the project’s export buckets (Atlas `createBackupExport`; Project Backup Export Operator; scope `backups:export`).',
  schema: exportInputSchema,
  inputFields: (t) => ({
    ...clusterInputFields(t),
    snapshotId: t.id({ required: true, description: `The snapshot: ${ID_FORMAT}` }),
    exportBucketId: t.id({ required: true, description: `The export bucket: ${ID_FORMAT}` }),
    customData: t.field({
      type: [CustomDataInputRef],
      required: false,
      description: 'Metadata for the export (at most 50 pairs).',
    }),
  }),
  resultFields: (t) => ({
    exportJob: t.expose('result', {
      type: ExportJobRef,
      nullable: true,
      description: 'The new export job, `Queued` (null in a dry run).',
    }),
  }),
});
