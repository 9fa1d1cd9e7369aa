import type { AtlasCallOptions, AtlasClient } from '../atlas/client.js';
import { flexBackup, type FlexClusterKey, type FlexRestoreJobKey, type FlexSnapshotKey } from '../atlas/flex-backup.js';
import type { PageRequest } from '../atlas/pagination.js';
import type {
  ServerlessInstanceKey,
  ServerlessRestoreJobKey,
  ServerlessSnapshotKey,
} from '../atlas/serverless-backup.js';
import { flexRestoreJobRecord, type FlexRestoreJobRecord, type RestoreJobRecord } from './restore-job-record.js';
import { BackupSettingsReader } from './backup-settings-reader.js';
import { ClusterReader } from './cluster-reader.js';
import { toPage } from './page.js';
import { asFlex, RESTORE_JOBS, SNAPSHOTS, type RoutedKind } from './routed-reads.js';
import type { ServerlessLookupRouter } from './serverless-lookup-router.js';
import { snapshotFromFlex, type RecordLocation, type SnapshotRecord } from './snapshot-record.js';

/** One page of a list, with what Atlas said about the rest. */
export interface Page<T> {
  items: T[];
  /** Atlas's estimate; undefined when not asked for. */
  totalCount?: number;
  /** Atlas sent a `next` link. */
  hasNext: boolean;
}

/** Where a Flex-named key's records were asked for. */
const flexLocation = ({ groupId, name }: FlexClusterKey): RecordLocation => ({ groupId, clusterName: name });

/**
 * Every read of backup snapshots and restore jobs, as records: serverless-named lookups go through
 * the router (Flex or legacy serverless API), Flex-named ones straight to the Flex API. One per
 * process; callers pass their per-request options (abort signal, forwarded credentials).
 */
export class BackupReader {
  /** Clusters and the Cloud Backup of dedicated clusters (with the process's memory of cluster kinds). */
  readonly clusters: ClusterReader;
  /** Dedicated clusters' backup schedules and export jobs, export buckets and compliance policies. */
  readonly settings: BackupSettingsReader;

  constructor(
    private readonly client: AtlasClient,
    private readonly router: ServerlessLookupRouter,
  ) {
    this.clusters = new ClusterReader(client);
    this.settings = new BackupSettingsReader(client);
  }

  serverlessSnapshot(key: ServerlessSnapshotKey, options?: AtlasCallOptions): Promise<SnapshotRecord> {
    return this.#routedGet(SNAPSHOTS, key, options);
  }

  serverlessSnapshots(
    key: ServerlessInstanceKey,
    page: PageRequest,
    options?: AtlasCallOptions,
  ): Promise<Page<SnapshotRecord>> {
    return this.#routedList(SNAPSHOTS, key, page, options);
  }

  serverlessRestoreJob(key: ServerlessRestoreJobKey, options?: AtlasCallOptions): Promise<RestoreJobRecord> {
    return this.#routedGet(RESTORE_JOBS, key, options);
  }

  serverlessRestoreJobs(
    key: ServerlessInstanceKey,
    page: PageRequest,
    options?: AtlasCallOptions,
  ): Promise<Page<RestoreJobRecord>> {
    return this.#routedList(RESTORE_JOBS, key, page, options);
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

  /** One item by serverless name, from the family the router picks. */
  #routedGet<Key extends ServerlessInstanceKey, F, S, R>(
    kind: RoutedKind<Key, F, S, R>,
    key: Key,
    options: AtlasCallOptions | undefined,
  ): Promise<R> {
    const { flex, serverless } = kind;
    return this.router.route(key.groupId, key.clusterName, kind.getOperation, {
      flex: async () => flex.record(key, await flex.get(this.client, asFlex(key), options)),
      serverless: async () => serverless.record(key, await serverless.get(this.client, key, options)),
    });
  }

  /** One list page by serverless name, from the family the router picks. */
  #routedList<Key extends ServerlessInstanceKey, F, S, R>(
    kind: RoutedKind<Key, F, S, R>,
    key: ServerlessInstanceKey,
    page: PageRequest,
    options: AtlasCallOptions | undefined,
  ): Promise<Page<R>> {
    const { flex, serverless } = kind;
    return this.router.route(key.groupId, key.clusterName, kind.listOperation, {
      flex: async () => toPage(await flex.list(this.client, asFlex(key), page, options), (b) => flex.record(key, b)),
      serverless: async () =>
        toPage(await serverless.list(this.client, key, page, options), (b) => serverless.record(key, b)),
    });
  }
}
