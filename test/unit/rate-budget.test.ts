import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { forwardedBearerAuth, noAuth } from '../../src/atlas/auth.js';
import { startCall } from '../../src/atlas/call.js';
import { AtlasRateBudgetError } from '../../src/atlas/errors.js';
import { defineOperation } from '../../src/atlas/operation.js';
import { MemoryRateBudget, TokenBucketMath } from '../../src/atlas/rate-budget.js';
import { RateBudgetGate, type RateBudgetEvent } from '../../src/atlas/rate-budget-gate.js';
import { toGraphQLError, TypedGraphQLError } from '../../src/graphql/errors.js';

/** A budget on a clock the test moves. */
function budgetAt(perMinute: number) {
  const clock = { now: 5_000 };
  return { clock, budget: new MemoryRateBudget(perMinute, () => clock.now) };
}

/** Reserves `n` calls at once under `key`; how many were granted without a wait. */
async function burst(budget: MemoryRateBudget, key: string, n: number): Promise<number> {
  let now = 0;
  for (let i = 0; i < n; i += 1) {
    const reservation = await budget.reserve(key, 0);
    if (reservation.granted) now += 1;
  }
  return now;
}

describe('MemoryRateBudget (a token bucket per key)', () => {
  it('gives its size at once, then one call per 60 000 / size ms', async () => {
    const { clock, budget } = budgetAt(60);
    expect(await burst(budget, 'k', 100)).toBe(60);
    expect(await budget.reserve('k', 0)).toEqual({ granted: false, retryAfterMs: 1_000 });
    clock.now += 999;
    expect((await budget.reserve('k', 0)).granted).toBe(false);
    clock.now += 1;
    expect(await budget.reserve('k', 0)).toEqual({ granted: true, waitMs: 0 });
    // A minute refills it whole, never past its size.
    clock.now += 600_000;
    expect(await burst(budget, 'k', 100)).toBe(60);
  });

  it('reserves a token still to come for a caller that may wait that long; the next one waits longer', async () => {
    const { budget } = budgetAt(60);
    await burst(budget, 'k', 60);
    expect(await budget.reserve('k', 1_500)).toEqual({ granted: true, waitMs: 1_000 });
    expect(await budget.reserve('k', 1_500)).toEqual({ granted: false, retryAfterMs: 2_000 });
    expect(await budget.reserve('k', 2_000)).toEqual({ granted: true, waitMs: 2_000 });
  });

  it('keeps keys apart', async () => {
    const { budget } = budgetAt(10);
    expect(await burst(budget, 'clusters/backup:a', 20)).toBe(10);
    expect(await burst(budget, 'clusters/backup:b', 20)).toBe(10);
    expect(await burst(budget, 'flexClusters/backup:a', 20)).toBe(10);
  });

  it('lower() lowers a bucket to what Atlas says is left, never raises it', async () => {
    const { budget } = budgetAt(100);
    budget.lower('k', 3.5);
    expect(await burst(budget, 'k', 10)).toBe(3);
    budget.lower('k', 80);
    expect(await burst(budget, 'k', 10)).toBe(0);
    expect([...budget.levels()].map(([key]) => key)).toEqual(['k']);
  });

  it('keeps working past many keys whose buckets have filled again', async () => {
    const { clock, budget } = budgetAt(10);
    for (let i = 0; i < 12_000; i += 1) await budget.reserve(`k${i}`, 0);
    clock.now += 60_000;
    expect(await budget.reserve('late', 0)).toEqual({ granted: true, waitMs: 0 });
    expect(budget.has('late')).toBe(true);
    expect(budget.has('k0')).toBe(false);
  });

  it('a size below one still paces calls (a local share of a small fleet budget)', () => {
    const math = new TokenBucketMath(1 / 3);
    const first = math.reserve(math.refill(undefined, 0), 0);
    expect(first.granted).toBe(false);
    expect(first.granted ? 0 : first.retryAfterMs).toBeCloseTo(120_000, -1);
    expect(() => new TokenBucketMath(0)).toThrow(/positive size/);
  });
});

const operation = defineOperation(
  'getClusterBackupSnapshot',
  'application/vnd.atlas.2023-01-01+json',
  '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}',
  z.unknown(),
);
const path = (group: string) => `/api/atlas/v2/groups/${group}/clusters/c0/backup/snapshots/s1`;

/** A gate over a fresh memory budget of `perMinute` (on `now`), recording its events. */
function gateOf(perMinute: number, waitMs: number, now?: () => number) {
  const budget = new MemoryRateBudget(perMinute, now);
  const events: RateBudgetEvent[] = [];
  const gate = new RateBudgetGate({ budget, perMinute, waitMs, onEvent: (event) => events.push(event) });
  return { budget, gate, events };
}

