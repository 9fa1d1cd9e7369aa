import pino from 'pino';
import { createActionRunner } from '../../src/app.js';
import { describe, expect, it } from 'vitest';
import { DigestAuth } from '../../src/atlas/auth.js';
import { AtlasClient } from '../../src/atlas/client.js';
import { BackupReader } from '../../src/backups/backup-reader.js';
import { ServerlessLookupRouter } from '../../src/backups/serverless-lookup-router.js';
import { loadConfig } from '../../src/config/config.js';
import { exampleQuery } from '../../src/graphql/example-query.js';
import { createGraphQLServer } from '../../src/graphql/server.js';
import { createMetrics } from '../../src/support/metrics.js';
import { Secret } from '../../src/support/secret.js';
import { DEMO } from '../../src/simulator/seed.js';
import { encodeCursor } from '../../src/graphql/schema/pagination.js';
import {
  ANYONE_MAY_CALL,
  type GraphQLResponse,
  SERVERLESS_API_ONLY,
  type Stack,
  stackPerTest,
  TEST_KEY,
} from '../helpers.js';

// Issue #10, finding 2: cost is counted with the request's variables, list items are capped, and
// the Atlas bytes a request (and the whole process) holds are bounded, with typed errors.

const stacks = stackPerTest();
const FLEX_PAGE = (alias: string, first: string, after = '') =>
  `${alias}: flexSnapshots(groupId: "${DEMO.groupId}", name: "${DEMO.bigFlexCluster}", first: ${first}${after}) { edges { cursor node { id name status createdAt links { href rel } } } pageInfo { hasNextPage endCursor } }`;

async function post(stack: Stack, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(stack.app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

const codes = (body: GraphQLResponse) => (body.errors ?? []).map((e) => e.extensions?.code);

describe('cost with the request’s variables', () => {
  it('refuses the 717x amplification: 15 aliases with first: $n = 500 and a straddling cursor, before any call', async () => {
    const stack = await stacks.start({ ...ANYONE_MAY_CALL, ATLAS_SNAPSHOT_API: 'auto' });
    const fields = Array.from({ length: 15 }, (_, i) => FLEX_PAGE(`a${i}`, '$n', ', after: $c')).join(' ');
    const { status, body } = await post(stack, `query($n: Int, $c: String) { ${fields} }`, {
      n: 500,
      c: encodeCursor(250),
    });
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(codes(body)).toEqual(['QUERY_TOO_EXPENSIVE']);
    expect(body.errors![0]!.message).toMatch(/costs \d+ .*GRAPHQL_MAX_COST/);
    expect(stack.simulator.upstreamCalls()).toBe(0);
  });

  it('prices a variable’s default and a missing variable (the connection default, 100) as they will run', async () => {
    const stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    const three = (first: string) => Array.from({ length: 3 }, (_, i) => FLEX_PAGE(`p${i}`, first)).join(' ');
    const withDefault = await post(stack, `query($n: Int = 500) { ${three('$n')} }`);
    expect(codes(withDefault.body)).toEqual(['QUERY_TOO_EXPENSIVE']);
    expect(stack.simulator.upstreamCalls()).toBe(0);
    const missing = await post(stack, `query($n: Int) { ${three('$n')} }`);
    expect(missing.body.errors).toBeUndefined();
    expect((missing.body.data as Record<string, { edges: unknown[] }>).p0!.edges).toHaveLength(100);
  });

  it('caps list items (GRAPHQL_MAX_ITEMS) even where the cost passes', async () => {
    const stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL, GRAPHQL_MAX_COST: '1000000' });
    const { status, body } = await post(
      stack,
      `query($n: Int) { ${FLEX_PAGE('a', '$n')} ${FLEX_PAGE('b', '$n')} ${FLEX_PAGE('c', '$n')} }`,
      { n: 400 },
    );
    expect(status).toBe(400);
    expect(body.errors![0]!.message).toMatch(/asks Atlas for 1200 list items.*GRAPHQL_MAX_ITEMS/);
    expect(stack.simulator.upstreamCalls()).toBe(0);
    const two = await post(stack, `query($n: Int) { ${FLEX_PAGE('a', '$n')} ${FLEX_PAGE('b', '$n')} }`, { n: 500 });
    expect(two.body.errors).toBeUndefined();
  });

  it('counts _entities representations as items', async () => {
    const stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL, GRAPHQL_MAX_ITEMS: '50' });
    const r = Array.from({ length: 51 }, (_, i) => ({
      __typename: 'FlexSnapshot',
      groupId: DEMO.groupId,
      name: 'x',
      id: i.toString(16).padStart(24, '0'),
    }));
    const { body } = await post(stack, 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r });
    expect(codes(body)).toEqual(['QUERY_TOO_EXPENSIVE']);
    expect(stack.simulator.upstreamCalls()).toBe(0);
  });
});

