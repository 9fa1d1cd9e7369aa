import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print } from 'graphql';
import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { createAtlasBackupsClient, ServerlessSnapshotQuery, snapshotStatus } from '../../examples/frontend-client.js';
import { ClusterRestoreJobSubscription } from '../../examples/live-status.js';
import { ClusterRestoreJobQuery, CreateClusterRestoreJobMutation } from '../../examples/restore-flow.js';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { DEMO } from '../../src/simulator/seed.js';
import { startAtlasSimulator } from '../../src/simulator/server.js';
import {
  ANYONE_MAY_CALL,
  type GraphQLResponse,
  SERVERLESS_API_ONLY,
  type Stack,
  startReplica,
  startStack,
  TEST_KEY,
} from '../helpers.js';
import { completedSnapshotOf, FLEET, subscribe, WATCH } from './subscription-kit.js';

// Trusted documents (issue #16): the example frontend's manifest (examples/gql, written by codegen)
// loaded by a real server over loopback; ids answered, anything else refused before any Atlas call.

const EXAMPLE_MANIFEST = 'examples/gql/persisted-documents.json';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const example = JSON.parse(readFileSync(EXAMPLE_MANIFEST, 'utf8')) as Record<string, string>;
const hashOf = (document: unknown) => (document as { __meta__?: { hash?: string } }).__meta__!.hash!;
const QUERY_HASH = hashOf(ServerlessSnapshotQuery);
const SUBSCRIPTION = `subscription SnapshotLive($groupId: ID!, $clusterName: String!, $snapshotId: ID!) { clusterSnapshot(groupId: $groupId, clusterName: $clusterName, snapshotId: $snapshotId) { id status } }`;

/** A manifest file in a directory of its own: the example's documents and `extra`, each by its hash. */
function manifestFile(extra: string[] = [], entries: Record<string, string> = {}): string {
  const documents = { ...example, ...Object.fromEntries(extra.map((text) => [sha256(text), text])), ...entries };
  const file = join(mkdtempSync(join(tmpdir(), 'trusted-')), 'persisted-documents.json');
  writeFileSync(file, JSON.stringify(documents));
  return file;
}

const vars = { groupId: DEMO.groupId, clusterName: DEMO.clusterName, snapshotId: DEMO.snapshotId };
const calls = (stack: Stack) => Object.values(stack.simulator.stats.byOperation).reduce((a, b) => a + b, 0);

