import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { leaseMs } from '../../src/fleet/redis-watch.js';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { LIFECYCLE_MS } from '../../src/simulator/timelines.js';
import { sleep, type Stack, startReplica, startStack, TEST_SERVICE_ACCOUNT } from '../helpers.js';
import { redisSkipReason, startRedis, type TestRedis } from '../redis.js';
import { metricOf, pollsBy, redisSeenBy, spawnReplica } from './fleet-subscriptions-kit.js';
import { CALLERS, READ_KEY, startRestore, subscribe, type Subscriber as KitSubscriber } from './subscription-kit.js';
import {
  createDownloadJob,
  jobPolls,
  sseSubscribe,
  type Subscriber,
  until,
  wsClient,
  wsSubscribe,
} from './subscription-pollers-kit.js';

// Live status across a fleet (issue #15, docs/fleet.md "Subscriptions"): three replicas over one
// simulator and one real Redis. One replica holds each resource's lease and polls Atlas for the
// fleet; the others follow its events over pub/sub. Killing the holder (a separate process, SIGKILL)
// hands the lease over; killing Redis makes each replica poll alone, and its return shares again.
// Atlas calls are counted at the simulator (getBackupRestoreJob), polls per replica by its metrics.

const POLL_MS = 100;
/** How long a lease lasts without renewal: three intervals, at least a second. */
const LEASE_MS = leaseMs(POLL_MS);
const PREFIX = 'fleet-watch-test:';
const ENV = {
  ...CALLERS,
  SUBSCRIPTION_POLL_MS: String(POLL_MS),
  SUBSCRIPTION_MAX_PER_CONNECTION: '300',
  REDIS_KEY_PREFIX: PREFIX,
  REDIS_TIMEOUT_MS: '200',
  ATLAS_MAX_ATTEMPTS: '2',
  ATLAS_RETRY_BASE_DELAY_MS: '10',
  // The simulator is an Atlas without a rate limit here (the budget has tests of its own).
  ATLAS_RATE_LIMIT_PER_MINUTE: '0',
  LOG_LEVEL: 'warn',
};
const reader = { 'x-api-key': READ_KEY };
const cluster = (n: number) => CLOUD.fleetClusterNames[n]!;
const jobDocument = (clusterName: string, restoreJobId: string) => ({
  query: `subscription { clusterRestoreJob(groupId: "${CLOUD.fleetGroupId}", clusterName: "${clusterName}", restoreJobId: "${restoreJobId}") { id state } }`,
});
const state = (event: { data?: unknown } | undefined) =>
  (event?.data as { clusterRestoreJob?: { state: string } | null } | undefined)?.clusterRestoreJob?.state;

