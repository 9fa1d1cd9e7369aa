import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAtlasBackupsClient } from '../../examples/frontend-client.js';
import {
  previewRestore,
  type RestoreChoice,
  type RestoreJob,
  submitRestore,
  watchRestoreJob,
} from '../../examples/restore-flow.js';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { atlasCalls, type Stack, startStack, stackPerTest, TEST_KEY, WITHOUT_RECORD_CACHE } from '../helpers.js';

// The restore dialog of examples/restore-flow.ts, with urql, against the real stack: the preview
// (a dry run), the typed confirmation, one POST per intent whatever the retries, the watch to the
// end, and the typed outcomes a dialog shows (refusals, a missing scope, an unknown outcome).

const g = CLOUD.groupId;
const RESTORE_KEY = 'restore-key';
const READ_KEY = 'read-key';
const KEYS = { AUTH_API_KEYS: `ops@${RESTORE_KEY} backups:restore, reader@${READ_KEY}` };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ ...WITHOUT_RECORD_CACHE, ...KEYS });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.simulator.reset();
  // Restores of earlier tests end, so the target is free (Atlas refuses a second restore into it).
  stack.simulator.clock.fastForward();
});

const client = (key = RESTORE_KEY) => createAtlasBackupsClient(stack.app.graphqlUrl, { 'x-api-key': key });
const choice: RestoreChoice = {
  groupId: g,
  clusterName: CLOUD.replicaSet,
  snapshotId: CLOUD.snapshots.daily,
  targetGroupId: g,
  targetClusterName: CLOUD.replicaSetGcp,
};
const restorePath = `/api/atlas/v2/groups/${g}/clusters/${CLOUD.replicaSet}/backup/restoreJobs`;
/** The service's log lines of the GraphQL requests named `operationName` (one per request received). */
const requestsOf = (operationName: string) =>
  stack.logs.filter((l) => l.msg === 'graphql request' && l.operationName === operationName);
const restoreRequests = () => requestsOf('CreateClusterRestoreJob').length;
const writes = () => stack.simulator.stats.writes;

/** Submits `choice` confirmed and returns the job (failing the test on any other outcome). */
async function submitted(key = crypto.randomUUID()): Promise<RestoreJob> {
  const outcome = await submitRestore(client(), choice, {
    typedTargetName: choice.targetClusterName,
    idempotencyKey: key,
  });
  if (outcome.kind !== 'submitted') throw new Error(`expected a job, got ${JSON.stringify(outcome)}`);
  return outcome.job;
}

