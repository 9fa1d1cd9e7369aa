import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateBudget } from '../../src/fleet/redis-rate-budget.js';
import { SharedRedis } from '../../src/fleet/redis.js';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import {
  ANYONE_MAY_CALL,
  atlasCalls,
  ONE_CLIENT_PLAYS_MANY_CALLERS,
  sleep,
  type Stack,
  startReplica,
  startStack,
} from '../helpers.js';
import { redisSkipReason, startRedis, type TestRedis } from '../redis.js';

// The shared Atlas rate budget (issue #15, docs/fleet.md). The simulator enforces Atlas's token
// bucket, 100 calls a minute per project; the service keeps within ATLAS_RATE_LIMIT_PER_MINUTE=90
// (one process alone, or the whole fleet through Redis), so Atlas never has to answer 429: the calls
// past the budget wait their turn (up to ATLAS_RATE_WAIT_MS) or fail RATE_LIMITED without reaching
// Atlas. Lookups of distinct snapshot ids (404s) are calls Atlas counts like any other.

const ATLAS_LIMIT = { rateLimitPerMinutePerGroup: 100 };
const SNAPSHOT = 'getClusterBackupSnapshot';
const BUDGET = { ...ANYONE_MAY_CALL, ...ONE_CLIENT_PLAYS_MANY_CALLERS, ATLAS_RATE_LIMIT_PER_MINUTE: '90' };

/** A distinct snapshot id per (replica, n): Atlas answers 404, and counts the call. */
const idOf = (replica: number, n: number) => `${replica.toString(16)}${n.toString(16).padStart(23, 'e')}`;
const lookup = (stack: Stack, id: string) =>
  stack.query(
    `{ s: clusterSnapshot(groupId: "${CLOUD.groupId}", clusterName: "${CLOUD.replicaSet}", snapshotId: "${id}") { id } }`,
  );

/** `NOT_FOUND` (Atlas answered: a call served), `RATE_LIMITED` (refused), or whatever else came back. */
async function outcome(stack: Stack, id: string): Promise<string> {
  const { errors } = await lookup(stack, id);
  const extensions = errors?.[0]?.extensions;
  if (extensions?.code === 'RATE_LIMITED') expect(extensions.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  return typeof extensions?.code === 'string' ? extensions.code : 'OK';
}

/** `count` lookups of distinct ids on `stack`, all at once; how many ended each way. */
async function burst(stack: Stack, replica: number, count: number, from = 0): Promise<Record<string, number>> {
  const outcomes = await Promise.all(Array.from({ length: count }, (_, n) => outcome(stack, idOf(replica, from + n))));
  const tally: Record<string, number> = {};
  for (const code of outcomes) tally[code] = (tally[code] ?? 0) + 1;
  return tally;
}

/** The replica's `atlas_rate_budget_calls_total` for one outcome. */
async function budgetMetric(stack: Stack, outcome: 'waited' | 'refused'): Promise<number> {
  const text = await (await fetch(stack.app.graphqlUrl.replace('/graphql', '/metrics'))).text();
  const line = new RegExp(
    `^atlas_rate_budget_calls_total\\{operation="${SNAPSHOT}",outcome="${outcome}"\\} (\\d+)$`,
    'm',
  );
  return Number(line.exec(text)?.[1] ?? 0);
}

/** The replica's readiness shows Redis `state`. */
async function untilRedis(stack: Stack, state: 'up' | 'down'): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    const body = (await (await fetch(stack.app.graphqlUrl.replace('/graphql', '/readiness'))).json()) as {
      redis?: string;
    };
    if (body.redis === state) return;
    await sleep(50);
  }
  throw new Error(`redis not ${state} in 5 s`);
}

const started: Stack[] = [];
afterEach(async () => {
  for (const stack of started.splice(0).reverse()) await stack.close();
});

/** A simulator enforcing Atlas's limit with a first replica in front of it (closed after the test). */
async function stackWith(env: Record<string, string>): Promise<Stack> {
  const stack = await startStack(env, 'api-key', ATLAS_LIMIT);
  started.push(stack);
  return stack;
}

/** One more replica in front of `first`'s simulator (closed after the test). */
async function replicaOf(first: Stack, env: Record<string, string>): Promise<Stack> {
  const stack = await startReplica(first.simulator, env);
  started.push(stack);
  return stack;
}

/** The first lookup of each replica learns the cluster's kind (one getCluster call, another bucket). */
async function warm(replicas: Stack[]): Promise<void> {
  for (const [i, replica] of replicas.entries()) expect(await outcome(replica, idOf(0xf, i))).toBe('NOT_FOUND');
}

