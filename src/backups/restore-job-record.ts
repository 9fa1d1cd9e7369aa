import type { FlexClusterKey, FlexRestoreJobBody } from '../atlas/flex-backup.js';
import type { AtlasLink } from '../atlas/links.js';
import type { ServerlessRestoreJobBody } from '../atlas/serverless-backup.js';
import { recordBase, type RecordLocation, type SnapshotSource } from './snapshot-record.js';

/**
 * One restore job, whichever API answered, in the serverless vocabulary. Flex-only fields
 * (`status`, `restoreScheduledDate`) and serverless-only fields are undefined on the other source.
 */
export interface RestoreJobRecord extends Omit<ServerlessRestoreJobBody, 'id' | 'links'> {
  source: SnapshotSource;
  id: string;
  groupId: string;
  clusterName: string;
  /** Flex only: `PENDING` `QUEUED` `RUNNING` `FAILED` `COMPLETED`. */
  status?: string;
  restoreScheduledDate?: string;
  links: AtlasLink[];
}

/** Flex's delivery types in the serverless vocabulary: a `RESTORE` into a cluster is `automated`. */
const FLEX_DELIVERY: Record<string, string> = { RESTORE: 'automated', DOWNLOAD: 'download' };

/** A serverless restore job body as a record. */
export function restoreJobFromServerless(at: RecordLocation, body: ServerlessRestoreJobBody): RestoreJobRecord {
  return { ...body, ...recordBase('SERVERLESS', at, body) };
}

/** A Flex restore job body as a record (field by field, so nothing undocumented slips through). */
export function restoreJobFromFlex(at: RecordLocation, body: FlexRestoreJobBody): RestoreJobRecord {
  const record: RestoreJobRecord = recordBase('FLEX', at, body);
  if (body.deliveryType !== undefined) record.deliveryType = FLEX_DELIVERY[body.deliveryType] ?? body.deliveryType;
  if (body.status !== undefined) {
    record.status = body.status;
    record.failed = body.status === 'FAILED';
  }
  if (body.snapshotUrl !== undefined) record.deliveryUrl = [body.snapshotUrl];
  if (body.expirationDate !== undefined) record.expiresAt = body.expirationDate;
  if (body.restoreFinishedDate !== undefined) record.finishedAt = body.restoreFinishedDate;
  if (body.restoreScheduledDate !== undefined) record.restoreScheduledDate = body.restoreScheduledDate;
  if (body.snapshotFinishedDate !== undefined) record.timestamp = body.snapshotFinishedDate;
  if (body.snapshotId !== undefined) record.snapshotId = body.snapshotId;
  if (body.targetProjectId !== undefined) record.targetGroupId = body.targetProjectId;
  if (body.targetDeploymentItemName !== undefined) record.targetClusterName = body.targetDeploymentItemName;
  return record;
}

/** A Flex restore job in the Flex vocabulary (the `FlexRestoreJob` type), with the path parameters it was fetched with. */
export type FlexRestoreJobRecord = FlexRestoreJobBody & FlexClusterKey;

/** A Flex restore job body as a FlexRestoreJobRecord. */
export function flexRestoreJobRecord(at: FlexClusterKey, body: FlexRestoreJobBody): FlexRestoreJobRecord {
  return { ...body, groupId: at.groupId, name: at.name };
}
