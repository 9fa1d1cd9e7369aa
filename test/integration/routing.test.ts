import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import { ANYONE_MAY_CALL, atlasCalls, snapshotField, type Stack, stackPerTest, startStack } from '../helpers.js';

// serverlessSnapshot after the sunset: ATLAS_SNAPSHOT_API=auto asks Flex first and falls back.
const FIELDS =
  'id source status createdAt expiresAt startTime finishTime mongodVersion storageSizeBytes frequencyType snapshotType serverlessInstanceName';
const at = (clusterName: string, snapshotId: string) => ({ groupId: DEMO.groupId, clusterName, snapshotId });

const migratedSnapshotId = (s: Stack) =>
  s.simulator.projects.get(DEMO.groupId)!.flex.get(DEMO.migratedCluster)!.snapshots[0]!.id;

describe('ATLAS_SNAPSHOT_API=auto', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ ...ANYONE_MAY_CALL, ATLAS_SNAPSHOT_API: 'auto' });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.simulator.reset());

  it('a native Flex cluster: one Flex call, Flex fields mapped, serverless-only fields null', async () => {
    const { data, errors } = await stack.query(
      `{ ${snapshotField('s', at(DEMO.flexCluster, DEMO.flexSnapshotId), FIELDS)} }`,
    );
    expect(errors).toBeUndefined();
    expect(data!.s).toEqual({
      id: DEMO.flexSnapshotId,
      source: 'FLEX',
      status: 'COMPLETED',
      createdAt: '2026-08-02T17:05:37.000Z',
      expiresAt: '2026-08-10T17:05:10.000Z',
      startTime: '2026-08-02T17:05:37.000Z',
      finishTime: '2026-08-02T17:06:56.000Z',
      mongodVersion: '8.0.29',
      storageSizeBytes: null,
      frequencyType: null,
      snapshotType: null,
      serverlessInstanceName: null,
    });
    expect([atlasCalls(stack, 'getFlexBackupSnapshot'), atlasCalls(stack, 'getServerlessBackupSnapshot')]).toEqual([
      1, 0,
    ]);
  });

  it('a Flex cluster migrated from serverless is answered by Flex', async () => {
    const { data } = await stack.query(
      `{ ${snapshotField('s', at(DEMO.migratedCluster, migratedSnapshotId(stack)), 'id source')} }`,
    );
    expect(data!.s).toEqual({ id: migratedSnapshotId(stack), source: 'FLEX' });
    expect([atlasCalls(stack, 'getFlexBackupSnapshot'), atlasCalls(stack, 'getServerlessBackupSnapshot')]).toEqual([
      1, 0,
    ]);
  });

  it('a serverless-only instance: Flex says CLUSTER_NOT_FOUND, the legacy API answers; the second lookup costs one call', async () => {
    const name = 'serverless-dev';
    const ids = stack.simulator.projects
      .get(DEMO.groupId)!
      .serverless.get(name)!
      .snapshots.map((s) => s.id);
    const first = await stack.query(`{ ${snapshotField('s', at(name, ids[0]!), 'id source status frequencyType')} }`);
    expect(first.data!.s).toMatchObject({ id: ids[0], source: 'SERVERLESS' });
    expect([atlasCalls(stack, 'getFlexBackupSnapshot'), atlasCalls(stack, 'getServerlessBackupSnapshot')]).toEqual([
      1, 1,
    ]);
    stack.simulator.reset();
    const second = await stack.query(`{ ${snapshotField('s', at(name, ids[1]!), 'id source')} }`);
    expect(second.data!.s).toEqual({ id: ids[1], source: 'SERVERLESS' });
    expect([atlasCalls(stack, 'getFlexBackupSnapshot'), atlasCalls(stack, 'getServerlessBackupSnapshot')]).toEqual([
      0, 1,
    ]);
  });

  it('the same snapshot five times in one request costs at most the two calls of one fallback', async () => {
    const key = at(
      'analytics-serverless',
      stack.simulator.projects.get(DEMO.analyticsGroupId)!.serverless.get('analytics-serverless')!.snapshots[0]!.id,
    );
    const k = { ...key, groupId: DEMO.analyticsGroupId };
    const fields = Array.from({ length: 5 }, (_, i) => snapshotField(`a${i}`, k, 'id source'));
    const { data, errors } = await stack.query(`{ ${fields.join(' ')} }`);
    expect(errors).toBeUndefined();
    expect(Object.values(data!).every((s) => (s as { source: string }).source === 'SERVERLESS')).toBe(true);
    expect(atlasCalls(stack, 'getFlexBackupSnapshot') + atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(2);
  });

  it('distinct snapshots of one unknown name share one discovery: one Flex probe, then the legacy API', async () => {
    const name = 'analytics-serverless';
    const project = stack.simulator.projects.get(DEMO.analyticsGroupId)!;
    // A fresh name the router has not seen: copy the instance under a new name.
    project.serverless.set('analytics-copy', { ...project.serverless.get(name)!, name: 'analytics-copy' });
    const ids = project.serverless
      .get(name)!
      .snapshots.slice(0, 6)
      .map((s) => s.id);
    const fields = ids.map((id, i) =>
      snapshotField(`s${i}`, { groupId: DEMO.analyticsGroupId, clusterName: 'analytics-copy', snapshotId: id }, 'id'),
    );
    const { errors } = await stack.query(`{ ${fields.join(' ')} }`);
    expect(errors).toBeUndefined();
    expect([atlasCalls(stack, 'getFlexBackupSnapshot'), atlasCalls(stack, 'getServerlessBackupSnapshot')]).toEqual([
      1, 6,
    ]);
  });

  it('a dedicated cluster: Flex says CANNOT_USE_NON_FLEX…, the legacy API refuses it too → NOT_FOUND naming clusterSnapshot', async () => {
    const { data, errors } = await stack.query(`{ ${snapshotField('s', at(DEMO.dedicatedCluster, DEMO.snapshotId))} }`);
    expect(data).toEqual({ s: null });
    expect(errors![0]!.extensions).toEqual({
      code: 'NOT_FOUND',
      atlas: {
        status: 400,
        errorCode: 'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API',
        reason: 'Bad Request',
        detail: `Cannot use non-flex cluster ${DEMO.dedicatedCluster} in the flex API.`,
      },
      hint: 'The name is a dedicated cluster: ask `clusterSnapshot(groupId, clusterName, snapshotId)`.',
    });
    expect([atlasCalls(stack, 'getFlexBackupSnapshot'), atlasCalls(stack, 'getServerlessBackupSnapshot')]).toEqual([
      1, 1,
    ]);
  });

  it('an unknown snapshot of a Flex cluster is NOT_FOUND from Flex alone', async () => {
    const { errors } = await stack.query(`{ ${snapshotField('s', at(DEMO.flexCluster, 'ffffffffffffffffffffffff'))} }`);
    expect(errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', atlas: { errorCode: 'SNAPSHOT_NOT_FOUND' } });
    expect([atlasCalls(stack, 'getFlexBackupSnapshot'), atlasCalls(stack, 'getServerlessBackupSnapshot')]).toEqual([
      1, 0,
    ]);
  });
});

