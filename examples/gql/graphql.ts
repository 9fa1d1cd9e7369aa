/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
  /** The `SafeInt` scalar type represents non-fractional signed whole numeric values that are considered safe as defined by the ECMAScript specification. */
  SafeInt: { input: number; output: number; }
};

/** Where the backup compliance policy is: a change passes through ENABLING or UPDATING to ACTIVE. */
export type BackupCompliancePolicyState =
  /** In force. */
  | 'ACTIVE'
  /** Being turned off. */
  | 'DISABLING'
  /** Being turned on (seconds after it was set). */
  | 'ENABLING'
  /** A change is being applied. */
  | 'UPDATING';

/** How often a backup policy item runs (Atlas writes these in lower case in policies, upper snake case in `extraRetentionSettings` and copy `frequencies`: one vocabulary here). */
export type BackupFrequencyType =
  /** Every day. */
  | 'DAILY'
  /** Every few hours (`frequencyInterval`: 1, 2, 4, 6, 8 or 12 hours). */
  | 'HOURLY'
  /** Every month (`frequencyInterval`: day of the month, 40 = last day). */
  | 'MONTHLY'
  /** On demand: snapshots someone asked for. */
  | 'ON_DEMAND'
  /** Every week (`frequencyInterval`: 1 = Monday … 7 = Sunday). */
  | 'WEEKLY'
  /** Every year (`frequencyInterval`: the month, 1–12). */
  | 'YEARLY';

/** One item of a backup policy: how often a snapshot is taken and how long it is kept. */
export type BackupPolicyItemInput = {
  /** Hourly: 1, 2, 4, 6, 8 or 12 hours; daily: 1; weekly: 1 (Monday) to 7 (Sunday); monthly: 1–28 or 40 (last day); yearly: the month, 1–12. */
  frequencyInterval: Scalars['Int']['input'];
  /** HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY (ON_DEMAND is not scheduled). */
  frequencyType: BackupFrequencyType;
  /** The unit of retentionValue. */
  retentionUnit: BackupRetentionUnit;
  /** How long its snapshots are kept: at least as long as a more frequent item keeps its own. */
  retentionValue: Scalars['Int']['input'];
};

/** The unit of a backup retention value. */
export type BackupRetentionUnit =
  /** Days. */
  | 'DAYS'
  /** Months. */
  | 'MONTHS'
  /** Weeks. */
  | 'WEEKS'
  /** Years. */
  | 'YEARS';

/** The input of `cancelClusterRestoreJob`. */
export type CancelClusterRestoreJobInput = {
  /** Any string you choose: the payload echoes it (Relay). */
  clientMutationId?: InputMaybe<Scalars['ID']['input']>;
  /** Dedicated cluster name: ASCII letters, digits and hyphens, starting with a letter or digit, at most 64 characters. */
  clusterName: Scalars['String']['input'];
  /** Validate, check with reads that Atlas would accept it, and answer with the request it would send (`atlasRequest`) without sending it. */
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  /** Project (group) id: 24 lower-case hexadecimal characters. */
  groupId: Scalars['ID']['input'];
  /** A key you make (1–64 visible ASCII characters, e.g. a UUID): a repeat with the same key and input within IDEMPOTENCY_TTL_S answers the first result without calling Atlas; the same key with another input is BAD_USER_INPUT. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** Restore job id: 24 lower-case hexadecimal characters. */
  restoreJobId: Scalars['ID']['input'];
};

/** The cloud a cluster region, a snapshot or a shard runs on. */
export type CloudProvider =
  /** Amazon Web Services. */
  | 'AWS'
  /** Microsoft Azure. */
  | 'AZURE'
  /** Google Cloud. */
  | 'GCP';