describe('one process without Redis', () => {
  it('keeps to ATLAS_RATE_LIMIT_PER_MINUTE: 200 distinct lookups → ~90 served, the rest RATE_LIMITED, 0 Atlas 429s', async () => {
    const stack = await stackWith(BUDGET);
    await warm([stack]);
    const begun = performance.now();
    const tally = await burst(stack, 1, 200);
    const seconds = (performance.now() - begun) / 1000;
    expect(Object.keys(tally).sort()).toEqual(['NOT_FOUND', 'RATE_LIMITED']);
    const served = tally.NOT_FOUND! + 1;
    expect(stack.simulator.stats.rateLimited).toBe(0);
    expect(atlasCalls(stack, SNAPSHOT)).toBe(served);
    expect(served).toBeGreaterThanOrEqual(89);
    expect(served).toBeLessThanOrEqual(91 + Math.ceil(1.5 * seconds));
    // The first call past the bucket waited its turn (Atlas refills one every 667 ms); the rest were refused.
    expect(await budgetMetric(stack, 'waited')).toBeGreaterThanOrEqual(1);
    expect(await budgetMetric(stack, 'refused')).toBe(tally.RATE_LIMITED);
  });

  it('control: with the budget off (ATLAS_RATE_LIMIT_PER_MINUTE=0) the same load gets 429s from Atlas', async () => {
    const stack = await stackWith({ ...BUDGET, ATLAS_RATE_LIMIT_PER_MINUTE: '0', ATLAS_MAX_ATTEMPTS: '1' });
    await warm([stack]);
    await burst(stack, 1, 150);
    expect(stack.simulator.stats.rateLimited).toBeGreaterThanOrEqual(40);
  });
});

describe.skipIf(redisSkipReason !== undefined)('a fleet of 3 replicas sharing the budget in Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  /** 3 replicas in front of one simulator, sharing Redis under `prefix` (a fresh budget per test). */
  async function fleet(prefix: string, extra: Record<string, string> = {}): Promise<Stack[]> {
    const env = { ...BUDGET, REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, REDIS_TIMEOUT_MS: '200', ...extra };
    const a = await stackWith(env);
    const replicas = [a, await replicaOf(a, env), await replicaOf(a, env)];
    for (const replica of replicas) await untilRedis(replica, 'up');
    return replicas;
  }

  it('3 replicas × 200 distinct lookups: 0 Atlas 429s; ~90 served in all, the rest RATE_LIMITED without a call', async () => {
    // FLEET_REPLICAS left at 1: were the budget not shared, each replica would spend 90.
    const replicas = await fleet('shared:');
    const simulator = replicas[0]!.simulator;
    await warm(replicas);
    const begun = performance.now();
    const tallies = await Promise.all(replicas.map((replica, i) => burst(replica, i + 1, 200)));
    const seconds = (performance.now() - begun) / 1000;
    for (const tally of tallies)
      expect(Object.keys(tally).every((code) => code === 'NOT_FOUND' || code === 'RATE_LIMITED')).toBe(true);
    const served = tallies.reduce((sum, tally) => sum + (tally.NOT_FOUND ?? 0), 0) + replicas.length;
    const refused = tallies.reduce((sum, tally) => sum + (tally.RATE_LIMITED ?? 0), 0);
    expect(simulator.stats.rateLimited).toBe(0);
    expect(atlasCalls(replicas[0]!, SNAPSHOT)).toBe(served);
    // One budget for the fleet, not 90 each.
    expect(served).toBeGreaterThanOrEqual(88);
    expect(served).toBeLessThanOrEqual(91 + Math.ceil(1.5 * seconds));
    expect(refused).toBe(600 - (served - replicas.length));
    const waited = await Promise.all(replicas.map((replica) => budgetMetric(replica, 'waited')));
    expect(waited.reduce((a, b) => a + b)).toBeGreaterThanOrEqual(1);
  });

  it('RateLimit-Remaining lower than the bucket corrects it for the whole fleet', async () => {
    const [a, b] = await fleet('corrected:');
    const simulator = a!.simulator;
    const begun = performance.now();
    await warm([a!, b!]);
    // Another client of the project (its own process, the default budget) spends Atlas's bucket down to ~5.
    const other = await replicaOf(a!, { ...ANYONE_MAY_CALL, ...ONE_CLIENT_PLAYS_MANY_CALLERS });
    await warm([other]);
    expect(await burst(other, 9, 92)).toEqual({ NOT_FOUND: 92 });
    // The fleet's bucket still holds 88; one answer to `a` says how little Atlas has left.
    expect(await outcome(a!, idOf(1, 0))).toBe('NOT_FOUND');
    const before = atlasCalls(a!, SNAPSHOT);
    const tally = await burst(b!, 2, 50);
    const served = atlasCalls(a!, SNAPSHOT) - before;
    expect(tally.NOT_FOUND ?? 0).toBe(served);
    // Atlas had ~5 left (and refills 100 a minute); 90% of it is the fleet's (not the 88 its bucket held).
    const seconds = (performance.now() - begun) / 1000;
    expect(served).toBeLessThanOrEqual(6 + Math.ceil(3 * seconds));
    expect(tally.RATE_LIMITED).toBe(50 - served);
    expect(simulator.stats.rateLimited).toBe(0);
  });

  it('Redis killed: each replica keeps to 1/3 of the budget and no request fails; Redis back: the budget is not refilled', async () => {
    const replicas = await fleet('killed:', { FLEET_REPLICAS: '3' });
    const simulator = replicas[0]!.simulator;
    await warm(replicas);
    await redis.kill();
    for (const replica of replicas) await untilRedis(replica, 'down');
    const begun = performance.now();
    const tallies = await Promise.all(replicas.map((replica, i) => burst(replica, i + 1, 100)));
    const seconds = (performance.now() - begun) / 1000;
    for (const tally of tallies) {
      expect(Object.keys(tally).sort()).toEqual(['NOT_FOUND', 'RATE_LIMITED']);
      // 30 each (what it last saw in Redis, shared by 3), refilled at 0.5 a second.
      expect(tally.NOT_FOUND).toBeGreaterThanOrEqual(27);
      expect(tally.NOT_FOUND).toBeLessThanOrEqual(31 + Math.ceil(0.5 * seconds));
    }
    expect(simulator.stats.rateLimited).toBe(0);
    for (const replica of replicas)
      expect(replica.logs.filter((line) => String(line.msg).startsWith('Redis is down'))).toHaveLength(1);

    // Redis returns empty: the replicas hand back what their local shares hold, not a full bucket of 90.
    await redis.start();
    for (const replica of replicas) await untilRedis(replica, 'up');
    await sleep(100);
    const before = atlasCalls(replicas[0]!, SNAPSHOT);
    const after = await Promise.all(replicas.map((replica, i) => burst(replica, i + 1, 30, 100)));
    const served = atlasCalls(replicas[0]!, SNAPSHOT) - before;
    expect(after.reduce((sum, tally) => sum + (tally.NOT_FOUND ?? 0), 0)).toBe(served);
    // What the local shares refilled since the burst began, not the 90 of a fresh bucket.
    expect(served).toBeLessThanOrEqual(3 + Math.ceil((1.5 * (performance.now() - begun)) / 1000));
    expect(simulator.stats.rateLimited).toBe(0);
  });
});

