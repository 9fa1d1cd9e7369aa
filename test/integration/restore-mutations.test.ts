import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { LIFECYCLE_MS } from '../../src/simulator/timelines.js';
import {
  type GraphQLResponse,
  type LogLine,
  type Stack,
  startStack,
  TEST_KEY,
  WITHOUT_RECORD_CACHE,
} from '../helpers.js';

// createClusterRestoreJob and cancelClusterRestoreJob through the real stack (issue #13 "Tests"):
// what Atlas receives per delivery type, every validation rule and the confirmation with 0 Atlas
// calls, the scope each delivery type needs, dry runs and their refusals, idempotent replays, an
// outcome left unknown by a dropped connection, Atlas's role 403, the cancel's refusals, the job
// on the simulator clock, and the audit line. Writes go to the fleet project (40 idle replica sets
// this file owns); every job is run to its end after each test, so targets are free again.

const OPS = { 'x-api-key': 'ops-key' };
const OPS_TWIN = { 'x-api-key': 'twin-key' };
const RESTORER = { 'x-api-key': 'restore-key' };
const DOWNLOADER = { 'x-api-key': 'download-key' };
const READER = { 'x-api-key': 'read-key' };
const CALLERS = [
  'ops@ops-key backups:snapshot backups:delete backups:restore backups:download backups:schedule backups:export',
  'twin@twin-key backups:restore backups:download',
  'restorer@restore-key backups:restore',
  'downloader@download-key backups:download',
  'reader@read-key',
].join(', ');

const fleet = CLOUD.fleetGroupId;
const [source, target, otherTarget] = CLOUD.fleetClusterNames as unknown as [string, string, string];
const RESTORE_PATH = `/api/atlas/v2/groups/${fleet}/clusters/${source}/backup/restoreJobs`;
const RESTORE_HINT =
  'Restore jobs need the Project Backup Export Operator or Backup Recovery Operator role in Atlas (or Backup Manager).';

const CREATE = `mutation Create($input: CreateClusterRestoreJobInput!) {
  createClusterRestoreJob(input: $input) {
    dryRun replayed clientMutationId
    atlasRequest { method path mediaType body }
    restoreJob { id state deliveryType snapshotId targetGroupId targetClusterName pointInTimeUTCSeconds oplogTs oplogInc }
  }
}`;
const CANCEL = `mutation Cancel($input: CancelClusterRestoreJobInput!) {
  cancelClusterRestoreJob(input: $input) {
    dryRun replayed
    atlasRequest { method path mediaType body }
    restoreJob { id state cancelled failed finishedAt }
  }
}`;

interface RestoreJob {
  id: string;
  state: string;
  deliveryType: string;
  snapshotId: string | null;
  targetGroupId: string | null;
  targetClusterName: string | null;
  pointInTimeUTCSeconds: number | null;
  oplogTs: number | null;
  oplogInc: number | null;
}
interface AtlasRequest {
  method: string;
  path: string;
  mediaType: string;
  body: string | null;
}
interface CreatePayload {
  dryRun: boolean;
  replayed: boolean;
  clientMutationId: string | null;
  atlasRequest: AtlasRequest;
  restoreJob: RestoreJob | null;
}
type Created = GraphQLResponse<{ createClusterRestoreJob: CreatePayload | null }>;
type Cancelled = GraphQLResponse<{
  cancelClusterRestoreJob: {
    dryRun: boolean;
    replayed: boolean;
    atlasRequest: AtlasRequest;
    restoreJob: unknown;
  } | null;
}>;

