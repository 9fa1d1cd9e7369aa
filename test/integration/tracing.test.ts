import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { traceRedisCommands } from '../../src/fleet/redis-tracing.js';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { DEMO } from '../../src/simulator/seed.js';
import { startTracing } from '../../src/support/tracing.js';
import {
  ANYONE_MAY_CALL,
  captureLogger,
  SERVERLESS_API_ONLY,
  snapshotField,
  startStack,
  TEST_KEY,
} from '../helpers.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../otlp-receiver.js';
import { redisSkipReason, startRedis } from '../redis.js';

// Traces (issue #15): the service continues its caller's W3C trace, makes a span per GraphQL request,
// loader batch, Atlas call and attempt, sends `traceparent` to Atlas on every attempt, and exports
// over OTLP/HTTP JSON to a receiver in this file; with no endpoint set, nothing at all.

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const key = { groupId: DEMO.groupId, clusterName: DEMO.clusterName, snapshotId: DEMO.snapshotId };
const QUERY = `query Snap { ${snapshotField('s', key, 'id status')} }`;
const OPERATION = 'getServerlessBackupSnapshot';

let receiver: OtlpReceiver;
afterEach(async () => {
  await receiver?.close();
});

const byName = (spans: ReceivedSpan[], name: string) => spans.filter((s) => s.name === name);
const only = (spans: ReceivedSpan[], name: string): ReceivedSpan => {
  const found = byName(spans, name);
  expect(found.map((s) => s.name)).toEqual([name]);
  return found[0]!;
};

