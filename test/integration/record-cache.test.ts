import { describe, expect, it } from 'vitest';
import type { SimCloudSnapshot } from '../../src/simulator/cloud-backup-state.js';
import { FLEET } from '../../src/simulator/fleet-seed.js';
import {
  ANYONE_MAY_CALL,
  atlasCalls,
  ATLAS_WITHOUT_RATE_LIMIT,
  ONE_CLIENT_PLAYS_MANY_CALLERS,
  sleep,
  type GraphQLResponse,
  type Stack,
  stackPerTest,
  WITHOUT_RECORD_CACHE,
} from '../helpers.js';
import { CALLER_KEYS, OPS } from './snapshot-mutation-kit.js';

// The record cache of one process (no REDIS_URL: the in-memory adapter, the default; docs/fleet.md
// "Record cache"): what is kept and for how long, coalescing, invalidation by the service's own
// writes, and what responses say about it. The fleet's shared cache: fleet-cache.test.ts.

const GET = 'getClusterBackupSnapshot';
const G = FLEET.fleetGroupId;
const CLUSTER = FLEET.fleetClusterNames[2]!;
const ENV = {
  ...ANYONE_MAY_CALL,
  ...ONE_CLIENT_PLAYS_MANY_CALLERS,
  ...ATLAS_WITHOUT_RATE_LIMIT,
  ...CALLER_KEYS,
  // The in-process cache is opt-in (CACHE_IN_PROCESS): these tests are about it.
  CACHE_IN_PROCESS: 'true',
};
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

type Answer = GraphQLResponse<{ s: { id: string; status: string; expiresAt: string | null } | null }> & {
  extensions?: { atlasCache?: { hits: number; misses: number; maxAgeSeconds: number } };
};

const stacks = stackPerTest();

/** A stack with the cache at its defaults (or `env`), the simulator's clock frozen; the cluster's topology read once. */
async function start(env: Record<string, string> = {}): Promise<Stack> {
  const stack = await stacks.start({ ...ENV, ...env }, 'api-key', { clock: { frozen: true } });
  await stack.query(`{ c: cluster(groupId: "${G}", name: "${CLUSTER}") { name } }`, {}, OPS);
  stack.simulator.reset();
  return stack;
}

/** The cluster's `n`th snapshot in the simulator, made `status` and expiring `expiresInMs` from now. */
function snapshotOf(
  stack: Stack,
  status: SimCloudSnapshot['status'],
  expiresInMs = 30 * 86_400_000,
  n = 0,
): SimCloudSnapshot {
  const snapshot = [...stack.simulator.projects.get(G)!.cloud!.clusters.get(CLUSTER)!.snapshots.values()][n]!;
  snapshot.status = status;
  snapshot.expiresAt = iso(Date.now() + expiresInMs);
  return snapshot;
}

const read = (stack: Stack, snapshotId: string, signal?: AbortSignal): Promise<Answer> =>
  signal
    ? fetch(stack.app.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...OPS },
        body: JSON.stringify({ query: queryOf(snapshotId) }),
        signal,
      }).then((r) => r.json() as Promise<Answer>)
    : stack.query(queryOf(snapshotId), {}, OPS);

const queryOf = (snapshotId: string) =>
  `{ s: clusterSnapshot(groupId: "${G}", clusterName: "${CLUSTER}", snapshotId: "${snapshotId}") { id status expiresAt } }`;