let stack: Stack;
/** Completed snapshots of the source cluster (fleet-01), oldest first. */
let snapshots: string[];
beforeAll(async () => {
  stack = await startStack({ ...WITHOUT_RECORD_CACHE, AUTH_API_KEYS: CALLERS }, 'api-key', {
    // The analytics project gives this service's Atlas key Project Read Only; elsewhere it is Owner.
    apiKeys: [{ ...TEST_KEY, roles: { [CLOUD.analyticsGroupId]: 'GROUP_READ_ONLY' } }],
    clock: { frozen: true },
  });
  const cluster = stack.simulator.projects.get(fleet)!.cloud!.clusters.get(source)!;
  snapshots = [...cluster.snapshots.values()].filter((s) => s.status === 'completed').map((s) => s.id);
  expect(snapshots.length).toBeGreaterThanOrEqual(2);
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());
// Every job this file made runs to its end: the next test finds its targets idle and free.
afterEach(() => void stack.simulator.clock.fastForward());

const create = (input: Record<string, unknown>, headers: Record<string, string> = OPS): Promise<Created> =>
  stack.query(CREATE, { input }, headers);
const cancel = (input: Record<string, unknown>, headers: Record<string, string> = OPS): Promise<Cancelled> =>
  stack.query(CANCEL, { input }, headers);

const automated = (extra: Record<string, unknown> = {}) => ({
  groupId: fleet,
  clusterName: source,
  deliveryType: 'AUTOMATED',
  snapshotId: snapshots[0],
  targetGroupId: fleet,
  targetClusterName: target,
  confirmTargetClusterName: target,
  ...extra,
});
const download = (extra: Record<string, unknown> = {}) => ({
  groupId: fleet,
  clusterName: source,
  deliveryType: 'DOWNLOAD',
  snapshotId: snapshots[0],
  ...extra,
});
/** Now, in Unix seconds (the service's wall clock; the simulator's frozen clock started from it). */
const nowSeconds = () => Math.floor(Date.now() / 1000);
const pointInTime = (extra: Record<string, unknown> = {}) => ({
  groupId: fleet,
  clusterName: source,
  deliveryType: 'POINT_IN_TIME',
  targetGroupId: fleet,
  targetClusterName: target,
  confirmTargetClusterName: target,
  pointInTimeUtcSeconds: nowSeconds() - 3600,
  ...extra,
});

const writes = () => stack.simulator.stats.writes;
const posts = () => writes().filter((w) => w.method === 'POST');
const audits = (mutation: string): LogLine[] => stack.logs.filter((l) => l.audit === true && l.mutation === mutation);
const auditFor = (mutation: string, key: string) => audits(mutation).filter((l) => l.idempotencyKey === key);

/** The response's one error, which must be `code` (on `argument`, when given), with the payload null. */
function expectError(response: GraphQLResponse, field: string, code: string, argument?: string) {
  expect(response.data).toEqual({ [field]: null });
  expect(response.errors).toHaveLength(1);
  expect(response.errors![0]!.extensions).toMatchObject({ code, ...(argument ? { argument } : {}) });
  return response.errors![0]!;
}

describe('createClusterRestoreJob: what Atlas receives per delivery type', () => {
  it('AUTOMATED: the snapshot onto the target; the payload is the new PENDING job, and the cluster’s list shows it', async () => {
    const response = await stack.query<{
      createClusterRestoreJob: CreatePayload & { cluster: { restoreJobs: { edges: { node: { id: string } }[] } } };
    }>(
      `mutation ($input: CreateClusterRestoreJobInput!) { createClusterRestoreJob(input: $input) {
        dryRun replayed clientMutationId atlasRequest { method path mediaType body }
        restoreJob { id state deliveryType snapshotId targetGroupId targetClusterName }
        cluster { ... on DedicatedCluster { restoreJobs { edges { node { id } } } } }
      } }`,
      { input: automated({ clientMutationId: 'click-1' }) },
      OPS,
    );
    expect(response.errors).toBeUndefined();
    const payload = response.data!.createClusterRestoreJob;
    expect(posts()).toEqual([
      {
        operation: 'createBackupRestoreJob',
        method: 'POST',
        path: RESTORE_PATH,
        body: { deliveryType: 'automated', snapshotId: snapshots[0], targetGroupId: fleet, targetClusterName: target },
      },
    ]);
    const created = [...stack.simulator.projects.get(fleet)!.cloud!.clusters.get(source)!.restoreJobs.keys()];
    expect(payload).toMatchObject({
      dryRun: false,
      replayed: false,
      clientMutationId: 'click-1',
      atlasRequest: { method: 'POST', path: RESTORE_PATH, mediaType: 'application/vnd.atlas.2023-01-01+json' },
      restoreJob: {
        id: created.at(-1),
        state: 'PENDING',
        deliveryType: 'AUTOMATED',
        snapshotId: snapshots[0],
        targetGroupId: fleet,
        targetClusterName: target,
      },
    });
    expect(JSON.parse(payload.atlasRequest.body!)).toEqual(posts()[0]!.body);
    // Consistency: the same request's list of the cluster's jobs is read after the write, newest first.
    expect(payload.cluster.restoreJobs.edges[0]!.node.id).toBe(payload.restoreJob!.id);
  });

  it('DOWNLOAD: only the snapshot is sent (scope backups:download is enough)', async () => {
    const { data, errors } = await create(download(), DOWNLOADER);
    expect(errors).toBeUndefined();
    expect(posts().map((w) => w.body)).toEqual([{ deliveryType: 'download', snapshotId: snapshots[0] }]);
    expect(data!.createClusterRestoreJob!.restoreJob).toMatchObject({
      state: 'PENDING',
      deliveryType: 'DOWNLOAD',
      snapshotId: snapshots[0],
      targetClusterName: null,
    });
  });

  it('POINT_IN_TIME with pointInTimeUtcSeconds: Atlas gets `pointInTimeUTCSeconds`, an integer, and no snapshot', async () => {
    const at = nowSeconds() - 3600;
    const { data, errors } = await create(pointInTime({ pointInTimeUtcSeconds: at }), RESTORER);
    expect(errors).toBeUndefined();
    const body = posts()[0]!.body;
    expect(body).toEqual({
      deliveryType: 'pointInTime',
      targetGroupId: fleet,
      targetClusterName: target,
      pointInTimeUTCSeconds: at,
    });
    expect(body).not.toHaveProperty('pointInTimeUtcSeconds');
    // The bytes sent: an int32 literal under Atlas's spelling, no quotes, no fraction.
    const sent = data!.createClusterRestoreJob!.atlasRequest.body!;
    expect(sent).toContain(`"pointInTimeUTCSeconds":${at}}`);
    expect(data!.createClusterRestoreJob!.restoreJob).toMatchObject({
      state: 'PENDING',
      deliveryType: 'POINT_IN_TIME',
      pointInTimeUTCSeconds: at,
      targetClusterName: target,
    });
  });

  it('POINT_IN_TIME with oplogTs and oplogInc: both sent as int32, the largest int32 unchanged', async () => {
    const ts = nowSeconds() - 7200;
    const inc = 2 ** 31 - 1;
    const { data, errors } = await create(
      pointInTime({ pointInTimeUtcSeconds: undefined, oplogTs: ts, oplogInc: inc }),
      RESTORER,
    );
    expect(errors).toBeUndefined();
    expect(posts()[0]!.body).toEqual({
      deliveryType: 'pointInTime',
      targetGroupId: fleet,
      targetClusterName: target,
      oplogTs: ts,
      oplogInc: inc,
    });
    expect(data!.createClusterRestoreJob!.atlasRequest.body).toContain(`"oplogTs":${ts},"oplogInc":2147483647}`);
    expect(data!.createClusterRestoreJob!.restoreJob).toMatchObject({ oplogTs: ts, oplogInc: inc });
  });

  it('a restore into another project names it: targetGroupId in the body and the audit line', async () => {
    const key = randomUUID();
    const input = automated({ targetGroupId: CLOUD.groupId, targetClusterName: CLOUD.replicaSetGcp });
    const { errors } = await create({ ...input, confirmTargetClusterName: CLOUD.replicaSetGcp, idempotencyKey: key });
    expect(errors).toBeUndefined();
    expect(posts()[0]!.body).toMatchObject({ targetGroupId: CLOUD.groupId, targetClusterName: CLOUD.replicaSetGcp });
    expect(auditFor('createClusterRestoreJob', key)[0]!.targets).toEqual({
      groupId: fleet,
      clusterName: source,
      snapshotId: snapshots[0],
      targetGroupId: CLOUD.groupId,
      targetClusterName: CLOUD.replicaSetGcp,
    });
  });
});

describe('createClusterRestoreJob: every validation rule is BAD_USER_INPUT naming the field, with 0 Atlas calls', () => {
  const id = '6b1541000000000000000001';
  const future = () => nowSeconds() + 3600;
  const cases: [string, string, () => Record<string, unknown>][] = [
    ['AUTOMATED without snapshotId', 'input.snapshotId', () => automated({ snapshotId: null })],
    ['AUTOMATED without targetGroupId', 'input.targetGroupId', () => automated({ targetGroupId: null })],
    [
      'AUTOMATED without targetClusterName',
      'input.targetClusterName',
      () => automated({ targetClusterName: null, confirmTargetClusterName: null }),
    ],
    [
      'AUTOMATED with a point in time',
      'input.pointInTimeUtcSeconds',
      () => automated({ pointInTimeUtcSeconds: 1_764_000_000 }),
    ],
    ['AUTOMATED with an oplog time', 'input.oplogTs', () => automated({ oplogTs: 1_764_000_000, oplogInc: 1 })],
    ['DOWNLOAD without snapshotId', 'input.snapshotId', () => download({ snapshotId: null })],
    ['DOWNLOAD with targetGroupId', 'input.targetGroupId', () => download({ targetGroupId: fleet })],
    ['DOWNLOAD with targetClusterName', 'input.targetClusterName', () => download({ targetClusterName: target })],
    [
      'DOWNLOAD with a point in time',
      'input.pointInTimeUtcSeconds',
      () => download({ pointInTimeUtcSeconds: 1_764_000_000 }),
    ],
    ['POINT_IN_TIME with snapshotId', 'input.snapshotId', () => pointInTime({ snapshotId: id })],
    ['POINT_IN_TIME without targetGroupId', 'input.targetGroupId', () => pointInTime({ targetGroupId: null })],
    [
      'POINT_IN_TIME without targetClusterName',
      'input.targetClusterName',
      () => pointInTime({ targetClusterName: null, confirmTargetClusterName: null }),
    ],
    ['POINT_IN_TIME without a time', 'input.pointInTimeUtcSeconds', () => pointInTime({ pointInTimeUtcSeconds: null })],
    [
      'POINT_IN_TIME with both forms of the time',
      'input.pointInTimeUtcSeconds',
      () => pointInTime({ oplogTs: 1_764_000_000, oplogInc: 1 }),
    ],
    [
      'oplogTs without oplogInc',
      'input.oplogInc',
      () => pointInTime({ pointInTimeUtcSeconds: null, oplogTs: 1_764_000_000 }),
    ],
    ['oplogInc without oplogTs', 'input.oplogTs', () => pointInTime({ pointInTimeUtcSeconds: null, oplogInc: 3 })],
    [
      'pointInTimeUtcSeconds in the future',
      'input.pointInTimeUtcSeconds',
      () => pointInTime({ pointInTimeUtcSeconds: future() }),
    ],
    [
      'oplogTs in the future',
      'input.oplogTs',
      () => pointInTime({ pointInTimeUtcSeconds: null, oplogTs: future(), oplogInc: 1 }),
    ],
    [
      'a negative oplogInc',
      'input.oplogInc',
      () => pointInTime({ pointInTimeUtcSeconds: null, oplogTs: 1_764_000_000, oplogInc: -1 }),
    ],
    [
      'a negative pointInTimeUtcSeconds',
      'input.pointInTimeUtcSeconds',
      () => pointInTime({ pointInTimeUtcSeconds: -5 }),
    ],
    [
      'AUTOMATED with another confirmation',
      'input.confirmTargetClusterName',
      () => automated({ confirmTargetClusterName: otherTarget }),
    ],
    [
      'AUTOMATED without confirmation',
      'input.confirmTargetClusterName',
      () => automated({ confirmTargetClusterName: null }),
    ],
    [
      'POINT_IN_TIME confirmed in another case',
      'input.confirmTargetClusterName',
      () => pointInTime({ confirmTargetClusterName: target.toUpperCase() }),
    ],
    ['a snapshotId that is no id', 'input.snapshotId', () => download({ snapshotId: 'latest' })],
    [
      'a target name Atlas cannot hold',
      'input.targetClusterName',
      () => automated({ targetClusterName: 'a b', confirmTargetClusterName: 'a b' }),
    ],
    ['an idempotencyKey of 65 characters', 'input.idempotencyKey', () => download({ idempotencyKey: 'k'.repeat(65) })],
  ];

  it.each(cases)('%s → %s', async (_name, argument, input) => {
    const error = expectError(await create(input()), 'createClusterRestoreJob', 'BAD_USER_INPUT', argument);
    expect(error.message).toContain(`"${argument}"`);
    expect(stack.simulator.stats.requests).toBe(0);
  });

  it('the confirmation says why it is asked for', async () => {
    const error = expectError(
      await create(automated({ confirmTargetClusterName: otherTarget })),
      'createClusterRestoreJob',
      'BAD_USER_INPUT',
    );
    expect(error.message).toContain('must repeat targetClusterName exactly');
    expect(error.message).toContain('erases all data on the target cluster');
  });

  it('several problems at once: the first in the message, every one in extensions.issues', async () => {
    const input = { groupId: fleet, clusterName: source, deliveryType: 'AUTOMATED', confirmTargetClusterName: target };
    const error = expectError(await create(input), 'createClusterRestoreJob', 'BAD_USER_INPUT', 'input.snapshotId');
    expect((error.extensions!.issues as { argument: string }[]).map((i) => i.argument)).toEqual([
      'input.snapshotId',
      'input.targetGroupId',
      'input.targetClusterName',
      'input.confirmTargetClusterName',
    ]);
    expect(stack.simulator.stats.requests).toBe(0);
  });

  it('a time past int32 is refused by the Int type itself, naming the field, for 0 Atlas calls', async () => {
    const response = await create(pointInTime({ pointInTimeUtcSeconds: 2 ** 31 }));
    expect(response.data ?? null).toBeNull();
    expect(response.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(response.errors![0]!.message).toContain('input.pointInTimeUtcSeconds');
    expect(stack.simulator.stats.requests).toBe(0);
  });
});

describe('createClusterRestoreJob: the scope follows the delivery type', () => {
  it.each([
    ['DOWNLOAD', 'backups:download', RESTORER, download],
    ['AUTOMATED', 'backups:restore', DOWNLOADER, automated],
    ['POINT_IN_TIME', 'backups:restore', DOWNLOADER, pointInTime],
    ['AUTOMATED (a read-only caller)', 'backups:restore', READER, automated],
  ] as const)('%s without %s → FORBIDDEN naming the scope, 0 Atlas calls', async (_type, scope, caller, input) => {
    const error = expectError(await create(input(), caller), 'createClusterRestoreJob', 'FORBIDDEN');
    expect(error.extensions!.scope).toBe(scope);
    expect(error.message).toContain(`this needs the ${scope} scope`);
    expect(stack.simulator.stats.requests).toBe(0);
    const refused = audits('createClusterRestoreJob').at(-1)!;
    expect(refused).toMatchObject({ result: 'refused', code: 'FORBIDDEN', scope });
    expect(refused).not.toHaveProperty('targets');
  });
});

describe('createClusterRestoreJob: dry run', () => {
  it('writes nothing and answers the exact request a real run then sends', async () => {
    const dry = await create(automated({ dryRun: true }));
    expect(dry.errors).toBeUndefined();
    expect(writes()).toEqual([]);
    // The reads that check it: the source, its snapshot and the target.
    expect(stack.simulator.stats.byOperation).toEqual({ getCluster: 2, getClusterBackupSnapshot: 1 });
    const payload = dry.data!.createClusterRestoreJob!;
    expect(payload).toMatchObject({ dryRun: true, replayed: false, restoreJob: null });
    const real = await create(automated());
    expect(posts()).toHaveLength(1);
    expect(real.data!.createClusterRestoreJob!.atlasRequest).toEqual(payload.atlasRequest);
    expect(payload.atlasRequest.path).toBe(posts()[0]!.path);
    expect(JSON.parse(payload.atlasRequest.body!)).toEqual(posts()[0]!.body);
    expect(
      audits('createClusterRestoreJob')
        .slice(-2)
        .map((l) => [l.result, l.dryRun]),
    ).toEqual([
      ['dry-run', true],
      ['done', false],
    ]);
  });

  it('a dry run of each delivery type: the body it would send', async () => {
    const at = nowSeconds() - 600;
    const bodies = [];
    for (const input of [download({ dryRun: true }), pointInTime({ pointInTimeUtcSeconds: at, dryRun: true })]) {
      const { data, errors } = await create(input);
      expect(errors).toBeUndefined();
      bodies.push(JSON.parse(data!.createClusterRestoreJob!.atlasRequest.body!) as unknown);
    }
    expect(bodies).toEqual([
      { deliveryType: 'download', snapshotId: snapshots[0] },
      { deliveryType: 'pointInTime', targetGroupId: fleet, targetClusterName: target, pointInTimeUTCSeconds: at },
    ]);
    expect(writes()).toEqual([]);
  });

  const demo = (extra: Record<string, unknown>) => ({
    groupId: CLOUD.groupId,
    clusterName: CLOUD.replicaSet,
    deliveryType: 'AUTOMATED',
    snapshotId: CLOUD.snapshots.daily,
    targetGroupId: CLOUD.groupId,
    dryRun: true,
    ...extra,
  });
  it.each([
    [
      'the snapshot is queued',
      'CONFLICT',
      'input.snapshotId',
      'is queued: only a completed snapshot can be restored',
      () => ({
        ...download({ dryRun: true }),
        groupId: CLOUD.groupId,
        clusterName: CLOUD.replicaSet,
        snapshotId: CLOUD.snapshots.queued,
      }),
    ],
    [
      'the snapshot failed',
      'CONFLICT',
      'input.snapshotId',
      'is failed',
      () =>
        demo({
          snapshotId: CLOUD.snapshots.failed,
          targetClusterName: CLOUD.replicaSetGcp,
          confirmTargetClusterName: CLOUD.replicaSetGcp,
        }),
    ],
    [
      'the target is paused',
      'CONFLICT',
      'input.targetClusterName',
      `the target cluster ${CLOUD.paused} is paused`,
      () => demo({ targetClusterName: CLOUD.paused, confirmTargetClusterName: CLOUD.paused }),
    ],
    [
      'the target is not IDLE',
      'CONFLICT',
      'input.targetClusterName',
      `the target cluster ${CLOUD.noSchedule} is CREATING, not IDLE`,
      () => demo({ targetClusterName: CLOUD.noSchedule, confirmTargetClusterName: CLOUD.noSchedule }),
    ],
    [
      'the source has no Cloud Backup',
      'CONFLICT',
      'input.clusterName',
      'does not have Cloud Backup turned on',
      () => ({
        ...demo({ targetClusterName: CLOUD.replicaSetGcp, confirmTargetClusterName: CLOUD.replicaSetGcp }),
        clusterName: CLOUD.backupDisabled,
      }),
    ],
  ])('refused when %s: %s on %s, 0 writes', async (_name, code, argument, message, input) => {
    const error = expectError(await create(input()), 'createClusterRestoreJob', code, argument);
    expect(error.message).toContain('Refused before calling Atlas');
    expect(error.message).toContain(message);
    expect(writes()).toEqual([]);
  });

  it.each([
    ['an unknown target cluster', { targetClusterName: CLOUD.deleted, confirmTargetClusterName: CLOUD.deleted }],
    [
      'an unknown snapshot',
      {
        snapshotId: '6b15ffffffffffffffffffff',
        targetClusterName: CLOUD.replicaSetGcp,
        confirmTargetClusterName: CLOUD.replicaSetGcp,
      },
    ],
  ])('%s: NOT_FOUND from the read, 0 writes', async (_name, extra) => {
    expectError(await create(demo(extra)), 'createClusterRestoreJob', 'NOT_FOUND');
    expect(writes()).toEqual([]);
  });
});

describe('createClusterRestoreJob: idempotency keys', () => {
  it('two identical requests: one POST; the second is the first’s job, replayed, with its own clientMutationId', async () => {
    const key = randomUUID();
    const first = await create(download({ idempotencyKey: key, clientMutationId: 'a' }));
    const second = await create(download({ idempotencyKey: key, clientMutationId: 'b' }));
    expect(posts()).toHaveLength(1);
    expect(stack.simulator.upstreamCalls()).toBe(1);
    const [one, two] = [first.data!.createClusterRestoreJob!, second.data!.createClusterRestoreJob!];
    expect(one).toMatchObject({ replayed: false, clientMutationId: 'a' });
    expect(two).toMatchObject({ replayed: true, clientMutationId: 'b', dryRun: false });
    expect(two.restoreJob).toEqual(one.restoreJob);
    expect(two.atlasRequest).toEqual(one.atlasRequest);
    expect(auditFor('createClusterRestoreJob', key).map((l) => l.result)).toEqual(['done', 'replayed']);
  });

  it('ten concurrent duplicates: one POST, one job, nine replays', async () => {
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: 10 }, () => create(automated({ idempotencyKey: key }))));
    expect(posts()).toHaveLength(1);
    const payloads = responses.map((r) => r.data!.createClusterRestoreJob!);
    expect(new Set(payloads.map((p) => p.restoreJob!.id)).size).toBe(1);
    expect(payloads.filter((p) => !p.replayed)).toHaveLength(1);
  });

  it('the same key with another input: BAD_USER_INPUT on input.idempotencyKey, 0 Atlas calls', async () => {
    const key = randomUUID();
    expect((await create(download({ idempotencyKey: key }))).errors).toBeUndefined();
    stack.simulator.reset();
    const error = expectError(
      await create(download({ idempotencyKey: key, snapshotId: snapshots[1] })),
      'createClusterRestoreJob',
      'BAD_USER_INPUT',
      'input.idempotencyKey',
    );
    expect(error.message).toContain('use a new key for a new request');
    expect(stack.simulator.stats.requests).toBe(0);
  });

  it('another caller’s same key is not a replay: a second POST', async () => {
    const key = randomUUID();
    const mine = await create(download({ idempotencyKey: key }), OPS);
    stack.simulator.clock.fastForward(); // the first download ends, so Atlas takes another of the snapshot
    const theirs = await create(download({ idempotencyKey: key }), OPS_TWIN);
    expect(posts()).toHaveLength(2);
    expect(theirs.data!.createClusterRestoreJob!.replayed).toBe(false);
    expect(theirs.data!.createClusterRestoreJob!.restoreJob!.id).not.toBe(
      mine.data!.createClusterRestoreJob!.restoreJob!.id,
    );
  });

  it('a refusal that proves Atlas did nothing frees the key: the same request is sent again', async () => {
    const key = randomUUID();
    const input = automated({ targetGroupId: CLOUD.analyticsGroupId, targetClusterName: CLOUD.analyticsCluster });
    const again = { ...input, confirmTargetClusterName: CLOUD.analyticsCluster, idempotencyKey: key };
    expectError(await create(again), 'createClusterRestoreJob', 'FORBIDDEN');
    expectError(await create(again), 'createClusterRestoreJob', 'FORBIDDEN');
    expect(posts()).toHaveLength(2);
  });
});

