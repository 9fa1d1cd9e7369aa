import type { FlexSnapshotBody } from '../atlas/flex-backup.js';
import type { AtlasLink } from '../atlas/links.js';
import type { ServerlessSnapshotBody } from '../atlas/serverless-backup.js';

/** Which Atlas operation family answered: Flex, serverless, or the Cloud Backup of dedicated clusters. */
export type SnapshotSource = 'FLEX' | 'SERVERLESS' | 'DEDICATED';

/**
 * One backup snapshot, whichever API answered, in the serverless vocabulary (lower-camel statuses).
 * Fields one family lacks are undefined.
 */
export interface SnapshotRecord {
  source: SnapshotSource;
  id: string;
  groupId: string;
  /** The serverless instance or Flex cluster name, as asked for. */
  clusterName: string;
  /** `pending` `queued` `inProgress` `completed` `failed`, or an unknown value as sent. */
  status?: string;
  createdAt?: string;
  expiresAt?: string;
  scheduledTime?: string;
  startTime?: string;
  finishTime?: string;
  mongodVersion?: string;
  frequencyType?: string;
  snapshotType?: string;
  serverlessInstanceName?: string;
  storageSizeBytes?: number;
  links: AtlasLink[];
}

/** Flex's upper-case statuses in the serverless vocabulary; `RUNNING` is `inProgress`. */
const FLEX_STATUS: Record<string, string> = {
  PENDING: 'pending',
  QUEUED: 'queued',
  RUNNING: 'inProgress',
  FAILED: 'failed',
  COMPLETED: 'completed',
};

/** Where a record was asked for: the project and the serverless instance or Flex cluster name. */
export interface RecordLocation {
  groupId: string;
  clusterName: string;
}

/** What every record holds whichever API answered: the source, the id, where it was asked for, the links. */
export function recordBase(source: SnapshotSource, at: RecordLocation, body: { id: string; links: AtlasLink[] }) {
  return { source, id: body.id, groupId: at.groupId, clusterName: at.clusterName, links: body.links };
}

/** A serverless snapshot body as a record: its fields are already in the record's vocabulary. */
export function snapshotFromServerless(at: RecordLocation, body: ServerlessSnapshotBody): SnapshotRecord {
  return { ...body, ...recordBase('SERVERLESS', at, body) };
}

/** A Flex snapshot body as a record: `mongoDBVersion`→`mongodVersion`, `expiration`→`expiresAt`, `startTime`→`createdAt`. */
export function snapshotFromFlex(at: RecordLocation, body: FlexSnapshotBody): SnapshotRecord {
  const record: SnapshotRecord = recordBase('FLEX', at, body);
  if (body.status !== undefined) record.status = FLEX_STATUS[body.status] ?? body.status;
  if (body.startTime !== undefined) record.createdAt = body.startTime;
  if (body.expiration !== undefined) record.expiresAt = body.expiration;
  if (body.scheduledTime !== undefined) record.scheduledTime = body.scheduledTime;
  if (body.startTime !== undefined) record.startTime = body.startTime;
  if (body.finishTime !== undefined) record.finishTime = body.finishTime;
  if (body.mongoDBVersion !== undefined) record.mongodVersion = body.mongoDBVersion;
  return record;
}
