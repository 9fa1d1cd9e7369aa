import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { type GraphQLResponse, type LogLine, sleep, type Stack, startReplica, startStack } from '../helpers.js';
import { redisSkipReason, startRedis, type TestRedis } from '../redis.js';

// Idempotency keys shared by two replicas through a real Redis (issue #15, docs/fleet.md): a mutation
// retried on the other replica replays the first result (one POST), concurrent duplicates on both
// make one POST, another input is refused on either, an unknown outcome is the same typed error on
// both; keys carry REDIS_KEY_PREFIX and IDEMPOTENCY_TTL_S; with Redis killed every replica goes on alone.

const PREFIX = 'fleet-idem-test:';
const OPS = { 'x-api-key': 'ops-key' };
const ENV = {
  AUTH_API_KEYS: 'ops@ops-key backups:snapshot backups:restore backups:download',
  REDIS_KEY_PREFIX: PREFIX,
  REDIS_TIMEOUT_MS: '200',
};
const group = CLOUD.fleetGroupId;
const cluster = (n: number) => CLOUD.fleetClusterNames[n - 1]!;

const JOB = `id groupId clusterName state deliveryType cancelled failed expired finishedAt expiresAt timestamp
  deliveryUrl privateDownloadDeliveryUrls { deliveryUrl endpointId } components { replicaSetName downloadUrl }
  desiredTimestamp { date increment } oplogTs oplogInc pointInTimeUTCSeconds pointInTime snapshotId
  targetGroupId targetClusterName`;
const CREATE = `mutation ($input: CreateClusterRestoreJobInput!) { m: createClusterRestoreJob(input: $input) {
  dryRun replayed clientMutationId atlasRequest { method path mediaType body } restoreJob { ${JOB} } } }`;
const TAKE = `mutation ($input: TakeClusterSnapshotInput!) { m: takeClusterSnapshot(input: $input) {
  dryRun replayed clientMutationId atlasRequest { method path mediaType body }
  snapshot { id status snapshotType description createdAt expiresAt } } }`;

type Payload = Record<string, unknown> & { replayed: boolean; snapshot?: { id: string }; restoreJob?: { id: string } };
type Answer = GraphQLResponse<{ m: Payload | null }>;

const mutate = (replica: Stack, document: string, input: Record<string, unknown>): Promise<Answer> =>
  replica.query(document, { input }, OPS);

