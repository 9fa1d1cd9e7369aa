import type { PolicyItemBody } from '../../atlas/backup-schedule.js';
import type { BackupScheduleRecord } from '../../backups/backup-settings-records.js';
import {
  BACKUP_FREQUENCIES,
  BackupFrequencyTypeRef,
  BackupRetentionUnitRef,
  RETENTION_UNITS,
} from './backup-settings-enums.js';
import { builder } from './builder.js';
import { CLOUD_PROVIDERS, CloudProviderRef } from './cluster-enums.js';
import { knownEnumValue } from './enum-value.js';

// The items of backup policies (schedules and the compliance policy) and the copy settings of a
// schedule: the parts `BackupSchedule` and `BackupCompliancePolicy` are made of.

type CopySetting = NonNullable<BackupScheduleRecord['copySettings']>[number];
type CopyPolicyItem = NonNullable<CopySetting['copyPolicyItems']>[number];

/** What an enum field's description ends with. */
export const UNKNOWN = 'Null when absent or a value this schema does not know.';

/** A policy item: what the schedule (and the compliance policy) says about one frequency. */
export const BackupPolicyItemRef = builder.objectRef<PolicyItemBody>('BackupPolicyItem').implement({
  description: 'One item of a backup policy: how often snapshots are taken and how long they are kept.',
  fields: (t) => ({
    id: t.exposeID('id', { nullable: true, description: 'Unique 24-hexadecimal-digit id of the policy item.' }),
    frequencyType: t.field({
      type: BackupFrequencyTypeRef,
      nullable: true,
      description: `How often this item takes a snapshot. ${UNKNOWN}`,
      resolve: (item, _a, ctx) =>
        knownEnumValue(BACKUP_FREQUENCIES, item.frequencyType, 'BackupPolicyItem.frequencyType', ctx.logger),
    }),
    frequencyInterval: t.exposeInt('frequencyInterval', {
      description:
        'When within the frequency: hours between snapshots (hourly), the weekday 1–7 (weekly, 1 = Monday), the day of ' +
        'the month 1–28 or 40 for the last (monthly), the month 1–12 (yearly); 1 for daily.',
    }),
    retentionUnit: t.field({
      type: BackupRetentionUnitRef,
      nullable: true,
      description: `The unit of \`retentionValue\`. ${UNKNOWN}`,
      resolve: (item, _a, ctx) =>
        knownEnumValue(RETENTION_UNITS, item.retentionUnit, 'BackupPolicyItem.retentionUnit', ctx.logger),
    }),
    retentionValue: t.exposeInt('retentionValue', {
      description: 'How long the snapshots of this item are kept, in `retentionUnit`.',
    }),
  }),
});

const BackupCopyPolicyItemRef = builder.objectRef<CopyPolicyItem>('BackupCopyPolicyItem').implement({
  description: 'Which snapshots are copied to another region, and how long copies are kept.',
  fields: (t) => ({
    id: t.exposeID('id', { nullable: true, description: 'Unique 24-hexadecimal-digit id of the copy policy item.' }),
    frequencyType: t.field({
      type: BackupFrequencyTypeRef,
      nullable: true,
      description: `The frequency of the snapshots copied. ${UNKNOWN}`,
      resolve: (item, _a, ctx) =>
        knownEnumValue(BACKUP_FREQUENCIES, item.frequencyType, 'BackupCopyPolicyItem.frequencyType', ctx.logger),
    }),
    retentionUnit: t.field({
      type: BackupRetentionUnitRef,
      nullable: true,
      description: `The unit of \`retentionValue\`; null for on-demand items (they keep no retention of their own). ${UNKNOWN}`,
      resolve: (item, _a, ctx) =>
        knownEnumValue(RETENTION_UNITS, item.retentionUnit, 'BackupCopyPolicyItem.retentionUnit', ctx.logger),
    }),
    retentionValue: t.exposeInt('retentionValue', {
      nullable: true,
      description: 'How long copies are kept, in `retentionUnit`; null for on-demand items.',
    }),
  }),
});

/** `BackupCopySetting`: where the copies of one zone go. */
export const BackupCopySettingRef = builder.objectRef<CopySetting>('BackupCopySetting').implement({
  description: 'Where copies of the snapshots of one zone of the cluster go.',
  fields: (t) => ({
    zoneId: t.exposeID('zoneId', { description: "Id of the cluster's zone (its `replicationSpecs[].zoneId`)." }),
    cloudProvider: t.field({
      type: CloudProviderRef,
      nullable: true,
      description: `Cloud provider of the region the copies go to. ${UNKNOWN}`,
      resolve: (s, _a, ctx) =>
        knownEnumValue(CLOUD_PROVIDERS, s.cloudProvider, 'BackupCopySetting.cloudProvider', ctx.logger),
    }),
    regionName: t.exposeString('regionName', {
      nullable: true,
      description: 'Region the copies go to, in Atlas format, e.g. `US_WEST_2`.',
    }),
    shouldCopyOplogs: t.exposeBoolean('shouldCopyOplogs', {
      nullable: true,
      description: 'Whether the oplogs are copied too (point-in-time restores in that region).',
    }),
    frequencies: t.field({
      type: [BackupFrequencyTypeRef],
      nullable: { list: false, items: true },
      description: `Deprecated by Atlas: the frequencies copied, when \`copyPolicyItemsEnabled\` is false. An item is null for a value this schema does not know.`,
      resolve: (s, _a, ctx) =>
        (s.frequencies ?? []).map((f) =>
          knownEnumValue(BACKUP_FREQUENCIES, f, 'BackupCopySetting.frequencies', ctx.logger),
        ),
    }),
    copyPolicyItems: t.field({
      type: [BackupCopyPolicyItemRef],
      description: 'Which snapshots are copied and how long copies are kept (when `copyPolicyItemsEnabled`).',
      resolve: (s) => s.copyPolicyItems ?? [],
    }),
    lastNumberOfSnapshots: t.exposeInt('lastNumberOfSnapshots', {
      nullable: true,
      description: 'Copy only the most recent snapshots, this many (1–500).',
    }),
  }),
});
