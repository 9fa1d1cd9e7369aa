import { connect } from 'node:net';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { callerAuthentication } from '../../src/graphql/plugins/caller-auth.js';
import { schema } from '../../src/graphql/schema/index.js';
import { DEMO } from '../../src/simulator/seed.js';
import { SERVERLESS_API_ONLY, type Stack, startStack } from '../helpers.js';

// Issue #10, finding 1: caller authentication was checked on `url.pathname === '/graphql'` while
// Yoga executed GraphQL on other paths too. Every spelling below must reach no resolver and make no
// Atlas call without a key; GraphQL answers on exactly one path.

const KEY = 'paths-test-key';
const OPERATION = `{ serverlessSnapshot(groupId: "${DEMO.groupId}", clusterName: "${DEMO.clusterName}", snapshotId: "${DEMO.snapshotId}") { id } }`;
const BODY = JSON.stringify({ query: OPERATION });
const ENTITIES = JSON.stringify({
  query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
  variables: {
    r: [
      { __typename: 'ServerlessSnapshot', groupId: DEMO.groupId, clusterName: DEMO.clusterName, id: DEMO.snapshotId },
    ],
  },
});

let stack: Stack;
let port: number;

beforeAll(async () => {
  stack = await startStack({ ...SERVERLESS_API_ONLY, AUTH_API_KEYS: KEY });
  port = Number(new URL(stack.app.graphqlUrl).port);
});
afterAll(() => stack.close());

/** Sends one raw HTTP/1.1 request (request line as given, nothing normalised) and returns status and body. */
function raw(
  requestLine: string,
  headers: Record<string, string> = {},
  body = '',
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
      resolve({ status, text: received.slice(received.indexOf('\r\n\r\n') + 4) });
    });
    const lines = [
      requestLine,
      `Host: 127.0.0.1:${port}`,
      'Connection: close',
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
    // Written, not ended: a half-closed socket reads as a client that went away and cancels the operation.
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  });
}

const JSON_POST = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
const CSRF_GET = { 'x-graphql-yoga-csrf': '1', accept: 'application/graphql-response+json' };
const query = encodeURIComponent(OPERATION);

/** Request lines that once executed GraphQL without a key, and every other spelling we could think of. */
const VARIANTS: [string, Record<string, string>, string][] = [
  ['POST /graphql/ HTTP/1.1', JSON_POST, BODY],
  ['POST //graphql HTTP/1.1', JSON_POST, BODY],
  ['POST /x/graphql HTTP/1.1', JSON_POST, BODY],
  ['POST /a/b/graphql/ HTTP/1.1', JSON_POST, BODY],
  ['POST /foo?a=/graphql HTTP/1.1', JSON_POST, BODY],
  ['POST /health?/graphql HTTP/1.1', JSON_POST, BODY],
  ['POST /readiness?/graphql HTTP/1.1', JSON_POST, BODY],
  ['POST /metrics?x=/graphql HTTP/1.1', JSON_POST, BODY],
  [`GET /graphql/?query=${query} HTTP/1.1`, CSRF_GET, ''],
  [`GET /x/graphql?query=${query} HTTP/1.1`, CSRF_GET, ''],
  ['POST /graphql%2F HTTP/1.1', JSON_POST, BODY],
  ['POST /%67raphql HTTP/1.1', JSON_POST, BODY],
  ['POST /GRAPHQL HTTP/1.1', JSON_POST, BODY],
  ['POST /GraphQL HTTP/1.1', JSON_POST, BODY],
  ['POST /graphql;x=1 HTTP/1.1', JSON_POST, BODY],
  ['POST /graphql%00 HTTP/1.1', JSON_POST, BODY],
  ['POST /graphql%20 HTTP/1.1', JSON_POST, BODY],
  ['POST /graphql/. HTTP/1.1', JSON_POST, BODY],
  ['POST /graphql/.. HTTP/1.1', JSON_POST, BODY],
  ['POST /x/../graphql HTTP/1.1', JSON_POST, BODY],
  ['POST /./graphql HTTP/1.1', JSON_POST, BODY],
  ['POST /%2e/graphql HTTP/1.1', JSON_POST, BODY],
  ['POST /graphql? HTTP/1.1', JSON_POST, BODY],
  ['POST /graphql?/graphql HTTP/1.1', JSON_POST, BODY],
  ['POST /graphiql/assets/../../graphql HTTP/1.1', JSON_POST, BODY],
  ['POST /graphiql/assets/graphql HTTP/1.1', JSON_POST, BODY],
  ['POST /health/graphql HTTP/1.1', JSON_POST, BODY],
  ['POST http://evil.example/graphql HTTP/1.1', JSON_POST, BODY],
  ['POST http://evil.example/x/graphql HTTP/1.1', JSON_POST, BODY],
  ['POST http://127.0.0.1/graphql/ HTTP/1.1', JSON_POST, BODY],
  ['POST /graphql HTTP/1.1', JSON_POST, BODY],
  ['OPTIONS * HTTP/1.1', {}, ''],
  ['POST graphql HTTP/1.1', JSON_POST, BODY],
  ['POST /graphql HTTP/1.1', { 'content-type': 'text/plain' }, BODY],
  ['POST /graphql HTTP/1.1', { 'content-type': 'application/graphql' }, OPERATION],
  ['POST /graphql HTTP/1.1', JSON_POST, ENTITIES],
  ['POST /graphql/ HTTP/1.1', JSON_POST, ENTITIES],
  ['POST /x/graphql HTTP/1.1', JSON_POST, JSON.stringify({ query: '{ _service { sdl } }' })],
  ['POST /graphql HTTP/1.1', { ...JSON_POST, authorization: 'Basic cGF0aHMtdGVzdC1rZXk6' }, BODY],
  ['POST /graphql HTTP/1.1', { ...JSON_POST, authorization: `Bearer ${KEY}x` }, BODY],
  [`GET /graphql?query=${query} HTTP/1.1`, CSRF_GET, ''],
  [`GET /graphql?query=${query} HTTP/1.1`, { ...CSRF_GET, accept: 'text/html, application/graphql-response+json' }, ''],
  ['PUT /graphql HTTP/1.1', JSON_POST, BODY],
  ['PATCH /x/graphql HTTP/1.1', JSON_POST, BODY],
];

