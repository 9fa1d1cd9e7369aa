import { builder } from './builder.js';
import { knownValues } from './enum-value.js';

// Enums of Cloud Backup snapshots, in Atlas's own spelling as internal values: `ondemand` is what
// Atlas sends for every on-demand snapshot (outside the spec's enum, README §10.3).

const FREQUENCY_VALUES = {
  HOURLY: { value: 'hourly', description: 'Taken by the hourly policy item.' },
  DAILY: { value: 'daily', description: 'Taken by the daily policy item.' },
  WEEKLY: { value: 'weekly', description: 'Taken by the weekly policy item.' },
  MONTHLY: { value: 'monthly', description: 'Taken by the monthly policy item.' },
  YEARLY: { value: 'yearly', description: 'Taken by the yearly policy item.' },
  ON_DEMAND: {
    value: 'ondemand',
    description: 'Requested on demand (Atlas sends `ondemand`, a value its spec does not list).',
  },
} as const;

const TYPE_VALUES = {
  ON_DEMAND: { value: 'onDemand', description: 'Requested on demand.' },
  SCHEDULED: { value: 'scheduled', description: 'Taken by the backup schedule.' },
  FALLBACK: { value: 'fallback', description: 'Taken by Atlas as a fallback after a failed scheduled snapshot.' },
} as const;

const CONFIG_SERVER_VALUES = {
  EMBEDDED: { value: 'EMBEDDED', description: 'The config server runs inside a shard.' },
  DEDICATED: {
    value: 'DEDICATED',
    description: 'The config server is its own replica set (a member of the snapshot).',
  },
} as const;

/** The internal values `ClusterSnapshotFrequency` knows. */
export const CLUSTER_SNAPSHOT_FREQUENCIES = knownValues(FREQUENCY_VALUES);
/** The internal values `ClusterSnapshotType` knows. */
export const CLUSTER_SNAPSHOT_TYPES = knownValues(TYPE_VALUES);
/** The internal values `ConfigServerType` knows. */
export const CONFIG_SERVER_TYPES = knownValues(CONFIG_SERVER_VALUES);

/** `ClusterSnapshotFrequency`: the policy item that took a Cloud Backup snapshot, or on demand. */
export const ClusterSnapshotFrequencyRef = builder.enumType('ClusterSnapshotFrequency', {
  description: 'Which backup policy item took a snapshot of a dedicated cluster, or ON_DEMAND.',
  values: FREQUENCY_VALUES,
});

/** `ClusterSnapshotType`: on demand, scheduled or fallback. */
export const ClusterSnapshotTypeRef = builder.enumType('ClusterSnapshotType', {
  description: 'Why Atlas took a snapshot of a dedicated cluster.',
  values: TYPE_VALUES,
});

/** `ConfigServerType`: where a sharded cluster's config server runs. */
export const ConfigServerTypeRef = builder.enumType('ConfigServerType', {
  description: "Where a sharded cluster's config server runs.",
  values: CONFIG_SERVER_VALUES,
});
