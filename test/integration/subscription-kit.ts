import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import type { GraphQLResponse, Stack } from '../helpers.js';

// What the live-status tests share: one subscription over a real client of each transport (the
// graphql-sse client in distinct-connections mode, the graphql-ws client over `ws`), kept as a
// record of what arrived (every `next` payload in order, then how the stream ended); the caller
// keys; the subscription documents; the mutations that make resources move on the simulator clock.

/** The two transports on /graphql. */
export const TRANSPORTS = ['sse', 'ws'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** How a stream ended: the client's `complete`, or its `error` (a transport failure). */
export type StreamEnd = { kind: 'complete' } | { kind: 'error'; error: unknown };

/** One subscription as its client saw it. */
export interface Subscriber<Data> {
  /** Every `next` payload, in order of arrival. */
  readonly events: GraphQLResponse<Data>[];
  /** Undefined while the stream is open. */
  readonly end: StreamEnd | undefined;
  /** Resolves with event `n` (0-based) once it arrived; fails after `timeoutMs`. */
  event(n: number, timeoutMs?: number): Promise<GraphQLResponse<Data>>;
  /** Resolves once the stream ended; fails after `timeoutMs`. */
  ended(timeoutMs?: number): Promise<StreamEnd>;
  /** Leaves (the client's unsubscribe); idempotent. */
  close(): void;
}

/** Polls `check` every 5 ms until it holds; fails with `what` after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Subscribes to `query` over `transport` as the caller of `key` (an `x-api-key`: the SSE request's
 * header, the WebSocket's `connectionParams`). The client is disposed when the test finishes.
 */
export function subscribe<Data = Record<string, unknown>>(
  transport: Transport,
  graphqlUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  key?: string,
): Subscriber<Data> {
  const events: GraphQLResponse<Data>[] = [];
  let end: StreamEnd | undefined;
  const sink = {
    next: (value: unknown) => void events.push(value as GraphQLResponse<Data>),
    error: (error: unknown) => void (end ??= { kind: 'error', error }),
    complete: () => void (end ??= { kind: 'complete' }),
  };
  const auth: Record<string, string> = key === undefined ? {} : { 'x-api-key': key };
  let unsubscribe: () => void;
  let dispose: () => void;
  if (transport === 'sse') {
    const client = createSseClient({ url: graphqlUrl, headers: auth, retryAttempts: 0 });
    unsubscribe = client.subscribe({ query, variables }, sink);
    dispose = () => client.dispose();
  } else {
    const client = createWsClient({
      url: graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: auth,
      retryAttempts: 0,
    });
    unsubscribe = client.subscribe({ query, variables }, sink);
    dispose = () => void client.dispose();
  }
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    dispose();
  };
  onTestFinished(close);
  return {
    events,
    get end() {
      return end;
    },
    async event(n, timeoutMs) {
      await until(() => events.length > n || end !== undefined, `event ${n}`, timeoutMs);
      const found = events[n];
      if (!found) throw new Error(`the stream ended (${JSON.stringify(end)}) after ${events.length} events`);
      return found;
    },
    async ended(timeoutMs) {
      await until(() => end !== undefined, 'the end of the stream', timeoutMs);
      return end!;
    },
    close,
  };
}

/** Caller keys: `ops` may take, delete, restore and download; `reader` holds backups:read only. */
export const CALLERS = {
  AUTH_API_KEYS: 'ops@ops-key backups:snapshot backups:delete backups:restore backups:download, reader@read-key',
} as const;
export const OPS_KEY = 'ops-key';
export const READ_KEY = 'read-key';
const OPS = { 'x-api-key': OPS_KEY };

/** The fleet project: 40 idle replica sets (each fifth one has a seeded snapshot in flight that never moves). */
export const FLEET = CLOUD.fleetGroupId;