describe('createClusterRestoreJob: an outcome Atlas leaves unknown', () => {
  it('the connection drops after Atlas took the body: one POST, UPSTREAM_OUTCOME_UNKNOWN saying to list the restore jobs; a repeat gets the same error, still one POST; the job Atlas made is listed', async () => {
    const key = randomUUID();
    const jobs = () => stack.simulator.projects.get(fleet)!.cloud!.clusters.get(source)!.restoreJobs;
    const before = new Set(jobs().keys());
    stack.simulator.faults.inject({ kind: 'drop-after-body', apply: true }, { operation: 'createBackupRestoreJob' });
    const first = expectError(
      await create(automated({ idempotencyKey: key })),
      'createClusterRestoreJob',
      'UPSTREAM_OUTCOME_UNKNOWN',
    );
    expect(first.extensions!.operation).toBe('createBackupRestoreJob');
    expect(first.message).toContain('It was not sent again');
    expect(first.message).toContain('list the cluster’s restore jobs (`clusterRestoreJobs`)');
    expect(posts()).toHaveLength(1);

    const repeat = expectError(
      await create(automated({ idempotencyKey: key })),
      'createClusterRestoreJob',
      'UPSTREAM_OUTCOME_UNKNOWN',
    );
    expect(repeat.message).toBe(first.message);
    expect(posts()).toHaveLength(1);
    expect(auditFor('createClusterRestoreJob', key).map((l) => [l.result, l.code])).toEqual([
      ['failed', 'UPSTREAM_OUTCOME_UNKNOWN'],
      ['replayed', 'UPSTREAM_OUTCOME_UNKNOWN'],
    ]);

    // What the message says to do: the job Atlas did create is there.
    const made = [...jobs().keys()].filter((id) => !before.has(id));
    expect(made).toHaveLength(1);
    const { data } = await stack.query<{
      l: { edges: { node: { id: string; snapshotId: string; targetClusterName: string } }[] };
    }>(
      `{ l: clusterRestoreJobs(groupId: "${fleet}", clusterName: "${source}") { edges { node { id snapshotId targetClusterName } } } }`,
      {},
      OPS,
    );
    expect(data!.l.edges[0]!.node).toEqual({ id: made[0], snapshotId: snapshots[0], targetClusterName: target });
  });
});

