/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ServerlessSnapshot($groupId: ID!, $clusterName: String!, $snapshotId: ID!) {\n    serverlessSnapshot(groupId: $groupId, clusterName: $clusterName, snapshotId: $snapshotId) {\n      id\n      source\n      status\n      createdAt\n      expiresAt\n      storageSizeBytes\n    }\n  }\n": typeof types.ServerlessSnapshotDocument,
    "\n  subscription ClusterRestoreJobLive($groupId: ID!, $clusterName: String!, $restoreJobId: ID!) {\n    clusterRestoreJob(groupId: $groupId, clusterName: $clusterName, restoreJobId: $restoreJobId) {\n      ...RestoreJobFields\n    }\n  }\n": typeof types.ClusterRestoreJobLiveDocument,
    "\n  fragment RestoreJobFields on ClusterRestoreJob {\n    id\n    state\n    snapshotId\n    targetGroupId\n    targetClusterName\n    finishedAt\n  }\n": typeof types.RestoreJobFieldsFragmentDoc,
    "\n  mutation CreateClusterRestoreJob($input: CreateClusterRestoreJobInput!) {\n    createClusterRestoreJob(input: $input) {\n      dryRun\n      replayed\n      atlasRequest {\n        method\n        path\n        body\n      }\n      restoreJob {\n        ...RestoreJobFields\n      }\n    }\n  }\n": typeof types.CreateClusterRestoreJobDocument,
    "\n  query ClusterRestoreJob($groupId: ID!, $clusterName: String!, $restoreJobId: ID!) {\n    clusterRestoreJob(groupId: $groupId, clusterName: $clusterName, restoreJobId: $restoreJobId) {\n      ...RestoreJobFields\n    }\n  }\n": typeof types.ClusterRestoreJobDocument,
};
const documents: Documents = {
    "\n  query ServerlessSnapshot($groupId: ID!, $clusterName: String!, $snapshotId: ID!) {\n    serverlessSnapshot(groupId: $groupId, clusterName: $clusterName, snapshotId: $snapshotId) {\n      id\n      source\n      status\n      createdAt\n      expiresAt\n      storageSizeBytes\n    }\n  }\n": types.ServerlessSnapshotDocument,
    "\n  subscription ClusterRestoreJobLive($groupId: ID!, $clusterName: String!, $restoreJobId: ID!) {\n    clusterRestoreJob(groupId: $groupId, clusterName: $clusterName, restoreJobId: $restoreJobId) {\n      ...RestoreJobFields\n    }\n  }\n": types.ClusterRestoreJobLiveDocument,
    "\n  fragment RestoreJobFields on ClusterRestoreJob {\n    id\n    state\n    snapshotId\n    targetGroupId\n    targetClusterName\n    finishedAt\n  }\n": types.RestoreJobFieldsFragmentDoc,
    "\n  mutation CreateClusterRestoreJob($input: CreateClusterRestoreJobInput!) {\n    createClusterRestoreJob(input: $input) {\n      dryRun\n      replayed\n      atlasRequest {\n        method\n        path\n        body\n      }\n      restoreJob {\n        ...RestoreJobFields\n      }\n    }\n  }\n": types.CreateClusterRestoreJobDocument,
    "\n  query ClusterRestoreJob($groupId: ID!, $clusterName: String!, $restoreJobId: ID!) {\n    clusterRestoreJob(groupId: $groupId, clusterName: $clusterName, restoreJobId: $restoreJobId) {\n      ...RestoreJobFields\n    }\n  }\n": types.ClusterRestoreJobDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServerlessSnapshot($groupId: ID!, $clusterName: String!, $snapshotId: ID!) {\n    serverlessSnapshot(groupId: $groupId, clusterName: $clusterName, snapshotId: $snapshotId) {\n      id\n      source\n      status\n      createdAt\n      expiresAt\n      storageSizeBytes\n    }\n  }\n"): (typeof documents)["\n  query ServerlessSnapshot($groupId: ID!, $clusterName: String!, $snapshotId: ID!) {\n    serverlessSnapshot(groupId: $groupId, clusterName: $clusterName, snapshotId: $snapshotId) {\n      id\n      source\n      status\n      createdAt\n      expiresAt\n      storageSizeBytes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ClusterRestoreJobLive($groupId: ID!, $clusterName: String!, $restoreJobId: ID!) {\n    clusterRestoreJob(groupId: $groupId, clusterName: $clusterName, restoreJobId: $restoreJobId) {\n      ...RestoreJobFields\n    }\n  }\n"): (typeof documents)["\n  subscription ClusterRestoreJobLive($groupId: ID!, $clusterName: String!, $restoreJobId: ID!) {\n    clusterRestoreJob(groupId: $groupId, clusterName: $clusterName, restoreJobId: $restoreJobId) {\n      ...RestoreJobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RestoreJobFields on ClusterRestoreJob {\n    id\n    state\n    snapshotId\n    targetGroupId\n    targetClusterName\n    finishedAt\n  }\n"): (typeof documents)["\n  fragment RestoreJobFields on ClusterRestoreJob {\n    id\n    state\n    snapshotId\n    targetGroupId\n    targetClusterName\n    finishedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateClusterRestoreJob($input: CreateClusterRestoreJobInput!) {\n    createClusterRestoreJob(input: $input) {\n      dryRun\n      replayed\n      atlasRequest {\n        method\n        path\n        body\n      }\n      restoreJob {\n        ...RestoreJobFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateClusterRestoreJob($input: CreateClusterRestoreJobInput!) {\n    createClusterRestoreJob(input: $input) {\n      dryRun\n      replayed\n      atlasRequest {\n        method\n        path\n        body\n      }\n      restoreJob {\n        ...RestoreJobFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClusterRestoreJob($groupId: ID!, $clusterName: String!, $restoreJobId: ID!) {\n    clusterRestoreJob(groupId: $groupId, clusterName: $clusterName, restoreJobId: $restoreJobId) {\n      ...RestoreJobFields\n    }\n  }\n"): (typeof documents)["\n  query ClusterRestoreJob($groupId: ID!, $clusterName: String!, $restoreJobId: ID!) {\n    clusterRestoreJob(groupId: $groupId, clusterName: $clusterName, restoreJobId: $restoreJobId) {\n      ...RestoreJobFields\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;