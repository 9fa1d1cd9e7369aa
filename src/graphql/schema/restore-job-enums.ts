import { builder } from './builder.js';

export const RESTORE_DELIVERY_TYPES = new Set(['automated', 'download', 'pointInTime'] as const);
export const FLEX_RESTORE_DELIVERY_TYPES = new Set(['RESTORE', 'DOWNLOAD'] as const);
export const RESTORE_JOB_STATUSES = new Set(['PENDING', 'QUEUED', 'RUNNING', 'FAILED', 'COMPLETED'] as const);

export const RestoreDeliveryTypeRef = builder.enumType('RestoreDeliveryType', {
  description: 'How a serverless restore job returns the snapshot.',
  values: {
    AUTOMATED: { value: 'automated', description: 'Restored into a target instance (Flex: `RESTORE`).' },
    DOWNLOAD: { value: 'download', description: 'Offered as files to download.' },
    POINT_IN_TIME: { value: 'pointInTime', description: 'Restored to a point in time.' },
  } as const,
});

export const FlexRestoreDeliveryTypeRef = builder.enumType('FlexRestoreDeliveryType', {
  description: 'How a Flex restore job returns the snapshot.',
  values: {
    RESTORE: { value: 'RESTORE', description: 'Restored into a target cluster.' },
    DOWNLOAD: { value: 'DOWNLOAD', description: 'Offered as a file to download (`snapshotUrl`).' },
  } as const,
});

export const RestoreJobStatusRef = builder.enumType('RestoreJobStatus', {
  description: 'Where a Flex restore job is in its life cycle.',
  values: {
    PENDING: { value: 'PENDING', description: 'Accepted, not yet queued.' },
    QUEUED: { value: 'QUEUED', description: 'Waiting to start.' },
    RUNNING: { value: 'RUNNING', description: 'Restoring.' },
    FAILED: { value: 'FAILED', description: 'Could not restore.' },
    COMPLETED: { value: 'COMPLETED', description: 'Restored.' },
  } as const,
});

/** An int32 Unix-seconds field as a date; any integer works, past 2038 included. */
export const unixSecondsToDate = (seconds: number | undefined): Date | null =>
  seconds === undefined ? null : new Date(seconds * 1000);