/** What changed in a cluster’s backups. */
export type ClusterBackupChangeKind =
  /** A new restore job. */
  | 'RESTORE_JOB_ADDED'
  /** A restore job’s state or other field changed. */
  | 'RESTORE_JOB_CHANGED'
  /** A new snapshot (e.g. one just taken). */
  | 'SNAPSHOT_ADDED'
  /** A snapshot’s status, size, expiry or other field changed. */
  | 'SNAPSHOT_CHANGED'
  /** A snapshot is no longer among the newest (deleted, or pushed out of the window). */
  | 'SNAPSHOT_REMOVED';

/** Where a restore job of a dedicated cluster is. Atlas sends no status: derived from `cancelled`, `failed`, `expired`, `finishedAt` and the delivery URLs, first match wins, in this order. */
export type ClusterRestoreJobState =
  /** `cancelled` (a cancelled download arrives with `failed: true` too: it is CANCELLED). */
  | 'CANCELLED'
  /** `finishedAt` is set: the restore is done. */
  | 'COMPLETED'
  /** `expired`: the download link ran out. */
  | 'EXPIRED'
  /** `failed`, not cancelled. */
  | 'FAILED'
  /** None of the above: accepted, in progress. */
  | 'PENDING'
  /** A download URL is handed out (`deliveryUrl`, or a shard’s `downloadUrl`), not finished. */
  | 'READY';

/** Which backup policy item took a snapshot of a dedicated cluster, or ON_DEMAND. */
export type ClusterSnapshotFrequency =
  /** Taken by the daily policy item. */
  | 'DAILY'
  /** Taken by the hourly policy item. */
  | 'HOURLY'
  /** Taken by the monthly policy item. */
  | 'MONTHLY'
  /** Requested on demand (Atlas sends `ondemand`, a value its spec does not list). */
  | 'ON_DEMAND'
  /** Taken by the weekly policy item. */
  | 'WEEKLY'
  /** Taken by the yearly policy item. */
  | 'YEARLY';

/** Why Atlas took a snapshot of a dedicated cluster. */
export type ClusterSnapshotType =
  /** Taken by Atlas as a fallback after a failed scheduled snapshot. */
  | 'FALLBACK'
  /** Requested on demand. */
  | 'ON_DEMAND'
  /** Taken by the backup schedule. */
  | 'SCHEDULED';

/** What Atlas is doing with a cluster (`stateName`). */
export type ClusterState =
  /** Being created (no backup configuration yet). */
  | 'CREATING'
  /** Being deleted (backups already disabled). */
  | 'DELETING'
  /** Running; no change in progress. */
  | 'IDLE'
  /** Atlas is repairing it. */
  | 'REPAIRING'
  /** A change is being applied. */
  | 'UPDATING';

/** The topology of a cluster. */
export type ClusterType =
  /** A global cluster: sharded across zones. */
  | 'GEOSHARDED'
  /** One replica set (every Flex cluster is one). */
  | 'REPLICASET'
  /** A sharded cluster: its snapshots are `ShardedClusterSnapshot`s. */
  | 'SHARDED';

/** Where a sharded cluster's config server runs. */
export type ConfigServerType =
  /** The config server is its own replica set (a member of the snapshot). */
  | 'DEDICATED'
  /** The config server runs inside a shard. */
  | 'EMBEDDED';

