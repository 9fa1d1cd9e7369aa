import type { AtlasCallOptions, AtlasClient } from '../atlas/client.js';
import { flexBackup, type FlexClusterKey, type FlexRestoreJobKey, type FlexSnapshotKey } from '../atlas/flex-backup.js';
import type { AtlasLink } from '../atlas/links.js';
import type { PageRequest } from '../atlas/pagination.js';
import {
  getServerlessBackupSnapshot,
  getServerlessRestoreJob,
  listServerlessBackupSnapshots,
  listServerlessRestoreJobs,
  serverlessBackup,
  type ServerlessInstanceKey,
  type ServerlessRestoreJobKey,
  type ServerlessSnapshotKey,
} from '../atlas/serverless-backup.js';
import type { ServerlessLookupRouter } from './serverless-lookup-router.js';
import {
  flexRestoreJobRecord,
  restoreJobFromFlex,
  restoreJobFromServerless,
  type FlexRestoreJobRecord,
  type RestoreJobRecord,
} from './restore-job-record.js';
import {
  snapshotFromFlex,
  snapshotFromServerless,
  type RecordLocation,
  type SnapshotRecord,
} from './snapshot-record.js';

/** One page of a list, with what Atlas said about the rest. */
export interface Page<T> {
  items: T[];
  /** Atlas's estimate; undefined when not asked for. */
  totalCount?: number;
  /** Atlas sent a `next` link. */
  hasNext: boolean;
}

/** A serverless-named key under the Flex API's name parameter (`clusterName` → `name`). */
const asFlex = <Key extends ServerlessInstanceKey>({ clusterName, ...rest }: Key) => ({ ...rest, name: clusterName });

/** Where a Flex-named key's records were asked for. */
const flexLocation = ({ groupId, name }: FlexClusterKey): RecordLocation => ({ groupId, clusterName: name });

/**
 * Every read of backup snapshots and restore jobs, as records: serverless-named lookups go through
 * the router (Flex or legacy serverless API), Flex-named ones straight to the Flex API. One per
 * process; callers pass their per-request options (abort signal, forwarded credentials).
 */
export class BackupReader {
  constructor(
    private readonly client: AtlasClient,
    private readonly router: ServerlessLookupRouter,
  ) {}

  serverlessSnapshot(key: ServerlessSnapshotKey, options?: AtlasCallOptions): Promise<SnapshotRecord> {
    return this.router.route(key.groupId, key.clusterName, getServerlessBackupSnapshot.name, {
      flex: async () => snapshotFromFlex(key, await flexBackup.getSnapshot(this.client, asFlex(key), options)),
      serverless: async () =>
        snapshotFromServerless(key, await serverlessBackup.getSnapshot(this.client, key, options)),
    });
  }

  serverlessSnapshots(
    key: ServerlessInstanceKey,
    page: PageRequest,
    options?: AtlasCallOptions,
  ): Promise<Page<SnapshotRecord>> {
    return this.router.route(key.groupId, key.clusterName, listServerlessBackupSnapshots.name, {
      flex: async () =>
        toPage(await flexBackup.listSnapshots(this.client, asFlex(key), page, options), (s) =>
          snapshotFromFlex(key, s),
        ),
      serverless: async () =>
        toPage(await serverlessBackup.listSnapshots(this.client, key, page, options), (s) =>
          snapshotFromServerless(key, s),
        ),
    });
  }

  serverlessRestoreJob(key: ServerlessRestoreJobKey, options?: AtlasCallOptions): Promise<RestoreJobRecord> {
    return this.router.route(key.groupId, key.clusterName, getServerlessRestoreJob.name, {
      flex: async () => restoreJobFromFlex(key, await flexBackup.getRestoreJob(this.client, asFlex(key), options)),
      serverless: async () =>
        restoreJobFromServerless(key, await serverlessBackup.getRestoreJob(this.client, key, options)),
    });
  }

  serverlessRestoreJobs(
    key: ServerlessInstanceKey,
    page: PageRequest,
    options?: AtlasCallOptions,
  ): Promise<Page<RestoreJobRecord>> {
    return this.router.route(key.groupId, key.clusterName, listServerlessRestoreJobs.name, {
      flex: async () =>
        toPage(await flexBackup.listRestoreJobs(this.client, asFlex(key), page, options), (j) =>
          restoreJobFromFlex(key, j),
        ),
      serverless: async () =>
        toPage(await serverlessBackup.listRestoreJobs(this.client, key, page, options), (j) =>
          restoreJobFromServerless(key, j),
        ),
    });
  }

  async flexSnapshot(key: FlexSnapshotKey, options?: AtlasCallOptions): Promise<SnapshotRecord> {
    return snapshotFromFlex(flexLocation(key), await flexBackup.getSnapshot(this.client, key, options));
  }

  async flexSnapshots(
    key: FlexClusterKey,
    page: PageRequest,
    options?: AtlasCallOptions,
  ): Promise<Page<SnapshotRecord>> {
    const body = await flexBackup.listSnapshots(this.client, key, page, options);
    return toPage(body, (s) => snapshotFromFlex(flexLocation(key), s));
  }

  async flexRestoreJob(key: FlexRestoreJobKey, options?: AtlasCallOptions): Promise<FlexRestoreJobRecord> {
    return flexRestoreJobRecord(key, await flexBackup.getRestoreJob(this.client, key, options));
  }

  async flexRestoreJobs(
    key: FlexClusterKey,
    page: PageRequest,
    options?: AtlasCallOptions,
  ): Promise<Page<FlexRestoreJobRecord>> {
    const body = await flexBackup.listRestoreJobs(this.client, key, page, options);
    return toPage(body, (j) => flexRestoreJobRecord(key, j));
  }
}

/** An Atlas list body as a Page of records. */
function toPage<Item, T>(
  body: { results: Item[]; totalCount?: number | undefined; links: AtlasLink[] },
  map: (item: Item) => T,
): Page<T> {
  return {
    items: body.results.map(map),
    ...(body.totalCount === undefined ? {} : { totalCount: body.totalCount }),
    hasNext: body.links.some((link) => link.rel === 'next'),
  };
}