describe('GraphQL on exactly one path, and never without an accepted caller', () => {
  it.each(VARIANTS)('%s (%j) reaches no resolver and no Atlas', async (line, headers, body) => {
    const before = stack.simulator.upstreamCalls();
    const response = await raw(line, headers, body);
    if (response.text.startsWith('<!doctype html>')) {
      // The GraphiQL page (GET text/html): a page, nothing executed.
      expect(line).toMatch(/^GET \/graphql\?/);
      expect(response.text).not.toContain('"data"');
      expect(stack.simulator.upstreamCalls()).toBe(before);
      return;
    } else if (/^POST \/(readiness|metrics)\?/.test(line)) {
      // Not GraphQL: those endpoints answer with their own (non-GraphQL) body, whatever the query string says.
      expect(response.text).not.toContain('"data"');
    } else {
      expect(response.status, response.text.slice(0, 300)).not.toBe(200);
      expect([400, 401, 404, 405]).toContain(response.status);
    }
    expect(response.text).not.toContain(DEMO.snapshotId);
    expect(response.text).not.toContain('sdl');
    expect(stack.simulator.upstreamCalls()).toBe(before);
  });

  it('the exact path with a key still answers, and its dot-segment spelling is the same path', async () => {
    for (const line of ['POST /graphql HTTP/1.1', 'POST /x/../graphql HTTP/1.1', 'POST /graphql? HTTP/1.1']) {
      const response = await raw(line, { ...JSON_POST, 'x-api-key': KEY }, BODY);
      expect(response.status, line).toBe(200);
      expect(response.text).toContain(DEMO.snapshotId);
    }
  });

  it('other paths are 404 with or without a key', async () => {
    for (const line of [
      'POST /graphql/ HTTP/1.1',
      'POST /x/graphql HTTP/1.1',
      'POST /foo?a=/graphql HTTP/1.1',
      'GET /health/ HTTP/1.1',
      'GET /x/health HTTP/1.1',
    ]) {
      expect(
        (await raw(line, { ...JSON_POST, 'x-api-key': KEY }, line.startsWith('POST') ? BODY : '')).status,
        line,
      ).toBe(404);
    }
    expect((await raw('GET /health HTTP/1.1')).status).toBe(200);
  });

  it('the execution gate stops an operation that reached Yoga without passing the door', async () => {
    // The door watches another path here, so only the gate stands between the request and the resolvers.
    const config = loadConfig({
      MONGODB_ATLAS_BASE_URL: stack.simulator.url,
      PORT: '0',
      ...{ MONGODB_ATLAS_PUBLIC_API_KEY: 'a', MONGODB_ATLAS_PRIVATE_API_KEY: 'b' },
      AUTH_API_KEYS: KEY,
    });
    const plugin = callerAuthentication(config.callerAuth, { graphqlPath: '/elsewhere', graphiql: false })!;
    let resolved = 0;
    const yoga = createYoga({
      schema,
      plugins: [{ onExecute: () => void (resolved += 1) }, plugin],
      context: () => ({
        loaders: new Proxy(
          {},
          {
            get: () => {
              throw new Error('a resolver ran');
            },
          },
        ),
      }),
    });
    for (const body of [BODY, ENTITIES, JSON.stringify({ query: '{ _service { sdl } }' })]) {
      const response = await yoga.fetch('http://localhost/graphql', { method: 'POST', headers: JSON_POST, body });
      const result = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      expect(response.status).toBe(401);
      expect(result.data).toBeUndefined();
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(resolved).toBe(3);
  });
});
