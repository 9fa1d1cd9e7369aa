import { afterEach, describe, expect, it } from 'vitest';
import { type Stack, TEST_SERVICE_ACCOUNT } from '../helpers.js';
import {
  createDownloadJob,
  FLEET_CLUSTERS,
  FLEET_GROUP,
  GET_RESTORE_JOB,
  jobPolls,
  jobSubscription,
  KEYS,
  metric,
  sseSubscribe,
  startLiveStack,
  type Subscriber,
  until,
  wsClient,
  wsSubscribe,
} from './subscription-pollers-kit.js';

// Live status (issue #14): SUBSCRIPTION_MAX_PER_CONNECTION, SUBSCRIPTION_MAX_TOTAL and
// SUBSCRIPTION_MAX_RESOURCES each refuse with TOO_MANY_SUBSCRIPTIONS and poll nothing for the refused
// subscription; pollers are shared only between subscribers with the same Atlas credentials (forward
// mode: per caller token); shutdown completes every stream. The refused subscriptions watch a
// snapshot while the accepted ones watch restore jobs, so the simulator's count of snapshot reads
// shows what the refused ones polled.

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});
async function start(env: Record<string, string>, auth?: 'forward'): Promise<Stack> {
  stack = await startLiveStack(env, auth);
  return stack;
}

const POLL_MS = 50; // startLiveStack's SUBSCRIPTION_POLL_MS
const reader = { 'x-api-key': KEYS.reader };
/** Fleet cluster 5's hourly snapshot, in progress for good (seeded resources never move). */
function snapshotSubscription(s: Stack) {
  const clusterName = FLEET_CLUSTERS[4]!;
  const cluster = s.simulator.projects.get(FLEET_GROUP)!.cloud!.clusters.get(clusterName)!;
  const snapshotId = [...cluster.snapshots.values()].find((x) => x.status !== 'completed')!.id;
  return {
    query: `subscription { clusterSnapshot(groupId: "${FLEET_GROUP}", clusterName: "${clusterName}", snapshotId: "${snapshotId}") { id status } }`,
  };
}
/** Atlas operations called since the last reset, other than restore job reads. */
const otherCalls = (s: Stack) => Object.keys(s.simulator.stats.byOperation).filter((o) => o !== GET_RESTORE_JOB);
const active = (s: Stack) => metric(s, 'graphql_subscriptions_active');
const pollers = (s: Stack) => metric(s, 'atlas_pollers_active');

/** A refusal sent as the subscription's `error` message (graphql-ws, before execution: the per-connection limit). */
async function expectRefusedBeforeExecution(s: Subscriber, limit: string) {
  await expect(s.ended).rejects.toMatchObject([{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit } }]);
  expect(s.events).toEqual([]);
}
/** A refusal as the subscription's one result, then `complete` (the hub's limits, over WebSocket and SSE alike). */
async function expectRefused(s: Subscriber, limit: string) {
  await s.ended;
  expect(s.events).toMatchObject([
    { errors: [{ path: ['clusterSnapshot'], extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit } }] },
  ]);
}