describe('the restore dialog, with urql', () => {
  it('previews the exact Atlas request with 0 writes; the submit sends that request, once', async () => {
    const preview = await previewRestore(client(), choice);
    expect(preview).toEqual({
      kind: 'preview',
      atlasRequest: {
        method: 'POST',
        path: restorePath,
        body: JSON.stringify({
          deliveryType: 'automated',
          snapshotId: choice.snapshotId,
          targetGroupId: g,
          targetClusterName: choice.targetClusterName,
        }),
      },
    });
    expect(writes()).toEqual([]);
    // The dry run read what the write names: the source and the target cluster, the snapshot.
    expect(atlasCalls(stack, 'getCluster')).toBe(2);
    expect(atlasCalls(stack, 'getClusterBackupSnapshot')).toBe(1);

    const outcome = await submitRestore(client(), choice, {
      typedTargetName: CLOUD.replicaSetGcp,
      idempotencyKey: crypto.randomUUID(),
    });
    if (preview.kind !== 'preview' || outcome.kind !== 'submitted') throw new Error('no job');
    expect(outcome.replayed).toBe(false);
    expect(outcome.atlasRequest).toEqual(preview.atlasRequest);
    expect(outcome.job).toMatchObject({
      state: 'PENDING',
      snapshotId: choice.snapshotId,
      targetGroupId: g,
      targetClusterName: choice.targetClusterName,
      finishedAt: null,
    });
    expect(writes()).toEqual([
      {
        operation: 'createBackupRestoreJob',
        method: 'POST',
        path: restorePath,
        body: JSON.parse(preview.atlasRequest.body!) as unknown,
      },
    ]);
  });

  it('a typed name that differs is refused in the browser: no request reaches the service', async () => {
    const before = restoreRequests();
    for (const typed of ['dedicated-cluster-2 ', 'Dedicated-cluster-2', 'dedicated-cluster-0', '']) {
      expect(
        await submitRestore(client(), choice, { typedTargetName: typed, idempotencyKey: crypto.randomUUID() }),
      ).toEqual({ kind: 'name-mismatch', expected: CLOUD.replicaSetGcp });
    }
    expect(restoreRequests()).toBe(before);
    expect(stack.simulator.stats.requests).toBe(0);
  });

  it('a retry of the same click (same key) sends no second POST and answers the same job', async () => {
    const key = crypto.randomUUID();
    const before = restoreRequests();
    const first = await submitted(key);
    // A network retry after the answer was lost, then a double click: the same key each time.
    const retry = await submitRestore(client(), choice, { typedTargetName: CLOUD.replicaSetGcp, idempotencyKey: key });
    const doubleClick = await Promise.all(
      [1, 2].map(() => submitRestore(client(), choice, { typedTargetName: CLOUD.replicaSetGcp, idempotencyKey: key })),
    );
    for (const again of [retry, ...doubleClick])
      expect(again).toMatchObject({ kind: 'submitted', replayed: true, job: first });
    expect(restoreRequests() - before).toBe(4);
    expect(writes()).toHaveLength(1);
  });

  it('watches the job until it has COMPLETED', async () => {
    const job = await submitted();
    const seen: string[] = [];
    const end = await watchRestoreJob(
      client(),
      { groupId: g, clusterName: CLOUD.replicaSet, restoreJobId: job.id },
      {
        intervalMs: 1,
        // Atlas finishes an automated restore in about 4 minutes (the simulator's clock).
        onUpdate: (update) => {
          seen.push(update.state);
          stack.simulator.clock.advance(100_000);
        },
      },
    );
    expect(seen).toEqual(['PENDING', 'PENDING', 'PENDING', 'COMPLETED']);
    expect(end).toMatchObject({ kind: 'finished', job: { id: job.id, state: 'COMPLETED' } });
    if (end.kind === 'finished') expect(end.job.finishedAt).not.toBeNull();
    expect(atlasCalls(stack, 'getBackupRestoreJob')).toBe(4);
  });

  it('the preview shows why a restore cannot be done, typed by extensions.code, before anything is written', async () => {
    const preview = (change: Partial<RestoreChoice>) => previewRestore(client(), { ...choice, ...change });
    expect(await preview({ targetClusterName: CLOUD.paused })).toEqual({
      kind: 'conflict',
      field: 'targetClusterName',
      message: `Refused before calling Atlas: the target cluster ${CLOUD.paused} is paused.`,
    });
    expect(await preview({ snapshotId: CLOUD.snapshots.queued })).toMatchObject({
      kind: 'conflict',
      field: 'snapshotId',
    });
    expect(await preview({ snapshotId: 'ffffffffffffffffffffffff' })).toMatchObject({ kind: 'not-found' });
    expect(await preview({ targetClusterName: CLOUD.deleted })).toMatchObject({ kind: 'not-found' });
    expect(await preview({ snapshotId: 'NOT-AN-ID' })).toMatchObject({
      kind: 'invalid-input',
      field: 'snapshotId',
      message: expect.stringContaining('input.snapshotId') as unknown,
    });
    expect(await preview({ clusterName: CLOUD.flex })).toMatchObject({ kind: 'invalid-input', field: 'clusterName' });
    expect(writes()).toEqual([]);
  });

  it('a caller without backups:restore gets forbidden naming the scope, from the preview and the submit: 0 Atlas calls', async () => {
    const forbidden = {
      kind: 'forbidden',
      scope: 'backups:restore',
      message: 'Forbidden: this needs the backups:restore scope; the caller holds backups:read.',
    };
    expect(await previewRestore(client(READ_KEY), choice)).toEqual(forbidden);
    const key = crypto.randomUUID();
    expect(
      await submitRestore(client(READ_KEY), choice, { typedTargetName: CLOUD.replicaSetGcp, idempotencyKey: key }),
    ).toEqual(forbidden);
    expect(stack.simulator.stats.requests).toBe(0);
  });

  it('a dropped connection after the body: outcome-unknown (check the restore jobs), 1 POST, also on a retry', async () => {
    stack.simulator.faults.inject({ kind: 'drop-after-body', apply: true }, { operation: 'createBackupRestoreJob' });
    const key = crypto.randomUUID();
    const submit = () => submitRestore(client(), choice, { typedTargetName: CLOUD.replicaSetGcp, idempotencyKey: key });
    const outcome = await submit();
    expect(outcome).toEqual({
      kind: 'outcome-unknown',
      message: expect.stringContaining('clusterRestoreJobs') as unknown,
    });
    expect(writes()).toHaveLength(1);
    // The retry button keeps the key: the same answer, no second POST (Atlas did create the job).
    expect(await submit()).toEqual(outcome);
    expect(writes()).toHaveLength(1);
  });
});

