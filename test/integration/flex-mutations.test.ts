import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { DEMO } from '../../src/simulator/seed.js';
import { LIFECYCLE_MS } from '../../src/simulator/timelines.js';
import {
  type GraphQLResponse,
  type LogLine,
  type Stack,
  startStack,
  TEST_KEY,
  WITHOUT_RECORD_CACHE,
} from '../helpers.js';

// restoreFlexSnapshot and downloadFlexSnapshot through the real stack (issue #13 "Tests"): the
// target by name, in this project or another (targetGroupId), the confirmation, validation and
// scopes for 0 Atlas calls, dry runs and their refusals, idempotent replays, an outcome left unknown,
// Atlas's role 403s, the job on the simulator clock, and the download's snapshotUrl: a secret handed
// only to a caller holding backups:download, never written to a log line.

const OPS = { 'x-api-key': 'ops-key' };
const RESTORER = { 'x-api-key': 'restore-key' };
const DOWNLOADER = { 'x-api-key': 'download-key' };
const READER = { 'x-api-key': 'read-key' };
const CALLERS = [
  'ops@ops-key backups:snapshot backups:delete backups:restore backups:download backups:schedule backups:export',
  'restorer@restore-key backups:restore',
  'downloader@download-key backups:download',
  'reader@read-key',
].join(', ');

const g = DEMO.groupId;
const flex = DEMO.flexCluster;
/** Snapshots of `flex` by status (the seed cycles statuses: 1 and 2 completed, 3 RUNNING, 6 FAILED). */
const SNAPSHOTS = {
  completed: DEMO.flexSnapshotId,
  alsoCompleted: '6a6f00000000000000000001',
  running: '6a6f00000000000000000003',
  failed: '6a6f00000000000000000006',
  unknown: '6a6fffffffffffffffffffff',
};
const FLEX_PATH = `/api/atlas/v2/groups/${g}/flexClusters/${flex}/backup`;
const FLEX_MEDIA = 'application/vnd.atlas.2024-11-13+json';
const FLEX_RESTORE_HINT = 'Flex restores need the Project Backup Recovery Operator role in Atlas (or Backup Manager).';
const EXPORT_HINT = 'Exports and downloads need the Project Backup Export Operator role in Atlas (or Backup Manager).';
/** The simulator's pre-signed URL: a 64-character random signature (src/simulator/flex-write-routes.ts). */
const SIGNED_URL =
  /^https:\/\/flex-backups\.s1m0a\.example\/.+\.tgz\?X-Amz-Expires=14400&X-Amz-Signature=([A-Za-z0-9]{64})$/;

const JOB = 'id status deliveryType snapshotId targetProjectId targetDeploymentItemName';
const RESTORE = `mutation Restore($input: RestoreFlexSnapshotInput!) {
  restoreFlexSnapshot(input: $input) {
    dryRun replayed clientMutationId
    atlasRequest { method path mediaType body }
    restoreJob { ${JOB} }
  }
}`;
const DOWNLOAD = `mutation Download($input: DownloadFlexSnapshotInput!) {
  downloadFlexSnapshot(input: $input) {
    dryRun replayed clientMutationId
    atlasRequest { method path mediaType body }
    restoreJob { ${JOB} snapshotUrl expirationDate }
  }
}`;

interface FlexJob {
  id: string;
  status: string;
  deliveryType: string;
  snapshotId: string;
  targetProjectId: string | null;
  targetDeploymentItemName: string | null;
  snapshotUrl?: string | null;
  expirationDate?: string;
}
interface Payload {
  dryRun: boolean;
  replayed: boolean;
  clientMutationId: string | null;
  atlasRequest: { method: string; path: string; mediaType: string; body: string | null };
  restoreJob: FlexJob | null;
}
type Restored = GraphQLResponse<{ restoreFlexSnapshot: Payload | null }>;
type Downloaded = GraphQLResponse<{ downloadFlexSnapshot: Payload | null }>;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ ...WITHOUT_RECORD_CACHE, AUTH_API_KEYS: CALLERS }, 'api-key', {
    // The analytics project gives this service's Atlas key Project Read Only; elsewhere it is Owner.
    apiKeys: [{ ...TEST_KEY, roles: { [CLOUD.analyticsGroupId]: 'GROUP_READ_ONLY' } }],
    clock: { frozen: true },
  });
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());
// Every job runs to its end after a test: Atlas takes one restore into a target at a time.
afterEach(() => void stack.simulator.clock.fastForward());

