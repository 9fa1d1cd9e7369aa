import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryIdempotencyStore } from '../../src/backups/actions/idempotency.js';
import { RedisChannels } from '../../src/fleet/redis-channels.js';
import { RedisIdempotencyStore } from '../../src/fleet/redis-idempotency.js';
import { RedisRateBudget } from '../../src/fleet/redis-rate-budget.js';
import { RedisReadCache } from '../../src/fleet/redis-read-cache.js';
import { SharedRedis } from '../../src/fleet/redis.js';
import { WatchLeases } from '../../src/fleet/watch-leases.js';
import { captureLogger, sleep, type LogLine } from '../helpers.js';
import { twoReplicas } from '../redis.js';
import { clusterSkipReason, startRedisCluster, until, type TestCluster } from '../redis-topologies.js';

// Every shared feature's Redis adapter through a real Redis Cluster of 3 masters (REDIS_URL
// redis+cluster://…): two "replicas" (two SharedRedis) share idempotency keys, rate buckets, cached
// records and live-status leases and events, with keys spread over the nodes — each script's keys in
// one slot (hash tags). Then the cluster failing: commands fail at once, the state goes down once.

const PREFIX = 'topology:';
const silent = pino({ level: 'silent' });

describe.skipIf(clusterSkipReason !== undefined)('a Redis Cluster of 3 masters', () => {
  let cluster: TestCluster;
  let a: SharedRedis;
  let b: SharedRedis;
  let logs: LogLine[];
  const bothUp = () => until('both up', () => a.state === 'up' && b.state === 'up');
  /** The distinct nodes holding these keys (with the prefix). */
  const nodesOf = async (keys: string[]) => new Set(await Promise.all(keys.map((k) => cluster.portOf(PREFIX + k))));

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    const captured = captureLogger();
    logs = captured.lines;
    [a, b] = await twoReplicas(cluster.url, PREFIX, captured.logger);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await cluster.stop();
  });

  it('idempotency keys: a duplicate on the other replica waits for the first, then replays it; another input is a mismatch', async () => {
    const store = (redis: SharedRedis) =>
      new RedisIdempotencyStore(
        redis,
        new MemoryIdempotencyStore(60_000, 100),
        { ttlMs: 60_000, waitMs: 2_000 },
        silent,
      );
    const [first, second] = [store(a), store(b)];
    const claim = await first.claim('restore-1', 'f');
    if (claim.kind !== 'new') throw new Error(claim.kind);
    const duplicate = second.claim('restore-1', 'f');
    await sleep(100);
    claim.settle({ ok: true, value: { job: 'j-1' } });
    const replayed = await duplicate;
    if (replayed.kind !== 'replay') throw new Error(replayed.kind);
    expect(await replayed.outcome).toEqual({ ok: true, value: { job: 'j-1' } });
    expect((await second.claim('restore-1', 'other input')).kind).toBe('mismatch');
  });

  it('rate budget: one bucket per key for both replicas, the buckets spread over the nodes', async () => {
    const budget = (redis: SharedRedis) => new RedisRateBudget(redis, { perMinute: 3, replicas: 2 });
    const [first, second] = [budget(a), budget(b)];
    const keys = Array.from({ length: 6 }, (_, i) => `snapshots:g${i}`);
    expect((await nodesOf(keys.map((k) => `rate:${k}`))).size).toBeGreaterThan(1);
    for (const key of keys) {
      const granted = [];
      for (const replica of [first, second, first, second]) granted.push((await replica.reserve(key, 0)).granted);
      expect(granted).toEqual([true, true, true, false]);
    }
  });

  it('record cache: one scope’s keys in one slot; an invalidation of scopes on several nodes reaches every one', async () => {
    const [first, second] = [new RedisReadCache(a, 60_000), new RedisReadCache(b, 60_000)];
    const scopes = Array.from({ length: 6 }, (_, i) => `g1/cluster-${i}`);
    expect((await nodesOf(scopes.map((s) => `cache:{${s}}:generation`))).size).toBeGreaterThan(1);
    const key = (scope: string) => ({ scope, identity: 'service', operation: 'getCluster', path: `/${scope}` });
    for (const scope of scopes) {
      const { seen } = await first.lookup(key(scope));
      expect(await first.claim(key(scope), 5_000)).toBe(true);
      expect(await second.lookup(key(scope))).toMatchObject({ entry: undefined, pending: true });
      await first.store(key(scope), { answer: { body: `{"s":"${scope}"}` }, storedAt: Date.now() }, 30_000, seen!);
      expect((await second.lookup(key(scope))).entry?.answer).toEqual({ body: `{"s":"${scope}"}` });
    }
    await second.invalidate(scopes);
    for (const scope of scopes) expect((await first.lookup(key(scope))).entry).toBeUndefined();
  });

  it('live status: one lease holder; its events reach the other replica over the cluster’s pub/sub; the last one kept', async () => {
    const [leader, follower] = [new WatchLeases(a, 'A', 5_000, silent), new WatchLeases(b, 'B', 5_000, silent)];
    const channels = new RedisChannels(b);
    try {
      await until('pub/sub connection ready', () => channels.ready);
      const received: string[] = [];
      const keys = Array.from({ length: 3 }, (_, i) => leader.keysOf(`restoreJob:g1/c/${i}`));
      const stops = await Promise.all(keys.map((k) => channels.listen(k.channel, (m) => received.push(m))));
      for (const [i, k] of keys.entries()) {
        expect(await leader.claim(k)).toBe(true);
        expect(await follower.claim(k)).toBe(false);
        expect(await follower.publish(k, 'not the holder', undefined)).toBe(false);
        expect(await leader.publish(k, `event ${i}`, `state ${i}`)).toBe(true);
        expect(await follower.last(k)).toEqual({ text: `state ${i}` });
      }
      await until('events received', () => received.length >= 3);
      expect(received.sort()).toEqual(['event 0', 'event 1', 'event 2']);
      for (const stop of stops) stop();
    } finally {
      channels.close();
    }
  });

  it('a master lost (no replica to promote): CLUSTERDOWN fails commands at once, down once; back when the master returns', async () => {
    const budget = new RedisRateBudget(a, { perMinute: 1_000, replicas: 2 });
    const channels = new RedisChannels(b);
    await until('pub/sub connection ready', () => channels.ready);
    let lost = 0;
    channels.onDown(() => (lost += 1));
    await cluster.nodes[2]!.kill();
    // The pub/sub connection may have sat on that node: its followers are told (they poll until they follow again).
    await until('pub/sub told', () => lost > 0);
    channels.close();
    // The features' own commands find the cluster down (after its node timeout, 1 s).
    await until('down', async () => {
      await budget.reserve(`probe:${Math.random()}`, 0);
      return a.state === 'down';
    });
    await expect(a.client.get('any')).rejects.toThrow(/^CLUSTERDOWN/);
    // Meanwhile the budget is the replica's local share, granted without Redis.
    expect((await budget.reserve('snapshots:g0', 0)).granted).toBe(true);
    await cluster.nodes[2]!.start();
    await cluster.healthy();
    await bothUp();
    expect(logs.filter((line) => line.msg.startsWith('Redis is down'))).toHaveLength(1);
  });

  it('every node killed: down, commands refused at once (no offline queue, no wait for the timeout); back up when they return', async () => {
    const before = logs.filter((line) => line.msg.startsWith('Redis is down')).length;
    await Promise.all(cluster.nodes.map((node) => node.kill()));
    await until('down', () => a.state === 'down' && b.state === 'down');
    const error = await a.client.get('any').catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toMatch(/timed out/);
    await Promise.all(cluster.nodes.map((node) => node.start()));
    await cluster.healthy();
    await bothUp();
    expect(await a.client.set('back', '1')).toBe('OK');
    expect(logs.filter((line) => line.msg.startsWith('Redis is down'))).toHaveLength(before + 1);
  });
});
