import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import {
  ANYONE_MAY_CALL,
  atlasCalls,
  SERVERLESS_API_ONLY,
  sleep,
  snapshotField,
  type Stack,
  stackPerTest,
} from '../helpers.js';

// After a 429 with Retry-After, the endpoint family (per project) is paused for every call, not only
// for the one that was told: calls arriving meanwhile fail fast (or, for a short pause, wait it out).
const stacks = stackPerTest();

const main = { groupId: DEMO.groupId, clusterName: DEMO.clusterName, snapshotId: DEMO.snapshotId };
const hex = (n: number) => n.toString(16).padStart(24, 'c');
const one = (stack: Stack, snapshotId: string, groupId = DEMO.groupId) =>
  stack.query(`{ ${snapshotField('s', { ...main, groupId, snapshotId }, 'id')} }`);

describe('a 429 pauses its endpoint family for everyone', () => {
  it('a too-long Retry-After: the next 20 requests fail fast with RATE_LIMITED, no call made; another project is not held', async () => {
    const stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    stack.simulator.faults.inject({ kind: 'status', status: 429, headers: { 'Retry-After': '999999999' } });
    const told = await one(stack, main.snapshotId);
    expect(told.errors![0]!.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 999_999_999,
      atlas: { status: 429 },
    });
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(1);

    const held = await Promise.all(Array.from({ length: 20 }, (_, i) => one(stack, hex(i))));
    for (const { errors } of held) {
      expect(errors).toHaveLength(1);
      // Capped by ATLAS_RATE_LIMIT_HOLD_MAX_MS (60 s by default), counted down.
      expect(errors![0]!.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) as number });
      expect(errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThanOrEqual(55);
      expect(errors![0]!.extensions!.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect(errors![0]!.message).toMatch(/held for \d+ s/);
    }
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(1);
    expect(stack.logs.some((l) => l.msg === 'Atlas rate limit: holding calls to this endpoint family')).toBe(true);

    const analytics = stack.simulator.projects.get(DEMO.analyticsGroupId)!.serverless.get('analytics-serverless')!
      .snapshots[0]!;
    const other = await stack.query(
      `{ ${snapshotField('s', { groupId: DEMO.analyticsGroupId, clusterName: 'analytics-serverless', snapshotId: analytics.id }, 'id')} }`,
    );
    expect(other.errors).toBeUndefined();
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(2);
  });

  it('an HTTP-date Retry-After holds until that date', async () => {
    const stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    stack.simulator.faults.inject({
      kind: 'status',
      status: 429,
      headers: { 'Retry-After': new Date(Date.now() + 30_000).toUTCString() },
    });
    expect((await one(stack, main.snapshotId)).errors![0]!.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      atlas: { status: 429 },
    });
    const held = await one(stack, hex(1));
    expect(held.errors![0]!.extensions!.code).toBe('RATE_LIMITED');
    expect(held.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThanOrEqual(27);
    expect(held.errors![0]!.extensions!.retryAfterSeconds).toBeLessThanOrEqual(30);
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(1);
  });

  it('the pause lasts at most ATLAS_RATE_LIMIT_HOLD_MAX_MS, then calls go again', async () => {
    const stack = await stacks.start({
      ...SERVERLESS_API_ONLY,
      ...ANYONE_MAY_CALL,
      ATLAS_RATE_LIMIT_HOLD_MAX_MS: '1500',
      ATLAS_RETRY_AFTER_MAX_MS: '200',
    });
    stack.simulator.faults.inject({ kind: 'status', status: 429, headers: { 'Retry-After': '999999999' } });
    await one(stack, main.snapshotId);
    expect((await one(stack, hex(1))).errors![0]!.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 2 });
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(1);
    await sleep(1_600);
    expect((await one(stack, main.snapshotId)).errors).toBeUndefined();
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(2);
  });

  it('a short Retry-After: the told call retries after it, and calls arriving meanwhile wait for it instead of calling', async () => {
    const stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    stack.simulator.faults.inject({ kind: 'status', status: 429, headers: { 'Retry-After': '1' } });
    const told = one(stack, main.snapshotId);
    while (atlasCalls(stack, 'getServerlessBackupSnapshot') === 0) await sleep(5);
    await sleep(100);
    const others = await Promise.all([one(stack, DEMO.maxSafeSizeSnapshotId), one(stack, hex(2))]);
    expect((await told).errors).toBeUndefined();
    expect(others[0].errors).toBeUndefined();
    expect(others[1].errors![0]!.extensions!.code).toBe('NOT_FOUND');
    const [first, ...rest] = stack.simulator.stats.callTimes;
    expect(rest).toHaveLength(3);
    for (const at of rest) expect(at - first!).toBeGreaterThanOrEqual(950);
  });
});