describe('the record cache of one process', () => {
  it('a completed snapshot: one Atlas call, then hits whose age the response reports', async () => {
    const stack = await start();
    const { id } = snapshotOf(stack, 'completed');
    const first = await read(stack, id);
    expect(first.data!.s!.status).toBe('COMPLETED');
    expect(first.extensions).toEqual({ atlasCache: { hits: 0, misses: 1, maxAgeSeconds: 0 } });
    await sleep(1_100);
    const second = await read(stack, id);
    expect(second.data).toEqual(first.data);
    expect(second.extensions).toEqual({ atlasCache: { hits: 1, misses: 0, maxAgeSeconds: 1 } });
    expect(atlasCalls(stack, GET)).toBe(1);
    // The metrics count the outcomes.
    const metrics = await (await fetch(stack.app.graphqlUrl.replace('/graphql', '/metrics'), { headers: OPS })).text();
    expect(metrics).toContain(`atlas_cache_reads_total{operation="${GET}",outcome="miss"} 1`);
    expect(metrics).toContain(`atlas_cache_reads_total{operation="${GET}",outcome="hit"} 1`);
  });

  it('100 concurrent requests for one snapshot make one Atlas call; one of them leaving fails none of the others', async () => {
    const stack = await start();
    const { id } = snapshotOf(stack, 'completed');
    stack.simulator.faults.latencyMs = 300;
    const leaving = new AbortController();
    const gone = read(stack, id, leaving.signal).catch((error: Error) => error.name);
    const answers = Promise.all(Array.from({ length: 99 }, () => read(stack, id)));
    await sleep(100);
    leaving.abort();
    expect(await gone).toBe('AbortError');
    for (const answer of await answers) {
      expect(answer.data!.s!.id).toBe(id);
      expect(answer.extensions!.atlasCache!.hits + answer.extensions!.atlasCache!.misses).toBe(1);
    }
    expect(atlasCalls(stack, GET)).toBe(1);
  });

  it('an in-progress snapshot is kept CACHE_TTL_ACTIVE_S: its completion is seen within it', async () => {
    const stack = await start({ CACHE_TTL_ACTIVE_S: '1' });
    const snapshot = snapshotOf(stack, 'inProgress');
    expect((await read(stack, snapshot.id)).data!.s!.status).toBe('IN_PROGRESS');
    const cachedAt = performance.now();
    snapshot.status = 'completed';
    expect((await read(stack, snapshot.id)).data!.s!.status).toBe('IN_PROGRESS');
    await sleep(1_000 - (performance.now() - cachedAt) + 20);
    expect((await read(stack, snapshot.id)).data!.s!.status).toBe('COMPLETED');
    expect(atlasCalls(stack, GET)).toBe(2);
  });

  it('a completed snapshot is never kept past its expiresAt', async () => {
    const stack = await start();
    const { id } = snapshotOf(stack, 'completed', 1_000);
    await read(stack, id);
    await read(stack, id);
    expect(atlasCalls(stack, GET)).toBe(1);
    await sleep(1_100);
    await read(stack, id);
    await read(stack, id);
    // Past its expiry: read from Atlas each time, kept no more.
    expect(atlasCalls(stack, GET)).toBe(3);
  });

  it('NOT_FOUND is not kept by default; CACHE_TTL_NOT_FOUND_S keeps it, the same error each time', async () => {
    const missing = 'ffffffffffffffffffffffff';
    const plain = await start();
    for (let i = 0; i < 2; i += 1) expect((await read(plain, missing)).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect(atlasCalls(plain, GET)).toBe(2);
    const keeping = await start({ CACHE_TTL_NOT_FOUND_S: '5' });
    const first = await read(keeping, missing);
    const second = await read(keeping, missing);
    expect(second.errors).toEqual(first.errors);
    expect(second.extensions!.atlasCache).toMatchObject({ hits: 1, misses: 0 });
    expect(atlasCalls(keeping, GET)).toBe(1);
  });

  it('a list page is kept CACHE_TTL_LIST_S, no longer than CACHE_TTL_ACTIVE_S while it shows something in progress', async () => {
    const stack = await start({ CACHE_TTL_ACTIVE_S: '1', CACHE_TTL_LIST_S: '60' });
    const list = `{ c: clusterSnapshots(groupId: "${G}", clusterName: "${CLUSTER}", first: 3) { edges { node { id status } } } }`;
    const statuses = async () =>
      (await stack.query<{ c: { edges: { node: { status: string } }[] } }>(list, {}, OPS)).data!.c.edges.map(
        (e) => e.node.status,
      );
    const snapshot = snapshotOf(stack, 'inProgress');
    expect(await statuses()).toContain('IN_PROGRESS');
    snapshot.status = 'completed';
    await sleep(1_100);
    expect(await statuses()).not.toContain('IN_PROGRESS');
    snapshot.status = 'failed';
    await sleep(1_100);
    // Nothing in progress any more: kept for CACHE_TTL_LIST_S.
    expect(await statuses()).not.toContain('FAILED');
    expect(atlasCalls(stack, 'listBackupSnapshots')).toBe(2);
  });

  it("the service's own write forgets what it changed: a retention change is seen at once, in the item and its list", async () => {
    const stack = await start();
    const { id } = snapshotOf(stack, 'completed');
    const list = `{ c: clusterSnapshots(groupId: "${G}", clusterName: "${CLUSTER}", first: 3) { edges { node { id expiresAt } } } }`;
    const listed = async () =>
      (
        await stack.query<{ c: { edges: { node: { id: string; expiresAt: string } }[] } }>(list, {}, OPS)
      ).data!.c.edges.find((e) => e.node.id === id)!.node.expiresAt;
    const before = (await read(stack, id)).data!.s!.expiresAt;
    expect(await listed()).toBe(before);
    const changed = await stack.query<{ m: { snapshot: { expiresAt: string } } }>(
      `mutation ($input: UpdateClusterSnapshotRetentionInput!) { m: updateClusterSnapshotRetention(input: $input) { snapshot { expiresAt } } }`,
      { input: { groupId: G, clusterName: CLUSTER, snapshotId: id, retentionUnit: 'MONTHS', retentionValue: 6 } },
      OPS,
    );
    const after = changed.data!.m.snapshot.expiresAt;
    expect(after).not.toBe(before);
    expect((await read(stack, id)).data!.s!.expiresAt).toBe(after);
    expect(await listed()).toBe(after);
  });

  it('a hit is no Atlas call: UPSTREAM_MAX_KEYS counts calls only', async () => {
    const stack = await start({ UPSTREAM_MAX_KEYS: '2' });
    const ids = [0, 1, 2].map((n) => snapshotOf(stack, 'completed', 86_400_000, n).id);
    for (const id of ids) expect((await read(stack, id)).errors).toBeUndefined();
    // Three snapshots in one request: past the budget of 2 calls, but all three are cached.
    const field = (id: string, k: number) =>
      `s${k}: clusterSnapshot(groupId: "${G}", clusterName: "${CLUSTER}", snapshotId: "${id}") { id }`;
    const all = await stack.query(`{ ${ids.map(field).join(' ')} }`, {}, OPS);
    expect(all.errors).toBeUndefined();
    expect(atlasCalls(stack, GET)).toBe(3);
  });

  it('all CACHE_TTL_* 0: no cache, no extension, every read an Atlas call', async () => {
    const stack = await start(WITHOUT_RECORD_CACHE);
    const { id } = snapshotOf(stack, 'completed');
    const answers = [await read(stack, id), await read(stack, id)];
    for (const answer of answers) expect(answer.extensions).toBeUndefined();
    expect(atlasCalls(stack, GET)).toBe(2);
  });
});
