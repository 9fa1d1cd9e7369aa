import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ttlMsOf, type CacheTtls } from '../../src/atlas/cache-policy.js';
import { MemoryReadCache } from '../../src/atlas/memory-read-cache.js';
import { defineOperation } from '../../src/atlas/operation.js';
import { scopeOf, scopeOfPath, type CacheKey } from '../../src/atlas/read-cache.js';

// The record cache's policy (how long each answer is kept), its scopes, and the in-process adapter.

const TTLS: CacheTtls = { completedMs: 300_000, activeMs: 5_000, listMs: 15_000, notFoundMs: 0 };
const NOW = Date.UTC(2026, 10, 30, 12);
const G = '/api/atlas/v2/groups/{groupId}';
const op = (template: string) => defineOperation('op', 'application/json', template, z.unknown());
const at = (ms: number) => new Date(NOW + ms).toISOString();

const SNAPSHOT = op(`${G}/clusters/{clusterName}/backup/snapshots/{snapshotId}`);
const SNAPSHOTS = op(`${G}/clusters/{clusterName}/backup/snapshots`);
const JOB = op(`${G}/clusters/{clusterName}/backup/restoreJobs/{restoreJobId}`);
const FLEX_JOB = op(`${G}/flexClusters/{name}/backup/restoreJobs/{restoreJobId}`);
const EXPORT = op(`${G}/clusters/{clusterName}/backup/exports/{exportId}`);
const CLUSTER = op(`${G}/clusters/{clusterName}`);
const SCHEDULE = op(`${G}/clusters/{clusterName}/backup/schedule`);

describe('how long an answer is kept', () => {
  it.each([
    ['a completed snapshot', SNAPSHOT, { status: 'completed', expiresAt: at(86_400_000) }, 300_000],
    ['a failed one', SNAPSHOT, { status: 'failed' }, 300_000],
    ['a Flex one (upper case)', SNAPSHOT, { status: 'COMPLETED', expiration: at(86_400_000) }, 300_000],
    ['a completed snapshot expiring in 60 s', SNAPSHOT, { status: 'completed', expiresAt: at(60_000) }, 60_000],
    ['a completed snapshot past its expiry', SNAPSHOT, { status: 'completed', expiresAt: at(-1) }, 0],
    ['a queued snapshot', SNAPSHOT, { status: 'queued' }, 5_000],
    ['an in-progress snapshot', SNAPSHOT, { status: 'inProgress', expiresAt: at(86_400_000) }, 5_000],
    ['a snapshot without status', SNAPSHOT, {}, 5_000],
    ['a pending restore job', JOB, { cancelled: false, failed: false, expired: false }, 5_000],
    ['a ready download', JOB, { deliveryUrl: ['https://x'], expiresAt: at(3_600_000) }, 5_000],
    ['a finished restore job', JOB, { finishedAt: at(-60_000) }, 300_000],
    ['a cancelled job', JOB, { cancelled: true, failed: true }, 300_000],
    ['an expired download', JOB, { expired: true, expiresAt: at(-1) }, 0],
    ['a running Flex job', FLEX_JOB, { status: 'RUNNING' }, 5_000],
    [
      'a completed Flex download, its link living 30 s',
      FLEX_JOB,
      { status: 'COMPLETED', expirationDate: at(30_000) },
      30_000,
    ],
    ['a successful export', EXPORT, { state: 'Successful' }, 300_000],
    ['an export in progress', EXPORT, { state: 'InProgress' }, 5_000],
    ['an idle cluster', CLUSTER, { stateName: 'IDLE' }, 15_000],
    ['a cluster being updated', CLUSTER, { stateName: 'UPDATING' }, 5_000],
    ['a schedule', SCHEDULE, { policies: [] }, 15_000],
  ])('%s', (_what, operation, body, ttl) => {
    expect(ttlMsOf(operation, body, TTLS, NOW)).toBe(ttl);
  });

  it('a list page: CACHE_TTL_LIST_S, the active TTL while an item moves, an item expiring sooner first', () => {
    const done = { status: 'completed', expiresAt: at(86_400_000) };
    expect(ttlMsOf(SNAPSHOTS, { results: [done, done] }, TTLS, NOW)).toBe(15_000);
    expect(ttlMsOf(SNAPSHOTS, { results: [done, { status: 'queued' }] }, TTLS, NOW)).toBe(5_000);
    expect(ttlMsOf(SNAPSHOTS, { results: [done, { ...done, expiresAt: at(7_000) }] }, TTLS, NOW)).toBe(7_000);
    // An item already past its expiry is about to go: the list's own TTL covers that.
    expect(ttlMsOf(SNAPSHOTS, { results: [{ ...done, expiresAt: at(-1) }] }, TTLS, NOW)).toBe(15_000);
    expect(ttlMsOf(SNAPSHOTS, { results: [] }, TTLS, NOW)).toBe(15_000);
  });

  it('a kind whose TTL is 0 is not kept; neither is an answer that is not an object', () => {
    expect(ttlMsOf(SNAPSHOT, { status: 'queued' }, { ...TTLS, activeMs: 0 }, NOW)).toBe(0);
    expect(ttlMsOf(SNAPSHOT, null, TTLS, NOW)).toBe(0);
  });
});

