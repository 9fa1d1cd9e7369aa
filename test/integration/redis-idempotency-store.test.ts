import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Claim, MemoryIdempotencyStore } from '../../src/backups/actions/idempotency.js';
import { SharedRedis } from '../../src/fleet/redis.js';
import { RedisIdempotencyStore } from '../../src/fleet/redis-idempotency.js';
import { sleep } from '../helpers.js';
import { bothUp, redisSkipReason, startRedis, twoReplicas, type TestRedis } from '../redis.js';

// RedisIdempotencyStore on its own, two "replicas" over one real Redis: what a duplicate on the other
// replica gets while the first runs, after it settles or releases, and when it never finishes; and
// what a replica decides alone when Redis fails or holds something it cannot read.

const PREFIX = 'store-test:';
const WAIT_MS = 300;
const silent = pino({ level: 'silent' });

describe.skipIf(redisSkipReason !== undefined)('RedisIdempotencyStore', () => {
  let redis: TestRedis;
  let connections: SharedRedis[];
  let a: RedisIdempotencyStore;
  let b: RedisIdempotencyStore;
  let raw: Redis;
  const replica = (shared: SharedRedis) =>
    new RedisIdempotencyStore(
      shared,
      new MemoryIdempotencyStore(60_000, 100),
      { ttlMs: 60_000, waitMs: WAIT_MS },
      silent,
    );
  const connected = () => bothUp(connections);

  beforeAll(async () => {
    redis = await startRedis();
    connections = await twoReplicas(redis.url, PREFIX);
    [a, b] = connections.map(replica) as [RedisIdempotencyStore, RedisIdempotencyStore];
    raw = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    raw.on('error', () => undefined);
    await connected();
  });
  afterAll(async () => {
    raw.disconnect();
    await Promise.all(connections.map((c) => c.close()));
    await redis.stop();
  });

  /** Claims `key` and records when the claim was decided. */
  const timed = async (store: RedisIdempotencyStore, key: string, fingerprint = 'f') => {
    const started = performance.now();
    const claim = await store.claim(key, fingerprint);
    return { claim, ms: performance.now() - started };
  };
  const expectNew = (claim: Claim) => {
    if (claim.kind !== 'new') throw new Error(`expected a new claim, got ${claim.kind}`);
    return claim;
  };

  it('a duplicate on the other replica waits while the first runs, then replays its outcome', async () => {
    const first = expectNew(await a.claim('k1', 'f'));
    const waiting = timed(b, 'k1');
    await sleep(150);
    first.settle({ ok: true, value: { job: 'j-1', at: '2026-11-21T12:00:00Z', none: null } });
    const { claim, ms } = await waiting;
    expect(ms).toBeGreaterThanOrEqual(140);
    expect(claim.kind).toBe('replay');
    if (claim.kind === 'replay')
      expect(await claim.outcome).toEqual({ ok: true, value: { job: 'j-1', at: '2026-11-21T12:00:00Z', none: null } });
    expect((await b.claim('k1', 'other')).kind).toBe('mismatch');
  });

  it('a released first (Atlas did nothing): the duplicate waiting on the other replica claims the key anew', async () => {
    const first = expectNew(await a.claim('k2', 'f'));
    const waiting = timed(b, 'k2');
    await sleep(50);
    first.release(new Error('409'));
    const { claim, ms } = await waiting;
    expect(claim.kind).toBe('new');
    expect(ms).toBeLessThan(WAIT_MS);
    expectNew(claim).settle({ ok: true, value: 'second' });
    const again = await a.claim('k2', 'f');
    if (again.kind !== 'replay') throw new Error(again.kind);
    expect(await again.outcome).toEqual({ ok: true, value: 'second' });
  });

  it('a first that never finishes: after waitMs an unknown outcome, never a second claim', async () => {
    expectNew(await a.claim('k3', 'f'));
    const { claim, ms } = await timed(b, 'k3');
    expect(ms).toBeGreaterThanOrEqual(WAIT_MS - 50);
    expect(ms).toBeLessThan(WAIT_MS + 400);
    if (claim.kind !== 'replay') throw new Error(claim.kind);
    expect(await claim.outcome).toEqual({
      ok: false,
      error: {
        outcomeUnknown: { happened: expect.stringContaining(`had not finished after ${WAIT_MS} ms`) as string },
      },
    });
  });

  it('duplicates on one replica share its claim: one new, the rest replay its outcome', async () => {
    const claims = await Promise.all([a, a, a].map((store) => store.claim('k4', 'f')));
    expect(claims.map((c) => c.kind)).toEqual(['new', 'replay', 'replay']);
    expectNew(claims[0]!).settle({ ok: true, value: 4 });
    for (const claim of claims.slice(1))
      if (claim.kind === 'replay') expect(await claim.outcome).toMatchObject({ value: 4 });
  });

  it('a value it cannot read: the replica decides alone (in memory)', async () => {
    await raw.set(`${PREFIX}idempotency:${createHash('sha256').update('k5').digest('base64url')}`, 'not json');
    const claim = expectNew(await b.claim('k5', 'f'));
    claim.settle({ ok: true, value: 5 });
    expect((await b.claim('k5', 'f')).kind).toBe('replay');
    expect(await raw.get(`${PREFIX}idempotency:${createHash('sha256').update('k5').digest('base64url')}`)).toBe(
      'not json',
    );
  });

  it('Redis gone: claims are the replica’s own, and an outcome settled meanwhile stays known to it', async () => {
    const claimed = expectNew(await a.claim('k6', 'f'));
    await redis.kill();
    claimed.settle({ ok: true, value: 6 });
    const again = await a.claim('k6', 'f');
    if (again.kind !== 'replay') throw new Error(again.kind);
    expect(await again.outcome).toEqual({ ok: true, value: 6 });
    // The other replica cannot know: alone, it runs the request itself.
    const { claim, ms } = await timed(b, 'k6');
    expect(claim.kind).toBe('new');
    expect(ms).toBeLessThan(250);
    await redis.start();
    await connected();
  });
});
