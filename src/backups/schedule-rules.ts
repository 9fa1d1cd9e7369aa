import { z } from 'zod';
import { describeRetention, INT32_MAX, isShorter, retentionSchema, shortfall } from './schedule-retention.js';

// The rules of a backup schedule update (updateBackupSchedule, README §10.2), checked before any
// Atlas call so that a bad input is a BAD_USER_INPUT naming its field: every issue's `path` is the
// GraphQL input field (`['policyItems', 2, 'frequencyInterval']`). Plain values in Atlas's wire
// vocabulary (lower-case enums). Each rule names its source; "inferred" marks what no source states.
// Not checked, because the answer depends on the cluster or on settings the update does not carry:
// NVMe clusters take only hourly interval 12 (spec text); the Atlas CLI asks for an export bucket and
// frequency with autoExportEnabled (cli:internal/cli/backup/schedule/update.go); restoreWindowDays
// bounded by the hourly retention is a compliance-policy rule (DataProtectionSettings.restoreWindowDays),
// and the Terraform provider's own example pairs a 4-day window with 1-day hourly retention.

/** Scheduled frequencies, most frequent first (`DiskBackupApiPolicyItem.frequencyType` without `ondemand`, which is not scheduled). */
const FREQUENCIES = ['hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
type Frequency = (typeof FREQUENCIES)[number];

const span = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * The `frequencyInterval` values of each frequency. Source: the spec's description of
 * `DiskBackupApiPolicyItem.frequencyInterval` (enum 1–28, 40; yearly 1 = January … 12 = December;
 * monthly 40 = last day; weekly 1 = Monday … 7 = Sunday; hourly 1, 2, 4, 6, 8, 12). Daily takes only 1:
 * Terraform provider docs ("The only supported value for daily policies is `1` day"), README §10.3.
 */
const INTERVALS: Record<Frequency, { values: ReadonlySet<number>; says: string }> = {
  hourly: { values: new Set([1, 2, 4, 6, 8, 12]), says: 'hourly items take frequencyInterval 1, 2, 4, 6, 8 or 12' },
  daily: { values: new Set([1]), says: 'daily items take frequencyInterval 1' },
  weekly: { values: new Set(span(1, 7)), says: 'weekly items take frequencyInterval 1 (Monday) to 7 (Sunday)' },
  monthly: {
    values: new Set([...span(1, 28), 40]),
    says: 'monthly items take frequencyInterval 1 to 28 (day of the month) or 40 (last day of the month)',
  },
  yearly: { values: new Set(span(1, 12)), says: 'yearly items take frequencyInterval 1 (January) to 12 (December)' },
};

/**
 * At most one hourly and one daily item. Source: Atlas docs, Backup Scheduling ("You cannot specify
 * multiple Hourly and Daily backup policy items"); the Terraform provider's `MaxItems: 1` on both.
 */
const SINGLE: ReadonlySet<Frequency> = new Set(['hourly', 'daily']);

/** The most items a policy can hold without repeating a slot: 1 hourly, 1 daily, 7 weekly, 29 monthly, 12 yearly. */
const MAX_POLICY_ITEMS = 50;

/** One item of the backup policy: when Atlas takes a snapshot and how long it keeps it. */
const policyItemSchema = z
  .strictObject({
    frequencyType: z.enum(FREQUENCIES, { error: 'must be hourly, daily, weekly, monthly or yearly' }),
    frequencyInterval: z.int({ error: 'must be a whole number' }),
    ...retentionSchema.shape,
  })
  .check((ctx) => {
    const { frequencyType, frequencyInterval } = ctx.value;
    const allowed = INTERVALS[frequencyType];
    if (!allowed.values.has(frequencyInterval)) {
      ctx.issues.push({ code: 'custom', message: allowed.says, path: ['frequencyInterval'], input: frequencyInterval });
    }
  });

/** A policy item as validated. */
type PolicyItem = z.infer<typeof policyItemSchema>;

/** What falls short in how long `item` keeps its snapshots: its frequency's floor, a more frequent item it does not outlast. */
function retentionProblems(item: PolicyItem, items: readonly PolicyItem[]): string[] {
  const type = item.frequencyType;
  const problems: string[] = [];
  const floor = shortfall(type, item);
  if (floor) {
    problems.push(
      `the ${type} item keeps snapshots for ${describeRetention(item)}: a ${type} item must keep them at least ${floor}`,
    );
  }
  const rank = FREQUENCIES.indexOf(type);
  const other = items.find((o) => FREQUENCIES.indexOf(o.frequencyType) < rank && isShorter(item, o));
  if (other) {
    problems.push(
      `the ${type} item keeps snapshots for ${describeRetention(item)}, less than the ${other.frequencyType} item's ` +
        `${describeRetention(other)}: a less frequent item must keep its snapshots at least as long`,
    );
  }
  return problems;
}

/**
 * The rules between items, checked on the items that passed their own checks (a rule over a value
 * already refused would only repeat the refusal):
 * - one item per hourly and daily frequency (SINGLE);
 * - no two weekly, monthly or yearly items on the same `frequencyInterval`: they would take the same
 *   snapshot (inferred);
 * - a weekly, monthly or yearly item keeps its snapshots at least one period (shortfall);
 * - a less frequent item keeps its snapshots at least as long as every more frequent one (spec text of
 *   `retentionValue`; units compared as schedule-retention.ts says).
 */
function checkItems(ctx: z.core.ParsePayload<PolicyItem[]>): void {
  const refused = new Set(ctx.issues.map((issue) => issue.path?.[0]));
  const items = ctx.value.map((item, index) => ({ item, index })).filter(({ index }) => !refused.has(index));
  const valid = items.map(({ item }) => item);
  const refuse = (index: number, field: keyof PolicyItem, message: string) =>
    ctx.issues.push({ code: 'custom', message, path: [index, field], input: ctx.value[index]?.[field] });

  for (const [position, { item, index }] of items.entries()) {
    const { frequencyType: type, frequencyInterval: interval } = item;
    const twin = items
      .slice(0, position)
      .find(
        ({ item: other }) => other.frequencyType === type && (SINGLE.has(type) || other.frequencyInterval === interval),
      );
    if (twin && SINGLE.has(type)) {
      refuse(index, 'frequencyType', `a schedule has one ${type} item at most: item ${twin.index} is ${type} already`);
    } else if (twin) {
      refuse(
        index,
        'frequencyInterval',
        `item ${twin.index} is already the ${type} item on frequencyInterval ${interval}`,
      );
    }

    for (const message of retentionProblems(item, valid)) refuse(index, 'retentionValue', message);
  }
}

/** The hour of the day (UTC) Atlas takes its snapshots at: 0–23. Source: Atlas CLI and Terraform provider validation. */
const hourSchema = z
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must be an hour of the day (UTC), 0 to 23' })
  .max(23, { error: 'must be an hour of the day (UTC), 0 to 23' });

/** The minute of `referenceHourOfDay`: 0–59. Source: Atlas CLI and Terraform provider validation. */
const minuteSchema = z
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must be a minute of the hour, 0 to 59' })
  .max(59, { error: 'must be a minute of the hour, 0 to 59' });

/** Days of point-in-time restore: "a positive, non-zero integer" (spec), int32. */
const restoreWindowSchema = z
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be at least 1 day' })
  .max(INT32_MAX, { error: `must be at most ${INT32_MAX} (int32)` });

/**
 * The input of a backup schedule update, validated: every field optional, yet at least one set.
 * `policyItems` replaces the whole list (at least one item: a schedule without items takes no
 * snapshot, which is what deleteClusterBackupSchedule is for — inferred). `updateSnapshots` (a
 * write-only Atlas flag) applies the new items' retention to existing snapshots, so it comes only with
 * `policyItems` (inferred from its spec text: "the retention changes in the updated backup policy").
 */
export const scheduleUpdateSchema = z
  .strictObject({
    referenceHourOfDay: hourSchema.optional(),
    referenceMinuteOfHour: minuteSchema.optional(),
    restoreWindowDays: restoreWindowSchema.optional(),
    autoExportEnabled: z.boolean({ error: 'must be true or false' }).optional(),
    useOrgAndGroupNamesInExportPrefix: z.boolean({ error: 'must be true or false' }).optional(),
    updateSnapshots: z.boolean({ error: 'must be true or false' }).optional(),
    policyItems: z
      .array(policyItemSchema, { error: 'must be a list of policy items' })
      .min(1, {
        error:
          'must hold at least one item (this API does not stop scheduled snapshots: that is deleting the schedule, done in Atlas)',
      })
      .max(MAX_POLICY_ITEMS, { error: `must hold at most ${MAX_POLICY_ITEMS} items` })
      .check(checkItems)
      .optional(),
  })
  .check((ctx) => {
    const set = Object.entries(ctx.value).filter(([, value]) => value !== undefined);
    if (set.length === 0) {
      ctx.issues.push({ code: 'custom', message: 'an update must set at least one field', path: [], input: ctx.value });
    }
    const { updateSnapshots, policyItems } = ctx.value;
    if (updateSnapshots !== undefined && policyItems === undefined) {
      const message =
        'updateSnapshots applies the retention of new policyItems to existing snapshots: set policyItems too';
      ctx.issues.push({ code: 'custom', message, path: ['updateSnapshots'], input: updateSnapshots });
    }
  });

/** A validated backup schedule update. */
export type ScheduleUpdate = z.infer<typeof scheduleUpdateSchema>;
