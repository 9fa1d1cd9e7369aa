import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { createLiveStatusClient, type LiveStatusClient, watchRestoreJobLive } from '../../examples/live-status.js';
import { type RestoreChoice, type RestoreJob, submitRestore } from '../../examples/restore-flow.js';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { LIFECYCLE_MS } from '../../src/simulator/timelines.js';
import { atlasCalls, sleep, type Stack, startReplica, startStack } from '../helpers.js';
import {
  CALLERS,
  completedSnapshotOf,
  FLEET,
  OPS_KEY,
  READ_KEY,
  type Transport,
  TRANSPORTS,
  until,
} from './subscription-kit.js';

// The restore dialog's step 4 live (examples/live-status.ts): urql's subscriptionExchange over SSE
// (graphql-sse) and over WebSocket (graphql-ws), against the real stack on a frozen simulator clock.
// The watch follows the job to its final state, rides out Atlas failing (the state comes again once
// it recovers), ends on a refusal (an unknown job, a refused key) and when the dialog closes, and
// subscribes again when the server goes away mid-watch.

const ATTEMPTS = 2;
let stack: Stack;
beforeAll(async () => {
  stack = await startStack(
    { ...CALLERS, SUBSCRIPTION_POLL_MS: '50', ATLAS_MAX_ATTEMPTS: String(ATTEMPTS), ATLAS_RETRY_BASE_DELAY_MS: '10' },
    'api-key',
    { clock: { frozen: true } },
  );
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());
afterEach(() => void stack.simulator.clock.fastForward());

/** Fleet clusters without the seeded snapshot in flight (every fifth has one), one set per test. */
const idle = CLOUD.fleetClusterNames.filter((_, n) => (n + 1) % 5 !== 0);
let taken = 0;
const freshCluster = (): string => idle[taken++]!;
const jobReads = () => atlasCalls(stack, 'getBackupRestoreJob');

/** A live client over `transport` for the caller of `key`, closed after the test. */
function liveClient(transport: Transport, key = READ_KEY, url = stack.app.graphqlUrl): LiveStatusClient {
  const live = createLiveStatusClient(url, { headers: { 'x-api-key': key }, transport, webSocketImpl: WebSocket });
  onTestFinished(() => live.dispose());
  return live;
}

/** A restore submitted through restore-flow.ts (AUTOMATED, fleet cluster onto another): the job, PENDING. */
async function submitted(): Promise<{ choice: RestoreChoice; job: RestoreJob }> {
  const [clusterName, targetClusterName] = [freshCluster(), freshCluster()];
  const choice = {
    groupId: FLEET,
    clusterName,
    snapshotId: completedSnapshotOf(stack, clusterName),
    targetGroupId: FLEET,
    targetClusterName,
  };
  const outcome = await submitRestore(liveClient('sse', OPS_KEY).client, choice, {
    typedTargetName: targetClusterName,
    idempotencyKey: crypto.randomUUID(),
  });
  if (outcome.kind !== 'submitted') throw new Error(`expected a job, got ${JSON.stringify(outcome)}`);
  return { choice, job: outcome.job };
}
const keyOf = ({ choice, job }: { choice: RestoreChoice; job: RestoreJob }) => ({
  groupId: choice.groupId,
  clusterName: choice.clusterName,
  restoreJobId: job.id,
});

describe.each(TRANSPORTS)('watchRestoreJobLive over %s', (transport) => {
  it('follows the job from PENDING to COMPLETED: one update per state, then finished', async () => {
    const restore = await submitted();
    const updates: RestoreJob[] = [];
    const watch = watchRestoreJobLive(liveClient(transport).client, keyOf(restore), {
      onUpdate: (job) => void updates.push(job),
    });
    await until(() => updates.length === 1, 'the first state');
    expect(updates[0]).toEqual(restore.job);
    const reads = jobReads();
    await until(() => jobReads() >= reads + 5, 'five more polls');
    expect(updates).toHaveLength(1); // polls that found nothing new sent nothing

    stack.simulator.clock.advance(LIFECYCLE_MS.restore.finished);
    const end = await watch;
    expect(end).toEqual({
      kind: 'finished',
      job: { ...restore.job, state: 'COMPLETED', finishedAt: expect.any(String) as string },
    });
    expect(updates.map((j) => j.state)).toEqual(['PENDING', 'COMPLETED']);
  });

  it('rides out Atlas failing: the job comes again once Atlas answers, and the watch goes on to the end', async () => {
    const restore = await submitted();
    const updates: string[] = [];
    const watch = watchRestoreJobLive(liveClient(transport).client, keyOf(restore), {
      onUpdate: (job) => void updates.push(job.state),
    });
    await until(() => updates.length === 1, 'the first state');
    const reads = jobReads();
    stack.simulator.faults.inject(
      { kind: 'status', status: 503 },
      { operation: 'getBackupRestoreJob', times: 2 * ATTEMPTS },
    );
    // Two failed polls (every attempt), then one that answers: the server sends the job again.
    await until(() => updates.length === 2, 'the job again after the failures');
    expect(jobReads() - reads).toBeGreaterThanOrEqual(2 * ATTEMPTS + 1);

    stack.simulator.clock.advance(LIFECYCLE_MS.restore.finished);
    expect(await watch).toMatchObject({ kind: 'finished', job: { state: 'COMPLETED' } });
    expect(updates).toEqual(['PENDING', 'PENDING', 'COMPLETED']);
  });

  it('an unknown job: not-found, with no update', async () => {
    const updates: RestoreJob[] = [];
    const end = await watchRestoreJobLive(
      liveClient(transport).client,
      { groupId: FLEET, clusterName: freshCluster(), restoreJobId: '6b1e41ffffffffffffffffff' },
      { onUpdate: (job) => void updates.push(job) },
    );
    expect(end).toMatchObject({ kind: 'not-found' });
    expect(updates).toEqual([]);
  });

  it('a key the server refuses: UNAUTHENTICATED at once, 0 Atlas calls', async () => {
    const restore = await submitted();
    stack.simulator.reset();
    const end = await watchRestoreJobLive(liveClient(transport, 'no-such-key').client, keyOf(restore));
    expect(end).toMatchObject({ kind: 'error', code: 'UNAUTHENTICATED' });
    expect(stack.simulator.upstreamCalls()).toBe(0);
  });

  it('the dialog closes: stopped with the last job, and the server stops polling it', async () => {
    const restore = await submitted();
    const closed = new AbortController();
    const watch = watchRestoreJobLive(liveClient(transport).client, keyOf(restore), {
      until: closed.signal,
      onUpdate: () => closed.abort(),
    });
    expect(await watch).toEqual({ kind: 'stopped', job: restore.job });
    await sleep(100); // the subscription's end reaches the server
    const reads = jobReads();
    await sleep(200); // four poll intervals
    expect(jobReads()).toBe(reads);
  });

  it('the server goes away mid-watch: the watch goes on, subscribes again once one answers, and finishes', async () => {
    const restore = await submitted();
    const env = { ...CALLERS, SUBSCRIPTION_POLL_MS: '50' };
    const first = await startReplica(stack.simulator, env);
    const url = first.app.graphqlUrl;
    const updates: string[] = [];
    let settled = false;
    const watch = watchRestoreJobLive(liveClient(transport, READ_KEY, url).client, keyOf(restore), {
      retryMs: 50,
      onUpdate: (job) => void updates.push(job.state),
    }).finally(() => (settled = true));
    await until(() => updates.length === 1, 'the first state');

    await first.close(); // completes every stream, closes every socket
    await sleep(300); // a few attempts against a closed port
    expect(settled).toBe(false);
    const second = await startReplica(stack.simulator, { ...env, PORT: new URL(url).port });
    try {
      await until(() => updates.length === 2, 'the state from the new server');
      stack.simulator.clock.advance(LIFECYCLE_MS.restore.finished);
      expect(await watch).toMatchObject({ kind: 'finished', job: { state: 'COMPLETED' } });
      expect(updates).toEqual(['PENDING', 'PENDING', 'COMPLETED']);
    } finally {
      await second.close();
    }
  });
});