describe('response size (GRAPHQL_MAX_RESPONSE_BYTES)', () => {
  it('aliases repeating a field past the cap: the response is replaced by QUERY_TOO_EXPENSIVE; one alias passes', async () => {
    const stack = await stacks.start({
      ...SERVERLESS_API_ONLY,
      ...ANYONE_MAY_CALL,
      GRAPHQL_MAX_RESPONSE_BYTES: '50000',
    });
    // 15 aliases (the limit) of one 60-item page: within cost and items, one Atlas call, ~15x the bytes.
    const fifteen = Array.from({ length: 15 }, (_, i) => FLEX_PAGE(`a${i}`, '60')).join(' ');
    const { status, body } = await post(stack, `{ ${fifteen} }`);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      {
        message: expect.stringContaining('larger than 50000 bytes (GRAPHQL_MAX_RESPONSE_BYTES)') as string,
        extensions: { code: 'QUERY_TOO_EXPENSIVE', maxResponseBytes: 50000 },
      },
    ]);
    const one = await post(stack, `{ ${FLEX_PAGE('a', '60')} }`);
    expect(one.body.errors).toBeUndefined();
    expect(JSON.stringify(one.body).length).toBeGreaterThan(5_000);
    expect(JSON.stringify(one.body).length).toBeLessThan(50_000);
  });
});

