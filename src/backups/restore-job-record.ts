import type { FlexRestoreJobBody } from '../atlas/flex-backup.js';
import type { AtlasLink } from '../atlas/links.js';
import type { ServerlessRestoreJobBody } from '../atlas/serverless-backup.js';
import type { SnapshotSource } from './snapshot-record.js';

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

/** Where a restore job was asked for. */
export interface RestoreJobLocation {
  groupId: string;
  clusterName: string;
  restoreJobId: string;
}

/** Flex's delivery types in the serverless vocabulary: a `RESTORE` into a cluster is `automated`. */
const FLEX_DELIVERY: Record<string, string> = { RESTORE: 'automated', DOWNLOAD: 'download' };

export function restoreJobFromServerless(at: RestoreJobLocation, body: ServerlessRestoreJobBody): RestoreJobRecord {
  const { id, links, ...rest } = body;
  return {
    ...rest,
    source: 'SERVERLESS',
    id: id ?? at.restoreJobId,
    groupId: at.groupId,
    clusterName: at.clusterName,
    links,
  };
}

/** A Flex restore job body as a record (field by field, so nothing undocumented slips through). */
export function restoreJobFromFlex(at: RestoreJobLocation, body: FlexRestoreJobBody): RestoreJobRecord {
  const record: RestoreJobRecord = {
    source: 'FLEX',
    id: body.id ?? at.restoreJobId,
    groupId: at.groupId,
    clusterName: at.clusterName,
    links: body.links,
  };
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
