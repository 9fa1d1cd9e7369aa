import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryIdempotencyStore } from '../../src/backups/actions/idempotency.js';
import { RedisChannels } from '../../src/fleet/redis-channels.js';
import { RedisIdempotencyStore } from '../../src/fleet/redis-idempotency.js';
import { RedisRateBudget } from '../../src/fleet/redis-rate-budget.js';
import { RedisReadCache } from '../../src/fleet/redis-read-cache.js';
import { SharedRedis } from '../../src/fleet/redis.js';
import { WatchLeases } from '../../src/fleet/watch-leases.js';
import { captureLogger, type LogLine } from '../helpers.js';
import { redisSkipReason, twoReplicas } from '../redis.js';
import { startRedisSentinel, type TestSentinel } from '../redis-sentinel-set.js';
import { until } from '../redis-topologies.js';

// The shared features through Redis Sentinel (REDIS_URL redis+sentinel://<sentinel>/mymaster): a
// master, its replica and one sentinel (quorum 1) of real redis-server processes. The client asks the
// sentinel where the master is; when the master dies, commands fail at once and the state goes down
// once; the sentinel promotes the replica and the client follows it, with what was replicated.

const PREFIX = 'sentinel:';
const PASSWORD = 'sentinel-test-password-7f3a';
const silent = pino({ level: 'silent' });

describe.skipIf(redisSkipReason !== undefined)('Redis Sentinel: a master, a replica, one sentinel', () => {
  let topology: TestSentinel;
  let a: SharedRedis;
  let b: SharedRedis;
  let logs: LogLine[];

  beforeAll(async () => {
    topology = await startRedisSentinel(PASSWORD);
    const captured = captureLogger();
    logs = captured.lines;
    [a, b] = await twoReplicas(topology.url, PREFIX, captured.logger);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await topology.stop();
  });

  it('connects to the master the sentinel names; idempotency keys, rate budget, record cache and leases are shared', async () => {
    expect(await a.client.call('ROLE')).toEqual(expect.arrayContaining(['master']));
    expect(await a.client.config('GET', 'port')).toEqual(['port', String(topology.master.port)]);
    const store = (redis: SharedRedis) =>
      new RedisIdempotencyStore(
        redis,
        new MemoryIdempotencyStore(60_000, 100),
        { ttlMs: 60_000, waitMs: 2_000 },
        silent,
      );
    const claim = await store(a).claim('k', 'f');
    if (claim.kind !== 'new') throw new Error(claim.kind);
    claim.settle({ ok: true, value: 1 });
    await until('settled in Redis', async () => (await store(b).claim('k', 'f')).kind === 'replay');

    const budgets = [a, b].map((redis) => new RedisRateBudget(redis, { perMinute: 2, replicas: 2 }));
    const granted = [];
    for (const budget of [...budgets, ...budgets]) granted.push((await budget.reserve('snapshots:g', 0)).granted);
    expect(granted).toEqual([true, true, false, false]);

    const [first, second] = [new RedisReadCache(a, 60_000), new RedisReadCache(b, 60_000)];
    const key = { scope: 'g/c', identity: 'service', operation: 'getCluster', path: '/c' };
    await first.store(
      key,
      { answer: { body: '{"c":1}' }, storedAt: Date.now() },
      30_000,
      (await first.lookup(key)).seen!,
    );
    expect((await second.lookup(key)).entry?.answer).toEqual({ body: '{"c":1}' });

    const channels = new RedisChannels(b);
    try {
      await until('pub/sub ready', () => channels.ready);
      const [leader, follower] = [new WatchLeases(a, 'A', 5_000, silent), new WatchLeases(b, 'B', 5_000, silent)];
      const keys = leader.keysOf('restoreJob:g/c/1');
      const received: string[] = [];
      await channels.listen(keys.channel, (message) => received.push(message));
      expect([await leader.claim(keys), await follower.claim(keys)]).toEqual([true, false]);
      expect(await leader.publish(keys, 'event', 'state')).toBe(true);
      await until('event received', () => received.length === 1);
      expect(received).toEqual(['event']);
    } finally {
      channels.close();
    }
  });

  it('the master killed: commands refused at once, down once; the replica promoted: up again, with the replicated keys', async () => {
    expect(await a.client.set('before', 'kept', 'PX', 60_000)).toBe('OK');
    await until('replicated', async () => (await b.client.call('WAIT', '1', '100')) === 1);
    await topology.master.kill();
    await until('down', () => a.state === 'down' && b.state === 'down');
    const error = await a.client.get('before').catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toMatch(/timed out/);
    // The sentinel notices after 1 s (down-after-milliseconds), then promotes the replica.
    await until('promoted', async () => (await topology.masterPort()) === topology.replica.port, 30_000);
    await until('up again', () => a.state === 'up' && b.state === 'up', 30_000);
    expect(await a.client.get('before')).toBe('kept');
    expect(await a.client.config('GET', 'port')).toEqual(['port', String(topology.replica.port)]);
    expect(logs.filter((line) => line.msg.startsWith('Redis is down'))).toHaveLength(1);
    expect(logs.filter((line) => line.msg.startsWith('Redis is up'))).toHaveLength(2);
    expect(JSON.stringify(logs)).not.toContain(PASSWORD);
  }, 60_000);

  it('a failover while both live (SENTINEL FAILOVER), the old master demoted under an open connection: the write it refuses (READONLY) fails, the client asks the sentinel again and follows to the new master', async () => {
    // The master killed above returns as a master (empty); it is made the new master's replica at
    // once (the sentinel would do it ~10 s later), then promoted back by SENTINEL FAILOVER. The
    // sentinel names it at once but demotes the old master only ~10 s later, closing its clients'
    // connections as it does (they reconnect through it like after a crash); until then the old one
    // still accepts writes. Here it is demoted before that by REPLICAOF, which leaves the connections
    // open (as a demotion by hand or by another tool does): only its READONLY answer tells the client.
    await topology.master.start();
    await topology.replicaOf(topology.master, topology.replica.port);
    expect(await topology.failover()).toBe(topology.master.port);
    await topology.replicaOf(topology.replica, topology.master.port);
    const refused: string[] = [];
    // A write accepted by the master the sentinel names now (with quorum 1 and 1 s to be called down,
    // it may fail over again on its own on a loaded machine: the client then follows it there).
    const acceptedByMaster = async () => {
      const answer = await a.client.set('after', '1').catch((error: Error) => void refused.push(error.message));
      if (answer !== 'OK') return false;
      const [, port] = (await a.client.config('GET', 'port')) as [string, string];
      return Number(port) === (await topology.masterPort());
    };
    await until('a write accepted by the master', acceptedByMaster);
    // Without reconnectOnError every write would be refused so, the connection to the replica left open.
    expect(refused[0]).toMatch(/^READONLY/);
  }, 60_000);
});