describe('Atlas bytes held per request and per process', () => {
  it('a request whose Atlas answers outgrow UPSTREAM_MAX_BYTES_PER_REQUEST gets a typed error', async () => {
    const stack = await stacks.start({
      ...SERVERLESS_API_ONLY,
      ...ANYONE_MAY_CALL,
      UPSTREAM_MAX_BYTES_PER_REQUEST: '20000',
    });
    const { body } = await post(stack, `{ ${FLEX_PAGE('a', '500')} }`);
    expect(codes(body)).toEqual(['QUERY_TOO_EXPENSIVE']);
    expect(body.errors![0]!.message).toContain('UPSTREAM_MAX_BYTES_PER_REQUEST');
    expect(stack.simulator.upstreamCalls()).toBe(1);
  });

  it('past UPSTREAM_MAX_BYTES_IN_FLIGHT requests get SERVER_BUSY, and the bytes come back when they end', async () => {
    const stack = await stacks.start({
      ...SERVERLESS_API_ONLY,
      ...ANYONE_MAY_CALL,
      UPSTREAM_MAX_BYTES_IN_FLIGHT: '250000',
      CALLER_MAX_BYTES_IN_FLIGHT: '250000', // one caller here: the process-wide cap is what is tested
    });
    // Each full page is ~90 KB, held until its request ends; a slow second field keeps six requests in flight together.
    stack.simulator.faults.latencyByOperation = { getFlexBackupSnapshot: 300 };
    const slow = `s: flexSnapshot(groupId: "${DEMO.groupId}", name: "${DEMO.flexCluster}", snapshotId: "${DEMO.flexSnapshotId}") { id }`;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => post(stack, `{ ${FLEX_PAGE('a', '500')} ${slow} }`)),
    );
    const outcomes = results.map((r) => (r.body.errors ? codes(r.body)[0] : 'ok'));
    expect(outcomes).toContain('ok');
    expect(outcomes).toContain('SERVER_BUSY');
    expect(outcomes.every((o) => o === 'ok' || o === 'SERVER_BUSY')).toBe(true);
    const busy = results.find((r) => r.body.errors)!;
    expect(busy.body.errors![0]!.extensions).toMatchObject({ code: 'SERVER_BUSY', retryAfterSeconds: 1 });
    // Everything was given back: one request at a time always fits.
    stack.simulator.faults.latencyByOperation = {};
    for (let i = 0; i < 3; i++) expect((await post(stack, `{ ${FLEX_PAGE('a', '500')} }`)).body.errors).toBeUndefined();
  });

  it('a request cut short mid-body (its execution throws on the abort) gives its bytes back once its calls are past their deadline', async () => {
    const stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL, ATLAS_TIMEOUT_MS: '1500' });
    const held = async () => {
      const text = await (await fetch(new URL('/metrics', stack.app.graphqlUrl))).text();
      return Number(/^graphql_upstream_bytes_in_flight (\d+)$/m.exec(text)?.[1]);
    };
    expect((await post(stack, `{ ${FLEX_PAGE('warm', '1')} }`)).body.errors).toBeUndefined(); // the Digest nonce in hand
    expect(await held()).toBe(0);
    // Atlas sends the page slowly and never finishes it: the call ends at its deadline (ATLAS_TIMEOUT_MS).
    const item = `${JSON.stringify({ id: 'a'.repeat(24), name: 'x' })},`;
    stack.simulator.faults.inject({ kind: 'stream', prefix: '{"results":[', chunk: item.repeat(40), intervalMs: 20 });
    const client = new AbortController();
    const abandoned = fetch(stack.app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ ${FLEX_PAGE('a', '500')} }` }),
      signal: client.signal,
    }).catch(() => undefined);
    await expect.poll(held).toBeGreaterThan(10_000);
    client.abort();
    await abandoned;
    // The call is still on the wire, so its bytes still count; past its deadline they are all back.
    expect(await held()).toBeGreaterThan(0);
    await expect.poll(held, { timeout: 5_000, interval: 100 }).toBe(0);
  });
});

describe('a response waiting for a slow reader', () => {
  it('keeps its Atlas bytes charged until it has been written, not just until execution ends', async () => {
    const stack = await stacks.start({ ...ANYONE_MAY_CALL });
    const config = loadConfig({ ...ANYONE_MAY_CALL, MONGODB_ATLAS_BASE_URL: stack.simulator.url });
    const atlas = new AtlasClient({
      ...config.atlasClient,
      baseUrl: new URL(stack.simulator.url),
      auth: new DigestAuth(TEST_KEY.publicKey, new Secret(TEST_KEY.privateKey)),
      userAgent: 'test',
    });
    const metrics = createMetrics(() => 'closed');
    const yoga = createGraphQLServer({
      config,
      reader: new BackupReader(atlas, new ServerlessLookupRouter('auto')),
      actions: createActionRunner(atlas, config, pino({ level: 'silent' })),
      logger: pino({ level: 'silent' }),
      metrics,
      breakerState: () => 'closed',
      draining: () => false,
      exampleQuery: exampleQuery(),
    });
    const held = async () =>
      Number(/^graphql_upstream_bytes_in_flight (\d+)$/m.exec(await metrics.registry.metrics())?.[1] ?? NaN);
    // The server context Node's HTTP listener gives (see app.ts): `whenSent` runs once the response is written.
    let written: (() => void) | undefined;
    const whenSent = (done: () => void) => void (written = done);
    const response = await yoga.fetch(
      'http://localhost/graphql',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ ${FLEX_PAGE('a', '500')} }` }),
      },
      { clientAddress: '127.0.0.1', whenSent },
    );
    expect(((await response.json()) as GraphQLResponse).errors).toBeUndefined();
    expect(await held()).toBeGreaterThan(50_000); // executed and serialised, but not yet written
    written!();
    expect(await held()).toBe(0);
    await atlas.close();
  });
});
