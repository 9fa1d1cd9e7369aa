import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import {
  ANYONE_MAY_CALL,
  atlasCalls,
  SERVERLESS_API_ONLY,
  snapshotField,
  type Stack,
  startStack,
  WITHOUT_RECORD_CACHE,
} from '../helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    ...WITHOUT_RECORD_CACHE,
    ...SERVERLESS_API_ONLY,
    ...ANYONE_MAY_CALL,
    UPSTREAM_CONCURRENCY: '3',
  });
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());

/** Snapshots of the analytics project, whose instance has 30. */
function analyticsKeys(count: number) {
  const instance = stack.simulator.projects.get(DEMO.analyticsGroupId)!.serverless.get('analytics-serverless')!;
  return instance.snapshots
    .slice(0, count)
    .map((s) => ({ groupId: DEMO.analyticsGroupId, clusterName: 'analytics-serverless', snapshotId: s.id }));
}

describe('batching and dedupe within one request', () => {
  it('15 aliases over 5 distinct keys cost exactly 5 upstream calls', async () => {
    const keys = analyticsKeys(5);
    const fields = Array.from({ length: 15 }, (_, i) => snapshotField(`a${i}`, keys[i % 5]!, 'id status'));
    const { data, errors } = await stack.query(`{ ${fields.join('\n')} }`);
    expect(errors).toBeUndefined();
    for (let i = 0; i < 15; i += 1) expect((data![`a${i}`] as { id: string }).id).toBe(keys[i % 5]!.snapshotId);
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(5);
  });

  it('fragments, variables and literals naming the same snapshot share one call', async () => {
    const [k] = analyticsKeys(1);
    const { errors } = await stack.query(
      `query Q($g: ID!, $c: String!, $s: ID!) {
        x: serverlessSnapshot(groupId: $g, clusterName: $c, snapshotId: $s) { ...F }
        ${snapshotField('y', k!, 'id')}
        z: serverlessSnapshot(groupId: $g, clusterName: $c, snapshotId: $s) { status }
      }
      fragment F on ServerlessSnapshot { id createdAt }`,
      { g: k!.groupId, c: k!.clusterName, s: k!.snapshotId },
    );
    expect(errors).toBeUndefined();
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(1);
  });

  it('distinct keys run concurrently, never more than UPSTREAM_CONCURRENCY at once', async () => {
    stack.simulator.faults.latencyMs = 150;
    const keys = analyticsKeys(10);
    const { errors } = await stack.query(`{ ${keys.map((k, i) => snapshotField(`k${i}`, k, 'id')).join('\n')} }`);
    expect(errors).toBeUndefined();
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(10);
    expect(stack.simulator.stats.maxInFlight).toBe(3);
  });

  it('a failed key is reported on every field that asked for it, and only there', async () => {
    const [good] = analyticsKeys(1);
    const missing = { ...good!, snapshotId: 'eeeeeeeeeeeeeeeeeeeeeeee' };
    const { data, errors } = await stack.query(
      `{ ${snapshotField('a', missing)} ${snapshotField('b', good!)} ${snapshotField('c', missing)} }`,
    );
    expect(data!.a).toBeNull();
    expect(data!.c).toBeNull();
    expect(data!.b).toMatchObject({ id: good!.snapshotId });
    expect(errors!.map((e) => [e.path, e.extensions!.code]).sort()).toEqual([
      [['a'], 'NOT_FOUND'],
      [['c'], 'NOT_FOUND'],
    ]);
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(2);
  });
});

describe('isolation between requests', () => {
  it('two concurrent requests for the same key each pay their own upstream call', async () => {
    stack.simulator.faults.latencyMs = 100;
    const [k] = analyticsKeys(1);
    const results = await Promise.all([
      stack.query(`{ ${snapshotField('s', k!)} }`),
      stack.query(`{ ${snapshotField('s', k!)} }`),
    ]);
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(2);
  });

  it('nothing is cached across requests: a change upstream shows on the next request', async () => {
    const [k] = analyticsKeys(1);
    const instance = stack.simulator.projects.get(DEMO.analyticsGroupId)!.serverless.get('analytics-serverless')!;
    const first = await stack.query<{ s: { status: string } }>(`{ ${snapshotField('s', k!)} }`);
    const original = instance.snapshots[0]!.status;
    instance.snapshots[0]!.status = 'failed';
    try {
      const second = await stack.query<{ s: { status: string } }>(`{ ${snapshotField('s', k!)} }`);
      expect(first.data!.s.status).not.toBe('FAILED');
      expect(second.data!.s.status).toBe('FAILED');
      expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(2);
    } finally {
      instance.snapshots[0]!.status = original;
    }
  });
});
