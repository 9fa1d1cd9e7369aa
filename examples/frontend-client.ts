// A frontend's view of atlas-backups-graphql, with urql (`npm install @urql/core graphql`).
// Copy this file into your app; `snapshotStatus` is the whole integration.
import { Client, fetchExchange, gql, type TypedDocumentNode } from '@urql/core';

/** What `ServerlessSnapshot` answers (see examples/serverless-snapshot.graphql). */
export interface ServerlessSnapshotData {
  serverlessSnapshot: {
    id: string;
    source: 'FLEX' | 'SERVERLESS';
    status: 'PENDING' | 'QUEUED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | null;
    createdAt: string | null;
    expiresAt: string | null;
    storageSizeBytes: number | null;
  } | null;
}

export interface ServerlessSnapshotVariables {
  groupId: string;
  clusterName: string;
  snapshotId: string;
}

export const ServerlessSnapshotQuery: TypedDocumentNode<ServerlessSnapshotData, ServerlessSnapshotVariables> = gql`
  query ServerlessSnapshot($groupId: ID!, $clusterName: String!, $snapshotId: ID!) {
    serverlessSnapshot(groupId: $groupId, clusterName: $clusterName, snapshotId: $snapshotId) {
      id
      source
      status
      createdAt
      expiresAt
      storageSizeBytes
    }
  }
`;

/** What the UI shows: the snapshot, or a message chosen by the error's `extensions.code`. */
export type SnapshotView =
  | { kind: 'snapshot'; snapshot: NonNullable<ServerlessSnapshotData['serverlessSnapshot']> }
  | { kind: 'not-found' }
  | { kind: 'invalid-input'; argument: string }
  | { kind: 'retry-later'; afterSeconds?: number }
  | { kind: 'error'; code: string };

/** A client for the service at `url`; `headers` go with every request (the caller's key or token: mutations need one). */
export function createAtlasBackupsClient(url: string, headers: Record<string, string> = {}): Client {
  return new Client({ url, exchanges: [fetchExchange], preferGetMethod: false, fetchOptions: { headers } });
}

export async function snapshotStatus(client: Client, variables: ServerlessSnapshotVariables): Promise<SnapshotView> {
  const result = await client.query(ServerlessSnapshotQuery, variables).toPromise();
  const snapshot = result.data?.serverlessSnapshot;
  if (snapshot) return { kind: 'snapshot', snapshot };
  const error = result.error?.graphQLErrors[0];
  const fromServer = error?.extensions.code;
  const code = typeof fromServer === 'string' ? fromServer : result.error?.networkError ? 'NETWORK_ERROR' : 'UNKNOWN';
  switch (code) {
    case 'NOT_FOUND':
      return { kind: 'not-found' };
    case 'BAD_USER_INPUT':
      return { kind: 'invalid-input', argument: String(error?.extensions.argument) };
    case 'RATE_LIMITED':
    case 'UPSTREAM_TIMEOUT':
      return {
        kind: 'retry-later',
        ...(typeof error?.extensions.retryAfterSeconds === 'number'
          ? { afterSeconds: error.extensions.retryAfterSeconds }
          : {}),
      };
    default:
      return { kind: 'error', code };
  }
}
