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

/**
 * Sends one raw HTTP/1.1 request (request line and Host lines as given, nothing normalised) and
 * returns status and body.
 */
function raw(
  requestLine: string,
  headers: Record<string, string> = {},
  body = '',
  hosts = [`Host: 127.0.0.1:${port}`],
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
      ...hosts,
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

/**
 * Host headers that are not one host[:port] (RFC 3986). Yoga rebuilds the request URL as
 * `http://${Host}${target}`: `Host: a/x` made it see `/x/graphql`, which the door did not guard.
 */
const BAD_HOSTS: [string, string[]][] = [
  ['a path', ['Host: a/x']],
  ['a query', ['Host: a?x']],
  ['a fragment', ['Host: a#x']],
  ['userinfo', ['Host: u@h']],
  ['a backslash', ['Host: a\\x']],
  ['a space', ['Host: a x']],
  ['a percent-encoded slash', ['Host: a%2Fx']],
  ['empty', ['Host:']],
  ['very long', [`Host: ${'a'.repeat(4_000)}`]],
  ['a port out of range', ['Host: a:65536']],
  ['a bracketed non-address', ['Host: [::g]']],
  ['two Host headers', ['Host: 127.0.0.1', 'Host: a/x']],
  ['two equal Host headers', ['Host: localhost', 'Host: localhost']],
];

describe('the Host header', () => {
  const NOPE = JSON.stringify({ query: '{ nope }' });

  it.each(BAD_HOSTS)('%s: 400 before anything reads the body, with or without a key', async (_name, hosts) => {
    const before = stack.simulator.upstreamCalls();
    const anonymous = await raw('POST /graphql HTTP/1.1', JSON_POST, NOPE, hosts);
    expect(anonymous.status, anonymous.text.slice(0, 300)).toBe(400);
    expect(anonymous.text).not.toContain('nope');
    const withKey = await raw('POST /graphql HTTP/1.1', { ...JSON_POST, 'x-api-key': KEY }, BODY, hosts);
    expect(withKey.status).toBe(400);
    expect(withKey.text).not.toContain(DEMO.snapshotId);
    expect(stack.simulator.upstreamCalls()).toBe(before);
  });

  it.each(['localhost', 'localhost:1', 'example.com', '127.0.0.1', '[::1]:4000', 'a-b_c.~x'])(
    'Host: %s is a host: 401 without a key, 200 with one',
    async (host) => {
      const hosts = [`Host: ${host}`];
      expect((await raw('POST /graphql HTTP/1.1', JSON_POST, BODY, hosts)).status).toBe(401);
      const response = await raw('POST /graphql HTTP/1.1', { ...JSON_POST, 'x-api-key': KEY }, BODY, hosts);
      expect(response.status).toBe(200);
      expect(response.text).toContain(DEMO.snapshotId);
    },
  );
});

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

  it('the door authenticates every request the router did not approve for another endpoint at the path Yoga sees', async () => {
    const config = loadConfig({
      MONGODB_ATLAS_BASE_URL: stack.simulator.url,
      ...{ MONGODB_ATLAS_PUBLIC_API_KEY: 'a', MONGODB_ATLAS_PRIVATE_API_KEY: 'b' },
      AUTH_API_KEYS: KEY,
    });
    const plugin = callerAuthentication(config.callerAuth, { graphqlPath: '/graphql', graphiql: false })!;
    const yoga = createYoga({ schema, plugins: [plugin], context: () => ({}) });
    // A body that is not JSON: the door refuses before reading it (401); past the door it is a 400.
    const cases: [string, Record<string, string>][] = [
      ['http://localhost/x/graphql', {}], // not routed, and Yoga serves any path ending in /graphql
      ['http://localhost/x/graphql', { routedPath: '/graphql' }], // routed, but Yoga sees another path
      ['http://localhost/x/graphql', { routedPath: '/health' }],
      ['http://localhost/graphql', { routedPath: '/health' }],
    ];
    for (const [url, routed] of cases) {
      const response = await yoga.fetch(url, { method: 'POST', headers: JSON_POST, body: '{not json' }, routed);
      expect(response.status, `${url} ${JSON.stringify(routed)}`).toBe(401);
    }
    // Another endpoint, approved and seen at its own path, goes by the door (here Yoga has nothing there: 404).
    const health = await yoga.fetch('http://localhost/readiness', {}, { routedPath: '/readiness' });
    expect(health.status).toBe(404);
  });

  it('the execution gate stops an operation that reached Yoga without passing the door', async () => {
    // The door guards another path here and takes /graphql for another endpoint the router approved,
    // so only the gate stands between the request and the resolvers.
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
      const response = await yoga.fetch(
        'http://localhost/graphql',
        { method: 'POST', headers: JSON_POST, body },
        { routedPath: '/graphql' },
      );
      const result = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      expect(response.status).toBe(401);
      expect(result.data).toBeUndefined();
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(resolved).toBe(3);
  });
});
