import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { FLEET } from '../../src/simulator/fleet-seed.js';
import type { AtlasSimulator } from '../../src/simulator/server.js';
import { startFleet, type Fleet, type FleetOptions } from '../fleet.js';
import {
  ATLAS_WITHOUT_RATE_LIMIT,
  ONE_CLIENT_PLAYS_MANY_CALLERS,
  startReplica,
  TEST_SERVICE_ACCOUNT,
  WITHOUT_RECORD_CACHE,
  type GraphQLResponse,
} from '../helpers.js';
import { redisSkipReason } from '../redis.js';
import { CALLER_KEYS, OPS } from './snapshot-mutation-kit.js';

// The record cache across a fleet (issue #15, docs/fleet.md "Record cache"): 3 service processes in
// front of one simulator share the cache through a real redis-server (test/fleet.ts). The snapshots
// read are the fleet project's completed daily ones, their expiry moved 30 days ahead (the seed's
// have passed, and an answer is never kept past its expiresAt).

const GET = 'getClusterBackupSnapshot';
const FIELDS = 'id status snapshotType frequencyType createdAt expiresAt storageSizeBytes policyItems';
const DAY = 86_400_000;
const G = FLEET.fleetGroupId;
const ENV = { ...CALLER_KEYS, ...ONE_CLIENT_PLAYS_MANY_CALLERS, ...ATLAS_WITHOUT_RATE_LIMIT };

interface Target {
  clusterName: string;
  snapshotId: string;
}
interface SnapshotView {
  id: string;
  status: string;
  expiresAt: string | null;
}
type Answer = GraphQLResponse<{ s: SnapshotView | null }> & {
  extensions?: { atlasCache?: { hits: number; misses: number; maxAgeSeconds: number } };
};