describe('after the sunset (SIM_SERVERLESS_SUNSET)', () => {
  const stacks = stackPerTest();

  it('a serverless-only name: Flex says CLUSTER_NOT_FOUND, the legacy API answers 410 VERSION_GONE → NOT_FOUND, not an internal failure', async () => {
    const stack = await stacks.start({ ...ANYONE_MAY_CALL, ATLAS_SNAPSHOT_API: 'auto' }, 'api-key', {
      serverlessSunset: true,
    });
    const { data, errors } = await stack.query(`{ ${snapshotField('s', at(DEMO.clusterName, DEMO.snapshotId))} }`);
    expect(data).toEqual({ s: null });
    expect(errors![0]!.extensions).toMatchObject({
      code: 'NOT_FOUND',
      atlas: { status: 404, errorCode: 'CLUSTER_NOT_FOUND' },
    });
    expect(errors![0]!.message).toContain('retired serverless API');
    expect([atlasCalls(stack, 'getFlexBackupSnapshot'), atlasCalls(stack, 'getServerlessBackupSnapshot')]).toEqual([
      1, 1,
    ]);
  });

  it('a migrated cluster still answers through Flex', async () => {
    const stack = await stacks.start({ ...ANYONE_MAY_CALL, ATLAS_SNAPSHOT_API: 'auto' }, 'api-key', {
      serverlessSunset: true,
    });
    const id = migratedSnapshotId(stack);
    const { data } = await stack.query(`{ ${snapshotField('s', at(DEMO.migratedCluster, id), 'id source')} }`);
    expect(data!.s).toEqual({ id, source: 'FLEX' });
  });

  it('a name remembered as serverless is looked up again (Flex first) once the legacy API is gone', async () => {
    const stack = await stacks.start({ ...ANYONE_MAY_CALL, ATLAS_SNAPSHOT_API: 'auto' });
    await stack.query(`{ ${snapshotField('s', at(DEMO.clusterName, DEMO.snapshotId))} }`);
    stack.simulator.serverlessSunset = true;
    stack.simulator.reset();
    const { errors } = await stack.query(`{ ${snapshotField('s', at(DEMO.clusterName, DEMO.snapshotId))} }`);
    expect(errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect([atlasCalls(stack, 'getFlexBackupSnapshot'), atlasCalls(stack, 'getServerlessBackupSnapshot')]).toEqual([
      1, 2,
    ]);
  });

  it('ATLAS_SNAPSHOT_API=serverless reports the retired version as UPSTREAM_ERROR VERSION_GONE', async () => {
    const stack = await stacks.start({ ...ANYONE_MAY_CALL, ATLAS_SNAPSHOT_API: 'serverless' }, 'api-key', {
      serverlessSunset: true,
    });
    const { errors } = await stack.query(`{ ${snapshotField('s', at(DEMO.clusterName, DEMO.snapshotId))} }`);
    expect(errors![0]!.extensions).toMatchObject({
      code: 'UPSTREAM_ERROR',
      atlas: { status: 410, errorCode: 'VERSION_GONE' },
    });
    expect(atlasCalls(stack, 'getFlexBackupSnapshot')).toBe(0);
  });

  it('ATLAS_SNAPSHOT_API=flex never calls the legacy API', async () => {
    const stack = await stacks.start({ ...ANYONE_MAY_CALL, ATLAS_SNAPSHOT_API: 'flex' });
    const { errors } = await stack.query(`{ ${snapshotField('s', at(DEMO.clusterName, DEMO.snapshotId))} }`);
    expect(errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', atlas: { errorCode: 'CLUSTER_NOT_FOUND' } });
    expect([atlasCalls(stack, 'getFlexBackupSnapshot'), atlasCalls(stack, 'getServerlessBackupSnapshot')]).toEqual([
      1, 0,
    ]);
  });
});
