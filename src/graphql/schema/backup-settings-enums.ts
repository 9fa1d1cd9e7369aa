import { builder } from './builder.js';
import { knownValues } from './enum-value.js';

// The enums of the backup settings (schedule, exports, export buckets, compliance policy). Each
// enum's values are written once; their internal values are what the records hold: the policy items'
// lower-case words for frequencies (the records bring other casings to them), Atlas's own casing
// elsewhere (PascalCase export states, upper-case compliance states). Cloud providers are the
// clusters' `CloudProvider` (cluster-enums.ts).

const FREQUENCY_VALUES = {
  HOURLY: { value: 'hourly', description: 'Every few hours (`frequencyInterval`: 1, 2, 4, 6, 8 or 12 hours).' },
  DAILY: { value: 'daily', description: 'Every day.' },
  WEEKLY: { value: 'weekly', description: 'Every week (`frequencyInterval`: 1 = Monday … 7 = Sunday).' },
  MONTHLY: { value: 'monthly', description: 'Every month (`frequencyInterval`: day of the month, 40 = last day).' },
  YEARLY: { value: 'yearly', description: 'Every year (`frequencyInterval`: the month, 1–12).' },
  ON_DEMAND: { value: 'ondemand', description: 'On demand: snapshots someone asked for.' },
} as const;

const RETENTION_UNIT_VALUES = {
  DAYS: { value: 'days', description: 'Days.' },
  WEEKS: { value: 'weeks', description: 'Weeks.' },
  MONTHS: { value: 'months', description: 'Months.' },
  YEARS: { value: 'years', description: 'Years.' },
} as const;

const EXPORT_STATE_VALUES = {
  QUEUED: { value: 'Queued', description: 'Waiting to start.' },
  IN_PROGRESS: { value: 'InProgress', description: 'Writing the snapshot to the bucket.' },
  SUCCESSFUL: { value: 'Successful', description: 'The snapshot is in the bucket.' },
  FAILED: { value: 'Failed', description: 'Could not export; see `stateReason`.' },
  CANCELLED: { value: 'Cancelled', description: 'Cancelled before it finished.' },
} as const;

const COMPLIANCE_STATE_VALUES = {
  ACTIVE: { value: 'ACTIVE', description: 'In force.' },
  ENABLING: { value: 'ENABLING', description: 'Being turned on (seconds after it was set).' },
  UPDATING: { value: 'UPDATING', description: 'A change is being applied.' },
  DISABLING: { value: 'DISABLING', description: 'Being turned off.' },
} as const;

/** The internal values `BackupFrequencyType` knows. */
export const BACKUP_FREQUENCIES = knownValues(FREQUENCY_VALUES);
/** The internal values `BackupRetentionUnit` knows. */
export const RETENTION_UNITS = knownValues(RETENTION_UNIT_VALUES);
/** The internal values `ExportJobState` knows. */
export const EXPORT_JOB_STATES = knownValues(EXPORT_STATE_VALUES);
/** The internal values `BackupCompliancePolicyState` knows. */
export const COMPLIANCE_STATES = knownValues(COMPLIANCE_STATE_VALUES);

/** `BackupFrequencyType`: how often a policy item runs, whatever casing the Atlas schema uses. */
export const BackupFrequencyTypeRef = builder.enumType('BackupFrequencyType', {
  description:
    'How often a backup policy item runs (Atlas writes these in lower case in policies, upper snake case in ' +
    '`extraRetentionSettings` and copy `frequencies`: one vocabulary here).',
  values: FREQUENCY_VALUES,
});

/** `BackupRetentionUnit`: the unit of a retention value. */
export const BackupRetentionUnitRef = builder.enumType('BackupRetentionUnit', {
  description: 'The unit of a backup retention value.',
  values: RETENTION_UNIT_VALUES,
});

/** `ExportJobState`: where an export job is. */
export const ExportJobStateRef = builder.enumType('ExportJobState', {
  description: 'Where an export job is in its life cycle (Atlas sends these in PascalCase).',
  values: EXPORT_STATE_VALUES,
});

/** `BackupCompliancePolicyState`: where the compliance policy is. */
export const BackupCompliancePolicyStateRef = builder.enumType('BackupCompliancePolicyState', {
  description: 'Where the backup compliance policy is: a change passes through ENABLING or UPDATING to ACTIVE.',
  values: COMPLIANCE_STATE_VALUES,
});