const restoreInput = (targetClusterName: string = DEMO.migratedCluster, extra: Record<string, unknown> = {}) => ({
  groupId: g,
  name: flex,
  snapshotId: SNAPSHOTS.completed,
  targetClusterName,
  confirmTargetClusterName: targetClusterName,
  ...extra,
});
const downloadInput = (extra: Record<string, unknown> = {}) => ({
  groupId: g,
  name: flex,
  snapshotId: SNAPSHOTS.completed,
  ...extra,
});
const restore = (input: Record<string, unknown>, headers: Record<string, string> = OPS): Promise<Restored> =>
  stack.query(RESTORE, { input }, headers);
const download = (input: Record<string, unknown>, headers: Record<string, string> = OPS): Promise<Downloaded> =>
  stack.query(DOWNLOAD, { input }, headers);

const writes = () => stack.simulator.stats.writes;
const audits = (mutation: string, key?: string): LogLine[] =>
  stack.logs.filter(
    (l) => l.audit === true && l.mutation === mutation && (key === undefined || l.idempotencyKey === key),
  );
const flexJobIds = () =>
  stack.simulator.projects
    .get(g)!
    .flex.get(flex)!
    .restoreJobs.map((j) => j.id);

/** The response's one error, which must be `code` (on `argument`, when given), with the payload null. */
function expectError(response: GraphQLResponse, field: string, code: string, argument?: string) {
  expect(response.data).toEqual({ [field]: null });
  expect(response.errors).toHaveLength(1);
  expect(response.errors![0]!.extensions).toMatchObject({ code, ...(argument ? { argument } : {}) });
  return response.errors![0]!;
}

