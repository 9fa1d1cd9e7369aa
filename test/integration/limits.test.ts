import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import { ANYONE_MAY_CALL, atlasCalls, SERVERLESS_API_ONLY, snapshotField, type Stack, startStack } from '../helpers.js';

// What one request may cost. Every rejected request costs zero upstream calls.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ ...ANYONE_MAY_CALL, ATLAS_SNAPSHOT_API: 'auto' });
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());

const key = { groupId: DEMO.groupId, clusterName: DEMO.clusterName, snapshotId: DEMO.snapshotId };
const ALL =
  'id groupId clusterName source status createdAt expiresAt scheduledTime startTime finishTime mongodVersion serverlessInstanceName frequencyType snapshotType storageSizeBytes links { href rel }';

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(stack.app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json().catch(() => null)) as {
      data?: unknown;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    } | null,
  };
}

const rejected = async (query: string, pattern: RegExp) => {
  const { status, body } = await post({ query }, { accept: 'application/graphql-response+json' });
  expect(status).toBe(400); // a request error: nothing executed
  expect(body!.data).toBeUndefined();
  expect(body!.errors![0]!.message).toMatch(pattern);
  expect(
    body!.errors!.some((e) => e.extensions?.code === 'QUERY_TOO_EXPENSIVE' || /introspection/i.test(e.message)),
  ).toBe(true);
  expect(stack.simulator.stats.requests).toBe(0);
};

describe('legitimate uses pass', () => {
  it('a full page (first: 500) of snapshots with every field', async () => {
    const { status, body } = await post({
      query: `{ flexSnapshots(groupId: "${DEMO.groupId}", name: "${DEMO.bigFlexCluster}", first: 500) { totalCount edges { cursor node { ... on FlexSnapshot { ${ALL.replace(/ serverlessInstanceName frequencyType snapshotType storageSizeBytes/, '')} name mongoDBVersion expiration } } } pageInfo { hasNextPage endCursor } } }`,
    });
    expect(status).toBe(200);
    expect(body!.errors).toBeUndefined();
    expect((body!.data as { flexSnapshots: { edges: unknown[] } }).flexSnapshots.edges).toHaveLength(500);
  });

  it('the 15-alias dedupe query with every field', async () => {
    const { body } = await post({
      query: `{ ${Array.from({ length: 15 }, (_, i) => snapshotField(`a${i}`, key, ALL)).join(' ')} }`,
    });
    expect(body!.errors).toBeUndefined();
  });

  it('the standard introspection query that GraphiQL and codegen send', async () => {
    const { status, body } = await post({
      query: getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, inputValueDeprecation: true }),
    });
    expect(status).toBe(200);
    expect(body!.errors).toBeUndefined();
  });

  it('a federation _entities batch of 100 representations', async () => {
    const r = Array.from({ length: 100 }, () => ({
      __typename: 'ServerlessSnapshot',
      groupId: DEMO.groupId,
      clusterName: DEMO.clusterName,
      id: DEMO.snapshotId,
    }));
    const { body } = await post({
      query:
        'query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServerlessSnapshot { id status links { href } } } }',
      variables: { r },
    });
    expect(body!.errors).toBeUndefined();
  });
});

describe('operation limits (GraphQL Armor): rejected before execution', () => {
  it('16 aliases', () =>
    rejected(
      `{ ${Array.from({ length: 16 }, (_, i) => snapshotField(`a${i}`, key, 'id')).join(' ')} }`,
      /Aliases limit of 15 exceeded/,
    ));
  it('__typename aliases count too', () =>
    rejected(
      `{ ${Array.from({ length: 101 }, (_, i) => `t${i}: __typename`).join(' ')} }`,
      /Aliases limit of 15 exceeded/,
    ));
  it('depth over the limit (GRAPHQL_MAX_DEPTH=5 here; the schema itself is at most 6 deep)', async () => {
    const shallow = await startStack({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL, GRAPHQL_MAX_DEPTH: '5' });
    try {
      const response = await fetch(shallow.app.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({
          query: `{ serverlessRestoreJobs(groupId: "${DEMO.groupId}", clusterName: "${DEMO.clusterName}") { edges { node { snapshot { links { href } } } } } }`,
        }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]).toMatchObject({
        message: expect.stringMatching(/depth limit of 5 exceeded, found 6/) as string,
        extensions: { code: 'QUERY_TOO_EXPENSIVE' },
      });
      expect(shallow.simulator.stats.requests).toBe(0);
    } finally {
      await shallow.close();
    }
  });
  it('over 1,000 tokens', () =>
    rejected(`{ ${Array.from({ length: 1_100 }, () => '__typename').join(' ')} }`, /Token limit of 1000 exceeded/));
  it('over 50 directives', () =>
    rejected(
      `{ __typename ${Array.from({ length: 51 }, () => '@include(if: true)').join(' ')} }`,
      /Directives limit of 50 exceeded/,
    ));
  it('a cost over 5,000 (three full pages)', () =>
    rejected(
      `{ ${['a', 'b', 'c'].map((a) => `${a}: flexSnapshots(groupId: "${DEMO.groupId}", name: "x", first: 500) { edges { node { id links { href } } } pageInfo { hasNextPage } }`).join(' ')} }`,
      /costs \d+ .*the limit is 5000/,
    ));
  it('circular introspection (graphql-cop)', () =>
    // graphql-js's own MaxIntrospectionDepthRule reports it first; ours refuses any nesting of type-expanding fields.
    rejected(
      'query cop { __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }',
      /introspection depth|may not nest/,
    ));
  it('introspection nesting that graphql-js alone lets through', () =>
    rejected('{ __schema { types { fields { type { interfaces { name } } } } } }', /may not nest interfaces/));
  it('repeated introspection', () =>
    rejected(
      '{ a: __schema { queryType { name } } b: __schema { queryType { name } } }',
      /one __schema per operation/,
    ));
});