/** Runs `fn` with a call of `operation` on `path` (with `auth`, and a total deadline of `timeoutMs`). */
async function withCall<T>(
  group: string,
  fn: (call: ReturnType<typeof startCall>['call']) => Promise<T>,
  options: { timeoutMs?: number; auth?: ReturnType<typeof forwardedBearerAuth> } = {},
): Promise<T> {
  const { call, end } = startCall(operation, path(group), options.auth ? { auth: options.auth } : {}, {
    auth: noAuth,
    timeoutMs: options.timeoutMs ?? 10_000,
  });
  try {
    return await fn(call);
  } finally {
    end();
  }
}

describe('RateBudgetGate', () => {
  it('lets calls go at once while the bucket holds, then waits for a turn within ATLAS_RATE_WAIT_MS, then refuses', async () => {
    // 120 a minute: a token every 500 ms.
    const { gate, events } = gateOf(120, 700);
    for (let i = 0; i < 120; i += 1) await withCall('g1', (call) => gate.admit(call));
    expect(events).toEqual([]);
    // The next token (in 500 ms) is the first caller's; the one after (1 s) is past the wait.
    const started = performance.now();
    const [first, second] = await Promise.allSettled([
      withCall('g1', (call) => gate.admit(call)),
      withCall('g1', (call) => gate.admit(call)),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
    const refusal = second.status === 'rejected' ? (second.reason as unknown) : undefined;
    expect(refusal).toBeInstanceOf(AtlasRateBudgetError);
    expect(refusal).toMatchObject({ operation: 'getClusterBackupSnapshot', retryAfterSeconds: 1 });
    expect(events).toEqual([
      { operation: 'getClusterBackupSnapshot', outcome: 'waited', waitMs: expect.any(Number) as number },
      { operation: 'getClusterBackupSnapshot', outcome: 'refused', waitMs: expect.any(Number) as number },
    ]);
    // Another project is not held.
    await withCall('g2', (call) => gate.admit(call));
  });

  it('a refusal is remembered: callers before the next turn are refused without asking the budget (Redis)', async () => {
    const budget = new MemoryRateBudget(60);
    let asked = 0;
    const counting = { reserve: (key: string, ms: number) => ((asked += 1), budget.reserve(key, ms)), lower: () => {} };
    const gate = new RateBudgetGate({ budget: counting, perMinute: 60, waitMs: 0, onEvent: undefined });
    for (let i = 0; i < 60; i += 1) await withCall('g1', (call) => gate.admit(call));
    for (let i = 0; i < 10; i += 1)
      await expect(withCall('g1', (call) => gate.admit(call))).rejects.toBeInstanceOf(AtlasRateBudgetError);
    expect(asked).toBe(61);
    await withCall('g2', (call) => gate.admit(call));
    expect(asked).toBe(62);
  });

  it('never waits past the call deadline: a turn beyond it is refused at once', async () => {
    const { gate } = gateOf(60, 5_000);
    for (let i = 0; i < 60; i += 1) await withCall('g1', (call) => gate.admit(call));
    const started = performance.now();
    const refusal = await withCall('g1', (call) => gate.admit(call), { timeoutMs: 500 }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(AtlasRateBudgetError);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('RateLimit-Remaining lowers the bucket, scaled to its size when Atlas’s limit is larger', async () => {
    const { gate, budget } = gateOf(1_000, 0, () => 0);
    await withCall('g1', (call) => {
      gate.observe(call, '600', '1200');
      expect([...budget.levels()]).toEqual([[call.budgetKey, 500]]);
      gate.observe(call, '10', '5');
      expect([...budget.levels()]).toEqual([[call.budgetKey, 10]]);
      gate.observe(call, 'soon', '1200');
      gate.observe(call, undefined, undefined);
      expect([...budget.levels()]).toEqual([[call.budgetKey, 10]]);
      return Promise.resolve();
    });
  });

  it('in forward mode each caller token has its own budget (keyed by a digest, never the token)', async () => {
    const { gate } = gateOf(2, 0);
    const alice = forwardedBearerAuth('Bearer alice-token');
    const bob = forwardedBearerAuth('Bearer bob-token');
    const keys: string[] = [];
    for (const auth of [alice, alice, bob, bob])
      await withCall(
        'g1',
        async (call) => {
          keys.push(call.budgetKey);
          await gate.admit(call);
        },
        { auth },
      );
    expect(new Set(keys).size).toBe(2);
    expect(keys.join()).not.toMatch(/alice|bob/);
    expect(keys[0]).toMatch(/^clusters\/backup:g1@[\w-]{22}$/);
    await expect(withCall('g1', (call) => gate.admit(call), { auth: alice })).rejects.toBeInstanceOf(
      AtlasRateBudgetError,
    );
  });

  it('is RATE_LIMITED with retryAfterSeconds through the one translator', () => {
    const error = toGraphQLError(new AtlasRateBudgetError('getClusterBackupSnapshot', 2));
    expect(error).toBeInstanceOf(TypedGraphQLError);
    expect((error as TypedGraphQLError).extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 2 });
    expect((error as TypedGraphQLError).message).toMatch(/no call made/);
  });
});
