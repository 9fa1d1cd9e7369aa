import type { BackupScheduleRecord } from '../../backups/backup-settings-records.js';
import { lookupDescription, pathArgs } from './arguments.js';
import { BackupCopySettingRef, BackupPolicyItemRef, UNKNOWN } from './backup-policy-items.js';
import { BACKUP_FREQUENCIES, BackupFrequencyTypeRef } from './backup-settings-enums.js';
import { builder } from './builder.js';
import { clusterArgs } from './cluster-arguments.js';
import { knownEnumValue } from './enum-value.js';
import { LinkRef } from './link.js';

type Policy = BackupScheduleRecord['policies'][number];
type AutoExport = NonNullable<BackupScheduleRecord['export']>;
type ExtraRetention = NonNullable<BackupScheduleRecord['extraRetentionSettings']>[number];

const BackupPolicyRef = builder.objectRef<Policy>('BackupPolicy').implement({
  description: 'A backup policy: its items (Atlas keeps one policy per cluster).',
  fields: (t) => ({
    id: t.exposeID('id', { nullable: true, description: 'Unique 24-hexadecimal-digit id of the policy.' }),
    policyItems: t.expose('policyItems', {
      type: [BackupPolicyItemRef],
      description: 'The items: one per frequency; empty once the schedule was deleted.',
    }),
  }),
});

const AutoExportPolicyRef = builder.objectRef<AutoExport>('BackupAutoExportPolicy').implement({
  description: 'Which snapshots Atlas exports to a bucket on its own (with `autoExportEnabled`).',
  fields: (t) => ({
    exportBucketId: t.exposeID('exportBucketId', { nullable: true, description: 'Id of the export bucket.' }),
    frequencyType: t.field({
      type: BackupFrequencyTypeRef,
      nullable: true,
      description: `The snapshots exported: MONTHLY or YEARLY. ${UNKNOWN}`,
      resolve: (e, _a, ctx) =>
        knownEnumValue(BACKUP_FREQUENCIES, e.frequencyType, 'BackupAutoExportPolicy.frequencyType', ctx.logger),
    }),
  }),
});

const ExtraRetentionRef = builder.objectRef<ExtraRetention>('BackupExtraRetentionSetting').implement({
  description: 'A longer retention for the snapshots of one frequency.',
  fields: (t) => ({
    frequencyType: t.field({
      type: BackupFrequencyTypeRef,
      nullable: true,
      description: `The frequency the retention applies to. ${UNKNOWN}`,
      resolve: (e, _a, ctx) =>
        knownEnumValue(BACKUP_FREQUENCIES, e.frequencyType, 'BackupExtraRetentionSetting.frequencyType', ctx.logger),
    }),
    retentionDays: t.exposeInt('retentionDays', { nullable: true, description: 'Days the snapshots are kept.' }),
  }),
});

/** The `BackupSchedule` type. */
export const BackupScheduleRef = builder.objectRef<BackupScheduleRecord>('BackupSchedule').implement({
  description:
    'The backup schedule of a dedicated cluster (Atlas operation `getBackupSchedule`, API version 2024-08-05). Read-only.',
  fields: (t) => ({
    groupId: t.exposeID('groupId', { description: 'Id of the Atlas project (group), as given.' }),
    clusterName: t.exposeString('clusterName', { description: 'Name of the cluster, as given.' }),
    clusterId: t.exposeID('clusterId', {
      nullable: true,
      description: 'Unique 24-hexadecimal-digit id of the cluster.',
    }),
    policies: t.expose('policies', {
      type: [BackupPolicyRef],
      description: 'The backup policies (at most one) and their items.',
    }),
    referenceHourOfDay: t.exposeInt('referenceHourOfDay', {
      nullable: true,
      description: 'Hour of the day (UTC, 0–23) at which Atlas takes the scheduled snapshots.',
    }),
    referenceMinuteOfHour: t.exposeInt('referenceMinuteOfHour', {
      nullable: true,
      description: 'Minute of `referenceHourOfDay` (UTC, 0–59) at which Atlas takes the scheduled snapshots.',
    }),
    restoreWindowDays: t.exposeInt('restoreWindowDays', {
      nullable: true,
      description: 'Days back a continuous cloud backup (point-in-time) restore can reach.',
    }),
    nextSnapshot: t.expose('nextSnapshot', {
      type: 'DateTime',
      nullable: true,
      description: 'When Atlas takes the next scheduled snapshot (UTC); null when the schedule has no items.',
    }),
    copySettings: t.field({
      type: [BackupCopySettingRef],
      description: 'Where snapshot copies go, per zone of the cluster.',
      resolve: (s) => s.copySettings ?? [],
    }),
    copyPolicyItemsEnabled: t.exposeBoolean('copyPolicyItemsEnabled', {
      nullable: true,
      description: 'Whether copies follow `copyPolicyItems` (rather than the deprecated `frequencies`).',
    }),
    autoCopySettingsEnabled: t.exposeBoolean('autoCopySettingsEnabled', {
      nullable: true,
      description: 'Whether Atlas keeps the copy settings in line with the cluster’s regions.',
    }),
    autoExportEnabled: t.exposeBoolean('autoExportEnabled', {
      nullable: true,
      description: 'Whether Atlas exports snapshots to a bucket on its own (see `export`).',
    }),
    export: t.expose('export', {
      type: AutoExportPolicyRef,
      nullable: true,
      description: 'Which snapshots are exported, and where; null when none is set.',
    }),
    useOrgAndGroupNamesInExportPrefix: t.exposeBoolean('useOrgAndGroupNamesInExportPrefix', {
      nullable: true,
      description: 'Whether export prefixes use the organization and project names instead of their ids.',
    }),
    extraRetentionSettings: t.field({
      type: [ExtraRetentionRef],
      description: 'Longer retentions for the snapshots of some frequencies.',
      resolve: (s) => s.extraRetentionSettings ?? [],
    }),
    links: t.expose('links', { type: [LinkRef], description: 'Links Atlas returned with the schedule.' }),
  }),
});

builder.queryFields((t) => ({
  backupSchedule: t.field({
    type: BackupScheduleRef,
    nullable: true,
    description: lookupDescription(
      'The backup schedule of one dedicated cluster (`GET …/clusters/{clusterName}/backup/schedule`). ' +
        'A cluster without a backup configuration (backup disabled, or still being created) is NOT_FOUND ' +
        '(Atlas: BACKUP_CONFIG_NOT_FOUND).',
    ),
    args: { groupId: pathArgs.groupId, clusterName: clusterArgs.clusterName },
    resolve: (_root, key, ctx) => ctx.loaders.backupSchedule.load(key),
  }),
}));
