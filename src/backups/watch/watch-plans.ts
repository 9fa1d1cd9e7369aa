import type { ClusterRestoreJobKey, ClusterSnapshotKey } from '../../atlas/cloud-backup.js';
import type { ClusterKey } from '../../atlas/cluster.js';
import type { FlexRestoreJobKey, FlexSnapshotKey } from '../../atlas/flex-backup.js';
import type { DedicatedRestoreJobRecord } from '../dedicated-restore-job-record.js';
import type { DedicatedSnapshotRecord } from '../dedicated-snapshot-record.js';
import { headPage, tailPage } from '../latest-snapshot.js';
import type { Loaders } from '../loaders.js';
import type { FlexRestoreJobRecord } from '../restore-job-record.js';
import type { SnapshotRecord } from '../snapshot-record.js';
import type { PollPlan } from './poller.js';

// What each live-status subscription polls, when it is over, and how often (docs/live-status.md).
// Every read goes through a fresh set of loaders (the same reads as the queries: routing by cluster
// kind, the sharded operations, the client's retries and breaker), made per poll, never per watcher.

/** How the plans poll: a fresh set of loaders per read, and the two intervals. */
export interface PlanSettings {
  /** Loaders for one read, with the watched resource's Atlas credentials. */
  loaders: () => Loaders;
  /** While something is queued or in progress (SUBSCRIPTION_POLL_MS). */
  activeMs: number;
  /** A cluster with nothing in progress (SUBSCRIPTION_IDLE_POLL_MS). */
  idleMs: number;
}

const SNAPSHOT_DONE = new Set(['completed', 'failed']);
const JOB_DONE = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'EXPIRED']);
const FLEX_JOB_DONE = new Set(['COMPLETED', 'FAILED']);
/** How many of a cluster's newest snapshots and restore jobs its activity shows. */
const ACTIVITY_WINDOW = 20;

const print = (value: unknown) => JSON.stringify(value);

/** A snapshot that will not change any more but by retention or deletion: completed or failed. */
const snapshotSettled = (s: SnapshotRecord) => s.status !== undefined && SNAPSHOT_DONE.has(s.status);

/** One snapshot of a dedicated cluster, until it is completed or failed. */
export const clusterSnapshotPlan = (
  settings: PlanSettings,
  key: ClusterSnapshotKey,
): PollPlan<DedicatedSnapshotRecord> => ({
  read: () => settings.loaders().clusterSnapshot(key),
  fingerprint: print,
  terminal: snapshotSettled,
  intervalMs: () => settings.activeMs,
});

/** One Flex snapshot, until it is completed or failed. */
export const flexSnapshotPlan = (settings: PlanSettings, key: FlexSnapshotKey): PollPlan<SnapshotRecord> => ({
  read: () => settings.loaders().flexSnapshot.load(key),
  fingerprint: print,
  terminal: snapshotSettled,
  intervalMs: () => settings.activeMs,
});

/** One restore job of a dedicated cluster, until it is completed, failed, cancelled or expired (its derived state). */
export const clusterRestoreJobPlan = (
  settings: PlanSettings,
  key: ClusterRestoreJobKey,
): PollPlan<DedicatedRestoreJobRecord> => ({
  read: () => settings.loaders().clusterRestoreJob.load(key),
  fingerprint: print,
  terminal: (job) => JOB_DONE.has(job.state),
  intervalMs: () => settings.activeMs,
});

/** One Flex restore job, until it is completed or failed. */
export const flexRestoreJobPlan = (settings: PlanSettings, key: FlexRestoreJobKey): PollPlan<FlexRestoreJobRecord> => ({
  read: () => settings.loaders().flexRestoreJob.load(key),
  fingerprint: print,
  terminal: (job) => job.status !== undefined && FLEX_JOB_DONE.has(job.status),
  intervalMs: () => settings.activeMs,
});

/** What changed in a cluster's backups between two polls. */
export interface ActivityChange {
  kind: 'SNAPSHOT_ADDED' | 'SNAPSHOT_CHANGED' | 'SNAPSHOT_REMOVED' | 'RESTORE_JOB_ADDED' | 'RESTORE_JOB_CHANGED';
  id: string;
}

/** A cluster's backup activity: its newest snapshots and restore jobs, and what changed since the last event. */
export interface ClusterActivity extends ClusterKey {
  snapshots: DedicatedSnapshotRecord[];
  restoreJobs: DedicatedRestoreJobRecord[];
  changes: ActivityChange[];
}

/** The changes from `before` to `after` (by id), in `after`'s order, then the removed ones. */
function diff<T extends { id: string }>(
  before: readonly T[] | undefined,
  after: readonly T[],
  kinds: { added: ActivityChange['kind']; changed: ActivityChange['kind']; removed?: ActivityChange['kind'] },
): ActivityChange[] {
  if (before === undefined) return [];
  const old = new Map(before.map((item) => [item.id, print(item)]));
  const changes: ActivityChange[] = [];
  for (const item of after) {
    const was = old.get(item.id);
    if (was === undefined) changes.push({ kind: kinds.added, id: item.id });
    else if (was !== print(item)) changes.push({ kind: kinds.changed, id: item.id });
    old.delete(item.id);
  }
  if (kinds.removed) for (const id of old.keys()) changes.push({ kind: kinds.removed, id });
  return changes;
}

const inFlight = (a: Pick<ClusterActivity, 'snapshots' | 'restoreJobs'>) =>
  a.snapshots.some((s) => !snapshotSettled(s)) ||
  a.restoreJobs.some((j) => j.state === 'PENDING' || j.state === 'READY');

/**
 * A cluster's backup activity: its newest ACTIVITY_WINDOW snapshots (both ends of the list, as
 * `latestSnapshot` reads them) and restore jobs (Atlas lists them newest first). It never ends
 * (only the cluster's disappearance does); polled every `activeMs` while something is in flight,
 * else every `idleMs`.
 */
export function clusterActivityPlan(settings: PlanSettings, key: ClusterKey): PollPlan<ClusterActivity> {
  let previous: ClusterActivity | undefined;
  return {
    async read() {
      const loaders = settings.loaders();
      const head = await loaders.clusterSnapshots(key, headPage());
      const tail = tailPage(head);
      const all = [...head.items, ...(tail ? (await loaders.clusterSnapshots(key, tail)).items : [])];
      const byId = new Map(all.map((s) => [s.id, s]));
      const snapshots = [...byId.values()].slice(-ACTIVITY_WINDOW);
      const jobs = await loaders.clusterRestoreJobs(key, {
        pageNum: 1,
        itemsPerPage: ACTIVITY_WINDOW,
        includeCount: false,
      });
      const restoreJobs = jobs.items;
      const changes = [
        ...diff(previous?.snapshots, snapshots, {
          added: 'SNAPSHOT_ADDED',
          changed: 'SNAPSHOT_CHANGED',
          removed: 'SNAPSHOT_REMOVED',
        }),
        ...diff(previous?.restoreJobs, restoreJobs, { added: 'RESTORE_JOB_ADDED', changed: 'RESTORE_JOB_CHANGED' }),
      ];
      const activity: ClusterActivity = { ...key, snapshots, restoreJobs, changes };
      previous = activity;
      return activity;
    },
    fingerprint: ({ snapshots, restoreJobs }) => print({ snapshots, restoreJobs }),
    terminal: () => false,
    intervalMs: (activity) => (inFlight(activity) ? settings.activeMs : settings.idleMs),
    current: (activity) => ({ ...activity, changes: [] }),
  };
}
