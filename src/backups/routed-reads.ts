import type { AtlasCallOptions, AtlasClient } from '../atlas/client.js';
import {
  flexBackup,
  type FlexClusterKey,
  type FlexRestoreJobBody,
  type FlexSnapshotBody,
} from '../atlas/flex-backup.js';
import type { AtlasLink } from '../atlas/links.js';
import type { PageRequest } from '../atlas/pagination.js';
import {
  getServerlessBackupSnapshot,
  getServerlessRestoreJob,
  listServerlessBackupSnapshots,
  listServerlessRestoreJobs,
  serverlessBackup,
  type ServerlessInstanceKey,
  type ServerlessRestoreJobBody,
  type ServerlessRestoreJobKey,
  type ServerlessSnapshotBody,
  type ServerlessSnapshotKey,
} from '../atlas/serverless-backup.js';
import { restoreJobFromFlex, restoreJobFromServerless, type RestoreJobRecord } from './restore-job-record.js';
import {
  snapshotFromFlex,
  snapshotFromServerless,
  type RecordLocation,
  type SnapshotRecord,
} from './snapshot-record.js';

// The reads by serverless instance name, per kind of item: each operation family's get and list, and
// the mapper that makes its bodies records. BackupReader runs them through the router.

/** A list body as Atlas sends it. */
export interface AtlasList<Body> {
  results: Body[];
  totalCount?: number | undefined;
  links: AtlasLink[];
}

/** A key under the Flex API's name parameter (`clusterName` → `name`). */
type FlexKeyOf<Key extends ServerlessInstanceKey> = Omit<Key, 'clusterName'> & { name: string };

/** How one family reads one kind of item (one by key, a page by cluster) and makes its bodies records. */
interface FamilyReads<Key, ClusterKey, Body, Record> {
  get: (client: AtlasClient, key: Key, options?: AtlasCallOptions) => Promise<Body>;
  list: (
    client: AtlasClient,
    key: ClusterKey,
    page: PageRequest,
    options?: AtlasCallOptions,
  ) => Promise<AtlasList<Body>>;
  record: (at: RecordLocation, body: Body) => Record;
}

/** One kind of item read by serverless name: through the Flex family or the legacy serverless one. */
export interface RoutedKind<Key extends ServerlessInstanceKey, FlexBody, ServerlessBody, Record> {
  /** The operations a NOT_FOUND names (neither family has the name). */
  getOperation: string;
  listOperation: string;
  flex: FamilyReads<FlexKeyOf<Key>, FlexClusterKey, FlexBody, Record>;
  serverless: FamilyReads<Key, ServerlessInstanceKey, ServerlessBody, Record>;
}

/** Snapshots, by serverless instance name. */
export const SNAPSHOTS = {
  getOperation: getServerlessBackupSnapshot.name,
  listOperation: listServerlessBackupSnapshots.name,
  flex: { get: flexBackup.getSnapshot, list: flexBackup.listSnapshots, record: snapshotFromFlex },
  serverless: {
    get: serverlessBackup.getSnapshot,
    list: serverlessBackup.listSnapshots,
    record: snapshotFromServerless,
  },
} satisfies RoutedKind<ServerlessSnapshotKey, FlexSnapshotBody, ServerlessSnapshotBody, SnapshotRecord>;

/** Restore jobs, by serverless instance name. */
export const RESTORE_JOBS = {
  getOperation: getServerlessRestoreJob.name,
  listOperation: listServerlessRestoreJobs.name,
  flex: { get: flexBackup.getRestoreJob, list: flexBackup.listRestoreJobs, record: restoreJobFromFlex },
  serverless: {
    get: serverlessBackup.getRestoreJob,
    list: serverlessBackup.listRestoreJobs,
    record: restoreJobFromServerless,
  },
} satisfies RoutedKind<ServerlessRestoreJobKey, FlexRestoreJobBody, ServerlessRestoreJobBody, RestoreJobRecord>;

/** A serverless-named key under the Flex API's name parameter. */
export const asFlex = <Key extends ServerlessInstanceKey>({ clusterName, ...rest }: Key): FlexKeyOf<Key> => ({
  ...rest,
  name: clusterName,
});
