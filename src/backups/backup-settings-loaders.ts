import type { ExportBucketKey, ExportJobKey } from '../atlas/backup-exports.js';
import type { ClusterKey } from '../atlas/cluster.js';
import type { BackupSettingsReader } from './backup-settings-reader.js';
import type { ExportBucketRecord } from './backup-settings-records.js';
import type { KeyLoader, LoaderKit } from './loader-kit.js';

/** The cache keys: path parameters, validated, so `/` cannot occur in them. */
const clusterKey = (k: ClusterKey) => `${k.groupId}/${k.clusterName}`;
const bucketKey = (k: ExportBucketKey) => `${k.groupId}/${k.exportBucketId}`;

/**
 * The per-request loaders of the backup settings, on the request's kit (its call budget, concurrency
 * bound and list-page dedupe): a cluster's schedule, its export jobs (list pages prime the job
 * loader), the project's export buckets and its compliance policy. Listed export buckets are not
 * primed: Atlas leaves `region` out of list items, and a lookup of the bucket must still have it.
 */
export function createBackupSettingsLoaders(reader: BackupSettingsReader, { loader, listing }: LoaderKit) {
  const exportJob = loader(
    'exportJob',
    (k: ExportJobKey, c) => reader.exportJob(k, c),
    (k) => `${clusterKey(k)}/${k.exportId}`,
  );
  const exportBucket = loader('exportBucket', (k: ExportBucketKey, c) => reader.exportBucket(k, c), bucketKey);
  /** The bucket loader as a list's target that keeps nothing a list page offers it. */
  const unprimedBuckets: KeyLoader<ExportBucketKey, ExportBucketRecord> = {
    load: (key) => exportBucket.load(key),
    prime: () => undefined,
    clear: (key) => exportBucket.clear(key),
  };
  return {
    backupSchedule: loader('backupSchedule', (k: ClusterKey, c) => reader.backupSchedule(k, c), clusterKey),
    compliancePolicy: loader('compliancePolicy', (groupId: string, c) => reader.compliancePolicy(groupId, c), String),
    exportJob,
    exportJobs: listing(
      (k: ClusterKey, p, c) => reader.exportJobs(k, p, c),
      exportJob,
      (k, { id }): ExportJobKey => ({ ...k, exportId: id }),
      clusterKey,
    ),
    exportBucket,
    exportBuckets: listing(
      (groupId: string, p, c) => reader.exportBuckets(groupId, p, c),
      unprimedBuckets,
      (groupId, { id }): ExportBucketKey => ({ groupId, exportBucketId: id }),
      String,
    ),
  };
}
