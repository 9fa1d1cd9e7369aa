import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/graphql/schema/pagination.js';
import { DEMO } from '../../src/simulator/seed.js';
import { ANYONE_MAY_CALL, atlasCalls, type Stack, startStack } from '../helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ ...ANYONE_MAY_CALL, ATLAS_SNAPSHOT_API: 'auto' });
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());

interface Connection {
  totalCount?: number | null;
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const PAGE = 'edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';

async function flexPage(
  first: number,
  after: string | null,
  withCount: boolean,
  name: string = DEMO.bigFlexCluster,
): Promise<Connection> {
  const { data, errors } = await stack.query<{ page: Connection }>(
    `query Page($first: Int, $after: String) { page: flexSnapshots(groupId: "${DEMO.groupId}", name: "${name}", first: $first, after: $after) { ${withCount ? 'totalCount' : ''} ${PAGE} } }`,
    { first, after },
  );
  expect(errors).toBeUndefined();
  return data!.page;
}

describe('Relay lists over Atlas pages', () => {
  it('pages through all 1,250 snapshots of a Flex cluster with no duplicates or gaps, one Atlas call per page', async () => {
    const expected = stack.simulator.projects
      .get(DEMO.groupId)!
      .flex.get(DEMO.bigFlexCluster)!
      .snapshots.map((s) => s.id);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: Connection = await flexPage(500, after, pages === 0);
      if (pages === 0) expect(page.totalCount).toBe(DEMO.bigFlexSnapshotCount);
      seen.push(...page.edges.map((e) => e.node.id));
      pages += 1;
      expect(page.pageInfo.hasPreviousPage).toBe(pages > 1);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(DEMO.bigFlexSnapshotCount);
    expect(atlasCalls(stack, 'listFlexBackupSnapshots')).toBe(3);
  });

  it('asks Atlas for totalCount only when it is selected (includeCount), even through a fragment', async () => {
    await flexPage(5, null, false);
    expect(stack.simulator.stats.lastCall!.path).toContain('includeCount=false&pageNum=1&itemsPerPage=5');
    const { data } = await stack.query<{ page: Connection }>(
      `{ page: flexSnapshots(groupId: "${DEMO.groupId}", name: "${DEMO.flexCluster}", first: 3) { ...Count edges { node { id } } } } fragment Count on FlexSnapshotConnection { totalCount }`,
    );
    expect(stack.simulator.stats.lastCall!.path).toContain('includeCount=true');
    expect(data!.page.totalCount).toBe(8);
  });

  it('serves a window that straddles two Atlas pages when `first` changes between pages', async () => {
    const expected = stack.simulator.projects
      .get(DEMO.groupId)!
      .flex.get(DEMO.bigFlexCluster)!
      .snapshots.map((s) => s.id);
    const first = await flexPage(10, null, false);
    const second = await flexPage(7, first.pageInfo.endCursor, false);
    expect(second.edges.map((e) => e.node.id)).toEqual(expected.slice(10, 17));
    expect(decodeCursor(second.pageInfo.endCursor!)).toBe(16);
    expect(atlasCalls(stack, 'listFlexBackupSnapshots')).toBe(3);
  });

  it('routes serverlessSnapshots like serverlessSnapshot, and pages a serverless instance', async () => {
    const expected = stack.simulator.projects
      .get(DEMO.analyticsGroupId)!
      .serverless.get('analytics-serverless')!
      .snapshots.map((s) => s.id);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const result: { data?: { page: Connection } | null } = await stack.query<{ page: Connection }>(
        `query P($after: String) { page: serverlessSnapshots(groupId: "${DEMO.analyticsGroupId}", clusterName: "analytics-serverless", first: 7, after: $after) { ${PAGE} } }`,
        { after },
      );
      const page: Connection = result.data!.page;
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    expect(atlasCalls(stack, 'listFlexBackupSnapshots')).toBe(1); // the discovery probe only
    expect(atlasCalls(stack, 'listServerlessBackupSnapshots')).toBe(5);
  });

  it('an empty page past the end has no cursors and no next page', async () => {
    const last = await flexPage(500, encodeCursor(1249), false);
    expect(last).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
    });
  });

  it('primes the per-request loader: a snapshot that a list already returned costs no further call', async () => {
    // The restore jobs list answers later than the snapshot list, so its jobs' `snapshot` fields find the loader primed.
    stack.simulator.faults.latencyByOperation = { listFlexRestoreJobs: 150 };
    const { data, errors } = await stack.query<{
      jobs: { edges: { node: { snapshot: { id: string; status: string } } }[] };
    }>(`{
      snaps: flexSnapshots(groupId: "${DEMO.groupId}", name: "${DEMO.flexCluster}", first: 10) { edges { node { id } } }
      jobs: flexRestoreJobs(groupId: "${DEMO.groupId}", name: "${DEMO.flexCluster}") { edges { node { id snapshot { id status } } } }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.jobs.edges[0]!.node.snapshot).toEqual({ id: DEMO.flexSnapshotId, status: 'COMPLETED' });
    expect(atlasCalls(stack, 'getFlexBackupSnapshot')).toBe(0);
  });
});

describe('list arguments: BAD_USER_INPUT and no Atlas call', () => {
  it.each([
    ['first', 'first: 0'],
    ['first', 'first: 501'],
    ['first', 'first: -3'],
    ['after', 'after: "not-a-cursor"'],
    ['after', `after: "${Buffer.from('atlas:v1:100:1:0').toString('base64')}"`], // a cursor of the retired format
    ['last', 'last: 5'],
    ['before', 'before: "x"'],
    ['name', 'name: "../x"', true],
    ['groupId', 'groupId: "ABC"', true],
  ])('%s (%s)', async (argument, text, replaces = false) => {
    const base = { groupId: `groupId: "${DEMO.groupId}"`, name: `name: "${DEMO.flexCluster}"` } as Record<
      string,
      string
    >;
    if (replaces) base[argument] = text;
    const args = [base.groupId, base.name, replaces ? '' : text].filter(Boolean).join(', ');
    const { data, errors } = await stack.query(`{ flexSnapshots(${args}) { edges { node { id } } } }`);
    expect(data).toEqual({ flexSnapshots: null });
    expect(errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
    expect(stack.simulator.stats.requests).toBe(0);
  });
});
