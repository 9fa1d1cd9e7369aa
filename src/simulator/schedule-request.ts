import { z } from 'zod';
import { int32, objectId, refuse } from './write-validation.js';

/**
 * The body of `updateBackupSchedule` in either version (README §10.2, §10.3), checked with the codes
 * of Atlas's error-code list: INVALID_NUM_OF_POLICIES, INVALID_NUM_OF_POLICY_ITEMS,
 * MISSING_POLICY_ITEM_PARAMETERS, INVALID_BACKUP_POLICY (a frequency interval the frequency type does
 * not take, a retention shorter than a more frequent item's), INVALID_REFERENCE_HOUR_OF_DAY,
 * INVALID_REFERENCE_MINUTE_OF_HOUR, INVALID_RESTORE_WINDOW. Read-only fields (`clusterId`,
 * `clusterName`, `links`, `nextSnapshot`) and the write-only flags (`updateSnapshots`, …) are dropped.
 */

type Frequency = 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly' | 'ondemand';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, n) => from + n);

/** The intervals each frequency takes (the spec's `frequencyInterval` text). */
const INTERVALS: Record<Frequency, number[]> = {
  hourly: [1, 2, 4, 6, 8, 12],
  daily: [1],
  weekly: range(1, 7),
  monthly: [...range(1, 28), 40],
  yearly: range(1, 12),
  ondemand: [],
};
const ORDER: Frequency[] = ['hourly', 'daily', 'weekly', 'monthly', 'yearly'];
const UNIT_DAYS = { days: 1, weeks: 7, months: 30, years: 365 } as const;

const policyItem = z.object({
  id: objectId().optional(),
  frequencyType: z.enum(['daily', 'hourly', 'weekly', 'monthly', 'yearly', 'ondemand']).optional(),
  frequencyInterval: int32().optional(),
  retentionUnit: z.enum(['days', 'weeks', 'months', 'years']).optional(),
  retentionValue: int32(1).optional(),
});

const copySetting = z.looseObject({
  cloudProvider: z.enum(['AWS', 'AZURE', 'GCP']),
  regionName: z.string(),
  shouldCopyOplogs: z.boolean().optional(),
  zoneId: objectId().optional(),
  replicationSpecId: objectId().optional(),
});

/** One copy setting as sent, keyed by `zoneId` (2024-08-05) or `replicationSpecId` (2023-01-01). */
export type CopySettingRequest = z.output<typeof copySetting>;

/** Whether a policy's items are complete, take their intervals and keep longer as they get rarer. */
function checkPolicyItems(items: z.output<typeof policyItem>[], ctx: z.RefinementCtx): void {
  if (items.length === 0) return refuse(ctx, 'INVALID_NUM_OF_POLICY_ITEMS', 'Must have at least one policy item.');
  const complete = items.every(
    (i) => i.frequencyType && i.frequencyInterval !== undefined && i.retentionUnit && i.retentionValue !== undefined,
  );
  if (!complete)
    return refuse(ctx, 'MISSING_POLICY_ITEM_PARAMETERS', 'Each policy item must contain all required fields.');
  const invalid = (why: string) => refuse(ctx, 'INVALID_BACKUP_POLICY', `Invalid Backup Policy: ${why}.`, [why]);
  const bad = items.find((i) => !INTERVALS[i.frequencyType!].includes(i.frequencyInterval!));
  if (bad) return invalid(`frequencyInterval ${bad.frequencyInterval} is not valid for a ${bad.frequencyType} item`);
  const days = (i: (typeof items)[number]) => i.retentionValue! * UNIT_DAYS[i.retentionUnit!];
  const byFrequency = [...items].sort((a, b) => ORDER.indexOf(a.frequencyType!) - ORDER.indexOf(b.frequencyType!));
  const shorter = byFrequency.find((item, k) => k > 0 && days(item) < days(byFrequency[k - 1]!));
  if (shorter) invalid(`the retention of a ${shorter.frequencyType} item is shorter than a more frequent item's`);
}

/** A valid `updateBackupSchedule` body. */
export const scheduleRequest = z
  .object({
    autoCopySettingsEnabled: z.boolean().optional(),
    autoExportEnabled: z.boolean().optional(),
    copyPolicyItemsEnabled: z.boolean().optional(),
    copySettings: z.array(copySetting).optional(),
    export: z.object({ exportBucketId: objectId(), frequencyType: z.enum(['monthly', 'yearly']) }).optional(),
    extraRetentionSettings: z
      .array(
        z.object({
          frequencyType: z.enum(['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY', 'ON_DEMAND']),
          retentionDays: int32(1),
        }),
      )
      .optional(),
    policies: z.array(z.object({ id: objectId().optional(), policyItems: z.array(policyItem) })).optional(),
    referenceHourOfDay: z.number().optional(),
    referenceMinuteOfHour: z.number().optional(),
    restoreWindowDays: z.number().optional(),
    useOrgAndGroupNamesInExportPrefix: z.boolean().optional(),
  })
  .superRefine((body, ctx) => {
    const within = (v: number | undefined, min: number, max: number) =>
      v === undefined || (Number.isInteger(v) && v >= min && v <= max);
    if (!within(body.referenceHourOfDay, 0, 23)) {
      const detail = 'Snapshot schedule reference hour must be between 0 and 23, inclusive.';
      return refuse(ctx, 'INVALID_REFERENCE_HOUR_OF_DAY', detail);
    }
    if (!within(body.referenceMinuteOfHour, 0, 59)) {
      const detail = 'Snapshot schedule reference minute must be between 0 and 59, inclusive.';
      return refuse(ctx, 'INVALID_REFERENCE_MINUTE_OF_HOUR', detail);
    }
    if (!within(body.restoreWindowDays, 1, 2 ** 31 - 1)) {
      return refuse(ctx, 'INVALID_RESTORE_WINDOW', 'The restore window days should be a positive number.');
    }
    if (body.policies === undefined) return;
    if (body.policies.length !== 1) return refuse(ctx, 'INVALID_NUM_OF_POLICIES', 'Must have exactly one policy.');
    checkPolicyItems(body.policies[0]!.policyItems, ctx);
  });

/** A valid `updateBackupSchedule` body. */
export type ScheduleRequest = z.output<typeof scheduleRequest>;
