import { z } from 'zod';

// How long a backup policy item keeps its snapshots, and when one retention is shorter than another.
// Atlas states the rule ("for less frequent policy items, MongoDB Cloud requires that you specify a
// value greater than or equal to the value specified for more frequent policy items",
// DiskBackupApiPolicyItem.retentionValue in openapi-cloud-backups.json) but not how it compares
// units. The comparison below is inferred from what is published:
// - days and weeks compare exactly, a week being 7 days (Terraform provider docs for
//   mongodbatlas_cloud_backup_schedule, maintained by MongoDB: a weekly item keeps "at least 7 days or 1 week");
// - months and years compare exactly, a year being 12 months: the default schedule Atlas creates keeps
//   monthly snapshots 12 months and yearly ones 1 year (README §10.3, examples/getBackupSchedule), so
//   12 months must not be longer than 1 year;
// - across the two scales a month lasts 28 to 31 days and a year 365 or 366, and a retention counts
//   as shorter only if it is shorter however the months fall. Atlas's own day count is not published
//   (months of 30 or 31 days would each contradict one of the facts above): near the edge we refuse
//   nothing Atlas might accept and leave the call to Atlas.

/** int32, the spec's `format` of `retentionValue` and of every integer in the schedule. */
export const INT32_MAX = 2 ** 31 - 1;

/** `retentionUnit` and `retentionValue` of a policy item (Atlas wire values). */
export const retentionSchema = z.strictObject({
  retentionUnit: z.enum(['days', 'weeks', 'months', 'years'], { error: 'must be days, weeks, months or years' }),
  /** At least 1: the spec says only int32; a retention of nothing is inferred to be no retention. */
  retentionValue: z
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(INT32_MAX, { error: `must be at most ${INT32_MAX} (int32)` }),
});

/** How long a policy item keeps its snapshots. */
type Retention = z.infer<typeof retentionSchema>;

/** A retention on its exact scale: a number of days (days, weeks) or of months (months, years). */
function measure({ retentionUnit, retentionValue }: Retention): { scale: 'days' | 'months'; amount: number } {
  switch (retentionUnit) {
    case 'days':
      return { scale: 'days', amount: retentionValue };
    case 'weeks':
      return { scale: 'days', amount: 7 * retentionValue };
    case 'months':
      return { scale: 'months', amount: retentionValue };
    case 'years':
      return { scale: 'months', amount: 12 * retentionValue };
  }
}

/** The fewest and the most days a measured retention can last (a month: 28 to 31 days; a year: 365 or 366). */
function daySpan({ scale, amount }: ReturnType<typeof measure>): [number, number] {
  if (scale === 'days') return [amount, amount];
  const years = Math.floor(amount / 12);
  const months = amount % 12;
  return [365 * years + 28 * months, 366 * years + 31 * months];
}

/** Whether `a` keeps snapshots for less time than `b`, however long its months and years turn out to be. */
export function isShorter(a: Retention, b: Retention): boolean {
  const [x, y] = [measure(a), measure(b)];
  if (x.scale === y.scale) return x.amount < y.amount;
  return daySpan(x)[1] < daySpan(y)[0];
}

/**
 * The least a weekly, monthly or yearly item may keep its snapshots, on each scale. Sources: Terraform
 * provider docs (mongodbatlas_cloud_backup_schedule): weekly "at least 7 days or 1 week", monthly "at
 * least 31 days or 5 weeks or 1 month", yearly "at least 1 year". Inferred: any whole month covers a
 * week; a year in days is 365 (the shorter calendar year).
 */
const FLOORS: Readonly<Partial<Record<string, { days: number; months: number; says: string }>>> = {
  weekly: { days: 7, months: 1, says: '1 week (7 days)' },
  monthly: { days: 31, months: 1, says: '1 month (31 days)' },
  yearly: { days: 365, months: 12, says: '1 year (12 months, 365 days)' },
};

/** What a retention falls short of for a frequency with a floor (`'1 week (7 days)'`), or `undefined` if it does not. */
export function shortfall(frequency: string, retention: Retention): string | undefined {
  const floor = FLOORS[frequency];
  if (!floor) return undefined;
  const { scale, amount } = measure(retention);
  return amount < floor[scale] ? floor.says : undefined;
}

/** A retention in words: `7 days`, `1 week`. */
export function describeRetention({ retentionUnit, retentionValue }: Retention): string {
  return `${retentionValue} ${retentionValue === 1 ? retentionUnit.slice(0, -1) : retentionUnit}`;
}
