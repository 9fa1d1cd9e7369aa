import type { AtlasCallOptions, AtlasClient } from '../atlas/client.js';
import {
  flexBackup,
  type FlexClusterKey,
  type FlexRestoreJobBody,
  type FlexRestoreJobKey,
  type FlexSnapshotKey,
} from '../atlas/flex-backup.js';
import type { AtlasLink } from '../atlas/links.js';
import type { PageRequest } from '../atlas/pagination.js';
import {
  serverlessBackup,
  type ServerlessInstanceKey,
  type ServerlessRestoreJobKey,
  type ServerlessSnapshotKey,
} from '../atlas/serverless-backup.js';
import type { ServerlessLookupRouter } from './serverless-lookup-router.js';
import { restoreJobFromFlex, restoreJobFromServerless, type RestoreJobRecord } from './restore-job-record.js';
import { snapshotFromFlex, snapshotFromServerless, type SnapshotRecord } from './snapshot-record.js';

/** One page of a list, with what Atlas said about the rest. */
export interface Page<T> {
  items: T[];
  /** Atlas's estimate; undefined when not asked for. */
  totalCount?: number;
  /** Atlas sent a `next` link. */
  hasNext: boolean;
}

/** A Flex restore job with the path parameters it was fetched with. */
export type FlexRestoreJobModel = FlexRestoreJobBody & { id: string; groupId: string; name: string };

const hasNext = (links: AtlasLink[]) => links.some((link) => link.rel === 'next');

/**
 * Every read of backup snapshots and restore jobs, as records: serverless-named lookups go through
 * the API router, Flex-named ones straight to the Flex API. One per process; callers pass their
 * per-request options (abort signal, forwarded credentials).
 */
export class BackupReader {
  constructor(
    private readonly client: AtlasClient,
    private readonly router: ServerlessLookupRouter,
  ) {}

  serverlessSnapshot(key: ServerlessSnapshotKey, options?: AtlasCallOptions): Promise<SnapshotRecord> {
    const flexKey = { groupId: key.groupId, name: key.clusterName, snapshotId: key.snapshotId };
    return this.router.route(key.groupId, key.clusterName, 'getServerlessBackupSnapshot', {
      flex: async () => snapshotFromFlex(key, await flexBackup.getSnapshot(this.client, flexKey, options)),
      serverless: async () =>
        snapshotFromServerless(key, await serverlessBackup.getSnapshot(this.client, key, options)),
    });
  }

  async flexSnapshot(key: FlexSnapshotKey, options?: AtlasCallOptions): Promise<SnapshotRecord> {
    const at = { groupId: key.groupId, clusterName: key.name, snapshotId: key.snapshotId };
    return snapshotFromFlex(at, await flexBackup.getSnapshot(this.client, key, options));
  }

  serverlessSnapshots(
    key: ServerlessInstanceKey,
    page: PageRequest,
    options?: AtlasCallOptions,
  ): Promise<Page<SnapshotRecord>> {
    const at = (id: string | undefined) => ({ ...key, snapshotId: id ?? '' });
    return this.router.route(key.groupId, key.clusterName, 'listServerlessBackupSnapshots', {
      flex: async () => {
        const body = await flexBackup.listSnapshots(
          this.client,
          { groupId: key.groupId, name: key.clusterName },
          page,
          options,
        );
        return toPage(body, (s) => snapshotFromFlex(at(s.id), s));
      },
      serverless: async () => {
        const body = await serverlessBackup.listSnapshots(this.client, key, page, options);
        return toPage(body, (s) => snapshotFromServerless(at(s.id), s));
      },
    });
  }

  async flexSnapshots(
    key: FlexClusterKey,
    page: PageRequest,
    options?: AtlasCallOptions,
  ): Promise<Page<SnapshotRecord>> {
    const body = await flexBackup.listSnapshots(this.client, key, page, options);
    return toPage(body, (s) =>
      snapshotFromFlex({ groupId: key.groupId, clusterName: key.name, snapshotId: s.id ?? '' }, s),
    );
  }

  serverlessRestoreJob(key: ServerlessRestoreJobKey, options?: AtlasCallOptions): Promise<RestoreJobRecord> {
    const flexKey = { groupId: key.groupId, name: key.clusterName, restoreJobId: key.restoreJobId };
    return this.router.route(key.groupId, key.clusterName, 'getServerlessRestoreJob', {
      flex: async () => restoreJobFromFlex(key, await flexBackup.getRestoreJob(this.client, flexKey, options)),
      serverless: async () =>
        restoreJobFromServerless(key, await serverlessBackup.getRestoreJob(this.client, key, options)),
    });
  }

  serverlessRestoreJobs(
    key: ServerlessInstanceKey,
    page: PageRequest,
    options?: AtlasCallOptions,
  ): Promise<Page<RestoreJobRecord>> {
    const at = (id: string | undefined) => ({ ...key, restoreJobId: id ?? '' });
    return this.router.route(key.groupId, key.clusterName, 'listServerlessRestoreJobs', {
      flex: async () => {
        const body = await flexBackup.listRestoreJobs(
          this.client,
          { groupId: key.groupId, name: key.clusterName },
          page,
          options,
        );
        return toPage(body, (j) => restoreJobFromFlex(at(j.id), j));
      },
      serverless: async () => {
        const body = await serverlessBackup.listRestoreJobs(this.client, key, page, options);
        return toPage(body, (j) => restoreJobFromServerless(at(j.id), j));
      },
    });
  }

  async flexRestoreJob(key: FlexRestoreJobKey, options?: AtlasCallOptions): Promise<FlexRestoreJobModel> {
    const body = await flexBackup.getRestoreJob(this.client, key, options);
    return { ...body, id: body.id ?? key.restoreJobId, groupId: key.groupId, name: key.name };
  }

  async flexRestoreJobs(
    key: FlexClusterKey,
    page: PageRequest,
    options?: AtlasCallOptions,
  ): Promise<Page<FlexRestoreJobModel>> {
    const body = await flexBackup.listRestoreJobs(this.client, key, page, options);
    return toPage(body, (j) => ({ ...j, id: j.id ?? '', groupId: key.groupId, name: key.name }));
  }
}

function toPage<Item, T>(
  body: { results: Item[]; totalCount?: number | undefined; links: AtlasLink[] },
  map: (item: Item) => T,
): Page<T> {
  return {
    items: body.results.map(map),
    ...(body.totalCount === undefined ? {} : { totalCount: body.totalCount }),
    hasNext: hasNext(body.links),
  };
}