describe.skipIf(redisSkipReason !== undefined)('idempotency keys shared by two replicas', () => {
  let redis: TestRedis;
  let a: Stack;
  let b: Stack;
  /** Redis as an operator sees it: no prefix. */
  let raw: Redis;
  let snapshotId: string;
  beforeAll(async () => {
    redis = await startRedis();
    const env = { ...ENV, REDIS_URL: redis.url };
    a = await startStack(env, 'api-key', { clock: { frozen: true } });
    b = await startReplica(a.simulator, env);
    await bothShare(a, b);
    raw = new Redis(redis.url, { maxRetriesPerRequest: 0, lazyConnect: true });
    raw.on('error', () => undefined);
    const source = a.simulator.projects.get(group)!.cloud!.clusters.get(cluster(1))!;
    snapshotId = [...source.snapshots.values()].find((s) => s.status === 'completed')!.id;
  });
  afterAll(async () => {
    raw.disconnect();
    await b.close();
    await a.close();
    await redis.stop();
  });
  beforeEach(() => a.simulator.reset());
  // Every job runs to its end: the next test finds its targets idle.
  afterEach(() => void a.simulator.clock.fastForward());

  const posts = () => a.simulator.stats.writes.filter((w) => w.method === 'POST').length;
  const audit = (replica: Stack, key: string): LogLine[] =>
    replica.logs.filter((l) => l.audit === true && l.idempotencyKey === key);
  const restore = (targetCluster: string, idempotencyKey: string) => ({
    groupId: group,
    clusterName: cluster(1),
    deliveryType: 'AUTOMATED',
    snapshotId,
    targetGroupId: group,
    targetClusterName: targetCluster,
    confirmTargetClusterName: targetCluster,
    idempotencyKey,
  });

  it('retried on the other replica: the first result replayed (the same job, every field), one POST', async () => {
    const input = restore(cluster(2), randomUUID());
    const first = await mutate(a, CREATE, { ...input, clientMutationId: 'on-a' });
    expect(first.errors).toBeUndefined();
    expect(first.data!.m).toMatchObject({ replayed: false, clientMutationId: 'on-a' });
    const again = await mutate(b, CREATE, { ...input, clientMutationId: 'on-b' });
    expect(again.errors).toBeUndefined();
    // The stored payload came through Redis as JSON and reads the same, field for field.
    expect(again.data!.m).toEqual({ ...first.data!.m, replayed: true, clientMutationId: 'on-b' });
    expect(posts()).toBe(1);
    expect(audit(b, input.idempotencyKey)).toMatchObject([
      { result: 'replayed', resultId: first.data!.m!.restoreJob!.id },
    ]);
  });

  it('five at once on each replica: one POST, one snapshot, nine replays', async () => {
    const input = { groupId: group, clusterName: cluster(3), idempotencyKey: randomUUID() };
    const replicas = [a, b, a, b, a, b, a, b, a, b];
    const answers = await Promise.all(replicas.map((replica) => mutate(replica, TAKE, input)));
    expect(answers.map((r) => r.errors)).toEqual(Array(10).fill(undefined));
    expect(posts()).toBe(1);
    expect(new Set(answers.map((r) => r.data!.m!.snapshot!.id)).size).toBe(1);
    expect(answers.filter((r) => r.data!.m!.replayed)).toHaveLength(9);
    // The replica that did not send replays all five; the one that did, the four others.
    const replaysOn = (replica: Stack) => answers.filter((r, i) => replicas[i] === replica && r.data!.m!.replayed);
    expect([replaysOn(a).length, replaysOn(b).length].sort()).toEqual([4, 5]);
  });

  it('the same key with another input on the other replica: BAD_USER_INPUT on input.idempotencyKey, 0 calls', async () => {
    const input = { groupId: group, clusterName: cluster(4), idempotencyKey: randomUUID() };
    expect((await mutate(a, TAKE, input)).errors).toBeUndefined();
    a.simulator.reset();
    const other = await mutate(b, TAKE, { ...input, retentionInDays: 7 });
    expect(other.data!.m).toBeNull();
    expect(other.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'input.idempotencyKey' });
    expect(a.simulator.stats.requests).toBe(0);
  });

  it('an unknown outcome on one replica is the same UPSTREAM_OUTCOME_UNKNOWN on the other, never a second POST', async () => {
    a.simulator.faults.inject({ kind: 'drop-after-body', apply: true }, { operation: 'takeSnapshots' });
    const input = { groupId: group, clusterName: cluster(5), idempotencyKey: randomUUID() };
    const first = await mutate(a, TAKE, input);
    expect(first.data!.m).toBeNull();
    expect(first.errors![0]!.extensions).toEqual({ code: 'UPSTREAM_OUTCOME_UNKNOWN', operation: 'takeSnapshots' });
    expect(first.errors![0]!.message).toContain('(`clusterSnapshots`) and look for a new on-demand one');
    const again = await mutate(b, TAKE, input);
    expect(again.errors).toEqual(first.errors);
    expect(posts()).toBe(1);
    expect(audit(b, input.idempotencyKey)).toMatchObject([
      { result: 'replayed', code: 'UPSTREAM_OUTCOME_UNKNOWN', atlasStatus: null },
    ]);
  });

  it('keys live under REDIS_KEY_PREFIX, hashed, for IDEMPOTENCY_TTL_S; the value is the outcome as JSON', async () => {
    const idempotencyKey = `visible-${randomUUID()}`;
    const taken = await mutate(a, TAKE, { groupId: group, clusterName: cluster(6), idempotencyKey });
    await raw.connect();
    const all = await raw.keys('*');
    for (const key of all) expect(key.startsWith(PREFIX)).toBe(true);
    const keys = all.filter((key) => key.startsWith(`${PREFIX}idempotency:`));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).toMatch(new RegExp(`^${PREFIX}idempotency:[A-Za-z0-9_-]{43}$`));
    const values = await Promise.all(keys.map((key) => raw.get(key)));
    expect(values.join('\n')).not.toContain(idempotencyKey);
    const mine = keys[values.findIndex((v) => v!.includes(taken.data!.m!.snapshot!.id))]!;
    expect(JSON.parse((await raw.get(mine))!)).toMatchObject({
      state: 'done',
      outcome: { ok: true, value: { replayed: false, result: { id: taken.data!.m!.snapshot!.id } } },
    });
    const ttl = await raw.pttl(mine);
    expect(ttl).toBeGreaterThan(86_400_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(86_400_000);
    raw.disconnect();
  });

  it('with Redis killed every replica goes on alone (no request fails); back, they share again', async () => {
    await redis.kill();
    const key = randomUUID();
    const onA = await mutate(a, TAKE, { groupId: group, clusterName: cluster(7), idempotencyKey: key });
    const againOnA = await mutate(a, TAKE, { groupId: group, clusterName: cluster(7), idempotencyKey: key });
    const onB = await mutate(b, TAKE, { groupId: group, clusterName: cluster(8), idempotencyKey: randomUUID() });
    for (const answer of [onA, againOnA, onB]) expect(answer.errors).toBeUndefined();
    // Each replica remembers its own keys in memory meanwhile.
    expect(againOnA.data!.m).toEqual({ ...onA.data!.m, replayed: true });
    expect(posts()).toBe(2);
    await redis.start();
    await bothShare(a, b);
    a.simulator.reset();
    const input = { groupId: group, clusterName: cluster(9), idempotencyKey: randomUUID() };
    expect((await mutate(a, TAKE, input)).errors).toBeUndefined();
    expect((await mutate(b, TAKE, input)).data!.m!.replayed).toBe(true);
    expect(posts()).toBe(1);
    for (const replica of [a, b])
      expect(replica.logs.filter((l) => String(l.msg).startsWith('Redis is down'))).toHaveLength(1);
  });
});

