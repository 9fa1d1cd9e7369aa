import { builder } from './builder.js';
import { knownValues } from './enum-value.js';

// Each enum's values are written once, with their descriptions; the set of internal values (the
// serverless API's lower-camel words) that resolvers accept from Atlas derives from them.

const FREQUENCY_TYPE_VALUES = {
  HOURLY: { value: 'hourly', description: 'Taken by the hourly policy item.' },
  DAILY: { value: 'daily', description: 'Taken by the daily policy item.' },
  WEEKLY: { value: 'weekly', description: 'Taken by the weekly policy item.' },
  MONTHLY: { value: 'monthly', description: 'Taken by the monthly policy item.' },
} as const;

const SNAPSHOT_TYPE_VALUES = {
  ON_DEMAND: { value: 'onDemand', description: 'Requested on demand.' },
  SCHEDULED: { value: 'scheduled', description: 'Taken by the backup schedule.' },
} as const;

const SNAPSHOT_STATUS_VALUES = {
  PENDING: { value: 'pending', description: 'Flex only: accepted, not yet queued.' },
  QUEUED: { value: 'queued', description: 'Waiting to start.' },
  IN_PROGRESS: { value: 'inProgress', description: 'Being taken (Flex: `RUNNING`).' },
  COMPLETED: { value: 'completed', description: 'Taken successfully; can be restored.' },
  FAILED: { value: 'failed', description: 'Could not be taken.' },
} as const;

/** The internal values `SnapshotFrequencyType` knows. */
export const FREQUENCY_TYPES = knownValues(FREQUENCY_TYPE_VALUES);
/** The internal values `SnapshotType` knows. */
export const SNAPSHOT_TYPES = knownValues(SNAPSHOT_TYPE_VALUES);
/** The internal values `SnapshotStatus` knows. */
export const SNAPSHOT_STATUSES = knownValues(SNAPSHOT_STATUS_VALUES);

/** `SnapshotFrequencyType`: the policy item that took a snapshot. */
export const SnapshotFrequencyTypeRef = builder.enumType('SnapshotFrequencyType', {
  description: 'How often the backup policy item that produced a snapshot runs.',
  values: FREQUENCY_TYPE_VALUES,
});

/** `SnapshotType`: on demand or scheduled. */
export const SnapshotTypeRef = builder.enumType('SnapshotType', {
  description: 'Whether a snapshot was requested by a person or taken on schedule.',
  values: SNAPSHOT_TYPE_VALUES,
});

/** `SnapshotStatus`: serverless and Flex statuses in one vocabulary. */
export const SnapshotStatusRef = builder.enumType('SnapshotStatus', {
  description: 'Where a snapshot is in its life cycle (serverless and Flex statuses in one vocabulary).',
  values: SNAPSHOT_STATUS_VALUES,
});

/** `SnapshotSource`: which Atlas operation family answered. */
export const SnapshotSourceRef = builder.enumType('SnapshotSource', {
  description: 'Which Atlas operation family answered.',
  values: {
    FLEX: {
      value: 'FLEX',
      description: 'The Flex backup operations (API version 2024-11-13), what Atlas serves today.',
    },
    SERVERLESS: {
      value: 'SERVERLESS',
      description: 'The serverless backup operations (API version 2023-01-01), retired on 2026-01-22.',
    },
    DEDICATED: {
      value: 'DEDICATED',
      description: 'The Cloud Backup operations of dedicated clusters (API version 2023-01-01).',
    },
  } as const,
});
