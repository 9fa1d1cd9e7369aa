import { describe, expect, it } from 'vitest';
import { SERVERLESS_API_ONLY, type Stack, stackPerTest } from '../helpers.js';

// Issue #10, findings 10, 11 and 14: every error the service returns carries a code, a bad body is
// not echoed back, and the federation SDL is exposed as documented.

const KEY = 'request-errors-key';
const PRODUCTION = { ...SERVERLESS_API_ONLY, NODE_ENV: 'production', AUTH_API_KEYS: KEY };
const stacks = stackPerTest();

async function post(stack: Stack, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(stack.app.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      'x-api-key': KEY,
      ...headers,
    },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    json: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] },
  };
}

describe('every error carries extensions.code', () => {
  it.each([
    [
      'a variable of the wrong type',
      {
        query:
          'query($n: Int) { flexSnapshots(groupId: "aaaaaaaaaaaaaaaaaaaaaaaa", name: "x", first: $n) { totalCount } }',
        variables: { n: 'abc' },
      },
      'BAD_USER_INPUT',
    ],
    [
      'a missing required variable',
      { query: 'query($g: ID!) { flexSnapshots(groupId: $g, name: "x") { totalCount } }' },
      'BAD_USER_INPUT',
    ],
    ['a mutation (the schema has none)', { query: 'mutation { x }' }, 'GRAPHQL_VALIDATION_FAILED'],
    ['a subscription (the schema has none)', { query: 'subscription { x }' }, 'GRAPHQL_VALIDATION_FAILED'],
    ['a syntax error', { query: '{ serverlessSnapshot(' }, 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', { query: '{ nope }' }, 'GRAPHQL_VALIDATION_FAILED'],
    ['no query', {}, 'BAD_REQUEST'],
  ])('%s', async (_name, body, code) => {
    const stack = await stacks.start(PRODUCTION);
    const { json } = await post(stack, JSON.stringify(body));
    expect(json.errors?.length).toBeGreaterThan(0);
    for (const error of json.errors!) expect(error.extensions?.code, error.message).toBe(code);
    expect(stack.simulator.upstreamCalls()).toBe(0);
  });

  it('a GET without the CSRF header', async () => {
    const stack = await stacks.start(PRODUCTION);
    const response = await fetch(`${stack.app.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'x-api-key': KEY },
    });
    const json = (await response.json()) as { errors: { extensions?: { code?: string } }[] };
    expect(json.errors[0]!.extensions?.code).toBe('BAD_REQUEST');
  });
});

describe('caller-supplied text (issue #10, finding 9)', () => {
  /** Log lines at warn or above, and the longest line written. */
  const logSummary = (stack: Stack) => ({
    warnOrWorse: stack.logs.filter((line) => line.level >= 40).map((line) => line.msg),
    longest: Math.max(...stack.rawLogs.map((line) => line.length)),
  });

  it('a refusal by the operation limits (GraphQL Armor) is QUERY_TOO_EXPENSIVE and logged at debug, not as a server error', async () => {
    const stack = await stacks.start(PRODUCTION);
    const deep = '{ a: __typename }'.replace('__typename', 'x { y { z { w { v { u { t { __typename } } } } } } }');
    const { status, json } = await post(stack, JSON.stringify({ query: deep }));
    expect(status).toBe(400);
    expect(json.errors!.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_EXPENSIVE']);
    expect(json.errors![0]!.message).toMatch(/^Query depth limit of 6 exceeded/);
    expect(logSummary(stack).warnOrWorse).toEqual([]);
  });

  it.each([
    ['a number', 5],
    ['an object', {}],
    ['an array of long strings', ['x'.repeat(500_000), 'y'.repeat(400_000)]],
  ])('operationName as %s: BAD_REQUEST (400), no error log, no long log line', async (_name, operationName) => {
    const stack = await stacks.start(PRODUCTION);
    const { status, text, json } = await post(stack, JSON.stringify({ query: '{ __typename }', operationName }));
    expect(status).toBe(400);
    expect(json.errors!.map((e) => e.extensions?.code)).toEqual(['BAD_REQUEST']);
    expect(text.length).toBeLessThan(300);
    expect(logSummary(stack)).toEqual({ warnOrWorse: [], longest: expect.any(Number) as number });
    expect(logSummary(stack).longest).toBeLessThan(1_000);
  });

  it.each([
    [
      'a variable of 400 KB',
      {
        query: `query($n: Int) { flexSnapshots(groupId: "${'a'.repeat(24)}", name: "x", first: $n) { totalCount } }`,
        variables: { n: 'A'.repeat(400_000) },
      },
      'BAD_USER_INPUT',
    ],
    ['a field name of 400 KB', { query: `{ ${'x'.repeat(400_000)} }` }, 'GRAPHQL_VALIDATION_FAILED'],
    [
      'an unknown operationName of 400 KB',
      { query: '{ __typename }', operationName: 'o'.repeat(400_000) },
      'BAD_REQUEST',
    ],
  ])('%s is cut in the response and logged at debug only, cut too', async (_name, body, code) => {
    const stack = await stacks.start({ ...PRODUCTION, LOG_LEVEL: 'debug' });
    const { text, json } = await post(stack, JSON.stringify(body));
    expect(json.errors!.map((e) => e.extensions?.code)).toEqual([code]);
    expect(text.length).toBeLessThan(1_000);
    const { warnOrWorse, longest } = logSummary(stack);
    expect(warnOrWorse).toEqual([]);
    expect(longest).toBeLessThan(1_000);
  });
});

describe('a body that is not JSON', () => {
  it('is answered with a short message, not echoed (production and development)', async () => {
    for (const env of [PRODUCTION, { ...SERVERLESS_API_ONLY, NODE_ENV: 'development', AUTH_API_KEYS: KEY }]) {
      const stack = await stacks.start(env);
      const body = `{"query": "${'x'.repeat(1_000_000)}`;
      const { status, text, json } = await post(stack, body);
      expect(status).toBe(400);
      expect(text.length).toBeLessThan(300);
      expect(text).not.toContain('xxxxxxxxxx');
      expect(json.errors![0]!.extensions).toEqual({ code: 'BAD_REQUEST' });
    }
  });
});

describe('the federation SDL (_service)', () => {
  const SDL = JSON.stringify({ query: '{ _service { sdl } }' });

  it('is not served in production by default: typed, before execution, no Atlas call', async () => {
    const stack = await stacks.start(PRODUCTION);
    const { status, json } = await post(stack, SDL);
    expect(status).toBe(400);
    expect(json.data).toBeUndefined();
    expect(json.errors![0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(json.errors![0]!.message).toContain('FEDERATION_SERVICE_SDL');
  });

  it('is served with FEDERATION_SERVICE_SDL=true, to authenticated callers only', async () => {
    const stack = await stacks.start({ ...PRODUCTION, FEDERATION_SERVICE_SDL: 'true' });
    const { json } = await post(stack, SDL);
    expect((json.data as { _service: { sdl: string } })._service.sdl).toContain('type ServerlessSnapshot');
    const anonymous = await post(stack, SDL, { 'x-api-key': 'wrong' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).not.toContain('ServerlessSnapshot');
  });

  it('follows introspection outside production (the gateway test composes from it)', async () => {
    const stack = await stacks.start({ ...SERVERLESS_API_ONLY, AUTH_API_KEYS: KEY });
    const { json } = await post(stack, SDL);
    expect((json.data as { _service: { sdl: string } })._service.sdl).toContain('type ServerlessSnapshot');
  });
});