describe('restoreFlexSnapshot: the target by name', () => {
  it.each([
    ['a Flex cluster of the same project', DEMO.migratedCluster],
    ['a dedicated cluster of the same project', CLOUD.replicaSetGcp],
  ])('%s: Atlas gets the snapshot and the name, no project; the job is PENDING', async (_name, target) => {
    const key = randomUUID();
    const { data, errors } = await restore(restoreInput(target, { idempotencyKey: key }), RESTORER);
    expect(errors).toBeUndefined();
    expect(writes()).toEqual([
      {
        operation: 'createFlexRestoreJob',
        method: 'POST',
        path: `${FLEX_PATH}/restoreJobs`,
        body: { snapshotId: SNAPSHOTS.completed, targetDeploymentItemName: target },
      },
    ]);
    const payload = data!.restoreFlexSnapshot!;
    expect(payload).toMatchObject({
      dryRun: false,
      replayed: false,
      atlasRequest: { method: 'POST', path: `${FLEX_PATH}/restoreJobs`, mediaType: FLEX_MEDIA },
      restoreJob: {
        id: flexJobIds().at(-1),
        status: 'PENDING',
        deliveryType: 'RESTORE',
        snapshotId: SNAPSHOTS.completed,
        targetProjectId: g,
        targetDeploymentItemName: target,
      },
    });
    expect(JSON.parse(payload.atlasRequest.body!)).toEqual(writes()[0]!.body);
    expect(audits('restoreFlexSnapshot', key)).toEqual([
      expect.objectContaining({
        caller: 'restorer',
        scope: 'backups:restore',
        targets: {
          groupId: g,
          clusterName: flex,
          snapshotId: SNAPSHOTS.completed,
          targetGroupId: g,
          targetClusterName: target,
        },
        dryRun: false,
        result: 'done',
        resultId: payload.restoreJob!.id,
      }),
    ]);
  });

  it('another project via targetGroupId: Atlas gets it as targetProjectId', async () => {
    const fleetTarget = CLOUD.fleetClusterNames[4]!;
    const { data, errors } = await restore(restoreInput(fleetTarget, { targetGroupId: CLOUD.fleetGroupId }));
    expect(errors).toBeUndefined();
    expect(writes().map((w) => w.body)).toEqual([
      { snapshotId: SNAPSHOTS.completed, targetDeploymentItemName: fleetTarget, targetProjectId: CLOUD.fleetGroupId },
    ]);
    expect(data!.restoreFlexSnapshot!.restoreJob).toMatchObject({
      targetProjectId: CLOUD.fleetGroupId,
      targetDeploymentItemName: fleetTarget,
    });
    expect(audits('restoreFlexSnapshot').at(-1)!.targets).toMatchObject({
      targetGroupId: CLOUD.fleetGroupId,
      targetClusterName: fleetTarget,
    });
  });

  it('another project where this service’s Atlas key is Read Only: Atlas’s 403 as FORBIDDEN with the Flex restore hint', async () => {
    const input = restoreInput(CLOUD.analyticsCluster, { targetGroupId: CLOUD.analyticsGroupId });
    const error = expectError(await restore(input), 'restoreFlexSnapshot', 'FORBIDDEN');
    expect(error.extensions).toMatchObject({
      atlas: { status: 403, errorCode: 'CANNOT_RESTORE_TO_TARGET' },
      hint: FLEX_RESTORE_HINT,
    });
    expect(writes()).toHaveLength(1);
    expect(audits('restoreFlexSnapshot').at(-1)).toMatchObject({
      result: 'failed',
      code: 'FORBIDDEN',
      atlasStatus: 403,
    });
  });

  it('the restore job on the simulator clock: PENDING → QUEUED → RUNNING → COMPLETED', async () => {
    const id = (await restore(restoreInput())).data!.restoreFlexSnapshot!.restoreJob!.id;
    const status = async () => {
      const { data } = await stack.query<{ j: { status: string; restoreFinishedDate: string | null } }>(
        `{ j: flexRestoreJob(groupId: "${g}", name: "${flex}", restoreJobId: "${id}") { status restoreFinishedDate } }`,
        {},
        OPS,
      );
      return data!.j;
    };
    const ms = LIFECYCLE_MS.flex;
    expect(await status()).toEqual({ status: 'PENDING', restoreFinishedDate: null });
    stack.simulator.clock.advance(ms.queued);
    expect((await status()).status).toBe('QUEUED');
    stack.simulator.clock.advance(ms.running - ms.queued);
    expect((await status()).status).toBe('RUNNING');
    stack.simulator.clock.advance(ms.completed - ms.running - 1);
    expect((await status()).status).toBe('RUNNING');
    stack.simulator.clock.advance(1);
    expect(await status()).toMatchObject({ status: 'COMPLETED', restoreFinishedDate: expect.any(String) as string });
  });
});

