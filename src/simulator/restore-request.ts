import { z } from 'zod';
import { clusterName, int32, objectId, refuse } from './write-validation.js';

/** Unix seconds as the restore body types them: int32, from 2008-01-01 (README §10.2, §10.6 item 3). */
const unixSeconds = () => int32(1_199_145_600);

const TARGET = ['targetClusterName', 'targetGroupId'] as const;
const POINT_IN_TIME = ['pointInTimeUTCSeconds', 'oplogTs', 'oplogInc'] as const;

/**
 * `DiskBackupSnapshotRestoreJob` as a request (README §10.2): `deliveryType` required; `automated`
 * needs `snapshotId` and the target; `download` needs `snapshotId` and takes no target;
 * `pointInTime` needs the target and either `pointInTimeUTCSeconds` or `oplogTs` + `oplogInc` (one
 * of the two, else 400 INVALID_PIT_RESTORE_TIME, "Please provide a valid UTC time or an operation
 * time (ts)."); point-in-time fields on another delivery type are refused. Read-only fields of the
 * shared schema (`id`, `cancelled`, …) are ignored.
 */
export const restoreRequest = z
  .object({
    deliveryType: z.enum(['automated', 'download', 'pointInTime']),
    snapshotId: objectId().optional(),
    targetClusterName: clusterName().optional(),
    targetGroupId: objectId().optional(),
    pointInTimeUTCSeconds: unixSeconds().optional(),
    oplogTs: unixSeconds().optional(),
    oplogInc: int32(1).optional(),
  })
  .superRefine((body, ctx) => {
    const missing = (field: string) =>
      refuse(ctx, 'MISSING_ATTRIBUTE', `The required attribute ${field} was not specified.`, [field]);
    const invalid = (field: string) =>
      refuse(ctx, 'INVALID_ATTRIBUTE', `Invalid attribute ${field} specified.`, [field]);
    const { deliveryType } = body;
    if (deliveryType !== 'pointInTime' && body.snapshotId === undefined) missing('snapshotId');
    for (const field of TARGET) {
      if (deliveryType === 'download' && body[field] !== undefined) invalid(field);
      if (deliveryType !== 'download' && body[field] === undefined) missing(field);
    }
    if (deliveryType !== 'pointInTime') {
      for (const field of POINT_IN_TIME) if (body[field] !== undefined) invalid(field);
      return;
    }
    const oplog = body.oplogTs !== undefined || body.oplogInc !== undefined;
    if (oplog === (body.pointInTimeUTCSeconds !== undefined)) {
      refuse(ctx, 'INVALID_PIT_RESTORE_TIME', 'Please provide a valid UTC time or an operation time (ts).');
    } else if (body.oplogTs === undefined && oplog) missing('oplogTs');
    else if (body.oplogInc === undefined && oplog) missing('oplogInc');
  });

/** A valid restore request. */
export type RestoreRequest = z.output<typeof restoreRequest>;
