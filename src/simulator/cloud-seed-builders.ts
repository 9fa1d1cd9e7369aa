import type {
  SimBackupSchedule,
  SimCloudSnapshot,
  SimDedicatedCluster,
  SimRegion,
  SimReplicationSpec,
  SimSnapshotMember,
} from './cloud-backup-state.js';

/** Builders of the Cloud Backup seed: deterministic 24-hex ids, and bodies shaped like the recordings. */

/** The organization of every seeded project (it appears in export prefixes). */
export const ORG_ID = 'a0b1c2d3e4f5a6b7c8d9e0f1';

export const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A 24-hex id: `prefix`, then `n` in hex, zero-padded. */
export const oid = (prefix: string, n: number) => prefix + n.toString(16).padStart(24 - prefix.length, '0');

/** Atlas's date form: ISO-8601 UTC without fractional seconds. */
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Two hex digits naming a seeded cluster inside its entities' ids. */
const hex2 = (clusterIndex: number) => clusterIndex.toString(16).padStart(2, '0');

/** The id prefix of one kind of entity of one cluster (see {@link oid}). */
export const idPrefix = (kind: 'snapshot' | 'member' | 'policy' | 'restoreJob' | 'export', clusterIndex: number) =>
  ({ snapshot: '6b15', member: '6b16', policy: '6b17', restoreJob: '6b1e', export: '6b1d' })[kind] + hex2(clusterIndex);

/** A three-node electable region with priority 7, as the recorded clusters have. */
export const region = (
  providerName: SimRegion['providerName'],
  regionName: string,
  instanceSize = 'M10',
  diskSizeGB = 10,
): SimRegion => ({ providerName, regionName, instanceSize, priority: 7, nodeCount: 3, diskSizeGB });

/** What a seeded cluster is made of; everything but the name, index, specs and date has a default. */
export type ClusterPlan = Partial<Omit<SimDedicatedCluster, 'replicationSpecs'>> & {
  name: string;
  /** Numbers the cluster's ids (`6b1c…<index>`, and two hex digits inside its entities' ids). */
  index: number;
  /** One entry per replication spec: its zone's name and its regions. */
  specs: [zoneName: string, regions: SimRegion[]][];
  createDate: string;
};

/** A cluster from its plan: IDLE, backup and PIT on, MongoDB 8.0.29, no backups until the seed adds them. */
export function newCluster({ index, specs, ...plan }: ClusterPlan): SimDedicatedCluster {
  const zoneIds = new Map<string, string>();
  const replicationSpecs: SimReplicationSpec[] = specs.map(([zoneName, regions], n) => {
    if (!zoneIds.has(zoneName)) zoneIds.set(zoneName, oid(`6b19${hex2(index)}`, zoneIds.size + 1));
    return { id: oid(`6b18${hex2(index)}`, n + 1), zoneId: zoneIds.get(zoneName)!, zoneName, regions };
  });
  return {
    id: oid('6b1c', index),
    clusterType: 'REPLICASET',
    stateName: 'IDLE',
    paused: false,
    backupEnabled: true,
    pitEnabled: true,
    mongoDBVersion: '8.0.29',
    replicationSpecs,
    snapshots: new Map(),
    restoreJobs: new Map(),
    exports: new Map(),
    schedule: undefined,
    ...plan,
  };
}

/** The frequencies of the observed default policy, with their interval and retention (README §10.3). */
const DEFAULT_POLICY = [
  ['hourly', 6, 'days', 7],
  ['daily', 1, 'days', 7],
  ['weekly', 6, 'weeks', 4],
  ['monthly', 40, 'months', 12],
  ['yearly', 12, 'years', 1],
] as const;

/** Days a scheduled snapshot of each frequency is kept under the default policy. */
const RETENTION_DAYS: Record<string, number> = { hourly: 7, daily: 7, weekly: 28, monthly: 365, yearly: 365 };

/** The id of the default policy's item for `frequency` in cluster `clusterIndex`. */
const policyItemId = (clusterIndex: number, frequency: string) =>
  oid(idPrefix('policy', clusterIndex), 1 + DEFAULT_POLICY.findIndex(([f]) => f === frequency));

/**
 * The schedule Atlas gives a new M10 with PIT (examples/getBackupSchedule/observed-schedule-describe):
 * hourly/6 → 7 days, daily → 7 days, weekly/6 → 4 weeks, monthly/40 → 12 months, yearly/12 → 1 year,
 * restore window 7 days, no copies, no export.
 */