describe('traces exported over OTLP/HTTP', () => {
  it("continues the caller's trace: operation, loader batch, Atlas call, one child per attempt, traceparent to Atlas", async () => {
    receiver = await startOtlpReceiver();
    const stack = await startStack({
      ...SERVERLESS_API_ONLY,
      ...ANYONE_MAY_CALL,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'backups-under-test',
    });
    stack.simulator.faults.inject({ kind: 'status', status: 503 }, { times: 1, operation: OPERATION });
    const traceparent = `00-${TRACE_ID}-${CALLER_SPAN}-01`;
    let result;
    try {
      result = await stack.query(QUERY, undefined, { traceparent });
    } finally {
      // Closing flushes the spans still buffered.
      await stack.close();
    }
    expect(result.errors).toBeUndefined();
    expect(receiver.requests.every((r) => r.path === '/v1/traces' && r.contentType === 'application/json')).toBe(true);

    const spans = receiver.spans.filter((s) => s.traceId === TRACE_ID);
    const operation = only(spans, 'query Snap');
    expect(operation).toMatchObject({ parentSpanId: CALLER_SPAN, kind: 2 });
    expect(operation.attributes).toMatchObject({
      'graphql.operation.type': 'query',
      'graphql.operation.name': 'Snap',
      'http.request.method': 'POST',
      'http.response.status_code': 200,
    });
    expect(operation.resource).toMatchObject({ 'service.name': 'backups-under-test' });

    const batch = only(spans, 'loader serverlessSnapshot');
    expect(batch.parentSpanId).toBe(operation.spanId);
    expect(batch.attributes['loader.batch_size']).toBe(1);

    const call = only(spans, `Atlas ${OPERATION}`);
    expect(call.parentSpanId).toBe(batch.spanId);
    expect(call.attributes).toMatchObject({
      'atlas.operation': OPERATION,
      'http.request.method': 'GET',
      'atlas.attempts': 2,
      'url.path': `/api/atlas/v2/groups/${key.groupId}/serverless/${key.clusterName}/backup/snapshots/${key.snapshotId}`,
    });

    const attempts = byName(spans, `GET ${OPERATION}`).sort(
      (a, b) => Number(a.attributes['atlas.attempt']) - Number(b.attributes['atlas.attempt']),
    );
    expect(
      attempts.map((a) => [a.parentSpanId, a.attributes['atlas.attempt'], a.attributes['http.response.status_code']]),
    ).toEqual([
      [call.spanId, 1, 503],
      [call.spanId, 2, 200],
    ]);
    expect(attempts.map((a) => [a.kind, a.status, a.attributes['error.type']])).toEqual([
      [3, 2, '503'],
      [3, 0, undefined],
    ]);

    // Atlas got the trace on every attempt, each naming its attempt's span as the parent.
    const sent = stack.simulator.stats.traceparents.filter((t) => t.operation === OPERATION).map((t) => t.traceparent);
    expect(sent).toEqual(attempts.map((a) => `00-${TRACE_ID}-${a.spanId}-01`));

    // Never a credential in what leaves for the collector.
    const exported = receiver.requests.map((r) => r.body).join('\n');
    expect(exported).not.toContain(TEST_KEY.privateKey);
    expect(exported.toLowerCase()).not.toContain('authorization');
    expect(exported).not.toContain('Digest ');
  });

  it('starts a trace of its own for a caller that sent none', async () => {
    receiver = await startOtlpReceiver();
    const stack = await startStack({
      ...SERVERLESS_API_ONLY,
      ...ANYONE_MAY_CALL,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    });
    try {
      expect((await stack.query(QUERY)).errors).toBeUndefined();
    } finally {
      await stack.close();
    }
    const operation = only(receiver.spans, 'query Snap');
    expect(operation.parentSpanId).toBeUndefined();
    expect(operation.resource['service.name']).toBe('atlas-backups-graphql');
    const call = only(receiver.spans, `Atlas ${OPERATION}`);
    expect(call.traceId).toBe(operation.traceId);
    const [sent] = stack.simulator.stats.traceparents.map((t) => t.traceparent);
    expect(sent).toMatch(new RegExp(`^00-${operation.traceId}-[0-9a-f]{16}-01$`));
  });

  it('treats hostile trace headers as absent: a malformed traceparent starts a new trace, bad tracestate members are dropped', async () => {
    receiver = await startOtlpReceiver();
    const stack = await startStack({
      ...SERVERLESS_API_ONLY,
      ...ANYONE_MAY_CALL,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    });
    let lastTracestate: unknown;
    try {
      const bogus = { traceparent: `00-${'0'.repeat(32)}-${CALLER_SPAN}-01\tx`, tracestate: 'evil=1' };
      expect((await stack.query(QUERY, undefined, bogus)).errors).toBeUndefined();
      const valid = {
        traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01`,
        tracestate: `congo=t61rcWkgMzE,bad key=1,${'x'.repeat(300)}=y`,
      };
      expect(
        (await stack.query(`query Again { ${snapshotField('s', key)} }`, undefined, valid)).errors,
      ).toBeUndefined();
      lastTracestate = stack.simulator.stats.lastCall?.headers.tracestate;
    } finally {
      await stack.close();
    }
    const first = only(receiver.spans, 'query Snap');
    expect(first.parentSpanId).toBeUndefined();
    expect(first.traceId).not.toBe('0'.repeat(32));
    const [sentFirst] = stack.simulator.stats.traceparents.map((t) => t.traceparent);
    expect(sentFirst).toMatch(new RegExp(`^00-${first.traceId}-[0-9a-f]{16}-01$`));
    expect(only(receiver.spans, 'query Again')).toMatchObject({ traceId: TRACE_ID, parentSpanId: CALLER_SPAN });
    expect(lastTracestate).toBe('congo=t61rcWkgMzE');
  });

  it("honours the caller's decision not to sample: nothing recorded, the unsampled trace still goes on to Atlas", async () => {
    receiver = await startOtlpReceiver();
    const stack = await startStack({
      ...SERVERLESS_API_ONLY,
      ...ANYONE_MAY_CALL,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    });
    try {
      const headers = { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-00` };
      expect((await stack.query(QUERY, undefined, headers)).errors).toBeUndefined();
    } finally {
      await stack.close();
    }
    expect(receiver.spans).toEqual([]);
    const sent = stack.simulator.stats.traceparents.map((t) => t.traceparent);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-00$`));
  });
});

describe('outside a request', () => {
  it("a subscription's span is named, but its poller's Atlas calls make no spans and send no traceparent", async () => {
    receiver = await startOtlpReceiver();
    const stack = await startStack({ ...ANYONE_MAY_CALL, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    let stream = '';
    try {
      // A completed snapshot: one event, then the stream completes.
      const snapshot = `groupId: "${CLOUD.groupId}", clusterName: "${CLOUD.replicaSet}", snapshotId: "${CLOUD.snapshots.onDemand}"`;
      const response = await fetch(stack.app.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: `subscription Watch { clusterSnapshot(${snapshot}) { id status } }` }),
      });
      stream = await response.text();
    } finally {
      await stack.close();
    }
    expect(stream).toContain(CLOUD.snapshots.onDemand);
    expect(stream).toContain('event: complete');
    const polls = stack.simulator.stats.traceparents;
    expect(polls.length).toBeGreaterThan(0);
    expect(polls.every((p) => p.traceparent === undefined)).toBe(true);
    expect(receiver.spans.map((s) => s.name)).toEqual(['subscription Watch']);
  });
});

describe('without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('exports nothing and sends no traceparent to Atlas, even when the caller sent one', async () => {
    receiver = await startOtlpReceiver();
    const stack = await startStack({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    try {
      expect(stack.app.graphqlUrl).toBeTruthy();
      const headers = { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` };
      stack.simulator.faults.inject({ kind: 'status', status: 503 }, { times: 1, operation: OPERATION });
      expect((await stack.query(QUERY, undefined, headers)).errors).toBeUndefined();
    } finally {
      await stack.close();
    }
    expect(receiver.requests).toEqual([]);
    expect(stack.simulator.stats.traceparents).toEqual([
      { operation: OPERATION, traceparent: undefined },
      { operation: OPERATION, traceparent: undefined },
    ]);
    expect(stack.logs.some((l) => l.msg.includes('traces'))).toBe(false);
  });
});

