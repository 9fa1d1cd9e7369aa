import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import {
  ANYONE_MAY_CALL,
  atlasCalls,
  ONE_CLIENT_PLAYS_MANY_CALLERS,
  SERVERLESS_API_ONLY,
  sleep,
  snapshotField,
  type Stack,
  stackPerTest,
} from '../helpers.js';

// Clients that give up must not cost the next caller: what has not started is not sent, what is in
// flight finishes on its keep-alive connection (nothing torn down), and the pool stays usable.
const stacks = stackPerTest();

/** The Atlas client's default pool size: the most calls that can be on the wire at once. */
const POOL_CONNECTIONS = 128;
const hex = (n: number) => n.toString(16).padStart(24, '0');

/** One request of 15 aliased lookups of distinct (unknown) snapshots: 15 Atlas calls if nothing stops them. */
const fifteenUnknown = (seed: number) =>
  `{ ${Array.from({ length: 15 }, (_, i) => snapshotField(`s${i}`, { groupId: DEMO.groupId, clusterName: DEMO.clusterName, snapshotId: hex(seed * 15 + i + 1) }, 'id')).join(' ')} }`;

/** POSTs `query`; the client gives up when `signal` aborts. */
async function abandon(stack: Stack, query: string, signal: AbortSignal): Promise<void> {
  await fetch(stack.app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    signal,
  })
    .then((response) => response.text())
    .catch(() => undefined);
}

async function settled(stack: Stack): Promise<void> {
  const deadline = Date.now() + 8_000;
  while (stack.simulator.stats.inFlight > 0 && Date.now() < deadline) await sleep(20);
  await sleep(200); // room for anything (a retry, a queued call) that would wrongly follow
}

describe('clients that give up', () => {
  it('one aborted request: its queued keys and retries are not sent, its calls in flight end normally', async () => {
    const stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    await stack.query(
      `{ ${snapshotField('s', { groupId: DEMO.groupId, clusterName: DEMO.clusterName, snapshotId: DEMO.snapshotId }, 'id')} }`,
    );
    stack.simulator.reset();
    stack.simulator.faults.latencyMs = 500;
    // The calls in flight answer 503 after the client has gone: nobody is left to retry for.
    stack.simulator.faults.inject({ kind: 'status', status: 503 }, { times: 15 });
    await abandon(stack, fifteenUnknown(0), AbortSignal.timeout(150));
    await settled(stack);
    // UPSTREAM_CONCURRENCY (8) calls had started; the other 7 keys and every retry stayed unsent.
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(8);
    expect(stack.simulator.stats.clientAborts).toBe(0);
    expect(stack.simulator.stats.connections).toBeLessThanOrEqual(8);
  });

  it('an aborted request stops executing, logs nothing at error level and never its document', async () => {
    const stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    stack.simulator.faults.latencyMs = 300;
    await abandon(stack, fifteenUnknown(7), AbortSignal.timeout(100));
    await settled(stack);
    expect(stack.logs.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual([]);
    expect(stack.rawLogs.join('')).not.toContain('serverlessSnapshot(');
    expect(stack.logs.some((line) => line.msg === 'graphql request')).toBe(true);
  });

  it('150 aborted requests of 15 keys: the pool survives, and the next caller waits at most for the calls already on the wire', async () => {
    const stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL, ...ONE_CLIENT_PLAYS_MANY_CALLERS });
    const analytics = stack.simulator.projects.get(DEMO.analyticsGroupId)!.serverless.get('analytics-serverless')!;
    const real = analytics.snapshots
      .slice(0, 15)
      .map((s) => ({ groupId: DEMO.analyticsGroupId, clusterName: 'analytics-serverless', snapshotId: s.id }));
    await stack.query(`{ ${snapshotField('s', real[0]!, 'id')} }`); // digest nonce and one pooled connection in hand
    stack.simulator.reset();
    stack.simulator.faults.latencyMs = 2_000;

    const clients = new AbortController();
    const abandoned = Promise.all(
      Array.from({ length: 150 }, (_, i) => abandon(stack, fifteenUnknown(i), clients.signal)),
    );
    // Atlas is slow: give up once the pool is busy and every request has had time to start its calls.
    const busy = Date.now() + 5_000;
    while (stack.simulator.stats.inFlight < POOL_CONNECTIONS && Date.now() < busy) await sleep(20);
    await sleep(300);
    clients.abort();
    await abandoned;
    const started = atlasCalls(stack, 'getServerlessBackupSnapshot');

    // The next caller, while the abandoned calls are still running upstream.
    stack.simulator.faults.latencyMs = 0;
    const before = performance.now();
    const next = await stack.query(`{ ${real.map((k, i) => snapshotField(`r${i}`, k, 'id')).join(' ')} }`);
    const nextMs = performance.now() - before;
    expect(next.errors).toBeUndefined();
    expect(Object.keys(next.data!)).toHaveLength(15);
    // Behind at most one round of the abandoned calls (2 s of latency), never behind a backlog.
    expect(nextMs).toBeLessThan(3_000);

    await settled(stack);
    const calls = atlasCalls(stack, 'getServerlessBackupSnapshot') - 15;
    console.log(
      'abandoned requests:',
      JSON.stringify({
        started,
        calls,
        connections: stack.simulator.stats.connections,
        clientAborts: stack.simulator.stats.clientAborts,
        nextMs: Math.round(nextMs),
      }),
    );
    // Only what was on the wire when the clients left was ever sent: 150 × 15 keys were asked for.
    expect(calls).toBeLessThanOrEqual(POOL_CONNECTIONS);
    expect(calls).toBe(started);
    // Nothing torn down: the connections are the pool's, not one per abandoned call.
    expect(stack.simulator.stats.clientAborts).toBe(0);
    expect(stack.simulator.stats.connections).toBeLessThanOrEqual(POOL_CONNECTIONS);
  }, 30_000);
});