describe('restoreFlexSnapshot: confirmation, validation and scope, for 0 Atlas calls', () => {
  it.each([
    [
      'another name',
      'input.confirmTargetClusterName',
      () => restoreInput(DEMO.migratedCluster, { confirmTargetClusterName: flex }),
    ],
    [
      'the name in another case',
      'input.confirmTargetClusterName',
      () => restoreInput(DEMO.migratedCluster, { confirmTargetClusterName: 'FLEX-MIGRATED-01' }),
    ],
    ['a snapshotId that is no id', 'input.snapshotId', () => restoreInput(undefined, { snapshotId: 'latest' })],
    ['a name that is no cluster name', 'input.name', () => restoreInput(undefined, { name: '-flex' })],
    ['a targetGroupId that is no id', 'input.targetGroupId', () => restoreInput(undefined, { targetGroupId: 'fleet' })],
    ['a target name Atlas cannot hold', 'input.targetClusterName', () => restoreInput('a/b')],
  ])('%s → BAD_USER_INPUT on %s', async (_name, argument, input) => {
    const error = expectError(await restore(input()), 'restoreFlexSnapshot', 'BAD_USER_INPUT', argument);
    expect(error.message).toContain(`"${argument}"`);
    expect(stack.simulator.stats.requests).toBe(0);
  });

  it('the confirmation says what the restore does', async () => {
    const error = expectError(
      await restore(restoreInput(DEMO.migratedCluster, { confirmTargetClusterName: 'flex-migrated-1' })),
      'restoreFlexSnapshot',
      'BAD_USER_INPUT',
    );
    expect(error.message).toContain(
      'must repeat targetClusterName exactly: the restore erases all data on the target cluster',
    );
  });

  it('without a confirmation at all: the input type refuses it, 0 Atlas calls', async () => {
    const { confirmTargetClusterName: _omitted, ...input } = restoreInput();
    const response = await restore(input);
    expect(response.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(response.errors![0]!.message).toContain('confirmTargetClusterName');
    expect(stack.simulator.stats.requests).toBe(0);
  });

  it.each([
    ['a caller holding backups:download only', DOWNLOADER],
    ['a read-only caller', READER],
  ])('%s: FORBIDDEN naming backups:restore, 0 Atlas calls', async (_name, caller) => {
    const error = expectError(await restore(restoreInput(), caller), 'restoreFlexSnapshot', 'FORBIDDEN');
    expect(error.extensions!.scope).toBe('backups:restore');
    expect(stack.simulator.stats.requests).toBe(0);
  });
});

describe('restoreFlexSnapshot: dry run', () => {
  it('writes nothing and answers the exact request a real run then sends', async () => {
    const dry = await restore(restoreInput(undefined, { dryRun: true }));
    expect(dry.errors).toBeUndefined();
    expect(writes()).toEqual([]);
    expect(stack.simulator.stats.byOperation).toMatchObject({ getFlexBackupSnapshot: 1 });
    const payload = dry.data!.restoreFlexSnapshot!;
    expect(payload).toMatchObject({ dryRun: true, replayed: false, restoreJob: null });
    const real = await restore(restoreInput());
    expect(writes()).toHaveLength(1);
    expect(real.data!.restoreFlexSnapshot!.atlasRequest).toEqual(payload.atlasRequest);
    expect(payload.atlasRequest.path).toBe(writes()[0]!.path);
    expect(JSON.parse(payload.atlasRequest.body!)).toEqual(writes()[0]!.body);
    expect(
      audits('restoreFlexSnapshot')
        .slice(-2)
        .map((l) => l.result),
    ).toEqual(['dry-run', 'done']);
  });

  it.each([
    [
      'the snapshot is running',
      'CONFLICT',
      'input.snapshotId',
      'is inProgress: only a completed snapshot can be restored',
      () => restoreInput(undefined, { snapshotId: SNAPSHOTS.running }),
    ],
    [
      'the snapshot failed',
      'CONFLICT',
      'input.snapshotId',
      'is failed',
      () => restoreInput(undefined, { snapshotId: SNAPSHOTS.failed }),
    ],
    [
      'the target is paused',
      'CONFLICT',
      'input.targetClusterName',
      `the target cluster ${CLOUD.paused} is paused`,
      () => restoreInput(CLOUD.paused),
    ],
    [
      'the target is not IDLE',
      'CONFLICT',
      'input.targetClusterName',
      `${CLOUD.noSchedule} is CREATING, not IDLE`,
      () => restoreInput(CLOUD.noSchedule),
    ],
  ])('refused when %s: %s on %s, 0 writes', async (_name, code, argument, message, input) => {
    const error = expectError(await restore({ ...input(), dryRun: true }), 'restoreFlexSnapshot', code, argument);
    expect(error.message).toContain('Refused before calling Atlas');
    expect(error.message).toContain(message);
    expect(writes()).toEqual([]);
  });

  it.each([
    ['an unknown target', () => restoreInput(CLOUD.deleted)],
    ['an unknown target in another project', () => restoreInput('fleet-99', { targetGroupId: CLOUD.fleetGroupId })],
    ['an unknown snapshot', () => restoreInput(undefined, { snapshotId: SNAPSHOTS.unknown })],
  ])('%s: NOT_FOUND from the read, 0 writes', async (_name, input) => {
    expectError(await restore({ ...input(), dryRun: true }), 'restoreFlexSnapshot', 'NOT_FOUND');
    expect(writes()).toEqual([]);
  });
});

describe('restoreFlexSnapshot: idempotency and an unknown outcome', () => {
  it('two identical requests: one POST, the second replayed; the same key with another input is refused', async () => {
    const key = randomUUID();
    const first = await restore(restoreInput(undefined, { idempotencyKey: key }));
    const second = await restore(restoreInput(undefined, { idempotencyKey: key, clientMutationId: 'again' }));
    expect(writes()).toHaveLength(1);
    expect(second.data!.restoreFlexSnapshot).toMatchObject({ replayed: true, clientMutationId: 'again' });
    expect(second.data!.restoreFlexSnapshot!.restoreJob).toEqual(first.data!.restoreFlexSnapshot!.restoreJob);
    stack.simulator.reset();
    const other = restoreInput(undefined, { idempotencyKey: key, snapshotId: SNAPSHOTS.alsoCompleted });
    expectError(await restore(other), 'restoreFlexSnapshot', 'BAD_USER_INPUT', 'input.idempotencyKey');
    expect(stack.simulator.stats.requests).toBe(0);
  });

  it('ten concurrent duplicates: one POST, one job', async () => {
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => restore(restoreInput(undefined, { idempotencyKey: key }))),
    );
    expect(writes()).toHaveLength(1);
    const payloads = responses.map((r) => r.data!.restoreFlexSnapshot!);
    expect(new Set(payloads.map((p) => p.restoreJob!.id)).size).toBe(1);
    expect(payloads.filter((p) => !p.replayed)).toHaveLength(1);
  });

  it('the connection drops after Atlas took the body: one POST, UPSTREAM_OUTCOME_UNKNOWN saying to list flexRestoreJobs; a repeat gets it again without a POST; the job is listed', async () => {
    const key = randomUUID();
    const before = new Set(flexJobIds());
    stack.simulator.faults.inject({ kind: 'drop-after-body', apply: true }, { operation: 'createFlexRestoreJob' });
    const first = expectError(
      await restore(restoreInput(undefined, { idempotencyKey: key })),
      'restoreFlexSnapshot',
      'UPSTREAM_OUTCOME_UNKNOWN',
    );
    expect(first.message).toContain('list the Flex cluster’s restore jobs (`flexRestoreJobs`)');
    expect(first.extensions!.operation).toBe('createFlexRestoreJob');
    const repeat = await restore(restoreInput(undefined, { idempotencyKey: key }));
    expect(repeat.errors![0]!.message).toBe(first.message);
    expect(writes()).toHaveLength(1);
    const made = flexJobIds().filter((id) => !before.has(id));
    expect(made).toHaveLength(1);
    const { data } = await stack.query<{ l: { edges: { node: { id: string; targetDeploymentItemName: string } }[] } }>(
      `{ l: flexRestoreJobs(groupId: "${g}", name: "${flex}") { edges { node { id targetDeploymentItemName } } } }`,
      {},
      OPS,
    );
    expect(data!.l.edges.map((e) => e.node)).toContainEqual({
      id: made[0],
      targetDeploymentItemName: DEMO.migratedCluster,
    });
  });
});

