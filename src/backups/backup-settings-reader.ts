import { fetchCompliancePolicy } from '../atlas/backup-compliance.js';
import { backupExports, type ExportBucketKey, type ExportJobKey } from '../atlas/backup-exports.js';
import { fetchBackupSchedule } from '../atlas/backup-schedule.js';
import type { AtlasCallOptions, AtlasClient } from '../atlas/client.js';
import type { ClusterKey } from '../atlas/cluster.js';
import type { PageRequest } from '../atlas/pagination.js';
import type { Page } from './backup-reader.js';
import {
  backupScheduleRecord,
  compliancePolicyRecord,
  exportBucketRecord,
  exportJobRecord,
  type BackupScheduleRecord,
  type CompliancePolicyRecord,
  type ExportBucketRecord,
  type ExportJobRecord,
} from './backup-settings-records.js';
import { toPage } from './page.js';

/**
 * The reads of dedicated clusters' backup settings, as records: the schedule, export jobs, export
 * buckets and the project's compliance policy. One per process; callers pass their per-request
 * options (abort signal, forwarded credentials, call budget).
 */
export class BackupSettingsReader {
  constructor(private readonly client: AtlasClient) {}

  async backupSchedule(key: ClusterKey, options?: AtlasCallOptions): Promise<BackupScheduleRecord> {
    return backupScheduleRecord(key, await fetchBackupSchedule(this.client, key, options));
  }

  async exportJob(key: ExportJobKey, options?: AtlasCallOptions): Promise<ExportJobRecord> {
    return exportJobRecord(key, await backupExports.getExportJob(this.client, key, options));
  }

  async exportJobs(key: ClusterKey, page: PageRequest, options?: AtlasCallOptions): Promise<Page<ExportJobRecord>> {
    const body = await backupExports.listExportJobs(this.client, key, page, options);
    return toPage(body, (job) => exportJobRecord(key, job));
  }

  async exportBucket(key: ExportBucketKey, options?: AtlasCallOptions): Promise<ExportBucketRecord> {
    return exportBucketRecord(key.groupId, await backupExports.getExportBucket(this.client, key, options));
  }

  async exportBuckets(
    groupId: string,
    page: PageRequest,
    options?: AtlasCallOptions,
  ): Promise<Page<ExportBucketRecord>> {
    const body = await backupExports.listExportBuckets(this.client, groupId, page, options);
    return toPage(body, (bucket) => exportBucketRecord(groupId, bucket));
  }

  /** Null when the project has no compliance policy (Atlas answers `{}`). */
  async compliancePolicy(groupId: string, options?: AtlasCallOptions): Promise<CompliancePolicyRecord | null> {
    return compliancePolicyRecord(groupId, await fetchCompliancePolicy(this.client, groupId, options));
  }
}