describe('createClusterRestoreJob: Atlas’s own roles', () => {
  it('a Project Read Only Atlas key: FORBIDDEN with Atlas’s 403 and a hint naming the restore roles', async () => {
    const group = CLOUD.analyticsGroupId;
    const snapshot = [
      ...stack.simulator.projects.get(group)!.cloud!.clusters.get(CLOUD.analyticsCluster)!.snapshots.keys(),
    ][0];
    const key = randomUUID();
    const error = expectError(
      await create({
        groupId: group,
        clusterName: CLOUD.analyticsCluster,
        deliveryType: 'DOWNLOAD',
        snapshotId: snapshot,
        idempotencyKey: key,
      }),
      'createClusterRestoreJob',
      'FORBIDDEN',
    );
    expect(error.extensions).toMatchObject({
      atlas: { status: 403, errorCode: 'USER_UNAUTHORIZED' },
      hint: RESTORE_HINT,
    });
    expect(error.message).toContain(RESTORE_HINT);
    expect(posts()).toHaveLength(1);
    expect(auditFor('createClusterRestoreJob', key)[0]).toMatchObject({
      result: 'failed',
      code: 'FORBIDDEN',
      atlasStatus: 403,
    });
  });
});

describe('the restore job on the simulator clock', () => {
  const poll = async (id: string) => {
    const { data, errors } = await stack.query<{
      j: { state: string; finishedAt: string | null; deliveryUrl: string[] };
    }>(
      `{ j: clusterRestoreJob(groupId: "${fleet}", clusterName: "${source}", restoreJobId: "${id}") { state finishedAt deliveryUrl } }`,
      {},
      OPS,
    );
    expect(errors).toBeUndefined();
    return data!.j;
  };

  it('an automated restore: PENDING until Atlas finishes it, then COMPLETED', async () => {
    const id = (await create(automated())).data!.createClusterRestoreJob!.restoreJob!.id;
    expect(await poll(id)).toMatchObject({ state: 'PENDING', finishedAt: null });
    stack.simulator.clock.advance(LIFECYCLE_MS.restore.finished - 1);
    expect((await poll(id)).state).toBe('PENDING');
    stack.simulator.clock.advance(1);
    expect(await poll(id)).toMatchObject({ state: 'COMPLETED', finishedAt: expect.any(String) as string });
  });

  it('a download: PENDING, then READY with its URL, then EXPIRED', async () => {
    const id = (await create(download())).data!.createClusterRestoreJob!.restoreJob!.id;
    expect(await poll(id)).toMatchObject({ state: 'PENDING', deliveryUrl: [] });
    stack.simulator.clock.advance(LIFECYCLE_MS.restore.finished);
    const ready = await poll(id);
    expect(ready.state).toBe('READY');
    expect(ready.deliveryUrl).toHaveLength(1);
    stack.simulator.clock.advance(LIFECYCLE_MS.downloadLife);
    expect(await poll(id)).toMatchObject({ state: 'EXPIRED', deliveryUrl: [] });
  });
});

