import { describe, expect, it } from 'vitest';
import { MAX_UPSTREAM_TEXT_LENGTH, TRUNCATION_MARKER } from '../../src/atlas/upstream-text.js';
import { DEMO } from '../../src/simulator/seed.js';
import {
  ANYONE_MAY_CALL,
  atlasCalls,
  SERVERLESS_API_ONLY,
  snapshotField,
  type Stack,
  stackPerTest,
} from '../helpers.js';

// Issue 10, findings 4 and 12: an upstream that is hostile or broken (huge, deep, endless, mislabelled
// or self-contradicting answers) gets a typed error, never a crash, a memory blow-up or a silent null.

const key = { groupId: DEMO.groupId, clusterName: DEMO.clusterName, snapshotId: DEMO.snapshotId };
const QUERY = `{ ${snapshotField('s', key, 'id status')} }`;
const stacks = stackPerTest();
const FAST = {
  ...SERVERLESS_API_ONLY,
  ...ANYONE_MAY_CALL,
  ATLAS_TIMEOUT_MS: '3000',
  ATLAS_BREAKER_FAILURES: '1000',
  ATLAS_RETRY_BASE_DELAY_MS: '1',
};

/** Runs QUERY and returns its one error, checking the snapshot came back null. */
async function failingQuery(stack: Stack, query = QUERY) {
  const { data, errors } = await stack.query(query);
  expect(data).toEqual({ s: null });
  expect(errors).toHaveLength(1);
  return errors![0]!;
}

describe('finding 4: bodies that would exhaust memory', () => {
  it('a 6 MB 2xx body of 3,000,000 nested [ → UPSTREAM_ERROR, refused before JSON.parse', async () => {
    // Byte budgets above the body, so that the depth bound, not a size bound, is what refuses it.
    const stack = await stacks.start({
      ...FAST,
      UPSTREAM_MAX_BYTES_PER_REQUEST: String(16 * 1_048_576),
      UPSTREAM_MAX_BYTES_IN_FLIGHT: String(32 * 1_048_576),
    });
    stack.simulator.faults.inject({
      kind: 'status',
      status: 200,
      rawBody: '['.repeat(3_000_000) + ']'.repeat(3_000_000),
    });
    const error = await failingQuery(stack);
    expect(error.extensions).toEqual({ code: 'UPSTREAM_ERROR', problems: ['body nests deeper than 64 levels'] });
  });

  it('a deep unknown field inside an otherwise valid snapshot is refused too (not parsed and stripped)', async () => {
    const stack = await stacks.start(FAST);
    const deep = '['.repeat(100) + ']'.repeat(100);
    stack.simulator.faults.inject({
      kind: 'status',
      status: 200,
      rawBody: `{"id":"${DEMO.snapshotId}","status":"completed","links":[],"x":${deep}}`,
    });
    const error = await failingQuery(stack);
    expect(error.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', problems: ['body nests deeper than 64 levels'] });
  });

  it('a 404 whose detail is 40 KB → NOT_FOUND with the detail cut to a few hundred characters in message and extensions', async () => {
    const stack = await stacks.start(FAST);
    const detail = `Snapshot ${'x'.repeat(40_000)}`;
    stack.simulator.faults.inject({
      kind: 'status',
      status: 404,
      body: {
        error: 404,
        errorCode: 'SNAPSHOT_NOT_FOUND',
        reason: 'r'.repeat(5_000),
        detail,
        parameters: ['p'.repeat(5_000)],
      },
    });
    const { errors } = await stack.query(QUERY);
    const error = errors![0]!;
    const cut = `${detail.slice(0, MAX_UPSTREAM_TEXT_LENGTH)}${TRUNCATION_MARKER}`;
    expect(error.extensions).toEqual({
      code: 'NOT_FOUND',
      atlas: {
        status: 404,
        errorCode: 'SNAPSHOT_NOT_FOUND',
        reason: `${'r'.repeat(MAX_UPSTREAM_TEXT_LENGTH)}${TRUNCATION_MARKER}`,
        detail: cut,
      },
    });
    expect(error.message).toBe(`Atlas has no such resource (HTTP 404 SNAPSHOT_NOT_FOUND): ${cut}`);
    expect(JSON.stringify(errors).length).toBeLessThan(2_000);
  });

  it('a 404 whose detail is 7 MB → NOT_FOUND by status and header, the body not read past 64 KiB', async () => {
    const stack = await stacks.start(FAST);
    stack.simulator.faults.inject({
      kind: 'status',
      status: 404,
      body: { error: 404, errorCode: 'SNAPSHOT_NOT_FOUND', reason: 'Not Found', detail: 'd'.repeat(7_000_000) },
      headers: { 'X-Error-Code': 'SNAPSHOT_NOT_FOUND' },
    });
    const { errors } = await stack.query(QUERY);
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions).toEqual({
      code: 'NOT_FOUND',
      atlas: { status: 404, errorCode: 'SNAPSHOT_NOT_FOUND', reason: null, detail: null },
    });
    expect(JSON.stringify(errors).length).toBeLessThan(1_000);
  });

  it('an endless error body → a typed error with its status, and the service stops reading', async () => {
    const stack = await stacks.start(FAST);
    stack.simulator.faults.inject({
      kind: 'stream',
      status: 404,
      contentType: 'application/json',
      prefix: '{"error":404,"detail":"',
      chunk: 'x'.repeat(16_384),
    });
    const started = performance.now();
    const error = await failingQuery(stack);
    expect(error.extensions).toEqual({
      code: 'NOT_FOUND',
      atlas: { status: 404, errorCode: null, reason: null, detail: null },
    });
    expect(performance.now() - started).toBeLessThan(2_000);
    await expect.poll(() => stack.simulator.stats.clientAborts).toBe(1);
  });

  it('an endless service-account token response → UPSTREAM_ERROR naming the bound, no API call', async () => {
    const stack = await stacks.start(FAST, 'service-account');
    // Paced so that even a reader without a bound takes a while to eat the machine's memory.
    stack.simulator.faults.inject(
      { kind: 'stream', prefix: '{"access_token":"', chunk: 'a'.repeat(16_384), intervalMs: 2 },
      { operation: 'createServiceAccountToken' },
    );
    const started = performance.now();
    const error = await failingQuery(stack);
    expect(error.extensions).toEqual({ code: 'UPSTREAM_ERROR' });
    expect(error.message).toBe('Atlas failed to answer: the Atlas token endpoint answered with more than 65536 bytes');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(0);
    await expect.poll(() => stack.simulator.stats.clientAborts).toBe(1);
    // The refusal is not cached: the next query gets a token and its snapshot.
    expect((await stack.query(QUERY)).errors).toBeUndefined();
  });
});

