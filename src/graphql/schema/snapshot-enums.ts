import { builder } from './builder.js';

/** Internal values (the serverless API's lower-camel words) each enum knows. */
export const FREQUENCY_TYPES = new Set(['hourly', 'daily', 'weekly', 'monthly'] as const);
export const SNAPSHOT_TYPES = new Set(['onDemand', 'scheduled'] as const);
export const SNAPSHOT_STATUSES = new Set(['pending', 'queued', 'inProgress', 'completed', 'failed'] as const);

export const SnapshotFrequencyTypeRef = builder.enumType('SnapshotFrequencyType', {
  description: 'How often the backup policy item that produced a snapshot runs.',
  values: {
    HOURLY: { value: 'hourly', description: 'Taken by the hourly policy item.' },
    DAILY: { value: 'daily', description: 'Taken by the daily policy item.' },
    WEEKLY: { value: 'weekly', description: 'Taken by the weekly policy item.' },
    MONTHLY: { value: 'monthly', description: 'Taken by the monthly policy item.' },
  } as const,
});

export const SnapshotTypeRef = builder.enumType('SnapshotType', {
  description: 'Whether a snapshot was requested by a person or taken on schedule.',
  values: {
    ON_DEMAND: { value: 'onDemand', description: 'Requested on demand.' },
    SCHEDULED: { value: 'scheduled', description: 'Taken by the backup schedule.' },
  } as const,
});

export const SnapshotStatusRef = builder.enumType('SnapshotStatus', {
  description: 'Where a snapshot is in its life cycle (serverless and Flex statuses in one vocabulary).',
  values: {
    PENDING: { value: 'pending', description: 'Flex only: accepted, not yet queued.' },
    QUEUED: { value: 'queued', description: 'Waiting to start.' },
    IN_PROGRESS: { value: 'inProgress', description: 'Being taken (Flex: `RUNNING`).' },
    COMPLETED: { value: 'completed', description: 'Taken successfully; can be restored.' },
    FAILED: { value: 'failed', description: 'Could not be taken.' },
  } as const,
});

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
  } as const,
});