/** The input of `createClusterRestoreJob`. */
export type CreateClusterRestoreJobInput = {
  /** Any string you choose: the payload echoes it (Relay). */
  clientMutationId?: InputMaybe<Scalars['ID']['input']>;
  /** Dedicated cluster name: ASCII letters, digits and hyphens, starting with a letter or digit, at most 64 characters. */
  clusterName: Scalars['String']['input'];
  /** The target cluster’s name again, exactly: the restore erases all data on the target cluster (as the Atlas UI and CLI ask). */
  confirmTargetClusterName?: InputMaybe<Scalars['String']['input']>;
  /** How to restore. */
  deliveryType: RestoreDeliveryType;
  /** Validate, check with reads that Atlas would accept it, and answer with the request it would send (`atlasRequest`) without sending it. */
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  /** Project (group) id: 24 lower-case hexadecimal characters. */
  groupId: Scalars['ID']['input'];
  /** A key you make (1–64 visible ASCII characters, e.g. a UUID): a repeat with the same key and input within IDEMPOTENCY_TTL_S answers the first result without calling Atlas; the same key with another input is BAD_USER_INPUT. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** POINT_IN_TIME: the oplog operation number within oplogTs. An int32 (Atlas takes 32 bits here). */
  oplogInc?: InputMaybe<Scalars['Int']['input']>;
  /** POINT_IN_TIME: the oplog timestamp, in Unix seconds. An int32 (Atlas takes 32 bits here). */
  oplogTs?: InputMaybe<Scalars['Int']['input']>;
  /** POINT_IN_TIME: the time to restore to, in Unix seconds (or give oplogTs and oplogInc). An int32 (Atlas takes 32 bits here). */
  pointInTimeUtcSeconds?: InputMaybe<Scalars['Int']['input']>;
  /** The snapshot, for AUTOMATED and DOWNLOAD: 24 lower-case hexadecimal characters. */
  snapshotId?: InputMaybe<Scalars['ID']['input']>;
  /** Name of the cluster to restore into: ASCII letters, digits and hyphens, starting with a letter or digit, at most 64 characters. For AUTOMATED and POINT_IN_TIME. */
  targetClusterName?: InputMaybe<Scalars['String']['input']>;
  /** Project of the target cluster: 24 lower-case hexadecimal characters. For AUTOMATED and POINT_IN_TIME. */
  targetGroupId?: InputMaybe<Scalars['ID']['input']>;
};

/** The input of `deleteClusterSnapshot`. */
export type DeleteClusterSnapshotInput = {
  /** Any string you choose: the payload echoes it (Relay). */
  clientMutationId?: InputMaybe<Scalars['ID']['input']>;
  /** Dedicated cluster name: ASCII letters, digits and hyphens, starting with a letter or digit, at most 64 characters. */
  clusterName: Scalars['String']['input'];
  /** Validate, check with reads that Atlas would accept it, and answer with the request it would send (`atlasRequest`) without sending it. */
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  /** Project (group) id: 24 lower-case hexadecimal characters. */
  groupId: Scalars['ID']['input'];
  /** A key you make (1–64 visible ASCII characters, e.g. a UUID): a repeat with the same key and input within IDEMPOTENCY_TTL_S answers the first result without calling Atlas; the same key with another input is BAD_USER_INPUT. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** Snapshot id: 24 lower-case hexadecimal characters. */
  snapshotId: Scalars['ID']['input'];
};

/** The input of `downloadFlexSnapshot`. */
export type DownloadFlexSnapshotInput = {
  /** Any string you choose: the payload echoes it (Relay). */
  clientMutationId?: InputMaybe<Scalars['ID']['input']>;
  /** Validate, check with reads that Atlas would accept it, and answer with the request it would send (`atlasRequest`) without sending it. */
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  /** Project (group) id: 24 lower-case hexadecimal characters. */
  groupId: Scalars['ID']['input'];
  /** A key you make (1–64 visible ASCII characters, e.g. a UUID): a repeat with the same key and input within IDEMPOTENCY_TTL_S answers the first result without calling Atlas; the same key with another input is BAD_USER_INPUT. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** Flex cluster name: ASCII letters, digits and hyphens, starting with a letter or digit, at most 64 characters. */
  name: Scalars['String']['input'];
  /** Snapshot id: 24 lower-case hexadecimal characters. */
  snapshotId: Scalars['ID']['input'];
};

