import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import { atlasCalls, type GraphQLResponse, SERVERLESS_API_ONLY, sleep, type Stack, stackPerTest } from '../helpers.js';

// Issue #10, findings 5 and 7: one caller must not spend what all callers share — the Atlas rate
// limit of a project, the bytes of Atlas answers the process may hold — for the others. A caller
// is the API key it presented (here two keys: a hog and another caller).

const HOG = 'hog-caller-key';
const OTHER = 'other-caller-key';
const stacks = stackPerTest();

async function post(stack: Stack, key: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(stack.app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', 'x-api-key': key },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse;
}

const codes = (body: GraphQLResponse) => (body.errors ?? []).map((e) => e.extensions?.code);
const FLEX_PAGE = `a: flexSnapshots(groupId: "${DEMO.groupId}", name: "${DEMO.bigFlexCluster}", first: 500) { edges { cursor node { id name status createdAt } } }`;
const FLEX_SNAPSHOT = `s: flexSnapshot(groupId: "${DEMO.groupId}", name: "${DEMO.flexCluster}", snapshotId: "${DEMO.flexSnapshotId}") { id }`;

describe('fairness between callers', () => {
  it('a hog holds at most its share of the Atlas bytes in flight: another caller’s normal query still succeeds (F7)', async () => {
    const stack = await stacks.start({
      ...SERVERLESS_API_ONLY,
      AUTH_API_KEYS: `${HOG},${OTHER}`,
      UPSTREAM_MAX_BYTES_IN_FLIGHT: '600000', // a caller's share: a quarter, 150,000; a full page is ~90 KB
    });
    const held = async () => {
      const metrics = await fetch(new URL('/metrics', stack.app.graphqlUrl), { headers: { 'x-api-key': OTHER } });
      return Number(/^graphql_upstream_bytes_in_flight (\d+)$/m.exec(await metrics.text())?.[1]);
    };
    // Each hog request pulls a full page early, then holds it behind a slow lookup.
    stack.simulator.faults.latencyByOperation = { getFlexBackupSnapshot: 1_500 };
    const hog = Array.from({ length: 8 }, () => post(stack, HOG, `{ ${FLEX_PAGE} ${FLEX_SNAPSHOT} }`));
    await expect.poll(held).toBeGreaterThan(50_000);
    await sleep(300); // every hog request has had its page by now
    const hogHeld = await held();
    expect(hogHeld).toBeLessThanOrEqual(150_000);

    const other = await post(stack, OTHER, `{ ${FLEX_PAGE} }`);
    expect(other.errors).toBeUndefined();
    expect((other.data as { a: { edges: unknown[] } }).a.edges).toHaveLength(500);

    const outcomes = (await Promise.all(hog)).map((body) => codes(body)[0] ?? 'ok');
    expect(outcomes).toContain('ok');
    expect(outcomes).toContain('SERVER_BUSY');
    const busy = (await Promise.all(hog)).find((body) => codes(body)[0] === 'SERVER_BUSY')!;
    expect(busy.errors![0]!.message).toContain('CALLER_MAX_BYTES_IN_FLIGHT');
    await expect.poll(held).toBe(0);
  });

  it('a hog cannot spend the project’s Atlas rate limit: past its own budget its calls are refused without a call, and another caller’s query goes through (F5)', async () => {
    // The simulator plays Atlas's limit for the project: 100 calls a minute. Each caller may make 40.
    const stack = await stacks.start(
      { ...SERVERLESS_API_ONLY, AUTH_API_KEYS: `${HOG},${OTHER}`, CALLER_MAX_ATLAS_CALLS_PER_MINUTE: '40' },
      'api-key',
      { rateLimit: 100 },
    );
    const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
    const thirty = (from: number) =>
      Array.from({ length: 30 }, (_, i) => ({
        __typename: 'FlexSnapshot',
        groupId: DEMO.groupId,
        name: DEMO.flexCluster,
        id: (from + i).toString(16).padStart(24, '0'),
      }));
    const calls = () => atlasCalls(stack, 'getFlexBackupSnapshot');

    // A bucket of half its minute (20 calls) refilling with the other half over the minute.
    const first = await post(stack, HOG, entities, { r: thirty(0) });
    const limited = (first.errors ?? []).filter((e) => e.extensions?.code === 'RATE_LIMITED');
    expect(limited).toHaveLength(10);
    expect(calls()).toBe(20);
    expect(limited[0]!.message).toContain('CALLER_MAX_ATLAS_CALLS_PER_MINUTE');
    const retryAfter = limited[0]!.extensions!.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const second = await post(stack, HOG, entities, { r: thirty(100) });
    expect(codes(second).filter((c) => c === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(29);
    // Refused here, before Atlas's own limit was near: the hog made at most 21 calls of the project's 100.
    const hogCalls = calls();
    expect(hogCalls).toBeLessThanOrEqual(21);

    const other = await post(stack, OTHER, `{ ${FLEX_SNAPSHOT} }`);
    expect(other.errors).toBeUndefined();
    expect(other.data).toEqual({ s: { id: DEMO.flexSnapshotId } });
    expect(calls()).toBe(hogCalls + 1);
    // Still refused for the hog, still without a call.
    expect(codes(await post(stack, HOG, `{ ${FLEX_SNAPSHOT} }`))).toEqual(['RATE_LIMITED']);
    expect(calls()).toBe(hogCalls + 1);
  });
});