describe('scopes: what a write forgets together', () => {
  it('everything under a cluster of any API is its cluster’s; the rest of a project is the project’s', () => {
    const g = '/api/atlas/v2/groups/aaaaaaaaaaaaaaaaaaaaaaaa';
    expect(scopeOfPath(`${g}/clusters/c1/backup/snapshots/s?pageNum=1`)).toBe(
      scopeOf({ groupId: 'aaaaaaaaaaaaaaaaaaaaaaaa', clusterName: 'c1' }),
    );
    expect(scopeOfPath(`${g}/flexClusters/c1/backup/restoreJobs`)).toBe('aaaaaaaaaaaaaaaaaaaaaaaa/c1');
    expect(scopeOfPath(`${g}/serverless/c1`)).toBe('aaaaaaaaaaaaaaaaaaaaaaaa/c1');
    expect(scopeOfPath(`${g}/clusters?includeCount=true&pageNum=1&itemsPerPage=10`)).toBe('aaaaaaaaaaaaaaaaaaaaaaaa');
    expect(scopeOfPath(`${g}/backup/exportBuckets/b`)).toBe('aaaaaaaaaaaaaaaaaaaaaaaa');
    expect(scopeOfPath('/api/atlas/v2')).toBeUndefined();
  });
});

describe('MemoryReadCache', () => {
  const key = (path: string, scope = 'g/c'): CacheKey => ({ scope, identity: 'service', operation: 'op', path });
  const entry = (body: string) => ({ answer: { body }, storedAt: NOW });

  it('keeps an entry for its TTL', async () => {
    let now = 0;
    const cache = new MemoryReadCache(1_000_000, () => now);
    const { seen } = await cache.lookup(key('/a'));
    await cache.store(key('/a'), entry('{"a":1}'), 100, seen!);
    expect((await cache.lookup(key('/a'))).entry?.answer).toEqual({ body: '{"a":1}' });
    now = 100;
    expect((await cache.lookup(key('/a'))).entry).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });

  it('keeps credentials apart', async () => {
    const cache = new MemoryReadCache(1_000_000);
    const { seen } = await cache.lookup(key('/a'));
    await cache.store(key('/a'), entry('{}'), 1_000, seen!);
    expect((await cache.lookup({ ...key('/a'), identity: 'Zk3' })).entry).toBeUndefined();
  });

  it('an invalidation forgets the scope, and an answer read before it is not stored after it', async () => {
    const cache = new MemoryReadCache(1_000_000);
    const before = (await cache.lookup(key('/a'))).seen!;
    await cache.store(key('/a'), entry('{}'), 1_000, before);
    await cache.store(key('/other', 'g/d'), entry('{}'), 1_000, (await cache.lookup(key('/other', 'g/d'))).seen!);
    await cache.invalidate(['g/c']);
    expect((await cache.lookup(key('/a'))).entry).toBeUndefined();
    expect((await cache.lookup(key('/other', 'g/d'))).entry).toBeDefined();
    await cache.store(key('/a'), entry('{}'), 1_000, before);
    expect((await cache.lookup(key('/a'))).entry).toBeUndefined();
  });

  it('holds at most maxBytes, the least recently read going first; an answer over an eighth of it is not kept', async () => {
    const cache = new MemoryReadCache(5_000);
    const body = 'x'.repeat(80); // about 481 bytes with its key and an entry's overhead (384): ten fit
    for (const path of ['/1', '/2', '/3', '/4', '/5', '/6', '/7', '/8', '/9', '/10'])
      await cache.store(key(path), entry(body), 60_000, (await cache.lookup(key(path))).seen!);
    await cache.lookup(key('/1'));
    await cache.store(key('/11'), entry(body), 60_000, (await cache.lookup(key('/11'))).seen!);
    expect(cache.bytes).toBeLessThanOrEqual(5_000);
    expect((await cache.lookup(key('/1'))).entry).toBeDefined();
    expect((await cache.lookup(key('/2'))).entry).toBeUndefined();
    await cache.store(key('/big'), entry('x'.repeat(300)), 60_000, (await cache.lookup(key('/big'))).seen!);
    expect((await cache.lookup(key('/big'))).entry).toBeUndefined();
  });
});