/** The input of `exportClusterSnapshot`. */
export type ExportClusterSnapshotInput = {
  /** Any string you choose: the payload echoes it (Relay). */
  clientMutationId?: InputMaybe<Scalars['ID']['input']>;
  /** Dedicated cluster name: ASCII letters, digits and hyphens, starting with a letter or digit, at most 64 characters. */
  clusterName: Scalars['String']['input'];
  /** Metadata for the export (at most 50 pairs). */
  customData?: InputMaybe<Array<ExportCustomDataInput>>;
  /** Validate, check with reads that Atlas would accept it, and answer with the request it would send (`atlasRequest`) without sending it. */
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  /** The export bucket: 24 lower-case hexadecimal characters. */
  exportBucketId: Scalars['ID']['input'];
  /** Project (group) id: 24 lower-case hexadecimal characters. */
  groupId: Scalars['ID']['input'];
  /** A key you make (1–64 visible ASCII characters, e.g. a UUID): a repeat with the same key and input within IDEMPOTENCY_TTL_S answers the first result without calling Atlas; the same key with another input is BAD_USER_INPUT. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** The snapshot: 24 lower-case hexadecimal characters. */
  snapshotId: Scalars['ID']['input'];
};

/** A key/value pair Atlas writes into the export’s metadata. */
export type ExportCustomDataInput = {
  /** The key (1–256 characters). */
  key: Scalars['String']['input'];
  /** The value (≤ 1,024 characters). */
  value: Scalars['String']['input'];
};

/** Where an export job is in its life cycle (Atlas sends these in PascalCase). */
export type ExportJobState =
  /** Cancelled before it finished. */
  | 'CANCELLED'
  /** Could not export; see `stateReason`. */
  | 'FAILED'
  /** Writing the snapshot to the bucket. */
  | 'IN_PROGRESS'
  /** Waiting to start. */
  | 'QUEUED'
  /** The snapshot is in the bucket. */
  | 'SUCCESSFUL';

/** How a Flex restore job returns the snapshot. */
export type FlexRestoreDeliveryType =
  /** Offered as a file to download (`snapshotUrl`). */
  | 'DOWNLOAD'
  /** Restored into a target cluster. */
  | 'RESTORE';

/** How a serverless restore job returns the snapshot. */
export type RestoreDeliveryType =
  /** Restored into a target instance (Flex: `RESTORE`). */
  | 'AUTOMATED'
  /** Offered as files to download. */
  | 'DOWNLOAD'
  /** Restored to a point in time. */
  | 'POINT_IN_TIME';

/** The input of `restoreFlexSnapshot`. */
export type RestoreFlexSnapshotInput = {
  /** Any string you choose: the payload echoes it (Relay). */
  clientMutationId?: InputMaybe<Scalars['ID']['input']>;
  /** The target cluster’s name again, exactly: the restore erases all data on the target cluster (as the Atlas UI and CLI ask). */
  confirmTargetClusterName: Scalars['String']['input'];
  /** Validate, check with reads that Atlas would accept it, and answer with the request it would send (`atlasRequest`) without sending it. */
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  /** Project (group) id: 24 lower-case hexadecimal characters. */
  groupId: Scalars['ID']['input'];
  /** A key you make (1–64 visible ASCII characters, e.g. a UUID): a repeat with the same key and input within IDEMPOTENCY_TTL_S answers the first result without calling Atlas; the same key with another input is BAD_USER_INPUT. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** Flex cluster name: ASCII letters, digits and hyphens, starting with a letter or digit, at most 64 characters. */
  name: Scalars['String']['input'];
  /** Snapshot id: 24 lower-case hexadecimal characters. */
  snapshotId: Scalars['ID']['input'];
  /** Name of the cluster to restore into: ASCII letters, digits and hyphens, starting with a letter or digit, at most 64 characters. */
  targetClusterName: Scalars['String']['input'];
  /** Project of the target cluster: 24 lower-case hexadecimal characters. Default: the source’s project. */
  targetGroupId?: InputMaybe<Scalars['ID']['input']>;
};

/** Where a Flex restore job is in its life cycle. */
export type RestoreJobStatus =
  /** Restored. */
  | 'COMPLETED'
  /** Could not restore. */
  | 'FAILED'
  /** Accepted, not yet queued. */
  | 'PENDING'
  /** Waiting to start. */
  | 'QUEUED'
  /** Restoring. */
  | 'RUNNING';

