import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import { encodeCursor, MAX_CURSOR_POSITION } from '../../src/graphql/schema/pagination.js';
import { ANYONE_MAY_CALL, type Stack, startStack } from '../helpers.js';

// A cursor is caller input: one we did not make, or one pointing past any page Atlas can be asked
// for, is BAD_USER_INPUT before any call, and nothing is logged as a server error.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ ...ANYONE_MAY_CALL, ATLAS_SNAPSHOT_API: 'auto' });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.simulator.reset();
  stack.logs.length = 0;
});

const crafted = (text: string) => Buffer.from(text).toString('base64');
const lists = [
  ['serverlessSnapshots', `clusterName: "${DEMO.clusterName}"`],
  ['flexSnapshots', `name: "${DEMO.flexCluster}"`],
  ['serverlessRestoreJobs', `clusterName: "${DEMO.clusterName}"`],
  ['flexRestoreJobs', `name: "${DEMO.flexCluster}"`],
] as const;

describe('a crafted cursor far past the end', () => {
  it.each(lists)(
    '%s: BAD_USER_INPUT on "after", no Atlas call, no error-level log line; the last position still serves a page',
    async (field, container) => {
      const query = `query ($after: String, $first: Int) { l: ${field}(groupId: "${DEMO.groupId}", ${container}, first: $first, after: $after) { edges { cursor } pageInfo { hasNextPage } } }`;
      for (const first of [1, 100, 500]) {
        const { data, errors } = await stack.query(query, {
          first,
          after: crafted(`OffsetConnection:${MAX_CURSOR_POSITION + 1}`),
        });
        expect(data).toEqual({ l: null });
        expect(errors!.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument: 'after' }]);
      }
      expect(stack.simulator.upstreamCalls()).toBe(0);
      expect(stack.logs.filter((line) => line.level >= 50)).toEqual([]);

      // The bound is no tighter than Atlas's: the last position asks for page 999,999,999, which is empty.
      const last = await stack.query(query, { first: 1, after: encodeCursor(MAX_CURSOR_POSITION) });
      expect(last.errors).toBeUndefined();
      expect(last.data).toEqual({ l: { edges: [], pageInfo: { hasNextPage: false } } });
      expect(stack.simulator.stats.lastCall!.path).toContain('pageNum=999999999&itemsPerPage=1');
    },
  );
});
