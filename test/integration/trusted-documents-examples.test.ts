import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { createAtlasBackupsClient } from '../../examples/frontend-client.js';
import { createLiveStatusClient, watchRestoreJobLive } from '../../examples/live-status.js';
import { previewRestore, type RestoreChoice, submitRestore, watchRestoreJob } from '../../examples/restore-flow.js';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { atlasCalls, type Stack, startStack, WITHOUT_RECORD_CACHE } from '../helpers.js';
import { TRANSPORTS } from './subscription-kit.js';

// The example frontend's restore dialog (examples/restore-flow.ts) and its live status
// (examples/live-status.ts) on a server running trusted documents only: their documents are
// codegen's, so the committed manifest (examples/gql/persisted-documents.json) holds them — the
// mutation and the subscription included — and the clients sending hashes run the whole flow. The
// same clients sending text are refused before any Atlas call.

const g = CLOUD.groupId;
const KEY = 'restore-key';
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    ...WITHOUT_RECORD_CACHE,
    AUTH_API_KEYS: `ops@${KEY} backups:restore`,
    PERSISTED_DOCUMENTS_FILE: 'examples/gql/persisted-documents.json',
    PERSISTED_DOCUMENTS_ONLY: 'true',
    SUBSCRIPTION_POLL_MS: '50',
  });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.simulator.reset();
  // Restores of earlier tests end, so the target is free (Atlas refuses a second restore into it).
  stack.simulator.clock.fastForward();
});

const headers = { 'x-api-key': KEY };
const client = (persisted: boolean) => createAtlasBackupsClient(stack.app.graphqlUrl, headers, { persisted });
const choice: RestoreChoice = {
  groupId: g,
  clusterName: CLOUD.replicaSet,
  snapshotId: CLOUD.snapshots.daily,
  targetGroupId: g,
  targetClusterName: CLOUD.replicaSetGcp,
};
const calls = () => Object.values(stack.simulator.stats.byOperation).reduce((a, b) => a + b, 0);
const writes = () => stack.simulator.stats.writes.map((w) => `${w.method} ${w.operation}`);
const confirmed = { typedTargetName: choice.targetClusterName };

describe('PERSISTED_DOCUMENTS_ONLY=true with the committed manifest', () => {
  it('runs the restore dialog sent by hashes: preview (0 writes), submit (one POST), watch to COMPLETED', async () => {
    const preview = await previewRestore(client(true), choice);
    expect(preview).toMatchObject({ kind: 'preview', atlasRequest: { method: 'POST' } });
    expect(writes()).toEqual([]);
    const outcome = await submitRestore(client(true), choice, { ...confirmed, idempotencyKey: crypto.randomUUID() });
    if (outcome.kind !== 'submitted') throw new Error(`expected a job, got ${JSON.stringify(outcome)}`);
    expect(outcome.job).toMatchObject({ state: 'PENDING', snapshotId: choice.snapshotId });
    expect(writes()).toEqual(['POST createBackupRestoreJob']);
    const key = { groupId: g, clusterName: choice.clusterName, restoreJobId: outcome.job.id };
    const end = await watchRestoreJob(client(true), key, {
      intervalMs: 1,
      onUpdate: () => stack.simulator.clock.advance(100_000),
    });
    expect(end).toMatchObject({ kind: 'finished', job: { id: outcome.job.id, state: 'COMPLETED' } });
    expect(writes()).toHaveLength(1);
  });

  it('refuses the same dialog sending text: PERSISTED_DOCUMENT_REQUIRED, 0 Atlas calls', async () => {
    const refused = { kind: 'error', code: 'PERSISTED_DOCUMENT_REQUIRED' };
    expect(await previewRestore(client(false), choice)).toMatchObject(refused);
    expect(
      await submitRestore(client(false), choice, { ...confirmed, idempotencyKey: crypto.randomUUID() }),
    ).toMatchObject(refused);
    expect(calls()).toBe(0);
  });

  for (const transport of TRANSPORTS)
    it(`follows the restore live over ${transport}, the subscription sent by its hash`, async () => {
      const outcome = await submitRestore(client(true), choice, { ...confirmed, idempotencyKey: crypto.randomUUID() });
      if (outcome.kind !== 'submitted') throw new Error(`expected a job, got ${JSON.stringify(outcome)}`);
      const live = createLiveStatusClient(stack.app.graphqlUrl, {
        headers,
        transport,
        webSocketImpl: WebSocket,
        persisted: true,
      });
      onTestFinished(() => live.dispose());
      const key = { groupId: g, clusterName: choice.clusterName, restoreJobId: outcome.job.id };
      const seen: string[] = [];
      const end = await watchRestoreJobLive(live.client, key, {
        retryMs: 10,
        onUpdate: (job) => {
          seen.push(job.state);
          stack.simulator.clock.fastForward();
        },
      });
      expect(end).toMatchObject({ kind: 'finished', job: { id: outcome.job.id, state: 'COMPLETED' } });
      expect(seen[0]).toBe('PENDING');
      expect(atlasCalls(stack, 'getBackupRestoreJob')).toBeGreaterThan(0);
      expect(writes()).toHaveLength(1);
    });
});