/** How often the backup policy item that produced a snapshot runs. */
export type SnapshotFrequencyType =
  /** Taken by the daily policy item. */
  | 'DAILY'
  /** Taken by the hourly policy item. */
  | 'HOURLY'
  /** Taken by the monthly policy item. */
  | 'MONTHLY'
  /** Taken by the weekly policy item. */
  | 'WEEKLY';

/** Which Atlas operation family answered. */
export type SnapshotSource =
  /** The Cloud Backup operations of dedicated clusters (API version 2023-01-01). */
  | 'DEDICATED'
  /** The Flex backup operations (API version 2024-11-13), what Atlas serves today. */
  | 'FLEX'
  /** The serverless backup operations (API version 2023-01-01), retired on 2026-01-22. */
  | 'SERVERLESS';

/** Where a snapshot is in its life cycle (serverless and Flex statuses in one vocabulary). */
export type SnapshotStatus =
  /** Taken successfully; can be restored. */
  | 'COMPLETED'
  /** Could not be taken. */
  | 'FAILED'
  /** Being taken (Flex: `RUNNING`). */
  | 'IN_PROGRESS'
  /** Flex only: accepted, not yet queued. */
  | 'PENDING'
  /** Waiting to start. */
  | 'QUEUED';

/** Whether a snapshot was requested by a person or taken on schedule. */
export type SnapshotType =
  /** Requested on demand. */
  | 'ON_DEMAND'
  /** Taken by the backup schedule. */
  | 'SCHEDULED';

/** The input of `takeClusterSnapshot`. */
export type TakeClusterSnapshotInput = {
  /** Any string you choose: the payload echoes it (Relay). */
  clientMutationId?: InputMaybe<Scalars['ID']['input']>;
  /** Dedicated cluster name: ASCII letters, digits and hyphens, starting with a letter or digit, at most 64 characters. */
  clusterName: Scalars['String']['input'];
  /** What the snapshot is for (≤ 1,024 characters). */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Validate, check with reads that Atlas would accept it, and answer with the request it would send (`atlasRequest`) without sending it. */
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  /** Project (group) id: 24 lower-case hexadecimal characters. */
  groupId: Scalars['ID']['input'];
  /** A key you make (1–64 visible ASCII characters, e.g. a UUID): a repeat with the same key and input within IDEMPOTENCY_TTL_S answers the first result without calling Atlas; the same key with another input is BAD_USER_INPUT. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** Days to keep the snapshot, from 1 (the default, as in the Atlas CLI). */
  retentionInDays?: InputMaybe<Scalars['Int']['input']>;
};

/** The input of `updateClusterBackupSchedule`. */
export type UpdateClusterBackupScheduleInput = {
  /** Export snapshots automatically. Unchanged when absent. */
  autoExportEnabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** Any string you choose: the payload echoes it (Relay). */
  clientMutationId?: InputMaybe<Scalars['ID']['input']>;
  /** Dedicated cluster name: ASCII letters, digits and hyphens, starting with a letter or digit, at most 64 characters. */
  clusterName: Scalars['String']['input'];
  /** Validate, check with reads that Atlas would accept it, and answer with the request it would send (`atlasRequest`) without sending it. */
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  /** Project (group) id: 24 lower-case hexadecimal characters. */
  groupId: Scalars['ID']['input'];
  /** A key you make (1–64 visible ASCII characters, e.g. a UUID): a repeat with the same key and input within IDEMPOTENCY_TTL_S answers the first result without calling Atlas; the same key with another input is BAD_USER_INPUT. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** The policy's items, all of them (at most one hourly and one daily). Unchanged when absent. */
  policyItems?: InputMaybe<Array<BackupPolicyItemInput>>;
  /** UTC hour of the scheduled snapshots, 0–23. Unchanged when absent. */
  referenceHourOfDay?: InputMaybe<Scalars['Int']['input']>;
  /** UTC minute of that hour, 0–59. Unchanged when absent. */
  referenceMinuteOfHour?: InputMaybe<Scalars['Int']['input']>;
  /** Days back a point-in-time restore can reach, from 1. Unchanged when absent. */
  restoreWindowDays?: InputMaybe<Scalars['Int']['input']>;
  /** Apply the new items’ retention to the snapshots they already took (with policyItems). */
  updateSnapshots?: InputMaybe<Scalars['Boolean']['input']>;
  /** Name exports by organization and project names rather than ids. Unchanged when absent. */
  useOrgAndGroupNamesInExportPrefix?: InputMaybe<Scalars['Boolean']['input']>;
};