describe.skipIf(redisSkipReason)('Redis round trips', () => {
  it("of a mutation's idempotency key on a replica with Redis are spans of its operation", async () => {
    receiver = await startOtlpReceiver();
    const redis = await startRedis();
    const stack = await startStack({
      AUTH_API_KEYS: 'ops@ops-key backups:snapshot',
      REDIS_URL: redis.url,
      REDIS_TIMEOUT_MS: '500',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    });
    const idempotencyKey = 'trace-idem-key-7f3e';
    try {
      const readiness = stack.app.graphqlUrl.replace('/graphql', '/readiness');
      for (let i = 0; i < 100 && ((await (await fetch(readiness)).json()) as { redis?: string }).redis !== 'up'; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const input = { groupId: CLOUD.fleetGroupId, clusterName: CLOUD.fleetClusterNames[0], idempotencyKey };
      const take = `mutation Take($input: TakeClusterSnapshotInput!) { takeClusterSnapshot(input: $input) { replayed } }`;
      const headers = { 'x-api-key': 'ops-key', traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` };
      const answer = await stack.query(take, { input }, headers);
      expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    } finally {
      await stack.close();
      await redis.stop();
    }
    const spans = receiver.spans.filter((s) => s.traceId === TRACE_ID);
    const operation = only(spans, 'mutation Take');
    const commands = spans.filter((s) => s.name.startsWith('redis '));
    // The idempotency claim (SET NX) and its settle script (EVALSHA) at least, under the operation;
    // every command a span of this trace.
    expect(commands.map((s) => s.name)).toEqual(expect.arrayContaining(['redis SET', 'redis EVALSHA']));
    expect(commands.filter((s) => s.name === 'redis SET' && s.parentSpanId === operation.spanId)).not.toEqual([]);
    const ids = new Set(spans.map((s) => s.spanId));
    expect(commands.every((s) => ids.has(s.parentSpanId!))).toBe(true);
    expect(only(spans, 'Atlas takeSnapshots').parentSpanId).toBe(operation.spanId);
    expect(receiver.requests.map((r) => r.body).join('\n')).not.toContain(idempotencyKey);
  });

  it('are spans of the request that made them (never their keys); commands outside a request make none', async () => {
    receiver = await startOtlpReceiver();
    const redis = await startRedis();
    const client = new Redis(redis.url, { keyPrefix: 'trace-test:' });
    const { logger } = captureLogger();
    const tracing = (await startTracing(
      {
        url: `${receiver.url}/v1/traces`,
        headers: {},
        serviceName: 'redis-test',
        resourceAttributes: {},
        sampler: 'parentbased_always_on',
        ratio: 1,
      },
      logger,
    ))!;
    try {
      traceRedisCommands(client, tracing.tracer);
      await client.set('outside', '1');
      await tracing.tracer.startActiveSpan('request', async (span) => {
        await client.set('caller-key-secret', 'v');
        await client.get('caller-key-secret');
        await expect(client.call('NO-SUCH-COMMAND')).rejects.toThrow();
        span.end();
      });
    } finally {
      client.disconnect();
      await tracing.shutdown();
      await redis.stop();
    }
    const request = only(receiver.spans, 'request');
    const commands = receiver.spans.filter((s) => s.name.startsWith('redis '));
    expect(commands.map((s) => [s.name, s.parentSpanId, s.kind, s.status])).toEqual([
      ['redis SET', request.spanId, 3, 0],
      ['redis GET', request.spanId, 3, 0],
      ['redis NO-SUCH-COMMAND', request.spanId, 3, 2],
    ]);
    expect(commands[0]!.attributes).toMatchObject({ 'db.system.name': 'redis', 'db.operation.name': 'SET' });
    expect(receiver.requests.map((r) => r.body).join('\n')).not.toContain('caller-key-secret');
  });
});
