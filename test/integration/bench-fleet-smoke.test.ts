import { describe, expect, it } from 'vitest';
import { runFleetBenchmark } from '../../bench/fleet.js';
import { redisSkipReason } from '../redis.js';

// The benchmark's fleet scenario (bench/fleet.ts, `npm run bench -- --scenarios fleet`) kept from
// rotting: a tiny run over the real processes — the simulator, a redis-server, servers from source —
// asserting counts only (timing belongs to the benchmark). Without redis-server it is skipped and
// says why, unless REQUIRE_REDIS is set (CI): then test/redis.ts fails it.

const AMOUNT = 200;
const KEYS = 20;
const REPLICAS = 3;

describe.skipIf(redisSkipReason !== undefined)(
  `benchmark fleet scenario (smoke)${redisSkipReason ? `: skipped, ${redisSkipReason}` : ''}`,
  () => {
    it('the record cache makes Atlas calls per distinct key, not per request; a shared Redis once for the fleet', async () => {
      const { runs } = await runFleetBenchmark({
        durationSeconds: 1,
        amount: AMOUNT,
        connections: 6,
        warmupSeconds: 0,
        keys: KEYS,
        replicas: REPLICAS,
        idleSeconds: 0.2,
        serverEntry: 'src/main.ts',
        // A busy machine can hold a Redis command past the default 50 ms: a read would bypass the cache.
        serverEnv: { REDIS_TIMEOUT_MS: '500' },
      });
      const byName = Object.fromEntries(runs.map((run) => [run.name, run]));
      const fleet = (cache: string, workload: string) => byName[`${REPLICAS} replicas, cache ${cache}, ${workload}`]!;
      expect(Object.keys(byName)).toEqual([
        '1 process, cache off',
        '1 process, cache in-process',
        '1 process, cache Redis',
        '3 replicas, cache Redis, s1',
        `3 replicas, cache Redis, ${KEYS} keys`,
        '3 replicas, cache in-process each, s1',
        `3 replicas, cache in-process each, ${KEYS} keys`,
      ]);
      for (const run of runs) {
        expect(run.requests, run.name).toBe(AMOUNT);
        expect(run.errors, `${run.name}: ${JSON.stringify(run.errorCodes)}`).toBe(0);
        expect(
          run.perProcess.map((p) => p.requests).reduce((a, b) => a + b),
          run.name,
        ).toBe(AMOUNT);
        expect(run.cpuUsPerRequest, run.name).toBeGreaterThan(0);
      }
      // Reads that could not reach Redis in time go to Atlas (counted `bypass`): allowed, but few.
      const bypassed = (name: string) => byName[name]?.cacheReads.bypass ?? 0;
      for (const run of runs) expect(bypassed(run.name), run.name).toBeLessThanOrEqual(AMOUNT / 10);

      // One process: without the cache every request is an Atlas call; with it, the first only.
      expect(byName['1 process, cache off']!.atlasCallsPerRequest).toBe(1);
      expect(byName['1 process, cache in-process']!.atlasCalls).toBe(1);
      expect(byName['1 process, cache Redis']!.atlasCalls).toBeLessThanOrEqual(1 + bypassed('1 process, cache Redis'));
      expect(byName['1 process, cache in-process']!.redis).toBeUndefined();

      // Three replicas and one Redis: at most one Atlas call per distinct key for the whole fleet.
      const shared = [fleet('Redis', 's1'), fleet('Redis', `${KEYS} keys`)];
      for (const run of shared) {
        expect(run.atlasCalls, run.name).toBeGreaterThanOrEqual(run.distinctKeys);
        expect(run.atlasCalls, run.name).toBeLessThanOrEqual(run.distinctKeys + bypassed(run.name));
        expect(
          run.perProcess.every((p) => p.requests > 0 && p.peakRssMb > 0),
          run.name,
        ).toBe(true);
        // Every read is one MGET at most (concurrent ones on a replica share it); misses add a claim and a store.
        expect(run.redis!.roundTripsPerRequest, run.name).toBeGreaterThan(0);
        expect(run.redis!.roundTripsPerRequest, run.name).toBeLessThan(5);
        expect(run.redis!.byCommandPerRequest.mget, run.name).toBeGreaterThan(0);
      }
      // Each replica its own cache: each reads a key from Atlas itself, up to once per replica.
      for (const run of [fleet('in-process each', 's1'), fleet('in-process each', `${KEYS} keys`)]) {
        expect(run.atlasCalls, run.name).toBeGreaterThanOrEqual(run.distinctKeys);
        expect(run.atlasCalls, run.name).toBeLessThanOrEqual(REPLICAS * run.distinctKeys);
        expect(run.redis, run.name).toBeUndefined();
      }
    }, 240_000);
  },
);