describe('finding 12: upstream answers that were not handled', () => {
  it.each(['SHA-256', 'SHA-256-sess', 'SHA-512-256', 'MD5-sess'])(
    'a Digest challenge with algorithm=%s is answered and accepted',
    async (algorithm) => {
      const stack = await stacks.start(FAST, 'api-key', { digestAlgorithm: algorithm });
      for (let i = 0; i < 3; i += 1) {
        const { data, errors } = await stack.query(QUERY);
        expect(errors).toBeUndefined();
        expect(data!.s).toMatchObject({ id: DEMO.snapshotId });
      }
      expect(stack.simulator.stats.challenges).toBe(1);
      expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(3);
    },
  );

  it('a Digest challenge with an algorithm we do not support → UPSTREAM_ERROR naming it, never INTERNAL_SERVER_ERROR', async () => {
    const stack = await stacks.start(FAST, 'api-key', { digestAlgorithm: 'SHA-1' });
    for (let i = 1; i <= 2; i += 1) {
      const error = await failingQuery(stack);
      expect(error.extensions).toEqual({ code: 'UPSTREAM_ERROR' });
      expect(error.message).toContain(
        'Atlas asked for HTTP Digest with algorithm "SHA-1", which this server does not support',
      );
      // Each query asks Atlas afresh (it may change its challenge), and nothing signed goes out.
      expect(stack.simulator.stats.challenges).toBe(i);
    }
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(0);
  });

  it('a 200 carrying an Atlas error envelope → UPSTREAM_ERROR, not a snapshot of nulls', async () => {
    const stack = await stacks.start(FAST);
    stack.simulator.faults.inject({
      kind: 'status',
      status: 200,
      body: {
        error: 404,
        errorCode: 'SNAPSHOT_NOT_FOUND',
        reason: 'Not Found',
        detail: 'No snapshot.',
        parameters: [],
      },
    });
    const error = await failingQuery(stack);
    expect(error.extensions).toEqual({
      code: 'UPSTREAM_ERROR',
      problems: ['body is an Atlas error envelope (error 404 SNAPSHOT_NOT_FOUND), not the resource'],
    });
  });

  it('a 200 without the resource id → UPSTREAM_ERROR', async () => {
    const stack = await stacks.start(FAST);
    stack.simulator.faults.inject({ kind: 'status', status: 200, body: { status: 'completed', links: [] } });
    const error = await failingQuery(stack);
    expect(error.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', problems: [expect.stringMatching(/^id: /)] });
  });

  it('a list page whose items lack their id → UPSTREAM_ERROR', async () => {
    const stack = await stacks.start(FAST);
    stack.simulator.faults.inject({
      kind: 'status',
      status: 200,
      body: { links: [], results: [{ status: 'completed' }], totalCount: 1 },
    });
    const { data, errors } = await stack.query(
      `{ s: serverlessSnapshots(groupId: "${DEMO.groupId}", clusterName: "${DEMO.clusterName}") { edges { node { id } } } }`,
    );
    expect(data).toEqual({ s: null });
    expect(errors![0]!.extensions).toMatchObject({
      code: 'UPSTREAM_ERROR',
      problems: [expect.stringMatching(/^results\.0\.id: /)],
    });
  });

  it('a text/html 200 → UPSTREAM_ERROR saying the content type, even when the body is a valid snapshot', async () => {
    const stack = await stacks.start(FAST);
    const body = `{"id":"${DEMO.snapshotId}","status":"completed","links":[]}`;
    stack.simulator.faults.inject({
      kind: 'status',
      status: 200,
      rawBody: body,
      contentType: 'text/html; charset=utf-8',
    });
    const error = await failingQuery(stack);
    expect(error.extensions).toEqual({
      code: 'UPSTREAM_ERROR',
      problems: ['content type is not JSON: "text/html; charset=utf-8"'],
    });

    stack.simulator.faults.inject({
      kind: 'status',
      status: 200,
      rawBody: body,
      contentType: `text/${'x'.repeat(5_000)}`,
    });
    const long = await failingQuery(stack);
    expect(JSON.stringify(long).length).toBeLessThan(1_000);

    // JSON, plain or versioned, with parameters, is accepted.
    for (const contentType of [
      'application/json',
      'Application/JSON; charset=utf-8',
      'application/vnd.atlas.2023-01-01+json;charset=utf-8',
    ]) {
      stack.simulator.faults.inject({ kind: 'status', status: 200, rawBody: body, contentType });
      const { errors } = await stack.query(QUERY);
      expect(errors, contentType).toBeUndefined();
    }
  });
});
