import type {
  SimCloudRestoreJob,
  SimCloudSnapshot,
  SimCompliancePolicy,
  SimDedicatedCluster,
  SimExportBucket,
  SimExportJob,
} from './cloud-backup-state.js';
import { HOUR, iso } from './cloud-seed-builders.js';

/**
 * Restore jobs, export jobs, export buckets and the compliance policy of the Cloud Backup seed,
 * shaped like the recordings of README §10.3: restore jobs without a status, with
 * `desiredTimestamp: {increment: null, time: null, date: null}` (854/854 recorded) and
 * `targetDeploymentItemName` on automated ones; export jobs without links and with `exportStatus` 0/0.
 */

/** The 24-character path token of a download URL (a secret, like Atlas's; README §10.6 item 8). */
const DELIVERY_TOKEN = 'q7Zr2mXk9LwP4sTb8NcV1yHd';

/** What a restore job is at: the recorded states, plus failed, expired and point-in-time. */
export type RestoreState =
  | 'automatedPending'
  | 'automatedDone'
  | 'automatedFailed'
  | 'downloadPending'
  | 'downloadReady'
  | 'downloadExpired'
  | 'downloadCancelled'
  | 'pointInTimeDone';

/** Where automated and point-in-time restores of the seed go. */
export interface RestoreTarget {
  targetClusterName: string;
  targetDeploymentItemName: string;
  targetGroupId: string;
}

/** The download URL Atlas hands out for `snapshotId` of job `jobId` (observed form, token in the path). */
export const deliveryUrl = (jobId: string, snapshotId: string) =>
  `https://restore-${jobId}.s1m0a.mongodb.net:27017/${DELIVERY_TOKEN}/restore-${snapshotId}.tar.gz`;

/** A restore job of `snapshot` in `state`, `at` being when it was requested. */
export function restoreJob(
  id: string,
  state: RestoreState,
  snapshot: SimCloudSnapshot,
  at: number,
  target: RestoreTarget,
): SimCloudRestoreJob {
  const base = {
    cancelled: state === 'downloadCancelled',
    deliveryUrl: state === 'downloadReady' ? [deliveryUrl(id, snapshot.id)] : [],
    desiredTimestamp: { increment: null, time: null, date: null },
    expired: state === 'downloadExpired',
    failed: state === 'automatedFailed' || state === 'downloadCancelled',
    id,
  };
  const finished = ['automatedDone', 'automatedFailed', 'downloadExpired', 'downloadCancelled', 'pointInTimeDone'];
  const timing = {
    ...(state === 'downloadReady' || state === 'downloadExpired' ? { expiresAt: iso(at + 2 * HOUR) } : {}),
    ...(finished.includes(state) ? { finishedAt: iso(at + HOUR / 2) } : {}),
  };
  if (state === 'pointInTimeDone') {
    const pointInTime = Math.floor((at - 6 * HOUR) / 1000);
    return {
      ...base,
      deliveryType: 'pointInTime',
      ...timing,
      pointInTimeUTCSeconds: pointInTime,
      ...target,
      timestamp: iso(pointInTime * 1000),
    };
  }
  const download = state.startsWith('download');
  return {
    ...base,
    deliveryType: download ? 'download' : 'automated',
    ...timing,
    snapshotId: snapshot.id,
    ...(download ? {} : target),
    timestamp: snapshot.createdAt ?? iso(at),
  };
}

/** An export job of `snapshot` of `cluster` to `bucketId` in `state`, created at `at`. */
export function exportJob(
  id: string,
  state: 'Queued' | 'InProgress' | 'Successful' | 'Failed' | 'Cancelled',
  cluster: SimDedicatedCluster,
  snapshot: SimCloudSnapshot,
  bucketId: string,
  at: number,
  orgId: string,
  groupId: string,
): SimExportJob {
  const snapshotDate = (snapshot.createdAt ?? iso(at)).slice(0, 16).replace(':', '');
  return {
    createdAt: iso(at),
    customData: state === 'Successful' ? [{ key: 'ticket', value: 'OPS-1234' }] : [],
    exportBucketId: bucketId,
    exportStatus: { exportedCollections: 0, totalCollections: 0 },
    ...(state === 'Queued' || state === 'InProgress' ? {} : { finishedAt: iso(at + HOUR / 4) }),
    id,
    // Observed: no leading slash, org and project ids (not the schema's template), createdAt in Unix seconds.
    prefix: `exported_snapshots/${orgId}/${groupId}/${cluster.name}/${snapshotDate}/${Math.floor(at / 1000)}`,
    snapshotId: snapshot.id,
    state,
    ...(state === 'Failed'
      ? { stateReason: { errorCode: 'EXPORT_FAILED', message: 'Atlas could not write to the export bucket.' } }
      : {}),
  };
}

/** Export buckets of the three providers, with the fields each provider's schema has (README §10.3). */
export function exportBuckets(ids: { aws: string; azure: string; gcp: string }): SimExportBucket[] {
  return [
    {
      _id: ids.aws,
      bucketName: 'acme-atlas-exports',
      cloudProvider: 'AWS',
      iamRoleId: '6b1a00000000000000000001',
      region: 'us-east-1',
      requirePrivateNetworking: false,
    },
    {
      _id: ids.azure,
      bucketName: 'atlasexports',
      cloudProvider: 'AZURE',
      roleId: '6b1a00000000000000000002',
      serviceUrl: 'https://acmeatlasexports.blob.core.windows.net/atlasexports',
      tenantId: '8f14e45f-ceea-467a-9575-8b1d0c5e2a17',
    },
    { _id: ids.gcp, bucketName: 'acme-atlas-exports-eu', cloudProvider: 'GCP', roleId: '6b1a00000000000000000003' },
  ];
}

/**
 * An active compliance policy as recorded: `onDemandPolicyItem: null` and `updatedUser` holding the
 * public API key that last changed it, not an email (README §10.3).
 */
export function compliancePolicy(projectId: string, updatedUser: string): SimCompliancePolicy {
  return {
    authorizedEmail: 'backup-admin@example.com',
    authorizedUserFirstName: 'Ada',
    authorizedUserLastName: 'Admin',
    copyProtectionEnabled: false,
    deletable: false,
    encryptionAtRestEnabled: false,
    onDemandPolicyItem: null,
    pitEnabled: true,
    projectId,
    restoreWindowDays: 7,
    scheduledPolicyItems: [
      {
        frequencyInterval: 1,
        frequencyType: 'daily',
        id: '6b1700000000000000000c01',
        retentionUnit: 'days',
        retentionValue: 7,
      },
      {
        frequencyInterval: 6,
        frequencyType: 'weekly',
        id: '6b1700000000000000000c02',
        retentionUnit: 'weeks',
        retentionValue: 4,
      },
    ],
    state: 'ACTIVE',
    updatedDate: '2026-11-02T09:30:11Z',
    updatedUser,
  };
}
