import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import type { SimWrite } from '../../src/simulator/server.js';
import type { GraphQLResponse, Stack } from '../helpers.js';

// What the snapshot-mutation tests share: the caller keys, the mutation documents and the reads
// that check what Atlas (the simulator) now holds.

/** Caller keys: `ops` holds every scope, `other` the snapshot scopes too, `snapper` no delete, `reader` none. */
export const CALLER_KEYS = {
  AUTH_API_KEYS:
    'ops@ops-key backups:snapshot backups:delete backups:restore backups:download backups:schedule backups:export, ' +
    'other@other-key backups:snapshot backups:delete, snapper@snap-key backups:snapshot, reader@read-key',
} as const;
export const OPS = { 'x-api-key': 'ops-key' } as const;
export const OTHER = { 'x-api-key': 'other-key' } as const;
export const SNAPPER = { 'x-api-key': 'snap-key' } as const;
export const READER = { 'x-api-key': 'read-key' } as const;

/** The fleet project: replica sets without a compliance policy, so their snapshots may be deleted. */
export const FLEET = CLOUD.fleetGroupId;
/** Fleet cluster `n` (1-based); each test takes its own. */
export const fleet = (n: number) => CLOUD.fleetClusterNames[n - 1]!;

/** The snapshot fields the tests read. */
const SNAPSHOT = 'id __typename status snapshotType description createdAt expiresAt storageSizeBytes';
const PAYLOAD = 'dryRun replayed clientMutationId atlasRequest { method path mediaType body }';

/** Mutation documents by field, with the fields their payload is read with. */
const DOC = {
  take: `mutation ($input: TakeClusterSnapshotInput!) { m: takeClusterSnapshot(input: $input) { snapshot { ${SNAPSHOT} } ${PAYLOAD} } }`,
  retain: `mutation ($input: UpdateClusterSnapshotRetentionInput!) { m: updateClusterSnapshotRetention(input: $input) { snapshot { ${SNAPSHOT} } ${PAYLOAD} } }`,
  delete: `mutation ($input: DeleteClusterSnapshotInput!) { m: deleteClusterSnapshot(input: $input) { deletedSnapshotId ${PAYLOAD} } }`,
} as const;

/** A snapshot as the tests read it. */
export interface SnapshotView {
  id: string;
  __typename: string;
  status: string;
  snapshotType: string;
  description: string | null;
  createdAt: string | null;
  expiresAt: string | null;
  storageSizeBytes: number | null;
}

/** A payload as the tests read it (the documents above). */
export interface Payload {
  snapshot?: SnapshotView | null;
  deletedSnapshotId?: string | null;
  dryRun: boolean;
  replayed: boolean;
  clientMutationId: string | null;
  atlasRequest: { method: string; path: string; mediaType: string; body: string | null };
}

/** Runs mutation `kind` with `input` as the caller of `headers` (ops by default). */
export const mutate = (
  stack: Stack,
  kind: keyof typeof DOC,
  input: Record<string, unknown>,
  headers: Record<string, string> = OPS,
): Promise<GraphQLResponse<{ m: Payload | null }>> => stack.query<{ m: Payload | null }>(DOC[kind], { input }, headers);

/** The Atlas backup path of a cluster. */
export const backupPath = (groupId: string, clusterName: string) =>
  `/api/atlas/v2/groups/${groupId}/clusters/${clusterName}/backup`;

/** Reads one snapshot in a request of its own: the snapshot, or the error's code. */
export async function readSnapshot(
  stack: Stack,
  groupId: string,
  clusterName: string,
  snapshotId: string,
): Promise<SnapshotView | string> {
  const { data, errors } = await stack.query<{ s: SnapshotView | null }>(
    `{ s: clusterSnapshot(groupId: "${groupId}", clusterName: "${clusterName}", snapshotId: "${snapshotId}") { ${SNAPSHOT} } }`,
    {},
    OPS,
  );
  return data?.s ?? String(errors?.[0]?.extensions?.code);
}

/** The writes Atlas received as `[method, path, body]`. */
export const writesOf = (stack: Stack) => stack.simulator.stats.writes.map((w: SimWrite) => [w.method, w.path, w.body]);

/** A fresh completed snapshot of a fleet cluster: taken, then the simulator clock moved to its end. */
export async function completedSnapshot(stack: Stack, clusterName: string): Promise<SnapshotView> {
  const taken = await mutate(stack, 'take', { groupId: FLEET, clusterName, retentionInDays: 2 });
  stack.simulator.clock.fastForward();
  const read = await readSnapshot(stack, FLEET, clusterName, taken.data!.m!.snapshot!.id);
  if (typeof read === 'string' || read.status !== 'COMPLETED')
    throw new Error(`not completed: ${JSON.stringify(read)}`);
  stack.simulator.reset();
  return read;
}