export function defaultSchedule(clusterIndex: number, nextSnapshot: number, referenceHourOfDay = 3): SimBackupSchedule {
  return {
    autoCopySettingsEnabled: false,
    autoExportEnabled: false,
    copyPolicyItemsEnabled: false,
    copySettings: [],
    nextSnapshot: iso(nextSnapshot),
    policies: [
      {
        id: oid(idPrefix('policy', clusterIndex), 0),
        policyItems: DEFAULT_POLICY.map(([frequencyType, frequencyInterval, retentionUnit, retentionValue]) => ({
          frequencyInterval,
          frequencyType,
          id: policyItemId(clusterIndex, frequencyType),
          retentionUnit,
          retentionValue,
        })),
      },
    ],
    referenceHourOfDay,
    referenceMinuteOfHour: 16,
    restoreWindowDays: 7,
    useOrgAndGroupNamesInExportPrefix: false,
  };
}

/** How far a snapshot has got; the in-progress stages are the recorded ones (README §10.3). */
export type SnapshotStage = 'queued' | 'started' | 'versioned' | 'placed' | 'completed' | 'failed';

const STATUS: Record<SnapshotStage, SimCloudSnapshot['status']> = {
  queued: 'queued',
  started: 'inProgress',
  versioned: 'inProgress',
  placed: 'inProgress',
  completed: 'completed',
  failed: 'failed',
};

/** What distinguishes one seeded snapshot. */
export interface SnapshotPlan {
  id: string;
  /** When it was requested or scheduled (ms since the epoch); `createdAt` once completed. */
  at: number;
  stage: SnapshotStage;
  /** A policy frequency for a scheduled snapshot, `ondemand` for an on-demand one. */
  frequency: string;
  snapshotType?: SimCloudSnapshot['snapshotType'];
  storageSizeBytes?: number;
  description?: string;
  clusterIndex: number;
  cloudProvider?: string;
}

/**
 * A snapshot at a stage of the recorded lifecycle: queued and just started with size 0 and no
 * `createdAt`/`mongodVersion`/`cloudProvider`; then `mongodVersion` (versioned), then `cloudProvider`
 * (placed); completed with `createdAt` and a size. On-demand ones say `frequencyType: "ondemand"` and
 * keep 1 day (the CLI default); scheduled ones name their policy item.
 */
export function snapshot(p: SnapshotPlan): SimCloudSnapshot {
  const onDemand = p.frequency === 'ondemand';
  const versioned = p.stage !== 'queued' && p.stage !== 'started';
  const placed = versioned && p.stage !== 'versioned';
  return {
    ...(placed ? { cloudProvider: p.cloudProvider ?? 'AWS' } : {}),
    copyRegions: [],
    ...(p.stage === 'completed' ? { createdAt: iso(p.at) } : {}),
    ...(p.description === undefined ? {} : { description: p.description }),
    expiresAt: iso(p.at + (onDemand ? 1 : (RETENTION_DAYS[p.frequency] ?? 7)) * DAY),
    frequencyType: p.frequency,
    id: p.id,
    ...(versioned ? { mongodVersion: '8.0.29' } : {}),
    policyItems: onDemand ? [] : [policyItemId(p.clusterIndex, p.frequency)],
    snapshotType: p.snapshotType ?? (onDemand ? 'onDemand' : 'scheduled'),
    status: STATUS[p.stage],
    storageSizeBytes: p.stage === 'completed' ? (p.storageSizeBytes ?? 1_073_741_824) : 0,
  };
}

/** `{ id → item }` in the given (creation) order. */
export const byIds = <T extends { id: string }>(items: T[]) => new Map(items.map((item) => [item.id, item]));

/** A snapshot's plan without its cluster and id, which `snapshotsOf` gives it. */
export type NumberedPlan = Omit<SnapshotPlan, 'clusterIndex' | 'id'>;

/** `plans` as snapshots of cluster `index`, numbered from 1 in the given (creation) order; `members` of the n-th. */
export const snapshotsOf = (index: number, plans: NumberedPlan[], members?: (n: number) => SimSnapshotMember[]) =>
  byIds(
    plans.map((p, n): SimCloudSnapshot => {
      const s = snapshot({ ...p, id: oid(idPrefix('snapshot', index), n + 1), clusterIndex: index });
      return members ? { ...s, members: members(n + 1) } : s;
    }),
  );