describe('the audit line', () => {
  it('names the caller, scope, targets, key and outcome, and never a delivery URL', async () => {
    const key = randomUUID();
    const { data } = await create(automated({ idempotencyKey: key }), RESTORER);
    const [line] = auditFor('createClusterRestoreJob', key);
    expect(line).toMatchObject({
      audit: true,
      msg: 'backup action',
      mutation: 'createClusterRestoreJob',
      scope: 'backups:restore',
      caller: 'restorer',
      callerId: expect.stringMatching(/^key:[0-9a-f]+$/) as string,
      requestId: expect.any(String) as string,
      targets: {
        groupId: fleet,
        clusterName: source,
        snapshotId: snapshots[0],
        targetGroupId: fleet,
        targetClusterName: target,
      },
      idempotencyKey: key,
      dryRun: false,
      result: 'done',
      code: null,
      atlasStatus: null,
      resultId: data!.createClusterRestoreJob!.restoreJob!.id,
      durationMs: expect.any(Number) as number,
    });

    // A download made ready, then read back in another mutation's payload: its URL stays out of the log.
    const downloadKey = randomUUID();
    const id = (await create(download({ idempotencyKey: downloadKey }))).data!.createClusterRestoreJob!.restoreJob!.id;
    stack.simulator.clock.advance(LIFECYCLE_MS.restore.finished);
    const { data: read } = await stack.query<{ c: { restoreJob: { deliveryUrl: string[] } } }>(
      `mutation { c: cancelClusterRestoreJob(input: { groupId: "${fleet}", clusterName: "${source}", restoreJobId: "${id}", dryRun: true }) { restoreJob { deliveryUrl } } }`,
      {},
      OPS,
    );
    const [url] = read!.c.restoreJob.deliveryUrl;
    expect(url).toMatch(/^https:\/\//);
    const lines = [...auditFor('createClusterRestoreJob', downloadKey), ...audits('cancelClusterRestoreJob')];
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) {
      expect(l).not.toHaveProperty('deliveryUrl');
      expect(JSON.stringify(l)).not.toContain('https://');
    }
    expect(stack.rawLogs.join('\n')).not.toContain(new URL(url!).pathname.split('/')[1]!);
  });
});