/** POSTs `body` as JSON (GraphQL over HTTP's media type): the status and the parsed body. */
async function post(stack: Stack, body: unknown): Promise<{ status: number; body: GraphQLResponse }> {
  const response = await fetch(stack.app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

/** One WebSocket subscription sent by id alone (graphql-ws needs a `query`: empty): every event, then how it ended. */
function subscribeById(stack: Stack, hash: string, variables: Record<string, unknown>) {
  const client = createWsClient({
    url: stack.app.graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
  const events: unknown[] = [];
  return new Promise<{ events: unknown[]; error?: unknown }>((resolve) => {
    client.subscribe(
      { query: '', variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } },
      {
        next: (value) => void events.push(value),
        error: (error) => resolve({ events, error }),
        complete: () => resolve({ events }),
      },
    );
  }).finally(() => void client.dispose());
}

it('the committed manifest is what codegen writes from the examples’ documents, each keyed by its sha256', () => {
  // frontend-client.ts's query, restore-flow.ts's mutation and query, live-status.ts's subscription.
  const generated = [ServerlessSnapshotQuery, CreateClusterRestoreJobMutation, ClusterRestoreJobQuery];
  expect(Object.keys(example).sort()).toEqual([...generated, ClusterRestoreJobSubscription].map(hashOf).sort());
  for (const [hash, document] of Object.entries(example)) expect(sha256(document)).toBe(hash);
  expect(example[QUERY_HASH]).toMatch(/^query ServerlessSnapshot\(/);
  expect(example[hashOf(CreateClusterRestoreJobMutation)]).toMatch(/ mutation CreateClusterRestoreJob\(/);
  // `npm run codegen:check`: a fresh generation matches the committed files, and a stale copy fails.
  const check = (dir?: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/codegen-check.ts', ...(dir ? [dir] : [])], {
      encoding: 'utf8',
    });
  expect(check()).toMatchObject({ status: 0, stdout: 'examples/gql is up to date\n' });
  const stale = mkdtempSync(join(tmpdir(), 'gql-stale-'));
  cpSync('examples/gql', stale, { recursive: true });
  writeFileSync(
    join(stale, 'persisted-documents.json'),
    JSON.stringify({ [sha256('{ __typename }')]: '{ __typename }' }),
  );
  const refused = check(stale);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain('is stale (persisted-documents.json)');
  // Two codegen runs in child processes: seconds each on a loaded machine.
}, 60_000);

describe('PERSISTED_DOCUMENTS_ONLY=true', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      ...ANYONE_MAY_CALL,
      PERSISTED_DOCUMENTS_FILE: manifestFile([SUBSCRIPTION]),
      PERSISTED_DOCUMENTS_ONLY: 'true',
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.simulator.reset());

  it('answers the example frontend sending only the hash (urql persistedExchange), with the same data', async () => {
    const client = createAtlasBackupsClient(stack.app.graphqlUrl, {}, { persisted: true });
    const view = await snapshotStatus(client, vars);
    expect(view).toMatchObject({ kind: 'snapshot', snapshot: { id: DEMO.snapshotId, status: 'COMPLETED' } });
    expect(calls(stack)).toBeGreaterThan(0);
    // The same frontend sending the document's text is refused, before any Atlas call.
    stack.simulator.reset();
    expect(await snapshotStatus(createAtlasBackupsClient(stack.app.graphqlUrl), vars)).toEqual({
      kind: 'error',
      code: 'PERSISTED_DOCUMENT_REQUIRED',
    });
    expect(calls(stack)).toBe(0);
  });

  it('answers documentId (sha256:<hash> or the hash) and extensions.persistedQuery alike', async () => {
    const bodies = [
      { documentId: `sha256:${QUERY_HASH}`, variables: vars },
      { documentId: QUERY_HASH, variables: vars },
      { extensions: { persistedQuery: { version: 1, sha256Hash: QUERY_HASH } }, variables: vars },
    ];
    const answers = await Promise.all(bodies.map((body) => post(stack, body)));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
    }
    expect(new Set(answers.map((a) => JSON.stringify(a.body.data))).size).toBe(1);
  });

  it('refuses any document sent as text — the manifest’s own, introspection, with an id — with 0 Atlas calls', async () => {
    const text = print(ServerlessSnapshotQuery);
    for (const body of [
      { query: text, variables: vars },
      { query: '{ __schema { queryType { name } } }' },
      { query: text, variables: vars, documentId: QUERY_HASH },
      { variables: vars },
    ]) {
      const { status, body: answer } = await post(stack, body);
      expect(status).toBe(400);
      expect(answer.data).toBeUndefined();
      expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_DOCUMENT_REQUIRED']);
    }
    expect(calls(stack)).toBe(0);
  });

  it('answers an unknown id with PERSISTED_DOCUMENT_NOT_FOUND, echoing it only when it is a hash', async () => {
    const unknown = sha256('query Nope { __typename }');
    const { status, body } = await post(stack, { documentId: `sha256:${unknown}`, variables: vars });
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'PERSISTED_DOCUMENT_NOT_FOUND', documentId: unknown } }),
    ]);
    const odd = await post(stack, { documentId: '<script>', variables: vars });
    expect(odd.body.errors?.[0]?.extensions).toEqual({ code: 'PERSISTED_DOCUMENT_NOT_FOUND' });
    expect(JSON.stringify(odd.body)).not.toContain('<script>');
    expect(calls(stack)).toBe(0);
  });

  it('over WebSocket and SSE, refuses a subscription sent as text with 0 Atlas calls; runs one sent by id', async () => {
    const clusterName = 'fleet-01';
    const key = { groupId: FLEET, clusterName, snapshotId: completedSnapshotOf(stack, clusterName) };
    const refused = subscribe('ws', stack.app.graphqlUrl, WATCH.clusterSnapshot, key);
    await refused.ended();
    expect(refused.end?.kind).toBe('error');
    expect(JSON.stringify(refused.end)).toContain('PERSISTED_DOCUMENT_REQUIRED');
    expect(refused.events).toEqual([]);
    // Over SSE a subscription is an HTTP request: the same refusal, before any stream.
    const overSse = subscribe('sse', stack.app.graphqlUrl, WATCH.clusterSnapshot, key);
    await overSse.ended();
    expect(overSse.events.map((event) => event.errors?.map((e) => e.extensions?.code))).toEqual([
      ['PERSISTED_DOCUMENT_REQUIRED'],
    ]);
    expect(calls(stack)).toBe(0);

    const unknown = await subscribeById(stack, sha256('subscription { nothing }'), key);
    expect(JSON.stringify(unknown.error)).toContain('PERSISTED_DOCUMENT_NOT_FOUND');
    expect(calls(stack)).toBe(0);

    // The snapshot is completed: its state once, then the stream completes.
    const trusted = await subscribeById(stack, sha256(SUBSCRIPTION), key);
    expect(trusted).toEqual({
      events: [{ data: { clusterSnapshot: { id: key.snapshotId, status: 'COMPLETED' } } }],
    });
    expect(calls(stack)).toBeGreaterThan(0);
  });
});

