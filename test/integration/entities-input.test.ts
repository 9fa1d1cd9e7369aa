import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import { ANYONE_MAY_CALL, SERVERLESS_API_ONLY, type Stack, startStack } from '../helpers.js';

// `_entities` representations are caller input like any argument: a bad one fails its own entry with
// BAD_USER_INPUT, the others resolve, and what the caller wrote reaches messages and logs truncated.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.simulator.reset();
  stack.logs.length = 0;
  stack.rawLogs.length = 0;
});

const ENTITIES =
  'query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServerlessSnapshot { id } ... on FlexSnapshot { id name } } }';
const serverless = {
  __typename: 'ServerlessSnapshot',
  groupId: DEMO.groupId,
  clusterName: DEMO.clusterName,
  id: DEMO.snapshotId,
};
const flex = { __typename: 'FlexSnapshot', groupId: DEMO.groupId, name: DEMO.flexCluster, id: DEMO.flexSnapshotId };

async function entities(r: unknown[]) {
  return stack.query<{ _entities: (Record<string, unknown> | null)[] }>(ENTITIES, { r });
}

/** Error-level (and worse) lines the service logged. */
const errorLines = () => stack.logs.filter((line) => line.level >= 50);

describe('_entities: a bad representation fails only its own entry', () => {
  const bad: [string, unknown][] = [
    ['an unknown __typename', { __typename: 'Nope', groupId: DEMO.groupId }],
    ['no __typename', { groupId: DEMO.groupId, clusterName: DEMO.clusterName, id: DEMO.snapshotId }],
    ['a __typename that is not a string', { __typename: 7 }],
    ['a string', 'ServerlessSnapshot'],
    ['a number', 42],
    ['a list', [serverless]],
    ['"toString"', { __typename: 'toString' }],
    ['"__proto__"', { __typename: '__proto__' }],
    ['"constructor"', { __typename: 'constructor' }],
    ['"Query" (an object type, not an entity)', { __typename: 'Query', groupId: DEMO.groupId }],
    ['"PageInfo" (an object type, not an entity)', { __typename: 'PageInfo' }],
    [
      '"BackupSnapshot" (an interface)',
      { __typename: 'BackupSnapshot', groupId: DEMO.groupId, clusterName: DEMO.clusterName, id: DEMO.snapshotId },
    ],
    ['"_Service"', { __typename: '_Service' }],
  ];

  it.each(bad)('%s: BAD_USER_INPUT for that entry, the entities around it resolve', async (_case, representation) => {
    const { data, errors } = await entities([serverless, representation, flex]);
    expect(data!._entities).toEqual([
      { id: DEMO.snapshotId },
      null,
      { id: DEMO.flexSnapshotId, name: DEMO.flexCluster },
    ]);
    expect(errors).toHaveLength(1);
    expect(errors![0]!.path).toEqual(['_entities', 1]);
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(errors![0]!.extensions!.argument).toMatch(/^representations\[1\]/);
    expect(errors![0]!.message).toMatch(/FlexSnapshot/);
    expect(errors![0]!.message).toMatch(/ServerlessSnapshot/);
    expect(stack.simulator.upstreamCalls()).toBe(2);
    expect(errorLines()).toEqual([]);
  });

  it('all the bad ones in one list: each its own error, in place, and no call', async () => {
    const { data, errors } = await entities(bad.map(([, representation]) => representation));
    expect(data!._entities).toEqual(bad.map(() => null));
    expect(errors!.map((e) => e.path)).toEqual(bad.map((_, i) => ['_entities', i]));
    expect(new Set(errors!.map((e) => e.extensions!.code))).toEqual(new Set(['BAD_USER_INPUT']));
    expect(stack.simulator.upstreamCalls()).toBe(0);
  });

  it('a 1 MB __typename: a short message, no error-level log line, nothing of it logged at length', async () => {
    const huge = `X${'y'.repeat(1_000_000)}`;
    const { data, errors } = await entities([{ __typename: huge }, serverless]);
    expect(data!._entities).toEqual([null, { id: DEMO.snapshotId }]);
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(errors![0]!.message.length).toBeLessThan(400);
    expect(errors![0]!.message).toContain(`"X${'y'.repeat(99)}…"`);
    expect(errorLines()).toEqual([]);
    expect(Math.max(...stack.rawLogs.map((line) => line.length))).toBeLessThan(4_000);
  });
});