describe('cancelClusterRestoreJob', () => {
  /** A download of the source this test owns, still running. */
  const runningDownload = async (snapshotId = snapshots[0]) => {
    const { data, errors } = await create(download({ snapshotId }));
    expect(errors).toBeUndefined();
    stack.simulator.reset();
    return data!.createClusterRestoreJob!.restoreJob!.id;
  };
  const input = (restoreJobId: string, extra: Record<string, unknown> = {}) => ({
    groupId: fleet,
    clusterName: source,
    restoreJobId,
    ...extra,
  });

  it('a running download: one DELETE, and the payload’s job (read after it) is CANCELLED', async () => {
    const id = await runningDownload();
    const { data, errors } = await cancel(input(id), RESTORER);
    expect(errors).toBeUndefined();
    expect(writes()).toEqual([
      { operation: 'cancelBackupRestoreJob', method: 'DELETE', path: `${RESTORE_PATH}/${id}`, body: undefined },
    ]);
    expect(data!.cancelClusterRestoreJob).toEqual({
      dryRun: false,
      replayed: false,
      atlasRequest: {
        method: 'DELETE',
        path: `${RESTORE_PATH}/${id}`,
        mediaType: 'application/vnd.atlas.2023-01-01+json',
        body: null,
      },
      restoreJob: { id, state: 'CANCELLED', cancelled: true, failed: true, finishedAt: expect.any(String) as string },
    });
    expect(stack.simulator.stats.byOperation.getBackupRestoreJob).toBe(1);
    const [line] = audits('cancelClusterRestoreJob').slice(-1);
    expect(line).toMatchObject({
      caller: 'restorer',
      scope: 'backups:restore',
      targets: { groupId: fleet, clusterName: source, restoreJobId: id },
      result: 'done',
    });
  });

  it('a READY download can be cancelled too; its URL is gone', async () => {
    const id = await runningDownload();
    stack.simulator.clock.advance(LIFECYCLE_MS.restore.finished);
    const { data } = await stack.query<{ c: { restoreJob: { state: string; deliveryUrl: string[] } } }>(
      `mutation { c: cancelClusterRestoreJob(input: { groupId: "${fleet}", clusterName: "${source}", restoreJobId: "${id}" }) { restoreJob { state deliveryUrl } } }`,
      {},
      OPS,
    );
    expect(data!.c.restoreJob).toEqual({ state: 'CANCELLED', deliveryUrl: [] });
  });

  it('dry run: the DELETE it would send, 0 writes; a real run then sends exactly it', async () => {
    const id = await runningDownload();
    const dry = await cancel(input(id, { dryRun: true }));
    expect(dry.errors).toBeUndefined();
    expect(writes()).toEqual([]);
    expect(dry.data!.cancelClusterRestoreJob).toMatchObject({
      dryRun: true,
      atlasRequest: { method: 'DELETE', body: null },
    });
    const real = await cancel(input(id));
    expect(writes()).toHaveLength(1);
    expect(real.data!.cancelClusterRestoreJob!.atlasRequest).toEqual(dry.data!.cancelClusterRestoreJob!.atlasRequest);
    expect(writes()[0]!.path).toBe(dry.data!.cancelClusterRestoreJob!.atlasRequest.path);
  });

  it('a repeat with the same key: one DELETE, replayed', async () => {
    const id = await runningDownload();
    const key = randomUUID();
    await cancel(input(id, { idempotencyKey: key }));
    const again = await cancel(input(id, { idempotencyKey: key }));
    expect(writes()).toHaveLength(1);
    expect(again.data!.cancelClusterRestoreJob!.replayed).toBe(true);
  });

  it('a sharded cluster’s job: Atlas’s 405 as BAD_USER_INPUT with the hint (one DELETE); the dry run refuses it with 0', async () => {
    const sharded = { groupId: CLOUD.groupId, clusterName: CLOUD.sharded, restoreJobId: CLOUD.shardedRestoreJobId };
    const key = randomUUID();
    const error = expectError(
      await cancel({ ...sharded, idempotencyKey: key }),
      'cancelClusterRestoreJob',
      'BAD_USER_INPUT',
    );
    expect(error.extensions).toMatchObject({
      atlas: { status: 405, errorCode: 'ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED' },
      hint: 'Atlas cannot cancel restore jobs of sharded clusters: the job runs to its end.',
    });
    expect(writes().map((w) => w.method)).toEqual(['DELETE']);
    expect(auditFor('cancelClusterRestoreJob', key)[0]).toMatchObject({ code: 'BAD_USER_INPUT', atlasStatus: 405 });

    stack.simulator.reset();
    const dry = expectError(
      await cancel({ ...sharded, dryRun: true }),
      'cancelClusterRestoreJob',
      'BAD_USER_INPUT',
      'input.clusterName',
    );
    expect(dry.message).toContain('Atlas cannot cancel restore jobs of sharded clusters');
    expect(writes()).toEqual([]);
  });

  it('an automated job: CONFLICT with Atlas’s reason; the dry run refuses it before calling', async () => {
    const automatedJob = {
      groupId: CLOUD.groupId,
      clusterName: CLOUD.replicaSet,
      restoreJobId: CLOUD.restoreJobs.automatedPending,
    };
    const error = expectError(await cancel(automatedJob), 'cancelClusterRestoreJob', 'CONFLICT');
    expect(error.extensions).toMatchObject({
      atlas: { status: 400, errorCode: 'CANNOT_CANCEL_AUTOMATED_RESTORE' },
      hint: expect.stringContaining('Atlas cancels download restore jobs only') as string,
    });
    expect(writes()).toHaveLength(1);

    stack.simulator.reset();
    const dry = expectError(await cancel({ ...automatedJob, dryRun: true }), 'cancelClusterRestoreJob', 'CONFLICT');
    expect(dry.message).toContain('Refused before calling Atlas');
    expect(dry.message).toContain('Atlas cancels download jobs only');
    expect(writes()).toEqual([]);
  });

  it('a finished download: the dry run says only a running job can be cancelled; Atlas says CONFLICT too', async () => {
    const done = {
      groupId: CLOUD.groupId,
      clusterName: CLOUD.replicaSet,
      restoreJobId: CLOUD.restoreJobs.downloadCancelled,
    };
    const dry = expectError(await cancel({ ...done, dryRun: true }), 'cancelClusterRestoreJob', 'CONFLICT');
    expect(dry.message).toContain('only a running job can be cancelled');
    expect(writes()).toEqual([]);
    const real = expectError(await cancel(done), 'cancelClusterRestoreJob', 'CONFLICT');
    expect(real.extensions!.atlas).toMatchObject({ errorCode: 'RESTORE_JOB_ALREADY_FINISHED' });
  });

  it('an unknown job: NOT_FOUND, in a dry run without a write', async () => {
    expectError(
      await cancel(input('6b1effffffffffffffffffff', { dryRun: true })),
      'cancelClusterRestoreJob',
      'NOT_FOUND',
    );
    expect(writes()).toEqual([]);
  });

  it('without backups:restore: FORBIDDEN naming it, 0 Atlas calls', async () => {
    const error = expectError(
      await cancel(input(CLOUD.restoreJobs.downloadPending), DOWNLOADER),
      'cancelClusterRestoreJob',
      'FORBIDDEN',
    );
    expect(error.extensions!.scope).toBe('backups:restore');
    expect(stack.simulator.stats.requests).toBe(0);
  });

  it('a restoreJobId that is no id: BAD_USER_INPUT naming it, 0 Atlas calls', async () => {
    expectError(await cancel(input('job-1')), 'cancelClusterRestoreJob', 'BAD_USER_INPUT', 'input.restoreJobId');
    expect(stack.simulator.stats.requests).toBe(0);
  });

  it('a Project Read Only Atlas key: FORBIDDEN with the restore roles’ hint', async () => {
    const error = expectError(
      await cancel({
        groupId: CLOUD.analyticsGroupId,
        clusterName: CLOUD.analyticsCluster,
        restoreJobId: '6b1e09000000000000000001',
      }),
      'cancelClusterRestoreJob',
      'FORBIDDEN',
    );
    expect(error.extensions).toMatchObject({ atlas: { status: 403 }, hint: RESTORE_HINT });
    expect(writes()).toHaveLength(1);
  });
});