describe.skipIf(redisSkipReason !== undefined)('RedisRateBudget against a real Redis', () => {
  let redis: TestRedis;
  let raw: Redis;
  const shared: SharedRedis[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    raw = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    raw.on('error', () => undefined);
  });
  afterAll(async () => {
    raw.disconnect();
    await redis.stop();
  });
  afterEach(async () => {
    for (const connection of shared.splice(0)) await connection.close();
  });

  /** A replica's connection and budget (10 a minute, 2 replicas), once the connection is up. */
  async function budgetOn(prefix: string, timeoutMs = 50) {
    const connection = new SharedRedis({ url: redis.url, keyPrefix: prefix, timeoutMs }, pino({ level: 'silent' }));
    shared.push(connection);
    for (let i = 0; connection.state !== 'up' && i < 100; i += 1) await sleep(20);
    return new RedisRateBudget(connection, { perMinute: 10, replicas: 2 });
  }

  it('one bucket per key for every replica, under REDIS_KEY_PREFIX, expiring once it would be full', async () => {
    const [a, b] = [await budgetOn('one:'), await budgetOn('one:')];
    const granted = [];
    for (let i = 0; i < 6; i += 1) granted.push((await a.reserve('clusters/backup:g', 0)).granted);
    for (let i = 0; i < 6; i += 1) granted.push((await b.reserve('clusters/backup:g', 0)).granted);
    expect(granted.filter(Boolean)).toHaveLength(10);
    expect(await b.reserve('clusters/backup:g', 0)).toEqual({
      granted: false,
      retryAfterMs: expect.any(Number) as number,
    });
    expect((await a.reserve('clusters/backup:other', 0)).granted).toBe(true);
    expect((await raw.keys('one:*')).sort()).toEqual(['one:rate:clusters/backup:g', 'one:rate:clusters/backup:other']);
    const ttl = await raw.pttl('one:rate:clusters/backup:g');
    expect(ttl).toBeGreaterThan(59_000);
    expect(ttl).toBeLessThanOrEqual(61_000);
  });

  it('lower() on one replica holds for the other', async () => {
    const [a, b] = [await budgetOn('lower:'), await budgetOn('lower:')];
    a.lower('k', 2);
    await sleep(50);
    const granted = [];
    for (let i = 0; i < 4; i += 1) granted.push((await b.reserve('k', 0)).granted);
    expect(granted).toEqual([true, true, false, false]);
  });

  it('Redis too slow (REDIS_TIMEOUT_MS): the call takes the local share at once, seeded from the level last seen', async () => {
    const budget = await budgetOn('slow:');
    for (let i = 0; i < 6; i += 1) await budget.reserve('k', 0);
    await raw.call('CLIENT', 'PAUSE', '1000', 'ALL');
    const begun = performance.now();
    // Seen: 4 left of 10; this replica's share of it: 2 (of a local bucket of 5).
    const local = [];
    for (let i = 0; i < 4; i += 1) local.push((await budget.reserve('k', 0)).granted);
    expect(performance.now() - begun).toBeLessThan(1_000);
    expect(local).toEqual([true, true, false, false]);
    await sleep(1_100);
    expect(await raw.exists('slow:rate:k')).toBe(1);
  });
});
