import { describe, expect, it } from 'vitest';
import { MAX_JSON_CONTAINERS } from '../../src/atlas/upstream-text.js';
import { DEMO } from '../../src/simulator/seed.js';
import { ANYONE_MAY_CALL, SERVERLESS_API_ONLY, type Stack, stackPerTest } from '../helpers.js';

// Issue 10 retest, findings F2, F3 and F4: an upstream answer that is small enough to pass the byte
// caps but costly to validate or parse (a million-item list, a 3 MB string, a long Digest challenge)
// gets a typed error at a bounded cost, and the next query is served as usual.

const stacks = stackPerTest();
const FAST = {
  ...SERVERLESS_API_ONLY,
  ...ANYONE_MAY_CALL,
  ATLAS_TIMEOUT_MS: '3000',
  ATLAS_BREAKER_FAILURES: '1000',
  ATLAS_RETRY_BASE_DELAY_MS: '1',
};
const list = (first: number) =>
  `{ s: serverlessSnapshots(groupId: "${DEMO.groupId}", clusterName: "${DEMO.clusterName}", first: ${first}) { edges { node { id } } } }`;
const FLEX_SNAPSHOT = `flexSnapshot(groupId: "${DEMO.groupId}", name: "${DEMO.flexCluster}", snapshotId: "${DEMO.flexSnapshotId}")`;

/** POSTs `query` and returns its raw text (to measure) and parsed body. */
async function rawQuery(stack: Stack, query: string) {
  const response = await fetch(stack.app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  return {
    text,
    body: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] },
  };
}

describe('F2: a list body that would make validation exhaust memory', () => {
  it('a 1 MB page of 333,000 `{}` → UPSTREAM_ERROR before JSON.parse builds it; the response is small and the next query works', async () => {
    const stack = await stacks.start(FAST);
    stack.simulator.faults.inject(
      { kind: 'status', status: 200, rawBody: `{"links":[],"results":[${'{},'.repeat(332_999)}{}]}` },
      { operation: 'listServerlessBackupSnapshots' },
    );
    const { text, body } = await rawQuery(stack, list(5));
    expect(body.data).toEqual({ s: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions).toEqual({
      code: 'UPSTREAM_ERROR',
      problems: [`body holds more than ${MAX_JSON_CONTAINERS} objects and arrays`],
    });
    expect(text.length).toBeLessThan(1_000);

    const after = await stack.query<{ s: { edges: unknown[] } }>(list(5));
    expect(after.errors).toBeUndefined();
    expect(after.data!.s.edges).toHaveLength(5);
  });

  it('a page of 50,000 items when 5 were asked → UPSTREAM_ERROR by its item count, before any item is validated', async () => {
    const stack = await stacks.start(FAST);
    stack.simulator.faults.inject(
      { kind: 'status', status: 200, rawBody: `{"links":[],"results":[${'{},'.repeat(49_999)}{}]}` },
      { operation: 'listServerlessBackupSnapshots' },
    );
    const { body } = await rawQuery(stack, list(5));
    expect(body.errors![0]!.extensions).toEqual({
      code: 'UPSTREAM_ERROR',
      problems: ['results: 50000 items, more than the 5 asked for (itemsPerPage)'],
    });
  });

  it('a page of as many invalid items as asked → a handful of problems: checking stops after three invalid items', async () => {
    const stack = await stacks.start(FAST);
    stack.simulator.faults.inject(
      { kind: 'status', status: 200, rawBody: `{"links":[],"results":[${'{},'.repeat(49)}{}]}` },
      { operation: 'listServerlessBackupSnapshots' },
    );
    const { body } = await rawQuery(stack, list(50));
    expect(body.errors![0]!.extensions).toEqual({
      code: 'UPSTREAM_ERROR',
      problems: [
        expect.stringMatching(/^results\.0\.id: /),
        expect.stringMatching(/^results\.1\.id: /),
        expect.stringMatching(/^results\.2\.id: /),
        'results: items after 2 not checked (3 invalid items already)',
      ],
    });
  });
});

describe('F3: upstream text longer than Atlas ever sends', () => {
  it('a Flex snapshot whose mongoDBVersion is 3 MB, selected under 15 aliases → UPSTREAM_ERROR naming the field, not its value', async () => {
    const stack = await stacks.start(FAST);
    const version = 'v'.repeat(3_000_000);
    stack.simulator.faults.inject(
      {
        kind: 'status',
        status: 200,
        body: { id: DEMO.flexSnapshotId, status: 'COMPLETED', mongoDBVersion: version, links: [] },
      },
      { operation: 'getFlexBackupSnapshot' },
    );
    const aliases = Array.from({ length: 15 }, (_, i) => `a${i}: mongoDBVersion`).join(' ');
    const { text, body } = await rawQuery(stack, `{ ${FLEX_SNAPSHOT} { ${aliases} } }`);
    expect(body.data).toEqual({ flexSnapshot: null });
    expect(body.errors![0]!.extensions).toEqual({
      code: 'UPSTREAM_ERROR',
      problems: ['mongoDBVersion: must be at most 32 characters'],
    });
    expect(text.length).toBeLessThan(1_000);

    const after = await stack.query<{ f: { mongoDBVersion: string } }>(`{ f: ${FLEX_SNAPSHOT} { mongoDBVersion } }`);
    expect(after.errors).toBeUndefined();
    expect(after.data!.f.mongoDBVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('F4: a long Digest challenge', () => {
  const SNAPSHOT = `{ s: serverlessSnapshot(groupId: "${DEMO.groupId}", clusterName: "${DEMO.clusterName}", snapshotId: "${DEMO.snapshotId}") { id } }`;

  it('a 401 with a 14 KB or a 60 KB `Digest aaaa…` challenge → a typed error, fast; the 14 KB one refused unread as too long', async () => {
    const stack = await stacks.start(FAST);
    const challenge = `Digest ${'a'.repeat(14_000)}`;
    stack.simulator.faults.inject(
      { kind: 'status', status: 401, headers: { 'WWW-Authenticate': challenge } },
      { operation: 'getServerlessBackupSnapshot' },
    );
    let started = performance.now();
    const { body } = await rawQuery(stack, SNAPSHOT);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(body.errors![0]!.extensions).toEqual({ code: 'UPSTREAM_ERROR' });
    expect(body.errors![0]!.message).toBe(
      `Atlas failed to answer: Atlas sent a WWW-Authenticate challenge of ${challenge.length} characters, more than the 4096 this server reads`,
    );
    // The refusal leaves the credentials as they were: the next query is signed and served.
    expect((await stack.query(SNAPSHOT)).errors).toBeUndefined();

    // 60 KB: undici refuses response headers past 16 KiB before anything parses them (a typed connection error).
    stack.simulator.faults.inject(
      { kind: 'status', status: 401, headers: { 'WWW-Authenticate': `Digest ${'a'.repeat(60_000)}` } },
      { operation: 'getServerlessBackupSnapshot', times: 10 },
    );
    started = performance.now();
    const large = await rawQuery(stack, SNAPSHOT);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(large.body.errors![0]!.extensions).toEqual({ code: 'UPSTREAM_ERROR' });
  });
});
