import type { SimCloudRestoreJob, SimCloudSnapshot, SimExportJob } from './cloud-backup-state.js';
import { iso } from './cloud-seed-builders.js';
import type { SimOutcome, Steps } from './lifecycle.js';
import type { SimRestoreJob } from './seed.js';
import { randomToken } from './sim-ids.js';

/**
 * How resources created by writes move over the simulator clock, stage by stage as recorded (README
 * §10.3), and how they end when a test plans a failure. Times count from the write, in ms.
 */
export const LIFECYCLE_MS = {
  /** queued → inProgress → +mongodVersion → +cloudProvider → completed (recorded: 7 s, 23 s, 90 s–7 min, 2.5–9 min). */
  snapshot: { inProgress: 7_000, versioned: 20_000, placed: 90_000, completed: 150_000 },
  /** An automated or point-in-time restore gets `finishedAt`; a download its `deliveryUrl` (recorded: ~4 min). */
  restore: { finished: 240_000 },
  /** A download's URL works this long after it appears, then the job is `expired` (recorded: 1 h). */
  downloadLife: 3_600_000,
  /** Queued → InProgress → Successful (recorded: 2 min 48 s, 14 min 40 s). */
  export: { inProgress: 180_000, finished: 900_000 },
  /** PENDING → QUEUED → RUNNING → COMPLETED. */
  flex: { queued: 30_000, running: 60_000, completed: 300_000 },
} as const;

/** What a snapshot gets when it completes. */
export interface SnapshotFacts {
  mongodVersion: string;
  /** Set on replica-set snapshots only (sharded ones carry it per member). */
  cloudProvider: string | undefined;
  storageSizeBytes: number;
  retentionDays: number;
}

/** A snapshot's life: queued → inProgress → completed (createdAt, size, expiresAt reset) or failed. */
export function snapshotSteps(s: SimCloudSnapshot, t0: number, facts: SnapshotFacts, outcome: SimOutcome): Steps {
  const ms = LIFECYCLE_MS.snapshot;
  const done = t0 + ms.completed;
  return [
    [t0 + ms.inProgress, () => (s.status = 'inProgress')],
    [t0 + ms.versioned, () => (s.mongodVersion = facts.mongodVersion)],
    [t0 + ms.placed, () => facts.cloudProvider !== undefined && (s.cloudProvider = facts.cloudProvider)],
    outcome === 'failed'
      ? [done, () => (s.status = 'failed')]
      : [
          done,
          () =>
            Object.assign(s, {
              status: 'completed',
              createdAt: iso(done - 10_000),
              storageSizeBytes: facts.storageSizeBytes,
              expiresAt: iso(done + facts.retentionDays * 86_400_000),
            }),
        ],
  ];
}

/** The download URL of a restore job: host per job, a 24-character secret token in the path (observed form). */
const deliveryUrl = (jobId: string, snapshotId: string) =>
  `https://restore-${jobId}.s1m0a.example:27017/${randomToken(24)}/restore-${snapshotId}.tar.gz`;

/**
 * A restore job's life. Automated and point-in-time: pending → `finishedAt`. Download: pending →
 * `deliveryUrl` (per shard in `components` for a sharded snapshot) and `expiresAt` an hour on → expired.
 * A failure sets `failed` and `finishedAt` where success would have finished or delivered.
 */
export function restoreSteps(
  j: SimCloudRestoreJob,
  t0: number,
  members: { id: string; replicaSetName: string }[] | undefined,
  outcome: SimOutcome,
): Steps {
  const ready = t0 + LIFECYCLE_MS.restore.finished;
  if (outcome === 'failed') return [[ready, () => Object.assign(j, { failed: true, finishedAt: iso(ready) })]];
  if (j.deliveryType !== 'download') return [[ready, () => (j.finishedAt = iso(ready))]];
  const expires = ready + LIFECYCLE_MS.downloadLife;
  const snapshotId = j.snapshotId ?? '';
  const urls = members
    ? { components: members.map((m) => ({ downloadUrl: deliveryUrl(j.id, m.id), replicaSetName: m.replicaSetName })) }
    : { deliveryUrl: [deliveryUrl(j.id, snapshotId)] };
  const gone = members ? { components: [] } : { deliveryUrl: [] };
  return [
    [ready, () => Object.assign(j, urls, { expiresAt: iso(expires) })],
    [expires, () => Object.assign(j, gone, { expired: true, finishedAt: iso(expires) })],
  ];
}

/** An export job's life: Queued → InProgress → Successful (`finishedAt`) or Failed (`stateReason`). */
export function exportSteps(e: SimExportJob, t0: number, outcome: SimOutcome): Steps {
  const { inProgress, finished } = LIFECYCLE_MS.export;
  const end =
    outcome === 'failed'
      ? {
          state: 'Failed',
          stateReason: { errorCode: 'EXPORT_FAILED', message: 'Atlas could not write to the export bucket.' },
        }
      : { state: 'Successful' };
  return [
    [t0 + inProgress, () => (e.state = 'InProgress')],
    [t0 + finished, () => Object.assign(e, end, { finishedAt: iso(t0 + finished) })],
  ];
}

/** A Flex restore or download job's life: PENDING → QUEUED → RUNNING → COMPLETED (`restoreFinishedDate`) or FAILED. */
export function flexJobSteps(j: SimRestoreJob, t0: number, outcome: SimOutcome): Steps {
  const { queued, running, completed } = LIFECYCLE_MS.flex;
  const done = t0 + completed;
  return [
    [t0 + queued, () => (j.status = 'QUEUED')],
    [t0 + running, () => (j.status = 'RUNNING')],
    outcome === 'failed'
      ? [done, () => (j.status = 'FAILED')]
      : [done, () => Object.assign(j, { status: 'COMPLETED', restoreFinishedDate: iso(done) })],
  ];
}