describe('watching', () => {
  const watchKey = (restoreJobId: string) => ({ groupId: g, clusterName: CLOUD.replicaSet, restoreJobId });

  it('stops when the dialog closes (`until`), with the last state seen', async () => {
    const job = await submitted();
    const closed = new AbortController();
    const seen: string[] = [];
    const end = await watchRestoreJob(client(), watchKey(job.id), {
      intervalMs: 60_000,
      until: closed.signal,
      onUpdate: (update) => {
        seen.push(update.state);
        closed.abort();
      },
    });
    expect(end).toEqual({ kind: 'stopped', job: { ...job, state: 'PENDING' } });
    expect(seen).toEqual(['PENDING']);
    expect(atlasCalls(stack, 'getBackupRestoreJob')).toBe(1);
  });

  it('polls on through a transient error; ends on one that polling cannot outlast', async () => {
    const job = await submitted();
    const mark = requestsOf('ClusterRestoreJob').length;
    // More resets than the service retries a read: the first poll answers UPSTREAM_ERROR.
    stack.simulator.faults.inject({ kind: 'reset' }, { operation: 'getBackupRestoreJob', times: 4 });
    const seen: string[] = [];
    const end = await watchRestoreJob(client(), watchKey(job.id), {
      intervalMs: 1,
      onUpdate: (update) => {
        seen.push(update.state);
        stack.simulator.clock.fastForward();
      },
    });
    expect(end).toMatchObject({ kind: 'finished', job: { state: 'COMPLETED' } });
    expect(seen).toEqual(['PENDING', 'COMPLETED']);
    const polls = requestsOf('ClusterRestoreJob').slice(mark);
    expect(polls).toHaveLength(3);
    expect(polls[0]!.upstream).toEqual([
      { operation: 'getBackupRestoreJob', status: 'error', ms: expect.any(Number) as unknown },
      { operation: 'getBackupRestoreJob', status: 'error', ms: expect.any(Number) as unknown },
      { operation: 'getBackupRestoreJob', status: 'error', ms: expect.any(Number) as unknown },
    ]);

    expect(await watchRestoreJob(client(), watchKey('ffffffffffffffffffffffff'), { intervalMs: 1 })).toMatchObject({
      kind: 'not-found',
    });
  });
});

describe('Atlas refuses this service’s role', () => {
  const stacks = stackPerTest();

  it('forbidden with the hint naming the Atlas role, after exactly one POST', async () => {
    const readOnly = await stacks.start({ ...WITHOUT_RECORD_CACHE, ...KEYS }, 'api-key', {
      apiKeys: [{ ...TEST_KEY, roles: { [g]: 'GROUP_READ_ONLY' } }],
    });
    const outcome = await submitRestore(
      createAtlasBackupsClient(readOnly.app.graphqlUrl, { 'x-api-key': RESTORE_KEY }),
      choice,
      { typedTargetName: CLOUD.replicaSetGcp, idempotencyKey: crypto.randomUUID() },
    );
    expect(outcome).toMatchObject({
      kind: 'forbidden',
      hint: 'Restore jobs need the Project Backup Export Operator or Backup Recovery Operator role in Atlas (or Backup Manager).',
    });
    expect(outcome).not.toHaveProperty('scope');
    expect(readOnly.simulator.stats.writes).toHaveLength(1);
  });
});