/** The input of `updateClusterSnapshotRetention`. */
export type UpdateClusterSnapshotRetentionInput = {
  /** Any string you choose: the payload echoes it (Relay). */
  clientMutationId?: InputMaybe<Scalars['ID']['input']>;
  /** Dedicated cluster name: ASCII letters, digits and hyphens, starting with a letter or digit, at most 64 characters. */
  clusterName: Scalars['String']['input'];
  /** Validate, check with reads that Atlas would accept it, and answer with the request it would send (`atlasRequest`) without sending it. */
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  /** Project (group) id: 24 lower-case hexadecimal characters. */
  groupId: Scalars['ID']['input'];
  /** A key you make (1–64 visible ASCII characters, e.g. a UUID): a repeat with the same key and input within IDEMPOTENCY_TTL_S answers the first result without calling Atlas; the same key with another input is BAD_USER_INPUT. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** The unit of retentionValue. */
  retentionUnit: BackupRetentionUnit;
  /** How long to keep it, from 1, in retentionUnit. */
  retentionValue: Scalars['Int']['input'];
  /** Snapshot id: 24 lower-case hexadecimal characters. */
  snapshotId: Scalars['ID']['input'];
};

export type ServerlessSnapshotQueryVariables = Exact<{
  groupId: Scalars['ID']['input'];
  clusterName: Scalars['String']['input'];
  snapshotId: Scalars['ID']['input'];
}>;


export type ServerlessSnapshotQuery = { __typename?: 'Query', serverlessSnapshot: { __typename?: 'ServerlessSnapshot', id: string, source: SnapshotSource, status: SnapshotStatus | null, createdAt: string | null, expiresAt: string | null, storageSizeBytes: number | null } | null };

export type ClusterRestoreJobLiveSubscriptionVariables = Exact<{
  groupId: Scalars['ID']['input'];
  clusterName: Scalars['String']['input'];
  restoreJobId: Scalars['ID']['input'];
}>;


export type ClusterRestoreJobLiveSubscription = { __typename?: 'Subscription', clusterRestoreJob: { __typename?: 'ClusterRestoreJob', id: string, state: ClusterRestoreJobState, snapshotId: string | null, targetGroupId: string | null, targetClusterName: string | null, finishedAt: string | null } | null };

export type RestoreJobFieldsFragment = { __typename?: 'ClusterRestoreJob', id: string, state: ClusterRestoreJobState, snapshotId: string | null, targetGroupId: string | null, targetClusterName: string | null, finishedAt: string | null };

export type CreateClusterRestoreJobMutationVariables = Exact<{
  input: CreateClusterRestoreJobInput;
}>;


export type CreateClusterRestoreJobMutation = { __typename?: 'Mutation', createClusterRestoreJob: { __typename?: 'CreateClusterRestoreJobPayload', dryRun: boolean, replayed: boolean, atlasRequest: { __typename?: 'AtlasRequest', method: string, path: string, body: string | null }, restoreJob: { __typename?: 'ClusterRestoreJob', id: string, state: ClusterRestoreJobState, snapshotId: string | null, targetGroupId: string | null, targetClusterName: string | null, finishedAt: string | null } | null } | null };

export type ClusterRestoreJobQueryVariables = Exact<{
  groupId: Scalars['ID']['input'];
  clusterName: Scalars['String']['input'];
  restoreJobId: Scalars['ID']['input'];
}>;