describe('the upstream budget', () => {
  it('past UPSTREAM_MAX_KEYS distinct lookups the extra fields get QUERY_TOO_EXPENSIVE and no call', async () => {
    const budget = await startStack({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL, UPSTREAM_MAX_KEYS: '3' });
    try {
      const ids = budget.simulator.projects
        .get(DEMO.analyticsGroupId)!
        .serverless.get('analytics-serverless')!
        .snapshots.slice(0, 5)
        .map((s) => s.id);
      const { data, errors } = await budget.query(
        `{ ${ids.map((id, i) => snapshotField(`s${i}`, { groupId: DEMO.analyticsGroupId, clusterName: 'analytics-serverless', snapshotId: id })).join(' ')} }`,
      );
      expect(Object.values(data!).filter(Boolean)).toHaveLength(3);
      expect(errors!.map((e) => e.extensions!.code)).toEqual(['QUERY_TOO_EXPENSIVE', 'QUERY_TOO_EXPENSIVE']);
      expect(atlasCalls(budget, 'getServerlessBackupSnapshot')).toBe(3);
    } finally {
      await budget.close();
    }
  });

  it('caps _entities representations (UPSTREAM_MAX_REPRESENTATIONS) and their distinct keys', async () => {
    const r = Array.from({ length: 201 }, () => ({ __typename: 'ServerlessSnapshot', ...key, id: DEMO.snapshotId }));
    const { body } = await post({
      query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServerlessSnapshot { id } } }',
      variables: { r },
    });
    expect(body!.errors![0]!.extensions).toEqual({ code: 'QUERY_TOO_EXPENSIVE' });
    const distinct = Array.from({ length: 150 }, (_, i) => ({
      __typename: 'ServerlessSnapshot',
      groupId: DEMO.groupId,
      clusterName: DEMO.clusterName,
      id: i.toString(16).padStart(24, '0'),
    }));
    const many = await post({
      query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServerlessSnapshot { id } } }',
      variables: { r: distinct },
    });
    expect(many.body!.errors!.filter((e) => e.extensions!.code === 'QUERY_TOO_EXPENSIVE')).toHaveLength(50);
    expect(stack.simulator.upstreamCalls()).toBeLessThanOrEqual(100 + 1); // + the routing probe
  });
});

describe('HTTP', () => {
  it('request batching (an array of operations) is off', async () => {
    const { status } = await post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(status).toBe(400);
  });

  it('a body over 1 MB gets 413, chunked or not', async () => {
    const big = JSON.stringify({ query: `{ __typename } # ${'x'.repeat(1_100_000)}` });
    expect((await post(big)).status).toBe(413);
    const chunked = await fetch(stack.app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 12; i += 1)
            controller.enqueue(
              new TextEncoder().encode(i === 0 ? `{"query":"{ __typename }","x":"` : 'y'.repeat(100_000)),
            );
          controller.enqueue(new TextEncoder().encode('"}'));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(stack.simulator.stats.requests).toBe(0);
  });

  it('CSRF: a GET without the preflight header, and a text/plain POST, get 403 and no call', async () => {
    const q = encodeURIComponent(`{ ${snapshotField('s', key, 'id')} }`);
    expect((await fetch(`${stack.app.graphqlUrl}?query=${q}`)).status).toBe(403);
    const plain = await fetch(stack.app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: `{ ${snapshotField('s', key, 'id')} }` }),
    });
    expect(plain.status).toBe(403);
    const withHeader = await fetch(`${stack.app.graphqlUrl}?query=${q}`, {
      headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/graphql-response+json' },
    });
    expect(withHeader.status).toBe(200);
    expect(stack.simulator.upstreamCalls()).toBeGreaterThanOrEqual(1); // only the last one reached Atlas
  });

  it('field suggestions are shown while introspection is on', async () => {
    const { body } = await post({ query: '{ serverlessSnapshots2 }' });
    expect(body!.errors![0]!.message).toContain('Did you mean');
  });
});