/** Subscription documents (named by their root field), with the fields the tests read. */
export const WATCH = {
  clusterSnapshot: `subscription ($groupId: ID!, $clusterName: String!, $snapshotId: ID!) {
    clusterSnapshot(groupId: $groupId, clusterName: $clusterName, snapshotId: $snapshotId) {
      id status createdAt expiresAt storageSizeBytes mongodVersion ... on ReplicaSetSnapshot { cloudProvider }
    }
  }`,
  clusterRestoreJob: `subscription ($groupId: ID!, $clusterName: String!, $restoreJobId: ID!) {
    clusterRestoreJob(groupId: $groupId, clusterName: $clusterName, restoreJobId: $restoreJobId) {
      id state deliveryType cancelled failed expired finishedAt expiresAt
    }
  }`,
  /** With the download URL (scope backups:download). */
  clusterRestoreJobUrl: `subscription ($groupId: ID!, $clusterName: String!, $restoreJobId: ID!) {
    clusterRestoreJob(groupId: $groupId, clusterName: $clusterName, restoreJobId: $restoreJobId) {
      id state expired finishedAt expiresAt deliveryUrl
    }
  }`,
  flexSnapshot: `subscription ($groupId: ID!, $name: String!, $snapshotId: ID!) {
    flexSnapshot(groupId: $groupId, name: $name, snapshotId: $snapshotId) { id status startTime finishTime expiration }
  }`,
  flexRestoreJob: `subscription ($groupId: ID!, $name: String!, $restoreJobId: ID!) {
    flexRestoreJob(groupId: $groupId, name: $name, restoreJobId: $restoreJobId) { id status restoreFinishedDate }
  }`,
  clusterBackupActivity: `subscription ($groupId: ID!, $clusterName: String!) {
    clusterBackupActivity(groupId: $groupId, clusterName: $clusterName) {
      groupId clusterName snapshots { id status } restoreJobs { id state } changes { kind id }
    }
  }`,
} as const;

/** Runs one mutation as `ops` and returns its payload's `field` (failing on any error). */
async function mutate<T>(stack: Stack, document: string, input: Record<string, unknown>): Promise<T> {
  const { data, errors } = await stack.query<{ m: T | null }>(document, { input }, OPS);
  if (!data?.m) throw new Error(`mutation refused: ${JSON.stringify(errors)}`);
  return data.m;
}

/** Takes an on-demand snapshot of `clusterName` (fleet): its id (QUEUED). */
export const takeSnapshot = async (stack: Stack, clusterName: string): Promise<string> =>
  (
    await mutate<{ snapshot: { id: string } }>(
      stack,
      'mutation ($input: TakeClusterSnapshotInput!) { m: takeClusterSnapshot(input: $input) { snapshot { id } } }',
      { groupId: FLEET, clusterName, retentionInDays: 2 },
    )
  ).snapshot.id;

/** Deletes snapshot `snapshotId` of `clusterName` (fleet). */
export const deleteSnapshot = (stack: Stack, clusterName: string, snapshotId: string): Promise<unknown> =>
  mutate(
    stack,
    'mutation ($input: DeleteClusterSnapshotInput!) { m: deleteClusterSnapshot(input: $input) { deletedSnapshotId } }',
    { groupId: FLEET, clusterName, snapshotId },
  );

/** A completed snapshot of fleet cluster `clusterName`, as seeded. */
export function completedSnapshotOf(stack: Stack, clusterName: string): string {
  const cluster = stack.simulator.projects.get(FLEET)!.cloud!.clusters.get(clusterName)!;
  return [...cluster.snapshots.values()].find((s) => s.status === 'completed')!.id;
}

/**
 * Starts a restore job from `clusterName` (fleet) of a completed snapshot: AUTOMATED onto `target`,
 * or a DOWNLOAD without one. Its id (PENDING).
 */
export async function startRestore(stack: Stack, clusterName: string, target?: string): Promise<string> {
  const input = {
    groupId: FLEET,
    clusterName,
    snapshotId: completedSnapshotOf(stack, clusterName),
    ...(target === undefined
      ? { deliveryType: 'DOWNLOAD' }
      : {
          deliveryType: 'AUTOMATED',
          targetGroupId: FLEET,
          targetClusterName: target,
          confirmTargetClusterName: target,
        }),
  };
  const payload = await mutate<{ restoreJob: { id: string } }>(
    stack,
    'mutation ($input: CreateClusterRestoreJobInput!) { m: createClusterRestoreJob(input: $input) { restoreJob { id } } }',
    input,
  );
  return payload.restoreJob.id;
}

/** Cancels restore job `restoreJobId` of `clusterName` (fleet). */
export const cancelRestore = (stack: Stack, clusterName: string, restoreJobId: string): Promise<unknown> =>
  mutate(
    stack,
    'mutation ($input: CancelClusterRestoreJobInput!) { m: cancelClusterRestoreJob(input: $input) { restoreJob { id } } }',
    { groupId: FLEET, clusterName, restoreJobId },
  );

/** Restores Flex snapshot `snapshotId` of `name` onto `target` (same project): the job's id (PENDING). */
export const restoreFlex = async (
  stack: Stack,
  groupId: string,
  name: string,
  snapshotId: string,
  target: string,
): Promise<string> =>
  (
    await mutate<{ restoreJob: { id: string } }>(
      stack,
      'mutation ($input: RestoreFlexSnapshotInput!) { m: restoreFlexSnapshot(input: $input) { restoreJob { id } } }',
      { groupId, name, snapshotId, targetClusterName: target, confirmTargetClusterName: target },
    )
  ).restoreJob.id;
