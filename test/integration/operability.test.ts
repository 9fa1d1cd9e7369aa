import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import {
  ANYONE_MAY_CALL,
  SERVERLESS_API_ONLY,
  snapshotField,
  type Stack,
  stackPerTest,
  startStack,
} from '../helpers.js';

const key = { groupId: DEMO.groupId, clusterName: DEMO.clusterName, snapshotId: DEMO.snapshotId };

describe('request ids and the request log', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL, ATLAS_RETRY_BASE_DELAY_MS: '1' });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.simulator.reset());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(stack.app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('takes x-request-id from the caller, or makes one, and returns it', async () => {
    expect((await post({ query: '{ __typename }' }, { 'x-request-id': 'trace-42' })).headers.get('x-request-id')).toBe(
      'trace-42',
    );
    expect((await post({ query: '{ __typename }' })).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      (await post({ query: '{ __typename }' }, { 'x-request-id': 'bad id\twith\ttabs' })).headers.get('x-request-id'),
    ).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs one JSON line per request with its operation name and every upstream attempt', async () => {
    await stack.query(`{ ${snapshotField('warm', key)} }`); // the digest challenge round trip is logged too; get it out of the way
    stack.simulator.faults.inject({ kind: 'status', status: 503 });
    await post(
      { query: `query WatchBackups { ${snapshotField('s', key)} }`, operationName: 'WatchBackups' },
      { 'x-request-id': 'req-upstream' },
    );
    const line = stack.logs.find((l) => l.requestId === 'req-upstream');
    expect(line).toMatchObject({
      msg: 'graphql request',
      operationName: 'WatchBackups',
      status: 200,
      upstream: [
        { operation: 'getServerlessBackupSnapshot', status: 503, ms: expect.any(Number) as number },
        { operation: 'getServerlessBackupSnapshot', status: 200, ms: expect.any(Number) as number },
      ],
    });
    expect(line!.durationMs).toEqual(expect.any(Number));
  });

  it('serves Prometheus metrics: upstream requests, latency, retries, breaker, batch sizes, errors by code', async () => {
    stack.simulator.faults.inject({ kind: 'status', status: 503 });
    await stack.query(
      `{ ${snapshotField('a', key)} ${snapshotField('b', { ...key, snapshotId: 'ffffffffffffffffffffffff' })} }`,
    );
    const response = await fetch(new URL('/metrics', stack.app.graphqlUrl));
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/atlas_upstream_requests_total\{operation="getServerlessBackupSnapshot",status="200"\} [1-9]/);
    expect(text).toMatch(/atlas_upstream_requests_total\{operation="getServerlessBackupSnapshot",status="503"\} [1-9]/);
    expect(text).toMatch(
      /atlas_upstream_request_duration_seconds_bucket\{le="0\.1",operation="getServerlessBackupSnapshot"\} [1-9]/,
    );
    expect(text).toMatch(
      /atlas_upstream_retries_total\{operation="getServerlessBackupSnapshot",reason="HTTP 503"\} [1-9]/,
    );
    expect(text).toMatch(/atlas_upstream_breaker_state 0/);
    expect(text).toMatch(/graphql_loader_batch_size_sum\{loader="serverlessSnapshot"\} [1-9]/);
    expect(text).toMatch(/graphql_errors_total\{code="NOT_FOUND"\} [1-9]/);
  });
});

describe('health and readiness', () => {
  const stacks = stackPerTest();
  it('/health is liveness; /readiness stays 200 while the Atlas circuit is open and reports it (503 only with ?atlas=1)', async () => {
    const stack = await stacks.start({
      ...SERVERLESS_API_ONLY,
      ...ANYONE_MAY_CALL,
      ATLAS_MAX_ATTEMPTS: '1',
      ATLAS_BREAKER_FAILURES: '2',
      ATLAS_BREAKER_COOLDOWN_MS: '60000',
    });
    const url = (path: string) => new URL(path, stack.app.graphqlUrl);
    expect((await fetch(url('/health'))).status).toBe(200);
    const ready = await fetch(url('/readiness'));
    expect([ready.status, await ready.json()]).toEqual([200, { ready: true, draining: false, breaker: 'closed' }]);
    stack.simulator.faults.inject({ kind: 'status', status: 500 }, { times: 2 });
    await stack.query(`{ ${snapshotField('s', key)} }`);
    await stack.query(`{ ${snapshotField('s', key)} }`);
    const open = await fetch(url('/readiness'));
    expect([open.status, await open.json()]).toEqual([200, { ready: true, draining: false, breaker: 'open' }]);
    expect((await fetch(url('/readiness?atlas=1'))).status).toBe(503);
    expect((await fetch(url('/health'))).status).toBe(200);
    expect(await (await fetch(url('/metrics'))).text()).toMatch(/atlas_upstream_breaker_state 2/);
  });
});
