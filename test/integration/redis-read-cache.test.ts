import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheKey } from '../../src/atlas/read-cache.js';
import { SharedRedis } from '../../src/fleet/redis.js';
import { RedisReadCache } from '../../src/fleet/redis-read-cache.js';
import { sleep } from '../helpers.js';
import { bothUp, redisSkipReason, startRedis, twoReplicas, type TestRedis } from '../redis.js';

// RedisReadCache on its own, two "replicas" over one real Redis: the keys it writes, claims, the
// invalidation that makes every entry of a scope stale at once (and an answer read before it
// unstorable after it), and what it does while Redis is away.

const PREFIX = 'read-cache-test:';
const key = (path: string, identity = 'service'): CacheKey => ({
  scope: 'g1/cluster-0',
  identity,
  operation: 'getClusterBackupSnapshot',
  path,
});
const entry = (body: string) => ({ answer: { body }, storedAt: Date.now() });

describe.skipIf(redisSkipReason !== undefined)('RedisReadCache', () => {
  let redis: TestRedis;
  let connections: SharedRedis[];
  let a: RedisReadCache;
  let b: RedisReadCache;
  let raw: Redis;
  const connected = () => bothUp(connections);

  beforeAll(async () => {
    redis = await startRedis();
    connections = await twoReplicas(redis.url, PREFIX);
    [a, b] = connections.map((c) => new RedisReadCache(c, 60_000)) as [RedisReadCache, RedisReadCache];
    raw = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    raw.on('error', () => undefined);
    await connected();
  });
  afterAll(async () => {
    raw.disconnect();
    await Promise.all(connections.map((c) => c.close()));
    await redis.stop();
  });

  it('an entry stored by one replica is the other’s, under the prefix and the scope’s hash tag, with its TTL', async () => {
    const k = key('/a');
    const { seen, entry: none, pending } = await a.lookup(k);
    expect({ seen, none, pending }).toEqual({ seen: '', none: undefined, pending: false });
    expect(await a.claim(k, 5_000)).toBe(true);
    expect(await b.lookup(k)).toMatchObject({ entry: undefined, pending: true });
    expect(await b.claim(k, 5_000)).toBe(false);
    await a.store(k, entry('{"id":"a"}'), 30_000, seen!);
    const found = await b.lookup(k);
    expect(found.entry?.answer).toEqual({ body: '{"id":"a"}' });
    expect(found.pending).toBe(false);
    const keys = await raw.keys(`${PREFIX}*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^read-cache-test:cache:\{g1\/cluster-0\}:service:[\w-]{22}$/);
    expect(await raw.pttl(keys[0]!)).toBeGreaterThan(29_000);
    // Another identity (a forwarded token) never reads it.
    expect((await b.lookup(key('/a', 'Zk3digest'))).entry).toBeUndefined();
  });

  it('an invalidation makes the scope’s entries stale on every replica; an answer read before it is not stored after it', async () => {
    const k = key('/b');
    const before = (await a.lookup(k)).seen!;
    await a.store(k, entry('{"v":1}'), 30_000, before);
    expect((await b.lookup(k)).entry).toBeDefined();
    const late = (await b.lookup(key('/c'))).seen!;
    await b.invalidate(['g1/cluster-0']);
    expect((await a.lookup(k)).entry).toBeUndefined();
    await a.store(key('/c'), entry('{"v":0}'), 30_000, late);
    expect((await a.lookup(key('/c'))).entry).toBeUndefined();
    const generation = await raw.get(`${PREFIX}cache:{g1/cluster-0}:generation`);
    expect(generation).toMatch(/^[\w-]{12}$/);
    expect(await raw.pttl(`${PREFIX}cache:{g1/cluster-0}:generation`)).toBeGreaterThan(59_000);
    // Read after it: stored, under the new generation.
    const now = (await a.lookup(k)).seen!;
    expect(now).toBe(generation);
    await a.store(k, entry('{"v":2}'), 30_000, now);
    expect((await b.lookup(k)).entry?.answer).toEqual({ body: '{"v":2}' });
  });

  it('a claim given up without an entry lets the waiting replica read at once; another replica cannot release it', async () => {
    const k = key('/d');
    expect(await a.claim(k, 5_000)).toBe(true);
    await b.release(k);
    expect((await b.lookup(k)).pending).toBe(true);
    await a.release(k);
    expect(await b.lookup(k)).toMatchObject({ entry: undefined, pending: false });
  });

  it('Redis slow (CLIENT PAUSE): a lookup answers "cannot tell" within REDIS_TIMEOUT_MS; an invalidation that timed out is sent again', async () => {
    const k = key('/e');
    await a.store(k, entry('{"v":"old"}'), 30_000, (await a.lookup(k)).seen!);
    await raw.call('CLIENT', 'PAUSE', '600', 'ALL');
    const started = performance.now();
    expect(await a.lookup(k)).toEqual({ entry: undefined, seen: undefined, pending: false });
    expect(performance.now() - started).toBeLessThan(450);
    // A write's invalidation times out: Redis stays up, and the entry from before is still there…
    await a.invalidate(['g1/cluster-0']);
    await sleep(600);
    // …until the invalidation is sent again, a second later: then no replica reads it.
    let staleFor = 0;
    while ((await b.lookup(k)).entry !== undefined && staleFor < 3_000) {
      await sleep(50);
      staleFor += 50;
    }
    expect((await b.lookup(k)).entry).toBeUndefined();
    expect(staleFor).toBeLessThanOrEqual(1_500);
  });

  it('Redis gone: lookups answer "cannot tell" at once; an invalidation made meanwhile is sent when it is back', async () => {
    const generationKey = `${PREFIX}cache:{g1/cluster-9}:generation`;
    await redis.kill();
    for (let i = 0; i < 100 && connections.some((c) => c.state !== 'down'); i += 1) await sleep(20);
    const started = performance.now();
    expect(await a.lookup({ ...key('/f'), scope: 'g1/cluster-9' })).toEqual({
      entry: undefined,
      seen: undefined,
      pending: false,
    });
    expect(performance.now() - started).toBeLessThan(20);
    await a.invalidate(['g1/cluster-9']);
    await redis.start();
    await connected();
    for (let i = 0; i < 100 && (await raw.get(generationKey).catch(() => null)) === null; i += 1) await sleep(20);
    expect(await raw.get(generationKey)).toMatch(/^[\w-]{12}$/);
  });
});
