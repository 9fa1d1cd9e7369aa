import type { CloudRestoreJobBody } from '../atlas/cloud-backup.js';
import type { RecordLocation } from './snapshot-record.js';

/**
 * Where a restore job of a dedicated cluster is. Atlas sends no status (README §10.3): the state is
 * derived from the raw fields by {@link restoreJobState}.
 */
export type RestoreJobState = 'CANCELLED' | 'FAILED' | 'EXPIRED' | 'COMPLETED' | 'READY' | 'PENDING';

/** A restore job of a dedicated cluster: the body as Atlas sent it, where it was asked for, and its derived state. */
export type DedicatedRestoreJobRecord = CloudRestoreJobBody & {
  groupId: string;
  clusterName: string;
  state: RestoreJobState;
};

/** The raw fields the state is derived from. */
type StateInputs = Pick<
  CloudRestoreJobBody,
  'cancelled' | 'failed' | 'expired' | 'finishedAt' | 'deliveryUrl' | 'components'
>;

/** True when Atlas has handed out a download URL (for the whole job, or for a shard of a sharded one). */
const hasDownload = (job: StateInputs): boolean =>
  (job.deliveryUrl?.length ?? 0) > 0 || (job.components ?? []).some((c) => (c.downloadUrl ?? '') !== '');

/**
 * The state of a restore job, from the first row that matches (top to bottom):
 *
 * | # | raw fields                                  | state     | observed                                     |
 * |---|---------------------------------------------|-----------|----------------------------------------------|
 * | 1 | `cancelled: true` (whatever `failed` says)  | CANCELLED | a cancelled download: cancelled AND failed   |
 * | 2 | `failed: true`                              | FAILED    |                                              |
 * | 3 | `expired: true`                             | EXPIRED   | a download whose link ran out                |
 * | 4 | `finishedAt` set                            | COMPLETED | an automated or point-in-time restore done   |
 * | 5 | a `deliveryUrl` (or a shard's `downloadUrl`) | READY     | a download ready, `expiresAt` ≈ 1 h later    |
 * | 6 | none of the above                           | PENDING   | just created: all false, no `finishedAt`     |
 */
export function restoreJobState(job: StateInputs): RestoreJobState {
  if (job.cancelled === true) return 'CANCELLED';
  if (job.failed === true) return 'FAILED';
  if (job.expired === true) return 'EXPIRED';
  if (job.finishedAt !== undefined) return 'COMPLETED';
  if (hasDownload(job)) return 'READY';
  return 'PENDING';
}

/** A restore job body as a record, where it was asked for. */
export function restoreJobFromDedicated(at: RecordLocation, body: CloudRestoreJobBody): DedicatedRestoreJobRecord {
  return { ...body, groupId: at.groupId, clusterName: at.clusterName, state: restoreJobState(body) };
}
