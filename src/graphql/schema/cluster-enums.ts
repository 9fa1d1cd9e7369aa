import { builder } from './builder.js';
import { knownValues } from './enum-value.js';

// Enums of the cluster types, each written once with its descriptions; Atlas's own spelling is the
// internal value, and a value Atlas adds later resolves the one field to null.

const CLUSTER_TYPE_VALUES = {
  REPLICASET: { value: 'REPLICASET', description: 'One replica set (every Flex cluster is one).' },
  SHARDED: { value: 'SHARDED', description: 'A sharded cluster: its snapshots are `ShardedClusterSnapshot`s.' },
  GEOSHARDED: { value: 'GEOSHARDED', description: 'A global cluster: sharded across zones.' },
} as const;

const CLUSTER_STATE_VALUES = {
  IDLE: { value: 'IDLE', description: 'Running; no change in progress.' },
  CREATING: { value: 'CREATING', description: 'Being created (no backup configuration yet).' },
  UPDATING: { value: 'UPDATING', description: 'A change is being applied.' },
  DELETING: { value: 'DELETING', description: 'Being deleted (backups already disabled).' },
  REPAIRING: { value: 'REPAIRING', description: 'Atlas is repairing it.' },
} as const;

const CLOUD_PROVIDER_VALUES = {
  AWS: { value: 'AWS', description: 'Amazon Web Services.' },
  AZURE: { value: 'AZURE', description: 'Microsoft Azure.' },
  GCP: { value: 'GCP', description: 'Google Cloud.' },
} as const;

/** The internal values `ClusterType` knows. */
export const CLUSTER_TYPES = knownValues(CLUSTER_TYPE_VALUES);
/** The internal values `ClusterState` knows. */
export const CLUSTER_STATES = knownValues(CLUSTER_STATE_VALUES);
/** The internal values `CloudProvider` knows. */
export const CLOUD_PROVIDERS = knownValues(CLOUD_PROVIDER_VALUES);

/** `ClusterType`: the topology of a cluster (`clusterType`). */
export const ClusterTypeRef = builder.enumType('ClusterType', {
  description: 'The topology of a cluster.',
  values: CLUSTER_TYPE_VALUES,
});

/** `ClusterState`: what Atlas is doing with a cluster (`stateName`). */
export const ClusterStateRef = builder.enumType('ClusterState', {
  description: 'What Atlas is doing with a cluster (`stateName`).',
  values: CLUSTER_STATE_VALUES,
});

/** `CloudProvider`: the cloud a cluster region, snapshot or shard runs on. */
export const CloudProviderRef = builder.enumType('CloudProvider', {
  description: 'The cloud a cluster region, a snapshot or a shard runs on.',
  values: CLOUD_PROVIDER_VALUES,
});
