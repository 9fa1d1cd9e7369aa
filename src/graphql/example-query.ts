import type { ServerlessSnapshotKey } from '../atlas/serverless-backup.js';

/** Placeholders shown in GraphiQL when no real ids are known (production mode). */
const PLACEHOLDER: ServerlessSnapshotKey = {
  groupId: '32b6e34b3d91647abb20e7b8',
  clusterName: 'my-serverless-instance',
  snapshotId: '6741f2a0c8e4d17a3b9f0e21',
};

/**
 * The example operation: pre-filled in GraphiQL, printed at start-up in demo mode (with the simulator's
 * ids), and quoted by the README (a test keeps the README's copy and its response equal to this).
 */
export function exampleQuery(key: ServerlessSnapshotKey = PLACEHOLDER): string {
  return `query ServerlessSnapshot {
  serverlessSnapshot(
    groupId: "${key.groupId}"
    clusterName: "${key.clusterName}"
    snapshotId: "${key.snapshotId}"
  ) {
    id
    status
    frequencyType
    createdAt
    expiresAt
    mongodVersion
    storageSizeBytes
  }
}
`;
}