describe('downloadFlexSnapshot', () => {
  it('a caller holding backups:download: one POST of the snapshot id; the job carries the pre-signed snapshotUrl for four hours', async () => {
    const key = randomUUID();
    const { data, errors } = await download(downloadInput({ idempotencyKey: key }), DOWNLOADER);
    expect(errors).toBeUndefined();
    expect(writes()).toEqual([
      {
        operation: 'downloadFlexBackup',
        method: 'POST',
        path: `${FLEX_PATH}/download`,
        body: { snapshotId: SNAPSHOTS.completed },
      },
    ]);
    const payload = data!.downloadFlexSnapshot!;
    expect(payload).toMatchObject({
      dryRun: false,
      atlasRequest: {
        method: 'POST',
        path: `${FLEX_PATH}/download`,
        mediaType: FLEX_MEDIA,
        body: `{"snapshotId":"${SNAPSHOTS.completed}"}`,
      },
      restoreJob: {
        id: flexJobIds().at(-1),
        status: 'PENDING',
        deliveryType: 'DOWNLOAD',
        snapshotId: SNAPSHOTS.completed,
      },
    });
    expect(payload.restoreJob!.snapshotUrl).toMatch(SIGNED_URL);
    // Four hours from the write, on the simulator's (frozen) clock, to the second as Atlas writes dates.
    const fourHours = Math.floor((stack.simulator.clock.now() + 4 * 3_600_000) / 1000) * 1000;
    expect(Date.parse(payload.restoreJob!.expirationDate!)).toBe(fourHours);

    const [line] = audits('downloadFlexSnapshot', key);
    expect(line).toMatchObject({
      caller: 'downloader',
      scope: 'backups:download',
      targets: { groupId: g, clusterName: flex, snapshotId: SNAPSHOTS.completed },
      result: 'done',
      resultId: payload.restoreJob!.id,
    });
    const signature = SIGNED_URL.exec(payload.restoreJob!.snapshotUrl!)![1]!;
    expect(JSON.stringify(line)).not.toContain('snapshotUrl');
    expect(stack.rawLogs.join('\n')).not.toContain(signature);
  });

  it('a caller with backups:restore but not backups:download: FORBIDDEN naming backups:download for the mutation, 0 Atlas calls', async () => {
    const response = await download(downloadInput(), RESTORER);
    const error = expectError(response, 'downloadFlexSnapshot', 'FORBIDDEN');
    expect(error.path).toEqual(['downloadFlexSnapshot']);
    expect(error.extensions).toEqual({
      code: 'FORBIDDEN',
      scope: 'backups:download',
      heldScopes: ['backups:read', 'backups:restore'],
    });
    expect(error.message).toBe(
      'Forbidden: this needs the backups:download scope; the caller holds backups:read, backups:restore.',
    );
    expect(stack.simulator.stats.requests).toBe(0);
    expect(audits('downloadFlexSnapshot').at(-1)).toMatchObject({
      result: 'refused',
      code: 'FORBIDDEN',
      scope: 'backups:download',
    });
  });

  it('the snapshotUrl goes only to a caller holding backups:download: a restore-only caller reads the job without it', async () => {
    const created = (await download(downloadInput(), OPS)).data!.downloadFlexSnapshot!.restoreJob!;
    const read = (headers: Record<string, string>) =>
      stack.query<{ j: { id: string; snapshotUrl: string | null } }>(
        `{ j: flexRestoreJob(groupId: "${g}", name: "${flex}", restoreJobId: "${created.id}") { id snapshotUrl } }`,
        {},
        headers,
      );
    const withScope = await read(DOWNLOADER);
    expect(withScope.errors).toBeUndefined();
    expect(withScope.data!.j).toEqual({ id: created.id, snapshotUrl: created.snapshotUrl });
    const without = await read(RESTORER);
    expect(without.data!.j).toEqual({ id: created.id, snapshotUrl: null });
    expect(without.errors!.map((e) => [e.path, e.extensions!.code, e.extensions!.scope])).toEqual([
      [['j', 'snapshotUrl'], 'FORBIDDEN', 'backups:download'],
    ]);
    // Nor in a restore's payload: the field is refused, the job itself returned.
    const restored = await stack.query<{ r: { restoreJob: { id: string; snapshotUrl: null } } }>(
      `mutation ($input: RestoreFlexSnapshotInput!) { r: restoreFlexSnapshot(input: $input) { restoreJob { id snapshotUrl } } }`,
      { input: restoreInput() },
      RESTORER,
    );
    expect(restored.data!.r.restoreJob).toEqual({ id: expect.any(String) as string, snapshotUrl: null });
    expect(restored.errors!.map((e) => [e.path, e.extensions!.scope])).toEqual([
      [['r', 'restoreJob', 'snapshotUrl'], 'backups:download'],
    ]);
  });

  it('dry run: 0 writes and the request a real run then sends; a snapshot not completed is refused, an unknown one NOT_FOUND', async () => {
    const dry = await download(downloadInput({ dryRun: true }));
    expect(dry.errors).toBeUndefined();
    expect(writes()).toEqual([]);
    expect(stack.simulator.stats.byOperation).toEqual({ getFlexBackupSnapshot: 1 });
    expect(dry.data!.downloadFlexSnapshot).toMatchObject({ dryRun: true, restoreJob: null });
    const real = await download(downloadInput());
    expect(real.data!.downloadFlexSnapshot!.atlasRequest).toEqual(dry.data!.downloadFlexSnapshot!.atlasRequest);
    expect(JSON.parse(dry.data!.downloadFlexSnapshot!.atlasRequest.body!)).toEqual(writes()[0]!.body);

    stack.simulator.reset();
    const running = expectError(
      await download(downloadInput({ snapshotId: SNAPSHOTS.running, dryRun: true })),
      'downloadFlexSnapshot',
      'CONFLICT',
      'input.snapshotId',
    );
    expect(running.message).toContain('only a completed snapshot can be downloaded');
    expectError(
      await download(downloadInput({ snapshotId: SNAPSHOTS.unknown, dryRun: true })),
      'downloadFlexSnapshot',
      'NOT_FOUND',
    );
    expect(writes()).toEqual([]);
  });

  it('a snapshotId that is no id: BAD_USER_INPUT naming it, 0 Atlas calls', async () => {
    expectError(
      await download(downloadInput({ snapshotId: 'x' })),
      'downloadFlexSnapshot',
      'BAD_USER_INPUT',
      'input.snapshotId',
    );
    expect(stack.simulator.stats.requests).toBe(0);
  });

  it('a repeat with the same key: one POST, the same job and URL, replayed', async () => {
    const key = randomUUID();
    const first = await download(downloadInput({ idempotencyKey: key }));
    const second = await download(downloadInput({ idempotencyKey: key }));
    expect(writes()).toHaveLength(1);
    expect(second.data!.downloadFlexSnapshot!.replayed).toBe(true);
    expect(second.data!.downloadFlexSnapshot!.restoreJob).toEqual(first.data!.downloadFlexSnapshot!.restoreJob);
  });

  it('the connection drops after the body: one POST, UPSTREAM_OUTCOME_UNKNOWN naming the DOWNLOAD jobs to look for; a repeat sends nothing', async () => {
    const key = randomUUID();
    stack.simulator.faults.inject({ kind: 'drop-after-body', apply: true }, { operation: 'downloadFlexBackup' });
    const first = expectError(
      await download(downloadInput({ idempotencyKey: key })),
      'downloadFlexSnapshot',
      'UPSTREAM_OUTCOME_UNKNOWN',
    );
    expect(first.message).toContain('(`flexRestoreJobs`) for a new DOWNLOAD job');
    expectError(
      await download(downloadInput({ idempotencyKey: key })),
      'downloadFlexSnapshot',
      'UPSTREAM_OUTCOME_UNKNOWN',
    );
    expect(writes()).toHaveLength(1);
  });
});