describe('PERSISTED_DOCUMENTS_ONLY=false (the rollout: ids answered, any other document still runs)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      ...ANYONE_MAY_CALL,
      ...SERVERLESS_API_ONLY,
      PERSISTED_DOCUMENTS_FILE: EXAMPLE_MANIFEST,
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.simulator.reset());

  it('answers the id with the same data and the same Atlas calls as the document’s text', async () => {
    const byText = await post(stack, { query: print(ServerlessSnapshotQuery), variables: vars });
    const textCalls = calls(stack);
    stack.simulator.reset();
    const byId = await post(stack, { documentId: `sha256:${QUERY_HASH}`, variables: vars });
    expect(byId).toEqual(byText);
    expect(byText.body.data).toMatchObject({ serverlessSnapshot: { id: DEMO.snapshotId, status: 'COMPLETED' } });
    expect(calls(stack)).toBe(textCalls);
  });

  it('keeps arbitrary documents, introspection and GraphiQL working; an unknown id is still NOT_FOUND', async () => {
    const adHoc = await stack.query<{ serverlessSnapshot: { id: string } }>(
      `{ serverlessSnapshot(groupId: "${vars.groupId}", clusterName: "${vars.clusterName}", snapshotId: "${vars.snapshotId}") { id } }`,
    );
    expect(adHoc.data?.serverlessSnapshot.id).toBe(DEMO.snapshotId);
    const introspection = await stack.query<{ __schema: { queryType: { name: string } } }>(
      '{ __schema { queryType { name } } }',
    );
    expect(introspection.data?.__schema.queryType.name).toBe('Query');
    const page = await fetch(stack.app.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('GraphiQL');
    const before = calls(stack);
    const unknown = await post(stack, { documentId: sha256('nope'), variables: vars });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
    const neither = await post(stack, { variables: vars });
    expect(neither.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(calls(stack)).toBe(before);
  });
});

describe('a manifest that cannot be used stops the start', () => {
  const env = (extra: Record<string, string>) => ({ ...ANYONE_MAY_CALL, ...extra });
  const problemsOf = (extra: Record<string, string>): string[] => {
    try {
      loadConfig(env(extra));
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  };

  it('PERSISTED_DOCUMENTS_ONLY without a file; a file missing, not JSON, not a manifest, or a hash that does not match', () => {
    expect(problemsOf({ PERSISTED_DOCUMENTS_ONLY: 'true' })).toEqual([
      expect.stringContaining('PERSISTED_DOCUMENTS_ONLY=true needs PERSISTED_DOCUMENTS_FILE'),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'trusted-bad-'));
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    expect(problemsOf({ PERSISTED_DOCUMENTS_FILE: join(dir, 'missing.json') })).toEqual([
      'PERSISTED_DOCUMENTS_FILE cannot be read (ENOENT)',
    ]);
    expect(problemsOf({ PERSISTED_DOCUMENTS_FILE: write('a.json', '{ not json') })).toEqual([
      'PERSISTED_DOCUMENTS_FILE is not JSON',
    ]);
    expect(problemsOf({ PERSISTED_DOCUMENTS_FILE: write('b.json', '{"abc": "query { __typename }"}') })).toEqual([
      expect.stringContaining('PERSISTED_DOCUMENTS_FILE is not a manifest'),
    ]);
    const wrong = sha256('something else');
    expect(
      problemsOf({ PERSISTED_DOCUMENTS_FILE: write('c.json', JSON.stringify({ [wrong]: '{ __typename }' })) }),
    ).toEqual([
      `PERSISTED_DOCUMENTS_FILE holds documents that do not hash to their key (sha256): ${wrong.slice(0, 12)}…`,
    ]);
    expect(problemsOf({ PERSISTED_DOCUMENTS_FILE: EXAMPLE_MANIFEST, PERSISTED_DOCUMENTS_ONLY: 'true' })).toEqual([]);
  });

  it('PERSISTED_DOCUMENTS_ONLY=true with GraphiQL on: the start-up log says GraphiQL can run nothing', () => {
    const only = { PERSISTED_DOCUMENTS_FILE: EXAMPLE_MANIFEST, PERSISTED_DOCUMENTS_ONLY: 'true' };
    expect(loadConfig(env(only)).notes).toContainEqual(expect.stringMatching(/GraphiQL is served but every document/));
    expect(loadConfig(env({ ...only, GRAPHIQL: 'false' })).notes.join()).not.toMatch(/GraphiQL/);
    expect(loadConfig(env({ ...only, PERSISTED_DOCUMENTS_ONLY: 'false' })).notes.join()).not.toMatch(/GraphiQL/);
  });

  it('a document the schema or the limits refuse: a ConfigError naming it, no server', async () => {
    const simulator = await startAtlasSimulator({ apiKeys: [TEST_KEY] });
    onTestFinished(() => simulator.close());
    const invalid = 'query Gone { noSuchField }';
    await expect(startReplica(simulator, env({ PERSISTED_DOCUMENTS_FILE: manifestFile([invalid]) }))).rejects.toThrow(
      `PERSISTED_DOCUMENTS_FILE document ${sha256(invalid).slice(0, 12)}… is not valid here: Cannot query field "noSuchField" on type "Query".`,
    );
    // The example's document is 2 deep: GRAPHQL_MAX_DEPTH=1 refuses it at start, as it would refuse the request.
    await expect(
      startReplica(simulator, env({ PERSISTED_DOCUMENTS_FILE: EXAMPLE_MANIFEST, GRAPHQL_MAX_DEPTH: '1' })),
    ).rejects.toThrow(/PERSISTED_DOCUMENTS_FILE document 209ff3403c20… is not valid here: .*[Dd]epth/);
  });
});