describe.skipIf(redisSkipReason !== undefined)('IDEMPOTENCY_TTL_S across replicas', () => {
  let redis: TestRedis;
  let a: Stack;
  let b: Stack;
  beforeAll(async () => {
    redis = await startRedis();
    const env = { ...ENV, REDIS_URL: redis.url, IDEMPOTENCY_TTL_S: '1' };
    a = await startStack(env, 'api-key', { clock: { frozen: true } });
    b = await startReplica(a.simulator, env);
    await bothShare(a, b);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    await redis.stop();
  });

  it('a key is forgotten on every replica once its TTL has passed: the same key then sends anew', async () => {
    const input = { groupId: group, clusterName: cluster(10), idempotencyKey: randomUUID() };
    expect((await mutate(a, TAKE, input)).errors).toBeUndefined();
    expect((await mutate(b, TAKE, { ...input, retentionInDays: 3 })).errors![0]!.extensions).toMatchObject({
      argument: 'input.idempotencyKey',
    });
    await sleep(1_100);
    a.simulator.clock.fastForward();
    const later = await mutate(b, TAKE, { ...input, retentionInDays: 3 });
    expect(later.errors).toBeUndefined();
    expect(later.data!.m!.replayed).toBe(false);
    expect(a.simulator.stats.writes.filter((w) => w.method === 'POST')).toHaveLength(2);
  });
});

/** What a replica's readiness says of Redis. */
async function readiness(replica: Stack): Promise<unknown> {
  const response = await fetch(replica.app.graphqlUrl.replace('/graphql', '/readiness'));
  return ((await response.json()) as { redis?: unknown }).redis;
}

/** Waits until both replicas are connected to Redis (until then, each decides alone). */
const bothShare = (a: Stack, b: Stack) =>
  Promise.all([a, b].map((replica) => until(async () => (await readiness(replica)) === 'up')));

/** Waits (at most 5 s) until `check` holds. */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error('condition not met in 5 s');
}
