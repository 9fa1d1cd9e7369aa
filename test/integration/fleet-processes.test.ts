import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import { startFleet, type Fleet } from '../fleet.js';
import { ANYONE_MAY_CALL, SERVERLESS_API_ONLY, snapshotField } from '../helpers.js';
import { redisSkipReason } from '../redis.js';

// The multi-process fleet harness (test/fleet.ts) itself: three service processes, one redis-server,
// the simulator. Production settings but for anonymous callers and one Atlas call per lookup.

const QUERY = `{ ${snapshotField('a', DEMO, 'id status frequencyType createdAt expiresAt storageSizeBytes')} ${snapshotField(
  'b',
  { ...DEMO, snapshotId: DEMO.maxSafeSizeSnapshotId },
  'id status storageSizeBytes',
)} }`;

describe.skipIf(redisSkipReason !== undefined)('a fleet of processes: 3 replicas, Redis, the simulator', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({
      replicas: 3,
      env: { ...ANYONE_MAY_CALL, ...SERVERLESS_API_ONLY, REDIS_TIMEOUT_MS: '200' },
    });
  }, 60_000);
  afterAll(() => fleet?.stop());

  const replicas = [0, 1, 2];
  /** Waits (at most 10 s) until every replica's readiness shows `redis`, each still ready (200). */
  const allRedis = async (state: 'up' | 'down') => {
    for (let tries = 0; tries < 200; tries += 1) {
      const states = await Promise.all(replicas.map((i) => fleet.readiness(i)));
      for (const readiness of states) expect(readiness).toMatchObject({ status: 200, body: { ready: true } });
      if (states.every((readiness) => readiness.body.redis === state)) return;
      await sleep(50);
    }
    throw new Error(`readiness never showed redis ${state} on every replica`);
  };

  it('three processes on three ports answer a query round-robin identically; each shows redis up', async () => {
    expect(new Set(fleet.urls.map((url) => new URL(url).port)).size).toBe(3);
    await allRedis('up');
    const before = fleet.simulator.stats.requests;
    const answers = await Promise.all(Array.from({ length: 9 }, (_, n) => fleet.query(n % 3, QUERY)));
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      // The data; extensions may say how fresh it is (a cache hit or a miss), which may differ.
      expect(answer.data).toEqual(answers[0]!.data);
    }
    expect(answers[0]!.data).toMatchObject({
      a: { id: DEMO.snapshotId, status: 'COMPLETED', storageSizeBytes: 5 * 1024 ** 3 },
      b: { id: DEMO.maxSafeSizeSnapshotId, storageSizeBytes: Number.MAX_SAFE_INTEGER },
    });
    // The answers came from Atlas (the simulator), not from somewhere else.
    expect(fleet.simulator.stats.requests).toBeGreaterThan(before);
  });

  it('Redis killed: every replica stays ready and answers (0 failed requests), one warning each; back: up again', async () => {
    await allRedis('up');
    let sent = 0;
    const failures: string[] = [];
    let loading = true;
    // A steady round-robin load (a round of three every 100 ms) while Redis goes and comes back.
    const load = (async () => {
      while (loading) {
        await Promise.all(
          replicas.map(async (i) => {
            sent += 1;
            const answer = await fleet
              .query(i, QUERY)
              .catch((error: Error) => ({ errors: [{ message: error.message }] }));
            if (answer.errors) failures.push(`replica ${i}: ${JSON.stringify(answer.errors)}`);
          }),
        );
        await sleep(100);
      }
    })();
    await sleep(300);
    await fleet.redis!.kill();
    await allRedis('down');
    const sentBeforeOutage = sent;
    await sleep(500);
    const sentDuringOutage = sent - sentBeforeOutage;
    await fleet.redis!.start();
    await allRedis('up');
    await sleep(300);
    loading = false;
    await load;
    expect(failures).toEqual([]);
    // At least three rounds reached the replicas while every one of them saw Redis down.
    expect(sentDuringOutage).toBeGreaterThanOrEqual(9);
    for (const i of replicas) {
      const downs = fleet.logs(i).filter((line) => String(line.msg).startsWith('Redis is down'));
      expect(downs, `replica ${i}`).toHaveLength(1);
    }
  });

  it('kill(i) takes one replica away for real, the others go on; restart(i) brings it back on its URL', async () => {
    await fleet.kill(1);
    await expect(fleet.query(1, QUERY)).rejects.toThrow();
    for (const i of [0, 2]) expect((await fleet.query(i, QUERY)).errors).toBeUndefined();
    await fleet.restart(1);
    const answer = await fleet.query(1, QUERY);
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual((await fleet.query(0, QUERY)).data);
    await allRedis('up');
  });
});
