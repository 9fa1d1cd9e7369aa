import { z } from 'zod';
import type { AtlasCallOptions, AtlasClient } from './client.js';
import type { ClusterKey } from './cluster.js';
import { dateTimeSchema } from './date-time.js';
import { objectIdSchema } from './ids.js';
import { linksSchema } from './links.js';
import { defineOperation } from './operation.js';
import { expandPath } from './path.js';
import { atlasArray, atlasText } from './wire-fields.js';

// The backup schedule of a dedicated cluster (getBackupSchedule, API version 2024-08-05: copy
// settings keyed by zone). Enum-like fields are plain strings in each schema's own casing (README
// §10.6 item 4): Atlas may add values, and one unknown value must not fail the schedule.

/** Array bounds, well above what Atlas allows (one policy; an item per frequency; six copy items). */
const MAX = { policies: 8, policyItems: 64, copySettings: 64, copyItems: 16, extraRetention: 16 } as const;

const enumText = atlasText('enum');
const int = z.number().int();

/**
 * `DiskBackupApiPolicyItem` (and the compliance policy's items, same shape): the four fields the spec
 * requires are required here too — every recorded item has them.
 */
export const policyItemSchema = z.object({
  id: objectIdSchema.optional(),
  /** `hourly` `daily` `weekly` `monthly` `yearly` `ondemand`. */
  frequencyType: enumText,
  frequencyInterval: int,
  /** `days` `weeks` `months` `years`. */
  retentionUnit: enumText,
  retentionValue: int,
});

/** One policy item as Atlas describes it. */
export type PolicyItemBody = z.infer<typeof policyItemSchema>;

/** `DiskBackupCopyPolicyItem`: an `ondemand` item has no retention (the spec's oneOf on `frequencyType`). */
const copyPolicyItemSchema = z.object({
  id: objectIdSchema.optional(),
  frequencyType: enumText,
  retentionUnit: enumText.optional(),
  retentionValue: int.optional(),
});

/** `DiskBackupCopySetting20240805`: where copies of the snapshots of one zone go. */
const copySettingSchema = z.object({
  zoneId: objectIdSchema,
  /** `AWS` `AZURE` `GCP`. */
  cloudProvider: enumText.optional(),
  regionName: enumText.optional(),
  shouldCopyOplogs: z.boolean().optional(),
  /** Deprecated; upper snake case (`HOURLY` … `ON_DEMAND`); only when `copyPolicyItemsEnabled` is false. */
  frequencies: atlasArray(enumText, MAX.copyItems).optional(),
  copyPolicyItems: atlasArray(copyPolicyItemSchema, MAX.copyItems).optional(),
  lastNumberOfSnapshots: int.optional(),
});

/** `DiskBackupSnapshotSchedule20240805`. `policies` is required: a body without it is not a schedule. */
export const backupScheduleSchema = z.object({
  clusterId: objectIdSchema.optional(),
  clusterName: atlasText('name').optional(),
  policies: atlasArray(
    z.object({ id: objectIdSchema.optional(), policyItems: atlasArray(policyItemSchema, MAX.policyItems) }),
    MAX.policies,
  ),
  referenceHourOfDay: int.optional(),
  referenceMinuteOfHour: int.optional(),
  restoreWindowDays: int.optional(),
  /** Absent on an emptied schedule (no policy items). */
  nextSnapshot: dateTimeSchema.optional(),
  autoExportEnabled: z.boolean().optional(),
  /** `AutoExportPolicyView`: `frequencyType` `monthly` `yearly`. */
  export: z.object({ exportBucketId: objectIdSchema.optional(), frequencyType: enumText.optional() }).optional(),
  /** `ExtraRetentionSetting`: `frequencyType` in upper snake case (`HOURLY` … `ON_DEMAND`). */
  extraRetentionSettings: atlasArray(
    z.object({ frequencyType: enumText.optional(), retentionDays: int.optional() }),
    MAX.extraRetention,
  ).optional(),
  useOrgAndGroupNamesInExportPrefix: z.boolean().optional(),
  copyPolicyItemsEnabled: z.boolean().optional(),
  autoCopySettingsEnabled: z.boolean().optional(),
  copySettings: atlasArray(copySettingSchema, MAX.copySettings).optional(),
  links: linksSchema,
});

/** One backup schedule as Atlas describes it. */
export type BackupScheduleBody = z.infer<typeof backupScheduleSchema>;

/** `GET /groups/{groupId}/clusters/{clusterName}/backup/schedule` (Project Read Only). */
export const getBackupSchedule = defineOperation(
  'getBackupSchedule',
  'application/vnd.atlas.2024-08-05+json',
  '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/schedule',
  backupScheduleSchema,
);

/** The backup schedule of one dedicated cluster; a cluster without one answers 404 BACKUP_CONFIG_NOT_FOUND. */
export const fetchBackupSchedule = (client: AtlasClient, key: ClusterKey, options?: AtlasCallOptions) =>
  client.get(getBackupSchedule, expandPath(getBackupSchedule.template, key), options);
