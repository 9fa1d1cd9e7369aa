import { readFileSync } from 'node:fs';
import { createActionRunner } from '../../src/app.js';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { noAuth } from '../../src/atlas/auth.js';
import { AtlasClient } from '../../src/atlas/client.js';
import { ServerlessLookupRouter } from '../../src/backups/serverless-lookup-router.js';
import { BackupReader } from '../../src/backups/backup-reader.js';
import { exampleQuery } from '../../src/graphql/example-query.js';
import { loadConfig } from '../../src/config/config.js';
import { createMetrics } from '../../src/support/metrics.js';
import { createGraphQLServer } from '../../src/graphql/server.js';
import type { Fault } from '../../src/simulator/faults.js';
import { DEMO } from '../../src/simulator/seed.js';
import {
  ANYONE_MAY_CALL,
  atlasCalls,
  SERVERLESS_API_ONLY,
  snapshotField,
  type Stack,
  startStack,
  TEST_KEY,
} from '../helpers.js';

let stack: Stack;
beforeAll(async () => {
  // A breaker that never opens and no rate-limit holds here: this file provokes many failures in a row on purpose.
  stack = await startStack({
    ...SERVERLESS_API_ONLY,
    ...ANYONE_MAY_CALL,
    ATLAS_TIMEOUT_MS: '400',
    ATLAS_BREAKER_FAILURES: '1000',
    ATLAS_RETRY_BASE_DELAY_MS: '1',
    ATLAS_RATE_LIMIT_HOLD_MAX_MS: '0',
  });
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());

const key: { groupId: string; clusterName: string; snapshotId: string } = {
  groupId: DEMO.groupId,
  clusterName: DEMO.clusterName,
  snapshotId: DEMO.snapshotId,
};
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/atlas-examples/errors/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

async function failingQuery(k = key) {
  const { data, errors } = await stack.query(`{ ${snapshotField('snap', k)} }`);
  expect(data).toEqual({ snap: null });
  expect(errors).toHaveLength(1);
  expect(errors![0]!.path).toEqual(['snap']);
  return errors![0]!;
}

describe('Atlas answers with an error status (real simulator paths)', () => {
  it('404 for an unknown project → NOT_FOUND with the Atlas envelope', async () => {
    const error = await failingQuery({ ...key, groupId: '111111111111111111111111' });
    expect(error.extensions).toEqual({
      code: 'NOT_FOUND',
      atlas: {
        status: 404,
        errorCode: 'GROUP_NOT_FOUND',
        reason: 'Not Found',
        detail: 'No group with ID 111111111111111111111111 exists.',
      },
    });
  });

  it('404 for an unknown instance and an unknown snapshot → NOT_FOUND', async () => {
    const instance = await failingQuery({ ...key, clusterName: 'serverless-missing' });
    expect(instance.extensions).toMatchObject({
      code: 'NOT_FOUND',
      atlas: { errorCode: 'SERVERLESS_INSTANCE_NOT_FOUND' },
    });
    const snapshot = await failingQuery({ ...key, snapshotId: 'ffffffffffffffffffffffff' });
    expect(snapshot.extensions).toMatchObject({ code: 'NOT_FOUND', atlas: { errorCode: 'SNAPSHOT_NOT_FOUND' } });
  });

  it('403 for a project the key has no role in → FORBIDDEN', async () => {
    const error = await failingQuery({ ...key, groupId: DEMO.restrictedGroupId });
    expect(error.extensions).toMatchObject({
      code: 'FORBIDDEN',
      atlas: { status: 403, errorCode: 'USER_UNAUTHORIZED' },
    });
  });
});

describe('every row of the error table, injected by the simulator', () => {
  // [name, fault (repeated on every attempt), expected extensions, attempts made]
  const rows: [string, Fault, Record<string, unknown>, number][] = [
    [
      '400',
      { kind: 'status', status: 400, body: fixture('400-VALIDATION_ERROR.spec-example.json') },
      { code: 'BAD_USER_INPUT', atlas: { status: 400, errorCode: 'VALIDATION_ERROR' } },
      1,
    ],
    [
      '401',
      { kind: 'status', status: 401, body: fixture('401-NOT_ORG_GROUP_CREATOR.spec-example.json') },
      { code: 'UNAUTHENTICATED', atlas: { status: 401, errorCode: 'NOT_ORG_GROUP_CREATOR' } },
      1,
    ],
    [
      '403',
      { kind: 'status', status: 403, body: fixture('403-CANNOT_CHANGE_GROUP_NAME.spec-example.json') },
      { code: 'FORBIDDEN', atlas: { status: 403 } },
      1,
    ],
    [
      '409',
      {
        kind: 'status',
        status: 409,
        body: fixture('409-CANNOT_DELETE_ORG_ACTIVE_LIVE_MIGRATION_ATLAS_ORG_LINK.spec-example.json'),
      },
      { code: 'CONFLICT', atlas: { status: 409 } },
      1,
    ],
    [
      '429 with Retry-After seconds',
      {
        kind: 'status',
        status: 429,
        headers: { 'Retry-After': '7' },
        body: fixture('429-RATE_LIMITED.spec-example.json'),
      },
      { code: 'RATE_LIMITED', retryAfterSeconds: 7, atlas: { status: 429, errorCode: 'RATE_LIMITED' } },
      1,
    ],
    [
      '429 without Retry-After',
      { kind: 'status', status: 429, body: fixture('429-RATE_LIMITED_TOKEN_BUCKET.docs-sample.json') },
      { code: 'RATE_LIMITED', atlas: { status: 429, errorCode: 'RATE_LIMITED_TOKEN_BUCKET' } },
      3,
    ],
    [
      '406',
      { kind: 'status', status: 406, body: fixture('406-INVALID_VERSION_DATE.constructed.json') },
      { code: 'UPSTREAM_ERROR', atlas: { status: 406, errorCode: 'INVALID_VERSION_DATE' } },
      1,
    ],
    [
      '410',
      { kind: 'status', status: 410, body: fixture('410-VERSION_GONE.adapted.json') },
      { code: 'UPSTREAM_ERROR', atlas: { status: 410, errorCode: 'VERSION_GONE', reason: 'Gone' } },
      1,
    ],
    [
      '500',
      { kind: 'status', status: 500, body: fixture('500-UNEXPECTED_ERROR.spec-example.json') },
      { code: 'UPSTREAM_ERROR', atlas: { status: 500, errorCode: 'UNEXPECTED_ERROR' } },
      1,
    ],
    [
      '502 with an HTML page',
      { kind: 'status', status: 502, rawBody: '<html><body>502 Bad Gateway</body></html>' },
      { code: 'UPSTREAM_ERROR', atlas: { status: 502, errorCode: null, reason: null, detail: null } },
      3,
    ],
    [
      '503 with the default envelope',
      { kind: 'status', status: 503 },
      { code: 'UPSTREAM_ERROR', atlas: { status: 503, errorCode: 'SERVICE_UNAVAILABLE' } },
      3,
    ],
    ['connection reset before the response', { kind: 'reset' }, { code: 'UPSTREAM_ERROR' }, 3],
    ['connection reset mid-body', { kind: 'reset-mid-body' }, { code: 'UPSTREAM_ERROR' }, 1],
    [
      'a 200 body that is not JSON',
      { kind: 'status', status: 200, rawBody: 'Service temporarily unavailable' },
      { code: 'UPSTREAM_ERROR' },
      1,
    ],
    [
      'a 200 body of the wrong shape',
      { kind: 'status', status: 200, body: { id: 42, createdAt: 'yesterday', links: 'none' } },
      { code: 'UPSTREAM_ERROR' },
      1,
    ],
  ];

  it.each(rows)('%s (%#)', async (_name, fault, extensions, attempts) => {
    stack.simulator.faults.inject(fault, { times: 10 });
    const error = await failingQuery();
    expect(error.extensions).toMatchObject(extensions);
    if (!('retryAfterSeconds' in extensions)) expect(error.extensions).not.toHaveProperty('retryAfterSeconds');
    // 429, 502-504 and resets before a response are retried (3 attempts); nothing else is.
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(attempts);
  });

  it('a wrong-shape body names the problems without echoing the body', async () => {
    stack.simulator.faults.inject({
      kind: 'status',
      status: 200,
      body: { id: 'x'.repeat(24), createdAt: 'yesterday' },
    });
    const error = await failingQuery();
    expect(error.extensions!.problems).toEqual([
      'id: must be exactly 24 lower-case hexadecimal characters (0-9, a-f)',
      'createdAt: Invalid ISO datetime',
    ]);
    expect(JSON.stringify(error)).not.toContain('xxxxxxxx');
  });

  it('a hung upstream hits the deadline → UPSTREAM_TIMEOUT', async () => {
    stack.simulator.faults.latencyMs = 2_000;
    const error = await failingQuery();
    expect(error.extensions).toEqual({ code: 'UPSTREAM_TIMEOUT' });
    expect(error.message).toContain('400 ms');
  });

  it('a failed key does not poison the other keys of the same request', async () => {
    stack.simulator.faults.inject({ kind: 'status', status: 404 }, { times: 1 });
    const { data, errors } = await stack.query(
      `{ ${snapshotField('a', key)} ${snapshotField('b', { ...key, snapshotId: DEMO.maxSafeSizeSnapshotId })} }`,
    );
    expect(errors).toHaveLength(1);
    const failed = errors![0]!.path![0];
    const other = failed === 'a' ? 'b' : 'a';
    expect(data![failed!]).toBeNull();
    expect(data![other]).toMatchObject({ status: 'COMPLETED' });
  });
});

describe('credentials', () => {
  it('a wrong private key → UNAUTHENTICATED, and the key is in no response or log line', async () => {
    const wrong = await startStack({
      ...SERVERLESS_API_ONLY,
      ...ANYONE_MAY_CALL,
      MONGODB_ATLAS_PRIVATE_API_KEY: 'wrong-private-key-canary-7f3a',
    });
    try {
      const { data, errors } = await wrong.query(`{ ${snapshotField('snap', key)} }`);
      expect(data).toEqual({ snap: null });
      expect(errors![0]!.extensions).toEqual({
        code: 'UNAUTHENTICATED',
        atlas: {
          status: 401,
          errorCode: 'UNEXPECTED_ERROR',
          reason: 'Unauthorized',
          detail: 'You are not authorized for this resource.',
        },
      });
      expect(JSON.stringify(errors)).not.toContain('canary');
      expect(wrong.rawLogs.join('')).not.toContain('canary');
      // One bare request for the challenge, then one signed attempt and one retry with a fresh nonce.
      expect(wrong.simulator.stats.requests).toBeLessThanOrEqual(3);
    } finally {
      await wrong.close();
    }
  });

  it('the right key passes the digest challenge, reusing the nonce across calls', async () => {
    for (let i = 0; i < 5; i += 1) {
      const { errors } = await stack.query(`{ ${snapshotField('s', key)} }`);
      expect(errors).toBeUndefined();
    }
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(5);
    expect(stack.simulator.stats.challenges).toBeLessThanOrEqual(1); // at most the first call's, then the nonce is reused
    expect(stack.simulator.stats.connections).toBeLessThanOrEqual(1); // keep-alive
  });
});

describe('anything unexpected is masked', () => {
  it('a bug in the upstream path answers "Unexpected error." with no stack and no secret', async () => {
    class BrokenClient extends AtlasClient {
      override get(): never {
        throw new TypeError(`boom: ${TEST_KEY.privateKey}`);
      }
    }
    const config = loadConfig({ ALLOW_UNAUTHENTICATED: 'true' });
    const atlas = new BrokenClient({
      ...config.atlasClient,
      baseUrl: new URL(stack.simulator.url),
      auth: noAuth,
      userAgent: 'test',
    });
    const reader = new BackupReader(atlas, new ServerlessLookupRouter('serverless'));
    const metrics = createMetrics(() => 'closed');
    const yoga = createGraphQLServer({
      config,
      reader,
      actions: createActionRunner(atlas, config, pino({ level: 'silent' })),
      logger: pino({ level: 'silent' }),
      metrics,
      breakerState: () => 'closed',
      exampleQuery: exampleQuery(),
    });
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ ${snapshotField('snap', key)} }` }),
    });
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      data: { snap: null },
      errors: [
        {
          message: 'Unexpected error.',
          locations: [{ line: 1, column: 3 }],
          path: ['snap'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ],
    });
    expect(text).not.toContain(TEST_KEY.privateKey);
    expect(text).not.toMatch(/stack|at .*\.ts/);
    await atlas.close();
  });
});
