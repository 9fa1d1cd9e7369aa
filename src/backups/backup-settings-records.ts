import type { CompliancePolicyBody } from '../atlas/backup-compliance.js';
import type { ExportBucketBody, ExportJobBody } from '../atlas/backup-exports.js';
import type { BackupScheduleBody } from '../atlas/backup-schedule.js';
import type { ClusterKey } from '../atlas/cluster.js';
import type { AtlasLink } from '../atlas/links.js';

// The backup settings of dedicated clusters and their projects as records: the schedule, export
// jobs, export buckets and the compliance policy, each with where it was asked for. Frequencies are
// in the policy items' vocabulary (`hourly` … `yearly`, `ondemand`) whatever casing a schema uses.

/** The upper-snake frequencies of `extraRetentionSettings` and copy `frequencies` in the policy items' vocabulary. */
const UPPER_FREQUENCIES: Readonly<Record<string, string>> = {
  HOURLY: 'hourly',
  DAILY: 'daily',
  WEEKLY: 'weekly',
  MONTHLY: 'monthly',
  YEARLY: 'yearly',
  ON_DEMAND: 'ondemand',
};

/** An upper-snake frequency in the policy items' vocabulary; a value nobody knows yet stays as sent. */
const fromUpperFrequency = (frequency: string): string => UPPER_FREQUENCIES[frequency] ?? frequency;

/** The schedule of one dedicated cluster, as asked for: `clusterName` is the name given, not the body's. */
export type BackupScheduleRecord = Omit<BackupScheduleBody, 'clusterName'> & ClusterKey;

/** A schedule body as a record: upper-snake frequencies in the policy items' vocabulary. */
export function backupScheduleRecord(at: ClusterKey, body: BackupScheduleBody): BackupScheduleRecord {
  const { clusterName: _asSent, extraRetentionSettings, copySettings, ...rest } = body;
  const record: BackupScheduleRecord = { ...rest, groupId: at.groupId, clusterName: at.clusterName };
  if (extraRetentionSettings) {
    record.extraRetentionSettings = extraRetentionSettings.map(({ frequencyType, ...setting }) =>
      frequencyType === undefined ? setting : { ...setting, frequencyType: fromUpperFrequency(frequencyType) },
    );
  }
  if (copySettings) {
    record.copySettings = copySettings.map(({ frequencies, ...setting }) =>
      frequencies === undefined ? setting : { ...setting, frequencies: frequencies.map(fromUpperFrequency) },
    );
  }
  return record;
}

/** One export job of a dedicated cluster, with where it was asked for. */
export type ExportJobRecord = ExportJobBody & ClusterKey;

/** An export job body as a record. */
export function exportJobRecord(at: ClusterKey, body: ExportJobBody): ExportJobRecord {
  return { ...body, groupId: at.groupId, clusterName: at.clusterName };
}

/** One export bucket, every provider's fields in one shape (those of other providers undefined); `_id` is `id`. */
export interface ExportBucketRecord {
  id: string;
  groupId: string;
  bucketName: string;
  /** `AWS` `AZURE` `GCP`, or a provider nobody knows yet, as sent. */
  cloudProvider: string;
  /** AWS. */
  iamRoleId?: string;
  /** AWS; absent from list items. */
  region?: string;
  /** AWS. */
  requirePrivateNetworking?: boolean;
  /** Azure and GCP. */
  roleId?: string;
  /** Azure. */
  serviceUrl?: string;
  /** Azure. */
  tenantId?: string;
  links: AtlasLink[];
}

/** An export bucket body as a record. */
export function exportBucketRecord(groupId: string, body: ExportBucketBody): ExportBucketRecord {
  const { _id: id, ...rest } = body;
  return { ...rest, id, groupId };
}

/** The compliance policy of one project, with the project it was asked for. */
export type CompliancePolicyRecord = CompliancePolicyBody & { groupId: string };

/**
 * A compliance policy body as a record, or null for `{}`: Atlas's answer for a project without a
 * policy (it never answers 404 for it).
 */
export function compliancePolicyRecord(groupId: string, body: CompliancePolicyBody): CompliancePolicyRecord | null {
  if (Object.values(body).every((value) => value === undefined)) return null;
  return { ...body, groupId };
}
