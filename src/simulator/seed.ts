/**
 * The simulator's sample data: a few projects with serverless instances and snapshots in every
 * status and frequency, one larger than 4 GiB and one at 2^53-1 bytes. Deterministic, so tests and
 * the README can name ids.
 */

/** A serverless snapshot as the simulator stores it (the wire body without `links`). */
export interface SimServerlessSnapshot {
  id: string;
  createdAt: string;
  expiresAt?: string;
  frequencyType: string;
  snapshotType: string;
  status: string;
  mongodVersion: string;
  serverlessInstanceName: string;
  storageSizeBytes?: number;
  /** Extra properties to send verbatim (tests use it for values the spec does not know yet). */
  [extra: string]: unknown;
}

export interface SimServerlessInstance {
  name: string;
  createDate: string;
  snapshots: SimServerlessSnapshot[];
}

export interface SimProject {
  id: string;
  name: string;
  /** When true the simulator's API key has no role in the project: every call answers 403. */
  restricted: boolean;
  serverless: Map<string, SimServerlessInstance>;
}

/** The ids the README and the demo banner quote. */
export const DEMO = {
  groupId: '32b6e34b3d91647abb20e7b8',
  clusterName: 'serverless-prod-01',
  /** A completed daily snapshot of 5 GiB (above the 32-bit GraphQL Int). */
  snapshotId: '6741f2a0c8e4d17a3b9f0e21',
  /** A snapshot whose size is 2^53-1 bytes, the largest exact JSON integer. */
  maxSafeSizeSnapshotId: '6745e7029f8e7d6c5b4a3921',
  restrictedGroupId: '65a0b1c2d3e4f5a6b7c8d9e0',
  analyticsGroupId: '5f1e2d3c4b5a697887766554',
} as const;

const FREQUENCIES = ['hourly', 'daily', 'weekly', 'monthly'] as const;
const STATUSES = ['completed', 'completed', 'inProgress', 'queued', 'failed'] as const;
const RETENTION_DAYS = { hourly: 2, daily: 7, weekly: 28, monthly: 365 } as const;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Snapshot `n` of a generated series: statuses and frequencies cycle, sizes grow. */
function generatedSnapshot(instance: string, idPrefix: string, n: number): SimServerlessSnapshot {
  const frequencyType = FREQUENCIES[n % FREQUENCIES.length]!;
  const status = STATUSES[n % STATUSES.length]!;
  const created = Date.UTC(2025, 10, 1, 3, 14, 0) + n * 6 * 3600_000;
  const finished = status === 'completed' || status === 'failed';
  return {
    id: idPrefix + n.toString(16).padStart(24 - idPrefix.length, '0'),
    createdAt: iso(created),
    ...(finished ? { expiresAt: iso(created + RETENTION_DAYS[frequencyType] * 86_400_000) } : {}),
    frequencyType,
    snapshotType: n % 7 === 3 ? 'onDemand' : 'scheduled',
    status,
    mongodVersion: '8.0.17',
    serverlessInstanceName: instance,
    ...(status === 'completed' ? { storageSizeBytes: 1_073_741_824 + n * 48_234_567 } : {}),
  };
}

function series(instance: string, idPrefix: string, count: number): SimServerlessSnapshot[] {
  return Array.from({ length: count }, (_, n) => generatedSnapshot(instance, idPrefix, n));
}

/** The five snapshots of the published example bodies, kept verbatim (ids, dates, sizes). */
function prodSnapshots(): SimServerlessSnapshot[] {
  const base = { mongodVersion: '8.0.17', serverlessInstanceName: DEMO.clusterName };
  return [
    { ...base, id: DEMO.snapshotId, createdAt: '2025-11-23T03:14:08Z', expiresAt: '2025-11-30T03:14:08Z', frequencyType: 'daily', snapshotType: 'scheduled', status: 'completed', storageSizeBytes: 5_368_709_120 },
    { ...base, id: '6743440e5d1b2c6f7a8e9d30', createdAt: '2025-11-24T03:13:51Z', expiresAt: '2025-12-01T03:13:51Z', frequencyType: 'daily', snapshotType: 'scheduled', status: 'completed', storageSizeBytes: 5_371_002_880 },
    { ...base, id: '67449581a2b3c4d5e6f70812', createdAt: '2025-11-25T09:41:27Z', frequencyType: 'hourly', snapshotType: 'onDemand', status: 'inProgress' },
    { ...base, id: DEMO.maxSafeSizeSnapshotId, createdAt: '2025-11-26T03:14:02Z', expiresAt: '2025-12-26T03:14:02Z', frequencyType: 'weekly', snapshotType: 'scheduled', status: 'completed', storageSizeBytes: 9_007_199_254_740_991 },
    { ...base, id: '6747387ae1d2c3b4a5968778', createdAt: '2025-11-27T12:00:05Z', frequencyType: 'daily', snapshotType: 'onDemand', status: 'queued' },
    { ...base, id: '67488a01b2c3d4e5f6a7b8c9', createdAt: '2025-11-28T03:14:11Z', expiresAt: '2026-11-28T03:14:11Z', frequencyType: 'monthly', snapshotType: 'scheduled', status: 'failed' },
  ];
}

function instance(name: string, snapshots: SimServerlessSnapshot[]): [string, SimServerlessInstance] {
  return [name, { name, createDate: '2024-03-01T10:00:00Z', snapshots }];
}

/** A fresh, mutable copy of the seeded projects, keyed by group id. */
export function createSeedProjects(): Map<string, SimProject> {
  const projects: SimProject[] = [
    {
      id: DEMO.groupId,
      name: 'Demo Project',
      restricted: false,
      serverless: new Map([
        instance(DEMO.clusterName, prodSnapshots()),
        instance('serverless-dev', series('serverless-dev', '6750aa', 12)),
      ]),
    },
    {
      id: DEMO.analyticsGroupId,
      name: 'Analytics',
      restricted: false,
      serverless: new Map([instance('analytics-serverless', series('analytics-serverless', '6750bb', 30))]),
    },
    { id: DEMO.restrictedGroupId, name: 'Restricted', restricted: true, serverless: new Map() },
  ];
  return new Map(projects.map((p) => [p.id, p]));
}
