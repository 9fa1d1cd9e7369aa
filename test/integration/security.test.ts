import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getServerlessBackupSnapshot } from '../../src/atlas/serverless-backup.js';
import { DEMO } from '../../src/simulator/seed.js';
import {
  ANYONE_MAY_CALL,
  SERVERLESS_API_ONLY,
  type Stack,
  stackPerTest,
  startStack,
  TEST_SERVICE_ACCOUNT,
} from '../helpers.js';

const query = (clusterName: string, snapshotId = DEMO.snapshotId) => ({
  query:
    'query ($g: ID!, $c: String!, $s: ID!) { serverlessSnapshot(groupId: $g, clusterName: $c, snapshotId: $s) { id } }',
  variables: { g: DEMO.groupId, c: clusterName, s: snapshotId },
});

describe('path safety (SSRF)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.simulator.reset());

  const send = async (body: unknown) => {
    const response = await fetch(stack.app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as { errors?: { extensions?: { code?: string; argument?: string } }[] };
  };

  it('for arbitrary names: BAD_USER_INPUT with zero calls, or exactly the templated path', async () => {
    const edgeCases = [
      '..',
      '.',
      '%2e%2e',
      '..%2f',
      'a/b',
      'a?x',
      'a#x',
      'a\\b',
      'a\u0000b',
      'x'.repeat(65),
      '%2F',
      'a b',
      'é',
      'a\r\nHost: evil',
    ];
    const names = fc.oneof(
      fc.constantFrom(...edgeCases),
      fc.string({ maxLength: 80 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,70}$/),
    );
    let valid = 0;
    await fc.assert(
      fc.asyncProperty(names, async (name) => {
        stack.simulator.reset();
        const body = await send(query(name));
        const calls = stack.simulator.stats.requests;
        if (body.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT') {
          expect(body.errors[0].extensions.argument).toBe('clusterName');
          expect(calls).toBe(0);
        } else {
          valid += 1;
          expect(stack.simulator.stats.lastCall!.path).toBe(
            `/api/atlas/v2/groups/${DEMO.groupId}/serverless/${name}/backup/snapshots/${DEMO.snapshotId}`,
          );
          expect(name).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,63}$/);
        }
      }),
      { numRuns: 250, examples: edgeCases.map((c) => [c]) },
    );
    expect(valid).toBeGreaterThan(10);
  }, 60_000);

  it('the client refuses any path outside the operation template, whatever its caller built', () => {
    const ok = `/api/atlas/v2/groups/${DEMO.groupId}/serverless/x/backup/snapshots/${DEMO.snapshotId}`;
    expect(getServerlessBackupSnapshot.pathPattern.test(ok)).toBe(true);
    for (const bad of [
      ok.replace('/x/', '/../'),
      ok.replace('/x/', '/a/b/'),
      `${ok}?x=1`,
      `${ok}#f`,
      `//evil.example${ok}`,
      ok.replace('/x/', '/%2e%2e/').replace('%2e%2e', '..'),
      `http://evil.example${ok}`,
    ]) {
      expect(getServerlessBackupSnapshot.pathPattern.test(bad), bad).toBe(false);
    }
  });
});

describe('forward mode sends only the bearer token', () => {
  const stacks = stackPerTest();
  it('never Host, Cookie or X-Forwarded-* of the caller', async () => {
    const stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL }, 'forward');
    const basic = Buffer.from(`${TEST_SERVICE_ACCOUNT.clientId}:${TEST_SERVICE_ACCOUNT.clientSecret}`).toString(
      'base64',
    );
    const token = (
      (await (
        await fetch(`${stack.simulator.url}/api/oauth/token`, {
          method: 'POST',
          headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials',
        })
      ).json()) as { access_token: string }
    ).access_token;
    const { errors } = await stack.query(
      `{ serverlessSnapshot(groupId: "${DEMO.groupId}", clusterName: "${DEMO.clusterName}", snapshotId: "${DEMO.snapshotId}") { id } }`,
      undefined,
      {
        authorization: `Bearer ${token}`,
        cookie: 'session=caller-cookie',
        'x-forwarded-for': '203.0.113.9',
        'x-forwarded-host': 'evil.example',
        'x-api-key': 'caller-key',
      },
    );
    expect(errors).toBeUndefined();
    const headers = stack.simulator.stats.lastCall!.headers;
    expect(headers.authorization).toBe(`Bearer ${token}`);
    expect(headers.host).toBe(new URL(stack.simulator.url).host);
    for (const name of ['cookie', 'x-forwarded-for', 'x-forwarded-host', 'x-api-key'])
      expect(headers[name], name).toBeUndefined();
  });
});

describe('browsers: CORS', () => {
  const stacks = stackPerTest();
  const preflight = (url: string, origin: string) =>
    fetch(url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

  it('is closed by default outside demo mode', async () => {
    const stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    const response = await preflight(stack.app.graphqlUrl, 'https://evil.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows exactly the CORS_ORIGINS list', async () => {
    const stack = await stacks.start({
      ...SERVERLESS_API_ONLY,
      ...ANYONE_MAY_CALL,
      CORS_ORIGINS: 'https://app.example, https://admin.example',
    });
    expect(
      (await preflight(stack.app.graphqlUrl, 'https://app.example')).headers.get('access-control-allow-origin'),
    ).toBe('https://app.example');
    expect(
      (await preflight(stack.app.graphqlUrl, 'https://evil.example')).headers.get('access-control-allow-origin'),
    ).not.toBe('https://evil.example');
  });
});

describe('production defaults', () => {
  const stacks = stackPerTest();
  it('with NODE_ENV=production: no introspection, no GraphiQL, no field suggestions', async () => {
    const stack = await stacks.start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL, NODE_ENV: 'production' });
    const introspection = await stack.query('{ __schema { queryType { name } } }');
    expect(introspection.data ?? null).toBeNull();
    expect(introspection.errors![0]!.message).toMatch(/introspection/i);
    const page = await fetch(stack.app.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('GraphiQL');
    const typo = await stack.query('{ serverlessSnapshots2 }');
    expect(typo.errors![0]!.message).not.toContain('Did you mean');
    expect(stack.simulator.stats.requests).toBe(0);
  });
});

describe('slow clients', () => {
  const stacks = stackPerTest();
  it('a client that trickles its headers is cut off within seconds (HTTP_HEADERS_TIMEOUT_MS)', async () => {
    const stack = await stacks.start({
      ...SERVERLESS_API_ONLY,
      ...ANYONE_MAY_CALL,
      HTTP_HEADERS_TIMEOUT_MS: '500',
      HTTP_REQUEST_TIMEOUT_MS: '1000',
    });
    const { port } = new URL(stack.app.graphqlUrl);
    const started = Date.now();
    const closedAfter = await new Promise<number>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\n'));
      const drip = setInterval(() => socket.write('X-Slow: 1\r\n'), 200);
      socket.on('close', () => {
        clearInterval(drip);
        resolve(Date.now() - started);
      });
      socket.on('error', () => undefined);
    });
    expect(closedAfter).toBeLessThan(5_000);
  }, 15_000);
});