export type ClusterRestoreJobQuery = { __typename?: 'Query', clusterRestoreJob: { __typename?: 'ClusterRestoreJob', id: string, state: ClusterRestoreJobState, snapshotId: string | null, targetGroupId: string | null, targetClusterName: string | null, finishedAt: string | null } | null };

export const RestoreJobFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RestoreJobFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ClusterRestoreJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"snapshotId"}},{"kind":"Field","name":{"kind":"Name","value":"targetGroupId"}},{"kind":"Field","name":{"kind":"Name","value":"targetClusterName"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}}]}}]} as unknown as DocumentNode<RestoreJobFieldsFragment, unknown>;
export const ServerlessSnapshotDocument = {"__meta__":{"hash":"209ff3403c207413980caa217d434e86d9d2064c8d0cd320a3cca93267b27c0f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ServerlessSnapshot"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"clusterName"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"snapshotId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serverlessSnapshot"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}},{"kind":"Argument","name":{"kind":"Name","value":"clusterName"},"value":{"kind":"Variable","name":{"kind":"Name","value":"clusterName"}}},{"kind":"Argument","name":{"kind":"Name","value":"snapshotId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"snapshotId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"storageSizeBytes"}}]}}]}}]} as unknown as DocumentNode<ServerlessSnapshotQuery, ServerlessSnapshotQueryVariables>;
export const ClusterRestoreJobLiveDocument = {"__meta__":{"hash":"527a25c1d113cc3e2f89b23c4b2e7601659e9ec7f875b1cdd6de0244ec3da79a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ClusterRestoreJobLive"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"clusterName"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"restoreJobId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clusterRestoreJob"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}},{"kind":"Argument","name":{"kind":"Name","value":"clusterName"},"value":{"kind":"Variable","name":{"kind":"Name","value":"clusterName"}}},{"kind":"Argument","name":{"kind":"Name","value":"restoreJobId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"restoreJobId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"RestoreJobFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RestoreJobFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ClusterRestoreJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"snapshotId"}},{"kind":"Field","name":{"kind":"Name","value":"targetGroupId"}},{"kind":"Field","name":{"kind":"Name","value":"targetClusterName"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}}]}}]} as unknown as DocumentNode<ClusterRestoreJobLiveSubscription, ClusterRestoreJobLiveSubscriptionVariables>;
export const CreateClusterRestoreJobDocument = {"__meta__":{"hash":"7284019e15da84a067f66fb17700dd1941234414c1fc82e58c33c7249ae7242b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateClusterRestoreJob"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateClusterRestoreJobInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createClusterRestoreJob"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dryRun"}},{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"atlasRequest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"method"}},{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"body"}}]}},{"kind":"Field","name":{"kind":"Name","value":"restoreJob"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"RestoreJobFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RestoreJobFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ClusterRestoreJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"snapshotId"}},{"kind":"Field","name":{"kind":"Name","value":"targetGroupId"}},{"kind":"Field","name":{"kind":"Name","value":"targetClusterName"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}}]}}]} as unknown as DocumentNode<CreateClusterRestoreJobMutation, CreateClusterRestoreJobMutationVariables>;
export const ClusterRestoreJobDocument = {"__meta__":{"hash":"6fbec3cc99dc659fe8bad72493ad6ff0f391a8537eb651d300e71fee3c91bf74"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ClusterRestoreJob"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"clusterName"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"restoreJobId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clusterRestoreJob"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}},{"kind":"Argument","name":{"kind":"Name","value":"clusterName"},"value":{"kind":"Variable","name":{"kind":"Name","value":"clusterName"}}},{"kind":"Argument","name":{"kind":"Name","value":"restoreJobId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"restoreJobId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"RestoreJobFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RestoreJobFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ClusterRestoreJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"snapshotId"}},{"kind":"Field","name":{"kind":"Name","value":"targetGroupId"}},{"kind":"Field","name":{"kind":"Name","value":"targetClusterName"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}}]}}]} as unknown as DocumentNode<ClusterRestoreJobQuery, ClusterRestoreJobQueryVariables>;