describe('Atlas roles behind the scopes: a Backup Recovery Operator key in the Flex cluster’s project', () => {
  let operator: Stack;
  beforeAll(async () => {
    operator = await startStack({ ...WITHOUT_RECORD_CACHE, AUTH_API_KEYS: CALLERS }, 'api-key', {
      apiKeys: [
        { ...TEST_KEY, roles: { [g]: 'GROUP_BACKUP_RECOVERY_OPERATOR', [CLOUD.analyticsGroupId]: 'GROUP_READ_ONLY' } },
      ],
    });
  });
  afterAll(() => operator.close());

  it('may restore, but a download (Export Operator) is FORBIDDEN with the hint naming that role', async () => {
    const restored = await operator.query<{ restoreFlexSnapshot: Payload }>(RESTORE, { input: restoreInput() }, OPS);
    expect(restored.errors).toBeUndefined();
    expect(restored.data!.restoreFlexSnapshot.restoreJob!.status).toBe('PENDING');
    const refused = await operator.query(DOWNLOAD, { input: downloadInput() }, OPS);
    const error = expectError(refused, 'downloadFlexSnapshot', 'FORBIDDEN');
    expect(error.extensions).toMatchObject({
      atlas: { status: 403, errorCode: 'USER_UNAUTHORIZED' },
      hint: EXPORT_HINT,
    });
    expect(error.message).toContain(EXPORT_HINT);
    expect(operator.simulator.stats.writes.map((w) => w.operation)).toEqual([
      'createFlexRestoreJob',
      'downloadFlexBackup',
    ]);
  });
});
