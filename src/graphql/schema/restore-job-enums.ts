import { builder } from './builder.js';
import { knownValues } from './enum-value.js';

// Each enum's values are written once, with their descriptions; the set of internal values that
// resolvers accept from Atlas derives from them.

const DELIVERY_TYPE_VALUES = {
  AUTOMATED: { value: 'automated', description: 'Restored into a target instance (Flex: `RESTORE`).' },
  DOWNLOAD: { value: 'download', description: 'Offered as files to download.' },
  POINT_IN_TIME: { value: 'pointInTime', description: 'Restored to a point in time.' },
} as const;

const FLEX_DELIVERY_TYPE_VALUES = {
  RESTORE: { value: 'RESTORE', description: 'Restored into a target cluster.' },
  DOWNLOAD: { value: 'DOWNLOAD', description: 'Offered as a file to download (`snapshotUrl`).' },
} as const;

const STATUS_VALUES = {
  PENDING: { value: 'PENDING', description: 'Accepted, not yet queued.' },
  QUEUED: { value: 'QUEUED', description: 'Waiting to start.' },
  RUNNING: { value: 'RUNNING', description: 'Restoring.' },
  FAILED: { value: 'FAILED', description: 'Could not restore.' },
  COMPLETED: { value: 'COMPLETED', description: 'Restored.' },
} as const;

/** The internal values `RestoreDeliveryType` knows. */
export const RESTORE_DELIVERY_TYPES = knownValues(DELIVERY_TYPE_VALUES);
/** The internal values `FlexRestoreDeliveryType` knows. */
export const FLEX_RESTORE_DELIVERY_TYPES = knownValues(FLEX_DELIVERY_TYPE_VALUES);
/** The internal values `RestoreJobStatus` knows. */
export const RESTORE_JOB_STATUSES = knownValues(STATUS_VALUES);

/** `RestoreDeliveryType`: how a serverless restore job returns the snapshot. */
export const RestoreDeliveryTypeRef = builder.enumType('RestoreDeliveryType', {
  description: 'How a serverless restore job returns the snapshot.',
  values: DELIVERY_TYPE_VALUES,
});

/** `FlexRestoreDeliveryType`: how a Flex restore job returns the snapshot. */
export const FlexRestoreDeliveryTypeRef = builder.enumType('FlexRestoreDeliveryType', {
  description: 'How a Flex restore job returns the snapshot.',
  values: FLEX_DELIVERY_TYPE_VALUES,
});

/** `RestoreJobStatus`: where a Flex restore job is. */
export const RestoreJobStatusRef = builder.enumType('RestoreJobStatus', {
  description: 'Where a Flex restore job is in its life cycle.',
  values: STATUS_VALUES,
});

/** An int32 Unix-seconds field as a date; any integer works, past 2038 included. */
export const unixSecondsToDate = (seconds: number | undefined): Date | null =>
  seconds === undefined ? null : new Date(seconds * 1000);
