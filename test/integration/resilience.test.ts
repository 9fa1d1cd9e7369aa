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

const key = { groupId: DEMO.groupId, clusterName: DEMO.clusterName, snapshotId: DEMO.snapshotId };
const QUERY = `{ ${snapshotField('s', key, 'id status')} }`;
const stacks = stackPerTest();
let stack: Stack;

const retryLogs = (s: Stack) => s.logs.filter((l) => l.msg === 'retrying Atlas call');

describe('retries', () => {
  it('waits for Retry-After: 1 on a 429, then succeeds', async () => {
    stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    stack.simulator.faults.inject({ kind: 'status', status: 429, headers: { 'Retry-After': '1' } });
    const { data, errors } = await stack.query(QUERY);
    expect(errors).toBeUndefined();
    expect(data!.s).toMatchObject({ id: DEMO.snapshotId });
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(2);
    const [first, second] = stack.simulator.stats.callTimes.slice(-2);
    expect(second! - first!).toBeGreaterThanOrEqual(990);
    expect(second! - first!).toBeLessThan(1_500);
    expect(retryLogs(stack).map((l) => [l.attempt, l.reason, l.delayMs])).toEqual([[2, 'HTTP 429', 1000]]);
  });

  it('gives up after 3 attempts with RATE_LIMITED and the last envelope', async () => {
    stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    stack.simulator.faults.inject({ kind: 'status', status: 429, headers: { 'Retry-After': '0' } }, { times: 5 });
    const { errors } = await stack.query(QUERY);
    expect(errors![0]!.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 0,
      atlas: { status: 429, errorCode: 'RATE_LIMITED' },
    });
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(3);
    expect(retryLogs(stack).map((l) => l.attempt)).toEqual([2, 3]);
  });

  it('rides out a 503 burst', async () => {
    stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    stack.simulator.faults.inject({ kind: 'status', status: 503 }, { times: 2 });
    const { errors } = await stack.query(QUERY);
    expect(errors).toBeUndefined();
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(3);
  });

  it('retries a connection reset before the response', async () => {
    stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    stack.simulator.faults.inject({ kind: 'reset' });
    expect((await stack.query(QUERY)).errors).toBeUndefined();
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(2);
  });

  it('does not retry 404 or 400', async () => {
    stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    stack.simulator.faults.inject({ kind: 'status', status: 400 });
    expect((await stack.query(QUERY)).errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const { errors } = await stack.query(
      `{ ${snapshotField('s', { ...key, snapshotId: 'ffffffffffffffffffffffff' })} }`,
    );
    expect(errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(2);
    expect(retryLogs(stack)).toHaveLength(0);
  });

  it('does not retry a reset in the middle of the body: UPSTREAM_ERROR', async () => {
    stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    stack.simulator.faults.inject({ kind: 'reset-mid-body' });
    const { errors } = await stack.query(QUERY);
    expect(errors![0]!.extensions).toEqual({ code: 'UPSTREAM_ERROR' });
    expect(errors![0]!.message).toContain('mid-response');
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(1);
  });

  it('retries a slow first byte within the total deadline', async () => {
    stack = await stacks.start({
      ...SERVERLESS_API_ONLY,
      ...ANYONE_MAY_CALL,
      ATLAS_HEADERS_TIMEOUT_MS: '200',
      ATLAS_TIMEOUT_MS: '3000',
    });
    stack.simulator.faults.inject({ kind: 'hang' });
    expect((await stack.query(QUERY)).errors).toBeUndefined();
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(2);
    expect(retryLogs(stack).map((l) => l.reason)).toEqual(['headers timeout']);
  });

  it('a hung upstream hits the deadline: UPSTREAM_TIMEOUT', async () => {
    stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL, ATLAS_TIMEOUT_MS: '600' });
    stack.simulator.faults.inject({ kind: 'hang' }, { times: 10 });
    const { errors } = await stack.query(QUERY);
    expect(errors![0]!.extensions).toEqual({ code: 'UPSTREAM_TIMEOUT' });
  });
});

describe('cancellation', () => {
  it('a client that goes away: the call in flight ends on its keep-alive connection, and nothing follows it', async () => {
    stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    await stack.query(QUERY); // digest nonce in hand
    stack.simulator.reset();
    stack.simulator.faults.latencyMs = 3_000;
    const controller = new AbortController();
    const pending = fetch(stack.app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await sleep(300);
    expect(stack.simulator.stats.inFlight).toBe(1);
    controller.abort();
    await pending;
    const deadline = Date.now() + 4_000;
    while (stack.simulator.stats.inFlight > 0 && Date.now() < deadline) await sleep(20);
    // Tearing the socket down would cost a new connection for the next caller; the answer is dropped instead.
    expect(stack.simulator.stats.clientAborts).toBe(0);
    expect(stack.simulator.stats.connections).toBe(0);
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(1);
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, fails fast without calling Atlas, then probes and closes', async () => {
    stack = await stacks.start({
      ...SERVERLESS_API_ONLY,
      ...ANYONE_MAY_CALL,
      ATLAS_MAX_ATTEMPTS: '1',
      ATLAS_BREAKER_FAILURES: '3',
      ATLAS_BREAKER_COOLDOWN_MS: '400',
    });
    stack.simulator.faults.inject({ kind: 'status', status: 500 }, { times: 3 });
    for (let i = 0; i < 3; i += 1)
      expect((await stack.query(QUERY)).errors![0]!.extensions!.code).toBe('UPSTREAM_ERROR');
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(3);

    const fast = await stack.query(QUERY);
    expect(fast.errors![0]!.extensions).toEqual({ code: 'UPSTREAM_ERROR', retryAfterSeconds: 1 });
    expect(fast.errors![0]!.message).toContain('circuit open');
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(3);
    expect(stack.logs.some((l) => l.msg === 'Atlas circuit opened: failing fast')).toBe(true);

    await sleep(450);
    expect((await stack.query(QUERY)).errors).toBeUndefined();
    expect((await stack.query(QUERY)).errors).toBeUndefined();
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(5);
    expect(stack.logs.some((l) => l.msg === 'Atlas circuit closed')).toBe(true);
  });

  it('4xx answers do not open it', async () => {
    stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL, ATLAS_BREAKER_FAILURES: '2' });
    for (let i = 0; i < 4; i += 1) {
      const { errors } = await stack.query(
        `{ ${snapshotField('s', { ...key, snapshotId: 'ffffffffffffffffffffffff' })} }`,
      );
      expect(errors![0]!.extensions!.code).toBe('NOT_FOUND');
    }
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(4);
  });
});

describe('retry budget', () => {
  it('stops retrying when retries outgrow the budget, so an outage is not multiplied', async () => {
    stack = await stacks.start({
      ...SERVERLESS_API_ONLY,
      ...ANYONE_MAY_CALL,
      ATLAS_BREAKER_FAILURES: '1000',
      ATLAS_RETRY_BASE_DELAY_MS: '1',
    });
    stack.simulator.faults.inject({ kind: 'status', status: 503 }, { times: 1_000 });
    // 60 failing calls: without a budget they would cost 180 attempts; the floor allows 100 retries.
    for (let i = 0; i < 6; i += 1) {
      const fields = Array.from({ length: 10 }, (_, j) =>
        snapshotField(`s${j}`, { ...key, snapshotId: (i * 10 + j).toString(16).padStart(24, 'a') }, 'id'),
      );
      await stack.query(`{ ${fields.join(' ')} }`);
    }
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(160);
    expect(stack.logs.some((l) => l.msg === 'Atlas retry budget spent: not retrying')).toBe(true);
  });
});
