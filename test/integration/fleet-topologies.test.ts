import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { FLEET } from '../../src/simulator/fleet-seed.js';
import { startFleet, type Fleet } from '../fleet.js';
import { ATLAS_WITHOUT_RATE_LIMIT, ONE_CLIENT_PLAYS_MANY_CALLERS, type GraphQLResponse } from '../helpers.js';
import { startRedisSentinel, type TestSentinel } from '../redis-sentinel-set.js';
import { clusterSkipReason, startRedisCluster, type TestCluster } from '../redis-topologies.js';
import { CALLER_KEYS, OPS } from './snapshot-mutation-kit.js';

// A fleet of 2 service processes whose REDIS_URL names a Redis Cluster (redis+cluster://) or a
// Sentinel set (redis+sentinel://): the record cache is shared through it (20 reads of each of 10
// completed snapshots, spread over both replicas → 10 Atlas calls), and when it fails every request
// is still answered, from Atlas, the replicas ready with `redis: down`; when it returns, shared again.

const GET = 'getClusterBackupSnapshot';
const G = FLEET.fleetGroupId;
const ENV = { ...CALLER_KEYS, ...ONE_CLIENT_PLAYS_MANY_CALLERS, ...ATLAS_WITHOUT_RATE_LIMIT, REDIS_TIMEOUT_MS: '500' };

type Answer = GraphQLResponse<{ s: { id: string; status: string } | null }>;

/** A topology the fleet's REDIS_URL names, and how to take all of it away and bring it back. */
interface Topology {
  url: string;
  fail(): Promise<void>;
  recover(): Promise<void>;
  stop(): Promise<void>;
}

const cluster = async (): Promise<Topology> => {
  const c: TestCluster = await startRedisCluster(3);
  return {
    url: c.url,
    fail: async () => void (await Promise.all(c.nodes.map((node) => node.kill()))),
    recover: async () => {
      await Promise.all(c.nodes.map((node) => node.start()));
      await c.healthy();
    },
    stop: () => c.stop(),
  };
};

const sentinel = async (): Promise<Topology> => {
  const s: TestSentinel = await startRedisSentinel('fleet-sentinel-password');
  return {
    url: s.url,
    // The master and the sentinel: nobody promotes the replica, so the outage lasts until they return
    // (a failover, when the sentinel lives: redis-sentinel.test.ts).
    fail: async () => void (await Promise.all([s.master.kill(), s.sentinel.kill()])),
    recover: async () => {
      await s.master.start();
      await s.sentinel.start();
    },
    stop: () => s.stop(),
  };
};

let fleet: Fleet | undefined;
let topology: Topology | undefined;
afterEach(async () => {
  await fleet?.stop();
  await topology?.stop();
  fleet = topology = undefined;
});

/** Waits (15 s at most) until both replicas show Redis `state`, each staying ready. */
async function bothReplicas(state: 'up' | 'down'): Promise<void> {
  for (let tries = 0; tries < 300; tries += 1) {
    const all = await Promise.all([0, 1].map((i) => fleet!.readiness(i)));
    for (const readiness of all) expect(readiness).toMatchObject({ status: 200, body: { ready: true } });
    if (all.every((readiness) => readiness.body.redis === state)) return;
    await sleep(50);
  }
  throw new Error(`readiness never showed redis ${state} on both replicas`);
}

/** The completed snapshots of fleet clusters 1–5 (two each), kept 30 more days (an answer is never kept past expiresAt). */
function tenCompletedSnapshots(): string[] {
  const clusters = fleet!.simulator.projects.get(G)!.cloud!.clusters;
  return FLEET.fleetClusterNames.slice(0, 5).flatMap((clusterName) =>
    [...clusters.get(clusterName)!.snapshots.values()]
      .filter((snapshot) => snapshot.status === 'completed')
      .slice(0, 2)
      .map((snapshot) => {
        snapshot.expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        return `{ s: clusterSnapshot(groupId: "${G}", clusterName: "${clusterName}", snapshotId: "${snapshot.id}") { id status } }`;
      }),
  );
}

/** `rounds` reads of every query, alternating replicas; every answer must carry the snapshot. */
async function readAll(queries: string[], rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round += 1) {
    const answers = await Promise.all(
      queries.map((query, i) => fleet!.query<Answer['data']>((round + i) % 2, query, {}, OPS)),
    );
    for (const answer of answers as Answer[]) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.s?.status).toBe('COMPLETED');
    }
  }
}

const calls = () => fleet!.simulator.stats.byOperation[GET] ?? 0;

describe.each([
  ['a Redis Cluster of 3 masters (redis+cluster://)', cluster],
  ['Redis Sentinel: a master, a replica, a sentinel (redis+sentinel://)', sentinel],
])('2 replicas sharing %s', (_name, start) => {
  it.skipIf(clusterSkipReason !== undefined)(
    'share the record cache (200 reads → 10 Atlas calls); Redis gone: every read answered from Atlas, ready, redis down; back: shared again',
    async () => {
      topology = await start();
      fleet = await startFleet({ replicas: 2, redis: false, env: { ...ENV, REDIS_URL: topology.url } });
      await bothReplicas('up');
      const queries = tenCompletedSnapshots();
      fleet.simulator.reset();
      await readAll(queries, 20);
      expect(calls()).toBe(10);

      await topology.fail();
      await bothReplicas('down');
      fleet.simulator.reset();
      await readAll(queries, 2);
      // Without the shared cache each read asks Atlas (CACHE_IN_PROCESS is off in a fleet).
      expect(calls()).toBe(20);

      await topology.recover();
      await bothReplicas('up');
      await readAll(queries, 1);
      fleet.simulator.reset();
      await readAll(queries, 10);
      expect(calls()).toBe(0);
      for (const i of [0, 1])
        expect(fleet.logs(i).filter((line) => String(line.msg).startsWith('Redis is down'))).toHaveLength(1);
    },
    90_000,
  );
});