/** The completed snapshots of fleet clusters 1–5 (two each), kept 30 more days. */
function tenCompletedSnapshots(simulator: AtlasSimulator): Target[] {
  const clusters = simulator.projects.get(G)!.cloud!.clusters;
  const targets: Target[] = [];
  for (const clusterName of FLEET.fleetClusterNames.slice(0, 5)) {
    const completed = [...clusters.get(clusterName)!.snapshots.values()].filter((s) => s.status === 'completed');
    for (const snapshot of completed.slice(0, 2)) {
      snapshot.expiresAt = new Date(Date.now() + 30 * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z');
      targets.push({ clusterName, snapshotId: snapshot.id });
    }
  }
  return targets;
}

const snapshotQuery = ({ clusterName, snapshotId }: Target) =>
  `{ s: clusterSnapshot(groupId: "${G}", clusterName: "${clusterName}", snapshotId: "${snapshotId}") { ${FIELDS} } }`;

const calls = (fleet: Fleet) => fleet.simulator.stats.byOperation[GET] ?? 0;

let current: Fleet | undefined;
afterEach(async () => {
  await current?.stop();
  current = undefined;
});

/** 3 replicas sharing a fresh Redis; waits until each shows it up. */
async function fleetOf(options: FleetOptions = {}): Promise<Fleet> {
  current = await startFleet({ replicas: 3, ...options, env: { ...ENV, ...options.env } });
  await everyReplica(current, 'up');
  return current;
}

/** Waits (10 s at most) until every replica's readiness shows Redis `state`, each still ready. */
async function everyReplica(fleet: Fleet, state: 'up' | 'down'): Promise<void> {
  for (let tries = 0; tries < 200; tries += 1) {
    const all = await Promise.all([0, 1, 2].map((i) => fleet.readiness(i)));
    for (const readiness of all) expect(readiness).toMatchObject({ status: 200, body: { ready: true } });
    if (all.every((readiness) => readiness.body.redis === state)) return;
    await sleep(50);
  }
  throw new Error(`readiness never showed redis ${state} on every replica`);
}

/** Replica `i`'s answer to one snapshot read, as the OPS caller (or with `headers`). */
const read = (fleet: Fleet, i: number, target: Target, headers: Record<string, string> = OPS): Promise<Answer> =>
  fleet.query(i, snapshotQuery(target), {}, headers);

/** `count` reads round-robin over the replicas and `targets`, `concurrency` at a time. */
async function roundRobin(fleet: Fleet, targets: Target[], count: number, concurrency = 24) {
  const results: { target: number; answer: Answer }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const target = i % targets.length;
      results.push({ target, answer: await read(fleet, i % 3, targets[target]!) });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

describe.skipIf(redisSkipReason !== undefined)('the record cache of a fleet: 3 processes, Redis, the simulator', () => {
  it('3,000 queries round-robin over 10 completed snapshots: 10 Atlas calls, answers identical to a run without cache', async () => {
    const fleet = await fleetOf({ env: { REDIS_TIMEOUT_MS: '500' } });
    const targets = tenCompletedSnapshots(fleet.simulator);
    // The reference: a service without any cache in front of the same simulator.
    const plain = await startReplica(fleet.simulator, { ...ENV, ...WITHOUT_RECORD_CACHE });
    const reference = await Promise.all(targets.map((t) => plain.query(snapshotQuery(t), {}, OPS)));
    await plain.close();
    for (const answer of reference) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toMatchObject({ s: { status: 'COMPLETED' } });
    }
    fleet.simulator.reset();

    const begun = performance.now();
    const results = await roundRobin(fleet, targets, 3_000);
    const seconds = (performance.now() - begun) / 1000;
    for (const { target, answer } of results) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual(reference[target]!.data);
    }
    expect(calls(fleet)).toBe(10);
    // The clusters' topology (getCluster): once per cluster for the fleet when the replicas' claims meet
    // in time; at most once per replica and cluster when a loaded machine makes a claim's wait run out.
    const { [GET]: snapshotCalls, getCluster = 0, ...others } = fleet.simulator.stats.byOperation;
    expect({ snapshotCalls, others }).toEqual({ snapshotCalls: 10, others: {} });
    expect(getCluster).toBeGreaterThanOrEqual(5);
    expect(getCluster).toBeLessThanOrEqual(15);
    // Each Atlas call is one answer's miss; every other read was a hit (the cache, or a call in flight).
    const misses = results.reduce((sum, { answer }) => sum + answer.extensions!.atlasCache!.misses, 0);
    expect(misses).toBe(10 + getCluster);
    expect(results.filter(({ answer }) => answer.extensions!.atlasCache!.misses === 0).length).toBeGreaterThanOrEqual(
      3_000 - 10 - getCluster,
    );
    console.info(`fleet cache: 3,000 queries over 3 replicas in ${seconds.toFixed(1)} s, ${calls(fleet)} ${GET} calls`);
  }, 120_000);

  it('a snapshot that completes in the simulator is seen completed within CACHE_TTL_ACTIVE_S, then costs nothing', async () => {
    // CACHE_TTL_ACTIVE_S at its default, 5 s.
    const fleet = await fleetOf({ simulator: { clock: { frozen: true } } });
    const clusterName = FLEET.fleetClusterNames[6]!;
    const taken = await fleet.query<{ m: { snapshot: SnapshotView } }>(
      0,
      `mutation ($input: TakeClusterSnapshotInput!) { m: takeClusterSnapshot(input: $input) { snapshot { id status } } }`,
      { input: { groupId: G, clusterName } },
      OPS,
    );
    expect(taken.errors).toBeUndefined();
    const target = { clusterName, snapshotId: taken.data!.m.snapshot.id };
    const readAt = performance.now();
    expect((await read(fleet, 1, target)).data!.s!.status).toBe('QUEUED');
    // Stored after `readAt`: fresh until 5 s after it at least, and kept no longer than 5 s after `cachedAt`.
    const cachedAt = performance.now();
    fleet.simulator.clock.fastForward();
    // Atlas has it completed; the fleet answers from its cache what it read, as the extension says.
    const stale = await read(fleet, 2, target);
    expect(performance.now() - readAt).toBeLessThan(5_000);
    expect(stale.data!.s!.status).toBe('QUEUED');
    expect(stale.extensions!.atlasCache).toMatchObject({ misses: 0 });
    let seen: number | undefined;
    for (let i = 0; seen === undefined && performance.now() - cachedAt < 10_000; i += 1) {
      if ((await read(fleet, i % 3, target)).data!.s!.status === 'COMPLETED') seen = performance.now() - cachedAt;
      else await sleep(50);
    }
    expect(seen).toBeDefined();
    // The read that saw it started within a poll (50 ms) of the entry's end; its own time is the machine's.
    expect(seen!).toBeLessThanOrEqual(5_000 + 500);
    expect(seen!).toBeGreaterThan(4_000);
    const before = calls(fleet);
    for (let i = 0; i < 30; i += 1) expect((await read(fleet, i % 3, target)).data!.s!.status).toBe('COMPLETED');
    expect(calls(fleet)).toBe(before);
    console.info(`fleet cache: completed seen ${Math.round(seen!)} ms after the in-progress read was cached`);
  }, 60_000);

  it("a retention change on replica A is seen on replicas B and C at once: the write invalidates every replica's cache", async () => {
    const fleet = await fleetOf();
    const [target] = tenCompletedSnapshots(fleet.simulator);
    const list = `{ c: clusterSnapshots(groupId: "${G}", clusterName: "${target!.clusterName}", first: 5) { edges { node { id expiresAt } } } }`;
    const listed = async (i: number) =>
      (await fleet.query<{ c: { edges: { node: SnapshotView }[] } }>(i, list, {}, OPS)).data!.c.edges.find(
        (e) => e.node.id === target!.snapshotId,
      )?.node.expiresAt;
    const before = (await read(fleet, 1, target!)).data!.s!.expiresAt;
    expect((await read(fleet, 2, target!)).extensions!.atlasCache).toMatchObject({ misses: 0 });
    expect(await listed(1)).toBe(before);
    expect(await listed(2)).toBe(before);
    const changed = await fleet.query<{ m: { snapshot: SnapshotView } }>(
      0,
      `mutation ($input: UpdateClusterSnapshotRetentionInput!) { m: updateClusterSnapshotRetention(input: $input) { snapshot { id expiresAt } } }`,
      { input: { groupId: G, ...target, retentionUnit: 'MONTHS', retentionValue: 6 } },
      OPS,
    );
    expect(changed.errors).toBeUndefined();
    const after = changed.data!.m.snapshot.expiresAt;
    expect(after).not.toBe(before);
    const reads = calls(fleet);
    expect((await read(fleet, 1, target!)).data!.s!.expiresAt).toBe(after);
    expect((await read(fleet, 2, target!)).data!.s!.expiresAt).toBe(after);
    expect(await listed(2)).toBe(after);
    expect(await listed(1)).toBe(after);
    // B read it again from Atlas, C from the cache B refilled.
    expect(calls(fleet)).toBe(reads + 1);
  }, 60_000);

  it('forward mode: callers whose tokens Atlas treats differently never see each other’s cached records', async () => {
    const fleet = await fleetOf({ env: { ATLAS_AUTH: 'forward', AUTH_API_KEYS: '' } });
    const [target] = tenCompletedSnapshots(fleet.simulator);
    const token = async () => {
      const basic = Buffer.from(`${TEST_SERVICE_ACCOUNT.clientId}:${TEST_SERVICE_ACCOUNT.clientSecret}`).toString(
        'base64',
      );
      const response = await fetch(`${fleet.simulator.url}/api/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      return { authorization: `Bearer ${((await response.json()) as { access_token: string }).access_token}` };
    };
    const alice = await token();
    const bob = await token();
    expect(bob).not.toEqual(alice);
    const forged = { authorization: 'Bearer forged-token-the-simulator-never-issued' };

    const first = await read(fleet, 0, target!, alice);
    expect(first.data!.s!.status).toBe('COMPLETED');
    expect(calls(fleet)).toBe(1);
    // Alice's record is in the cache; a forged token still gets Atlas's answer for it: refused.
    for (const i of [1, 2]) {
      const refused = await read(fleet, i, target!, forged);
      expect(refused.data?.s ?? null).toBeNull();
      expect(refused.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    }
    expect(calls(fleet)).toBe(1);
    expect(fleet.simulator.stats.bearerRejections).toBe(2);
    // Alice again on another replica: her cached record.
    expect((await read(fleet, 2, target!, alice)).extensions!.atlasCache).toMatchObject({ misses: 0 });
    // Bob, another valid token: reads of his own (the cluster's topology too), then his own cached record
    // (replica 0 remembers the cluster's kind since Alice's read: what a name is, not what Atlas said to whom).
    expect((await read(fleet, 1, target!, bob)).extensions!.atlasCache).toMatchObject({ hits: 0, misses: 2 });
    expect((await read(fleet, 0, target!, bob)).extensions!.atlasCache).toMatchObject({ hits: 1, misses: 0 });
    expect(calls(fleet)).toBe(2);
    // Nothing cached for the forged token either: it asks Atlas every time.
    await read(fleet, 0, target!, forged);
    expect(fleet.simulator.stats.bearerRejections).toBe(3);
  }, 60_000);

  it('Redis killed during load: 0 failed requests, Atlas calls rise, one warning per replica; Redis back: calls fall', async () => {
    const fleet = await fleetOf({ env: { REDIS_TIMEOUT_MS: '200' } });
    const targets = tenCompletedSnapshots(fleet.simulator);
    let loading = true;
    let sent = 0;
    const failures: string[] = [];
    const load = (async () => {
      for (let round = 0; loading; round += 1) {
        await Promise.all(
          targets.slice(0, 6).map(async (target, k) => {
            sent += 1;
            const answer = await read(fleet, (round + k) % 3, target).catch((error: Error) => ({
              errors: [{ message: error.message }],
            }));
            if (answer.errors || !('data' in answer) || !answer.data?.s) failures.push(JSON.stringify(answer.errors));
          }),
        );
        await sleep(20);
      }
    })();
    /** Atlas calls and requests during `ms`. */
    const window = async (ms: number) => {
      const [calls0, sent0] = [calls(fleet), sent];
      await sleep(ms);
      return { calls: calls(fleet) - calls0, requests: sent - sent0 };
    };
    await sleep(500);
    const up = await window(1_000);
    await fleet.redis!.kill();
    await everyReplica(fleet, 'down');
    const down = await window(1_000);
    await fleet.redis!.start();
    await everyReplica(fleet, 'up');
    await sleep(300);
    const back = await window(1_000);
    loading = false;
    await load;
    console.info(
      `fleet cache, Atlas calls / requests: Redis up ${up.calls}/${up.requests}, down ${down.calls}/${down.requests}, back ${back.calls}/${back.requests}`,
    );
    expect(failures).toEqual([]);
    expect(up.calls).toBe(0);
    // Without the shared cache every read goes to Atlas (concurrent ones on a replica still share one).
    expect(down.calls).toBeGreaterThanOrEqual(down.requests / 3);
    // Back: the cache refilled (Redis restarted empty) within the first reads, then nothing.
    expect(back.calls).toBe(0);
    for (const i of [0, 1, 2]) {
      const warnings = fleet.logs(i).filter((line) => line.level === 40);
      expect(
        warnings.filter((line) => String(line.msg).startsWith('Redis is down')),
        `replica ${i}`,
      ).toHaveLength(1);
      expect(warnings.filter((line) => /cache/i.test(String(line.msg)))).toEqual([]);
    }
  }, 60_000);
});