describe.skipIf(redisSkipReason !== undefined)('live status across three replicas sharing a Redis', () => {
  let redis: TestRedis;
  let replicas: Stack[];
  let a: Stack;
  /** Redis as an operator sees it: no prefix. */
  let raw: Redis;
  const urls = () => replicas.map((r) => r.app.graphqlUrl);
  const allSeeRedis = (expected: 'up' | 'down', among = urls()) =>
    until(
      async () => (await Promise.all(among.map(redisSeenBy))).every((s) => s === expected),
      `Redis ${expected} on every replica`,
    );
  const pollsOf = (among = urls()) => Promise.all(among.map((url) => pollsBy(url, READ_KEY)));
  /** Calls of the fleet while `n` more happen, against the intervals that passed meanwhile. */
  async function pace(n: number): Promise<{ calls: number; intervals: number; byReplica: number[] }> {
    const [calls0, polls0, started] = [jobPolls(a), await pollsOf(), Date.now()];
    await until(() => jobPolls(a) >= calls0 + n, `${n} polls`);
    const polls = await pollsOf();
    return {
      calls: jobPolls(a) - calls0,
      intervals: Math.ceil((Date.now() - started) / POLL_MS),
      byReplica: polls.map((p, i) => p - polls0[i]!),
    };
  }

  beforeAll(async () => {
    redis = await startRedis();
    const env = { ...ENV, REDIS_URL: redis.url };
    a = await startStack(env, 'api-key', { clock: { frozen: true } });
    replicas = [a, await startReplica(a.simulator, env), await startReplica(a.simulator, env)];
    await allSeeRedis('up');
    raw = new Redis(redis.url, { maxRetriesPerRequest: 0, lazyConnect: true });
    raw.on('error', () => undefined);
  });
  // Every job runs to its end after each test: the next one finds no feed left on any replica.
  afterEach(async () => {
    a.simulator.clock.fastForward();
    const feeds = () => Promise.all(urls().map((u) => metricOf(u, READ_KEY, 'atlas_pollers_active')));
    await until(async () => (await feeds()).every((n) => n === 0), 'no feed left');
  });
  afterAll(async () => {
    raw.disconnect();
    for (const replica of replicas.slice(1).reverse()) await replica.close();
    await a.close();
    await redis.stop();
  });

  it('1,000 subscribers over three replicas to one restore job: one Atlas poll per interval for the fleet; everyone sees PENDING, then COMPLETED', async () => {
    const jobId = await startRestore(a, cluster(0), cluster(1));
    const payload = jobDocument(cluster(0), jobId);
    const clients = replicas.map((r) => wsClient(r, reader));
    onTestFinished(async () => {
      for (const client of clients) await client.dispose();
    });
    const subscribers: Subscriber[] = replicas.flatMap((r, i) => [
      ...Array.from({ length: 300 }, () => wsSubscribe(clients[i]!, payload)),
      ...Array.from({ length: i === 0 ? 34 : 33 }, () => sseSubscribe(r, reader, payload)),
    ]);
    expect(subscribers).toHaveLength(1000);
    await Promise.all(subscribers.map((s) => s.received(1)));
    for (const s of subscribers)
      expect(s.events).toEqual([{ data: { clusterRestoreJob: { id: jobId, state: 'PENDING' } } }]);
    // Each replica counts the resource it follows or polls against SUBSCRIPTION_MAX_RESOURCES.
    expect(await Promise.all(urls().map((u) => metricOf(u, READ_KEY, 'atlas_pollers_active')))).toEqual([1, 1, 1]);

    // Twenty intervals: one call each for the fleet (not three, not one per subscriber), all by one replica.
    const { calls, intervals, byReplica } = await pace(20);
    expect(calls).toBeLessThanOrEqual(intervals + 1);
    expect(byReplica.filter((n) => n > 0)).toHaveLength(1);
    expect(byReplica.reduce((x, y) => x + y)).toBeGreaterThanOrEqual(calls - 1);
    for (const s of subscribers) expect(s.events).toHaveLength(1);

    // In Redis: the lease (with its TTL) and the last event, under the prefix, named by a digest.
    const keys = (await raw.keys(`${PREFIX}watch:*`)).sort();
    expect(keys).toEqual([
      expect.stringMatching(/^fleet-watch-test:watch:\{[\w-]{43}\}:last$/),
      expect.stringMatching(/:lease$/),
    ]);
    expect(keys.join()).not.toContain(jobId);
    const ttl = await raw.pttl(keys[1]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(LEASE_MS);

    // The job completes: one read sees it, every subscriber on every replica gets it, then complete.
    const before = jobPolls(a);
    a.simulator.clock.advance(LIFECYCLE_MS.restore.finished);
    await Promise.all(subscribers.map((s) => s.ended));
    expect(jobPolls(a) - before).toBeLessThanOrEqual(2);
    for (const s of subscribers) {
      expect(s.events.map(state)).toEqual(['PENDING', 'COMPLETED']);
      expect(s.completed).toBe(true);
    }
    // Nothing polls any more; the lease was given back.
    const last = jobPolls(a);
    await sleep(5 * POLL_MS);
    expect(jobPolls(a)).toBe(last);
    expect(await raw.exists(keys[1]!)).toBe(0);
  }, 120_000);

  it('the replica holding the lease is killed (a separate process, SIGKILL): another takes it over once it lapses, and the others’ subscribers get the next state', async () => {
    const child = await spawnReplica(a.simulator.url, { ...ENV, REDIS_URL: redis.url });
    await allSeeRedis('up', [child.graphqlUrl]);
    const jobId = await startRestore(a, cluster(2), cluster(3));
    const payload = jobDocument(cluster(2), jobId);
    // The child's subscriber comes first: its replica takes the lease and polls.
    const first = subscribe('ws', child.graphqlUrl, payload.query, {}, READ_KEY);
    await first.event(0);
    const others: KitSubscriber<Record<string, unknown>>[] = urls().flatMap((url) =>
      ['ws', 'sse', 'ws', 'sse'].map((t) => subscribe(t as 'ws' | 'sse', url, payload.query, {}, READ_KEY)),
    );
    await Promise.all(others.map((s) => s.event(0)));
    const { calls, intervals, byReplica } = await pace(5);
    expect(calls).toBeLessThanOrEqual(intervals + 1);
    expect(byReplica).toEqual([0, 0, 0]);
    expect(await pollsBy(child.graphqlUrl, READ_KEY)).toBeGreaterThanOrEqual(5);

    // Killed: no lease given back. Nobody polls until it lapses; then one replica takes it within an interval.
    await child.kill();
    const [killedAt, atKill, polls0] = [Date.now(), jobPolls(a), await pollsOf()];
    await until(() => jobPolls(a) > atKill, 'a poll after the kill');
    const tookOver = Date.now() - killedAt;
    expect(tookOver).toBeLessThanOrEqual(LEASE_MS + 2 * POLL_MS + 250);
    const after = await pace(10);
    expect(after.calls).toBeLessThanOrEqual(after.intervals + 1);
    expect((await pollsOf()).map((p, i) => p - polls0[i]!).filter((n) => n > 0)).toHaveLength(1);

    // The job completes: the remaining subscribers get it (and nothing twice across the hand-over).
    a.simulator.clock.advance(LIFECYCLE_MS.restore.finished);
    await Promise.all(others.map((s) => s.ended()));
    for (const s of others) {
      expect(s.events.map(state)).toEqual(['PENDING', 'COMPLETED']);
      expect(s.end).toEqual({ kind: 'complete' });
    }
    expect(first.end?.kind).toBe('error');
  }, 60_000);

  it('the holder shuts down (app.close): its subscribers complete, it gives the lease back, another polls at its next tick', async () => {
    const leaving = await startReplica(a.simulator, { ...ENV, REDIS_URL: redis.url });
    await allSeeRedis('up', [leaving.app.graphqlUrl]);
    const jobId = await startRestore(a, cluster(4), cluster(5));
    const payload = jobDocument(cluster(4), jobId);
    const own = subscribe('sse', leaving.app.graphqlUrl, payload.query, {}, READ_KEY);
    await own.event(0);
    const others = urls().map((url) => subscribe('ws', url, payload.query, {}, READ_KEY));
    await Promise.all(others.map((s) => s.event(0)));
    expect((await pace(3)).byReplica).toEqual([0, 0, 0]);

    const closing = leaving.close();
    await own.ended();
    expect(own.end).toEqual({ kind: 'complete' });
    await closing;
    const [closedAt, atClose] = [Date.now(), jobPolls(a)];
    await until(() => jobPolls(a) > atClose, 'a poll after the close');
    expect(Date.now() - closedAt).toBeLessThanOrEqual(2 * POLL_MS + 250);

    a.simulator.clock.advance(LIFECYCLE_MS.restore.finished);
    await Promise.all(others.map((s) => s.ended()));
    for (const s of others) expect(s.events.map(state)).toEqual(['PENDING', 'COMPLETED']);
  }, 30_000);

  it('a failed poll reaches every replica as the same typed error event (code, message, Atlas envelope), then the state again', async () => {
    const jobId = await startRestore(a, cluster(6), cluster(7));
    const payload = jobDocument(cluster(6), jobId);
    const subscribers = urls().flatMap((url) => [
      subscribe('ws', url, payload.query, {}, READ_KEY),
      subscribe('sse', url, payload.query, {}, READ_KEY),
    ]);
    await Promise.all(subscribers.map((s) => s.event(0)));
    // One poll fails past the client's two attempts.
    a.simulator.faults.inject({ kind: 'status', status: 503 }, { operation: 'getBackupRestoreJob', times: 2 });
    await Promise.all(subscribers.map((s) => s.event(2)));
    const failed = subscribers[0]!.events[1]!;
    expect(failed.data).toEqual({ clusterRestoreJob: null });
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', atlas: { status: 503 } });
    for (const s of subscribers) {
      expect(s.events[1]).toEqual(failed);
      expect(s.events[2]).toEqual(s.events[0]);
    }
    a.simulator.clock.advance(LIFECYCLE_MS.restore.finished);
    await Promise.all(subscribers.map((s) => s.ended()));
    for (const s of subscribers) expect(s.events.map(state)).toEqual(['PENDING', undefined, 'PENDING', 'COMPLETED']);
  }, 30_000);

  it('Redis killed: every replica polls alone and subscribers keep getting events; Redis back: one poll per interval again', async () => {
    const jobId = await startRestore(a, cluster(8)); // a download: PENDING → READY → EXPIRED
    const payload = jobDocument(cluster(8), jobId);
    const subscribers = urls().flatMap((url) =>
      ['ws', 'sse', 'ws', 'sse', 'ws'].map((t) => subscribe(t as 'ws' | 'sse', url, payload.query, {}, READ_KEY)),
    );
    await Promise.all(subscribers.map((s) => s.event(0)));
    const shared = await pace(10);
    expect(shared.calls).toBeLessThanOrEqual(shared.intervals + 1);

    await redis.kill();
    await allSeeRedis('down');
    const alone = await pace(30);
    // Three pollers, one per replica: up to three calls per interval, and more than one.
    expect(alone.byReplica.every((n) => n > 0)).toBe(true);
    expect(alone.calls).toBeGreaterThan(1.5 * (alone.intervals - 2));
    expect(alone.calls).toBeLessThanOrEqual(3 * (alone.intervals + 1));
    // The download becomes READY while Redis is away: every subscriber gets it, once.
    a.simulator.clock.advance(LIFECYCLE_MS.restore.finished);
    await Promise.all(subscribers.map((s) => s.event(1)));

    await redis.start();
    await allSeeRedis('up');
    // At their next ticks the replicas claim the lease: one wins, the others follow once their pub/sub
    // connection is back too (it reconnects on its own schedule).
    await until(async () => (await pace(5)).byReplica.filter((n) => n > 0).length === 1, 'one poller again');
    const again = await pace(20);
    expect(again.calls).toBeLessThanOrEqual(again.intervals + 1);
    expect(again.byReplica.filter((n) => n > 0)).toHaveLength(1);

    a.simulator.clock.advance(LIFECYCLE_MS.downloadLife);
    await Promise.all(subscribers.map((s) => s.ended()));
    for (const s of subscribers) expect(s.events.map(state)).toEqual(['PENDING', 'READY', 'EXPIRED']);
  }, 60_000);
});

/** An Atlas access token of the test service account, from the simulator (a new one each time). */
async function atlasToken(simulatorUrl: string): Promise<string> {
  const basic = Buffer.from(`${TEST_SERVICE_ACCOUNT.clientId}:${TEST_SERVICE_ACCOUNT.clientSecret}`).toString('base64');
  const response = await fetch(`${simulatorUrl}/api/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe.skipIf(redisSkipReason !== undefined)('forward mode across two replicas', () => {
  it('a resource is shared per caller token — one poller per token for the fleet — and no token reaches Redis', async () => {
    const redis = await startRedis();
    const env = { ...ENV, REDIS_URL: redis.url };
    const a = await startStack(env, 'forward', { clock: { frozen: true } });
    const b = await startReplica(a.simulator, env, 'forward');
    const monitored = new Redis(redis.url);
    onTestFinished(async () => {
      monitored.disconnect();
      await b.close();
      await a.close();
      await redis.stop();
    });
    // Every command any replica sends to Redis, as Redis received it.
    const commands: string[] = [];
    const monitor = await monitored.monitor();
    onTestFinished(() => monitor.disconnect());
    monitor.on('monitor', (_time: string, args: unknown[]) => void commands.push(args.map(String).join(' ')));
    const tokens = [await atlasToken(a.simulator.url), await atlasToken(a.simulator.url)];
    const as = (token: string) => ({ 'x-api-key': READ_KEY, authorization: `Bearer ${token}` });
    const jobId = await createDownloadJob(a, cluster(10), {
      'x-api-key': 'ops-key',
      authorization: `Bearer ${tokens[0]}`,
    });
    const payload = jobDocument(cluster(10), jobId);
    const clients = [a, b].flatMap((replica) => tokens.map((token) => wsClient(replica, as(token))));
    onTestFinished(async () => {
      for (const client of clients) await client.dispose();
    });
    const subscribers = clients.flatMap((client) => Array.from({ length: 5 }, () => wsSubscribe(client, payload)));
    await Promise.all(subscribers.map((s) => s.received(1)));

    // Two tokens: two pollers in the fleet (not one: credentials never share; not four: replicas do).
    const [calls0, started] = [jobPolls(a), Date.now()];
    await until(() => jobPolls(a) >= calls0 + 20, '20 polls');
    expect(jobPolls(a) - calls0).toBeLessThanOrEqual(2 * (Math.ceil((Date.now() - started) / POLL_MS) + 1));
    expect(await monitored.keys(`${PREFIX}watch:*:lease`)).toHaveLength(2);
    const sent = commands.join('\n');
    expect(sent).toContain('PUBLISH');
    for (const token of tokens) expect(sent).not.toContain(token);

    a.simulator.clock.fastForward();
    await Promise.all(subscribers.map((s) => s.ended));
    for (const s of subscribers) expect(s.events.map(state)).toEqual(['PENDING', 'EXPIRED']);
  }, 30_000);
});