describe('limits: TOO_MANY_SUBSCRIPTIONS, and nothing polled for the refused subscription', () => {
  it('SUBSCRIPTION_MAX_PER_CONNECTION: the 4th on one connection is refused; another connection, or a freed slot, is not', async () => {
    const s = await start({ SUBSCRIPTION_MAX_PER_CONNECTION: '3' });
    const cluster = FLEET_CLUSTERS[0]!;
    const job = jobSubscription(cluster, await createDownloadJob(s, cluster));
    s.simulator.reset();
    const [full, other] = [wsClient(s, reader), wsClient(s, reader)];
    const accepted = Array.from({ length: 3 }, () => wsSubscribe(full, job));
    await Promise.all(accepted.map((x) => x.received(1)));
    await expectRefusedBeforeExecution(wsSubscribe(full, snapshotSubscription(s)), 'SUBSCRIPTION_MAX_PER_CONNECTION');
    await new Promise((resolve) => setTimeout(resolve, 3 * POLL_MS)); // time enough for a poll to show
    expect(otherCalls(s)).toEqual([]);
    expect([await active(s), await pollers(s)]).toEqual([3, 1]);

    const elsewhere = wsSubscribe(other, snapshotSubscription(s));
    await elsewhere.received(1);
    expect(elsewhere.events[0]!.data).toMatchObject({ clusterSnapshot: { status: 'IN_PROGRESS' } });
    accepted[0]!.stop();
    await until(async () => (await active(s)) === 3, 'the slot freed');
    const again = wsSubscribe(full, snapshotSubscription(s));
    await again.received(1);
    expect([await active(s), await pollers(s)]).toEqual([4, 2]);
    for (const client of [full, other]) await client.dispose();
  });

  it('SUBSCRIPTION_MAX_TOTAL: past it, refused over SSE and WebSocket alike; a subscriber leaving makes room', async () => {
    const s = await start({ SUBSCRIPTION_MAX_TOTAL: '4' });
    const cluster = FLEET_CLUSTERS[1]!;
    const job = jobSubscription(cluster, await createDownloadJob(s, cluster));
    s.simulator.reset();
    const client = wsClient(s, reader);
    const accepted = [wsSubscribe(client, job), wsSubscribe(client, job), sseSubscribe(s, reader, job)];
    accepted.push(sseSubscribe(s, reader, job));
    await Promise.all(accepted.map((x) => x.received(1)));
    await expectRefused(sseSubscribe(s, reader, snapshotSubscription(s)), 'SUBSCRIPTION_MAX_TOTAL');
    await expectRefused(wsSubscribe(wsClient(s, reader), snapshotSubscription(s)), 'SUBSCRIPTION_MAX_TOTAL');
    await new Promise((resolve) => setTimeout(resolve, 3 * POLL_MS)); // time enough for a poll to show
    expect(otherCalls(s)).toEqual([]);
    expect([await active(s), await pollers(s)]).toEqual([4, 1]);

    accepted[3]!.stop();
    await until(async () => (await active(s)) === 3, 'one gone');
    const admitted = wsSubscribe(client, snapshotSubscription(s));
    await admitted.received(1);
    expect(admitted.events[0]!.errors).toBeUndefined();
    await client.dispose();
  });

  it('SUBSCRIPTION_MAX_RESOURCES: a third resource is refused, a second subscriber to a polled one is not', async () => {
    const s = await start({ SUBSCRIPTION_MAX_RESOURCES: '2' });
    const [one, two] = [FLEET_CLUSTERS[2]!, FLEET_CLUSTERS[3]!];
    const jobs = [
      jobSubscription(one, await createDownloadJob(s, one)),
      jobSubscription(two, await createDownloadJob(s, two)),
    ];
    s.simulator.reset();
    const client = wsClient(s, reader);
    const [first, second] = jobs.map((job) => wsSubscribe(client, job)) as [Subscriber, Subscriber];
    await Promise.all([first.received(1), second.received(1)]);
    await expectRefused(wsSubscribe(client, snapshotSubscription(s)), 'SUBSCRIPTION_MAX_RESOURCES');
    await expectRefused(sseSubscribe(s, reader, snapshotSubscription(s)), 'SUBSCRIPTION_MAX_RESOURCES');
    await new Promise((resolve) => setTimeout(resolve, 3 * POLL_MS)); // time enough for a poll to show
    expect(otherCalls(s)).toEqual([]);
    const joining = sseSubscribe(s, reader, jobs[0]!);
    await joining.received(1);
    expect([await active(s), await pollers(s)]).toEqual([3, 2]);

    second.stop();
    await until(async () => (await pollers(s)) === 1, 'the second job’s poller stopped');
    const admitted = wsSubscribe(client, snapshotSubscription(s));
    await admitted.received(1);
    expect(admitted.events[0]!.errors).toBeUndefined();
    expect(await pollers(s)).toBe(2);
    joining.stop();
    await client.dispose();
  });
});

