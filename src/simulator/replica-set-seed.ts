import type { SimDedicatedCluster, SimRegion } from './cloud-backup-state.js';
import {
  defaultSchedule,
  newCluster,
  type NumberedPlan,
  region,
  type SnapshotPlan,
  snapshotsOf,
} from './cloud-seed-builders.js';

/** Replica sets of the demo project besides the main one (cloud-backup-seed.ts). */

const at = (month: number, day: number, hour: number, minute = 16) => Date.UTC(2026, month - 1, day, hour, minute);

/** `plans` as snapshots of cluster `index`, every one in `cloudProvider`. */
const snapshotsIn = (index: number, cloudProvider: string, plans: NumberedPlan[]) =>
  snapshotsOf(
    index,
    plans.map((p) => ({ ...p, cloudProvider })),
  );

/**
 * A replica set with a completed on-demand snapshot (the recorded 1,582,854,144 bytes), a daily one,
 * and an on-demand snapshot in flight at `stage`: Atlas runs one on-demand snapshot at a time per
 * cluster, so each recorded in-flight stage has its own cluster.
 */
export function inFlightReplicaSet(index: number, name: string, where: SimRegion, stage: SnapshotPlan['stage']) {
  const c = newCluster({ name, index, createDate: '2026-02-10T12:00:00Z', specs: [['Zone 1', [where]]] });
  c.snapshots = snapshotsIn(index, where.providerName, [
    {
      at: at(11, 19, 22),
      stage: 'completed',
      frequency: 'ondemand',
      description: 'test-snapshot',
      storageSizeBytes: 1_582_854_144,
    },
    { at: at(11, 20, 3), stage: 'completed', frequency: 'daily', storageSizeBytes: 1_619_001_344 },
    { at: at(11, 20, 11, 20), stage, frequency: 'ondemand', description: 'hotfix-rollback-point' },
  ]);
  c.schedule = defaultSchedule(index, at(11, 20, 15));
  return c;
}

/**
 * A paused Azure replica set (snapshots from before the pause, a schedule), one with backup
 * disabled (AWS; no snapshots, no schedule), and one still being created (backup on, no backup
 * configuration yet, no connection strings).
 */
export function idleReplicaSets(names: {
  paused: string;
  backupDisabled: string;
  noSchedule: string;
}): SimDedicatedCluster[] {
  const paused = newCluster({
    name: names.paused,
    index: 6,
    paused: true,
    createDate: '2025-06-03T08:00:00Z',
    specs: [['Zone 1', [region('AZURE', 'US_EAST_2', 'M20', 32)]]],
  });
  paused.snapshots = snapshotsIn(6, 'AZURE', [
    { at: at(10, 1, 3), stage: 'completed', frequency: 'weekly', storageSizeBytes: 734_003_200 },
    { at: at(10, 2, 3), stage: 'completed', frequency: 'daily', storageSizeBytes: 736_100_352 },
  ]);
  paused.schedule = defaultSchedule(6, at(11, 21, 3));
  const disabled = newCluster({
    name: names.backupDisabled,
    index: 7,
    backupEnabled: false,
    pitEnabled: false,
    createDate: '2026-05-05T10:00:00Z',
    specs: [['Zone 1', [region('AWS', 'US_WEST_2')]]],
  });
  const creating = newCluster({
    name: names.noSchedule,
    index: 8,
    stateName: 'CREATING',
    createDate: '2026-11-20T11:00:41Z',
    specs: [['Zone 1', [region('AWS', 'US_EAST_1')]]],
  });
  return [paused, disabled, creating];
}