/** A bearer token of the test service account, from the simulator's token endpoint (a new one per call). */
async function atlasToken(s: Stack): Promise<string> {
  const basic = Buffer.from(`${TEST_SERVICE_ACCOUNT.clientId}:${TEST_SERVICE_ACCOUNT.clientSecret}`).toString('base64');
  const response = await fetch(`${s.simulator.url}/api/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('pollers are shared only between subscribers with the same Atlas credentials', () => {
  it('forward mode: two caller tokens → two pollers, whatever the subscribers of each; a refused token’s errors stay its own', async () => {
    const s = await start({ SUBSCRIPTION_MAX_PER_CONNECTION: '50' }, 'forward');
    const [tokenA, tokenB] = [await atlasToken(s), await atlasToken(s)];
    expect(tokenA).not.toBe(tokenB);
    const cluster = FLEET_CLUSTERS[4]!;
    const jobId = await createDownloadJob(s, cluster, { 'x-api-key': KEYS.ops, authorization: `Bearer ${tokenA}` });
    const job = jobSubscription(cluster, jobId);
    const as = (token: string) => ({ 'x-api-key': KEYS.reader, authorization: `Bearer ${token}` });
    const clients = [wsClient(s, as(tokenA)), wsClient(s, as(tokenA)), wsClient(s, as(tokenB))];
    const before = jobPolls(s);
    const started = Date.now();
    const subscribers = [
      ...Array.from({ length: 20 }, () => wsSubscribe(clients[0]!, job)),
      ...Array.from({ length: 20 }, () => wsSubscribe(clients[1]!, job)),
      ...Array.from({ length: 10 }, () => sseSubscribe(s, as(tokenA), job)),
      ...Array.from({ length: 20 }, () => wsSubscribe(clients[2]!, job)),
      ...Array.from({ length: 10 }, () => sseSubscribe(s, as(tokenB), job)),
    ];
    await Promise.all(subscribers.map((x) => x.received(1)));
    for (const x of subscribers)
      expect(x.events).toEqual([{ data: { clusterRestoreJob: { id: jobId, state: 'PENDING' } } }]);
    expect([await active(s), await pollers(s)]).toEqual([80, 2]);
    await until(() => jobPolls(s) >= before + 12, 'a few intervals');
    // Two calls an interval (one per token), never one per subscriber.
    expect(jobPolls(s) - before).toBeLessThanOrEqual(2 * (Math.ceil((Date.now() - started) / POLL_MS) + 1));

    // A token Atlas refuses: its subscriber gets the error from a poller of its own; the others see nothing of it.
    const refused = sseSubscribe(s, as('not-a-token-the-simulator-issued'), job);
    await refused.received(1);
    expect(refused.events[0]).toMatchObject({
      data: { clusterRestoreJob: null },
      errors: [{ path: ['clusterRestoreJob'], extensions: { code: 'UNAUTHENTICATED' } }],
    });
    expect(await pollers(s)).toBe(3);
    expect(s.simulator.stats.bearerRejections).toBeGreaterThan(0);
    for (const x of subscribers) expect(x.events).toHaveLength(1);

    // Token A's subscribers all leave: its poller stops, B's goes on.
    for (const x of subscribers.slice(0, 50)) x.stop();
    refused.stop();
    await until(async () => (await pollers(s)) === 1, 'only token B’s poller left');
    expect(await active(s)).toBe(30);
    for (const client of clients) await client.dispose();
  });

  it('one caller key or another: with the server’s own credentials, every subscriber shares the one poller', async () => {
    const s = await start({});
    const cluster = FLEET_CLUSTERS[5]!;
    const job = jobSubscription(cluster, await createDownloadJob(s, cluster));
    const subscribers = [KEYS.reader, KEYS.downloader, KEYS.ops].flatMap((key) => [
      wsSubscribe(wsClient(s, { 'x-api-key': key }), job),
      sseSubscribe(s, { 'x-api-key': key }, job),
    ]);
    await Promise.all(subscribers.map((x) => x.received(1)));
    expect([await active(s), await pollers(s)]).toEqual([6, 1]);
  });
});

describe('graceful shutdown', () => {
  it('app.close() completes every stream, over WebSocket and SSE, and polls no more', async () => {
    const s = await start({});
    stack = undefined; // closed here
    const cluster = FLEET_CLUSTERS[6]!;
    const job = jobSubscription(cluster, await createDownloadJob(s, cluster));
    const client = wsClient(s, reader);
    const subscribers = [wsSubscribe(client, job), wsSubscribe(client, job), sseSubscribe(s, reader, job)];
    subscribers.push(sseSubscribe(s, reader, job));
    await Promise.all(subscribers.map((x) => x.received(1)));
    await s.app.close(5_000);
    await Promise.allSettled(subscribers.map((x) => x.ended));
    expect(subscribers.map((x) => x.completed)).toEqual([true, true, true, true]);
    const calls = jobPolls(s);
    await new Promise((resolve) => setTimeout(resolve, 5 * POLL_MS));
    expect(jobPolls(s)).toBe(calls);
    await s.simulator.close();
  });
});
