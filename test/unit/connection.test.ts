import { parse, type FieldNode, type GraphQLResolveInfo, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { PageRequest } from '../../src/atlas/pagination.js';
import type { Page } from '../../src/backups/backup-reader.js';
import { planPages, resolveConnection } from '../../src/graphql/schema/pagination.js';

// The page planning and window math of the Relay lists, over a fake Atlas list: no network. Cursors
// are opaque here (taken from one answer and given back as `after`); their format has its own tests.

/** A list of `size` items (0, 1, 2, …) served page by page as Atlas does; every page request is kept. */
function fakeAtlasList(size: number, options: { nextLinks?: boolean; countedSize?: number } = {}) {
  const requests: PageRequest[] = [];
  const fetchPage = (page: PageRequest): Promise<Page<number>> => {
    requests.push(page);
    const from = (page.pageNum - 1) * page.itemsPerPage;
    const items = Array.from({ length: Math.max(0, Math.min(page.itemsPerPage, size - from)) }, (_, i) => from + i);
    return Promise.resolve({
      items,
      hasNext: (options.nextLinks ?? true) && from + page.itemsPerPage < size,
      ...(page.includeCount ? { totalCount: options.countedSize ?? size } : {}),
    });
  };
  return { fetchPage, requests };
}

/** The resolve info of a list field with `selection` (only its selection set is read). */
function infoFor(selection: string): GraphQLResolveInfo {
  const operation = parse(`{ list ${selection} }`).definitions[0] as OperationDefinitionNode;
  const field = operation.selectionSet.selections[0] as FieldNode;
  // A test double: resolveConnection reads fieldNodes and fragments alone.
  return { fieldNodes: [field], fragments: {} } as unknown as GraphQLResolveInfo;
}

const EDGES = infoFor('{ edges { node } pageInfo { hasNextPage } }');
const WITH_COUNT = infoFor('{ totalCount edges { node } }');

/** One connection over `list`: its nodes, page info and count, and the Atlas pages it asked for. */
async function connection(
  list: ReturnType<typeof fakeAtlasList>,
  args: { first?: number; after?: string | null },
  info = EDGES,
) {
  list.requests.length = 0;
  const result = await resolveConnection(args, info, list.fetchPage);
  return {
    nodes: result.edges.map((e) => e.node),
    pageInfo: result.pageInfo,
    totalCount: result.totalCount,
    requests: [...list.requests],
    cursors: result.edges.map((e) => e.cursor),
  };
}

describe('planPages', () => {
  it('a window on a page boundary of its size is that one page', () => {
    expect(planPages(0, 10, false)).toEqual([{ pageNum: 1, itemsPerPage: 10, includeCount: false }]);
    expect(planPages(30, 10, true)).toEqual([{ pageNum: 4, itemsPerPage: 10, includeCount: true }]);
  });

  it('a window across a boundary is the two pages that hold it, the count asked on the first only', () => {
    expect(planPages(25, 10, true)).toEqual([
      { pageNum: 3, itemsPerPage: 10, includeCount: true },
      { pageNum: 4, itemsPerPage: 10, includeCount: false },
    ]);
    expect(planPages(1, 1, false)).toEqual([{ pageNum: 2, itemsPerPage: 1, includeCount: false }]);
  });

  it('every planned page holds part of the window, and together they hold all of it', () => {
    for (const first of [1, 2, 3, 7, 100, 500]) {
      for (const start of [0, 1, first - 1, first, first + 1, 5 * first + 3, 999]) {
        const pages = planPages(start, first, false);
        const held = pages.flatMap((p) =>
          Array.from({ length: p.itemsPerPage }, (_, i) => (p.pageNum - 1) * p.itemsPerPage + i),
        );
        for (let position = start; position < start + first; position += 1) expect(held).toContain(position);
        for (const p of pages) expect(p.itemsPerPage).toBe(first);
        expect(pages.length).toBeLessThanOrEqual(2);
      }
    }
  });
});

describe('resolveConnection over a list', () => {
  it('the first page: the first `first` items, one Atlas page, no count asked when none is selected', async () => {
    const list = fakeAtlasList(10);
    const page = await connection(list, { first: 3 });
    expect(page.nodes).toEqual([0, 1, 2]);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(page.pageInfo.startCursor).toBe(page.cursors[0]);
    expect(page.pageInfo.endCursor).toBe(page.cursors[2]);
    expect(page.totalCount).toBeUndefined();
    expect(page.requests).toEqual([{ pageNum: 1, itemsPerPage: 3, includeCount: false }]);
  });

  it('`first` defaults to Atlas page size 100', async () => {
    const page = await connection(fakeAtlasList(250), {});
    expect(page.nodes).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(page.requests).toEqual([{ pageNum: 1, itemsPerPage: 100, includeCount: false }]);
  });

  it('following endCursor with the same `first` walks the list once, one Atlas page per step', async () => {
    const list = fakeAtlasList(10);
    const seen: number[] = [];
    let after: string | null = null;
    for (let step = 1; ; step += 1) {
      const page = await connection(list, { first: 4, after });
      seen.push(...page.nodes);
      expect(page.requests).toEqual([{ pageNum: step, itemsPerPage: 4, includeCount: false }]);
      expect(page.pageInfo.hasPreviousPage).toBe(step > 1);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('a different `first` after a cursor: the window starts right after it, from the two pages that hold it', async () => {
    const list = fakeAtlasList(20);
    const firstPage = await connection(list, { first: 3 });
    const next = await connection(list, { first: 4, after: firstPage.pageInfo.endCursor });
    expect(next.nodes).toEqual([3, 4, 5, 6]);
    expect(next.requests).toEqual([
      { pageNum: 1, itemsPerPage: 4, includeCount: false },
      { pageNum: 2, itemsPerPage: 4, includeCount: false },
    ]);
    expect(next.pageInfo.hasNextPage).toBe(true);
  });

  it('any edge cursor continues right after its own item', async () => {
    const list = fakeAtlasList(12);
    const page = await connection(list, { first: 5 });
    for (const [i, cursor] of page.cursors.entries()) {
      const next = await connection(list, { first: 2, after: cursor });
      expect(next.nodes).toEqual([i + 1, i + 2]);
      expect(next.pageInfo.hasPreviousPage).toBe(true);
    }
  });

  it('totalCount, when selected, is Atlas count, asked with the first of the pages only', async () => {
    const list = fakeAtlasList(7);
    const after = (await connection(list, { first: 3 })).pageInfo.endCursor;
    const counted = await connection(list, { first: 2, after }, WITH_COUNT);
    expect(counted.nodes).toEqual([3, 4]);
    expect(counted.totalCount).toBe(7);
    expect(counted.requests).toEqual([
      { pageNum: 2, itemsPerPage: 2, includeCount: true },
      { pageNum: 3, itemsPerPage: 2, includeCount: false },
    ]);
  });

  it('the window that ends the list: no next page', async () => {
    const list = fakeAtlasList(6);
    const first = await connection(list, { first: 3 });
    const last = await connection(list, { first: 3, after: first.pageInfo.endCursor });
    expect(last.nodes).toEqual([3, 4, 5]);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('a short last window across two pages: what is left, and no next page', async () => {
    const list = fakeAtlasList(8);
    const first = await connection(list, { first: 5 });
    const rest = await connection(list, { first: 4, after: first.pageInfo.endCursor });
    expect(rest.nodes).toEqual([5, 6, 7]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('more items fetched than the window holds means a next page, even without a next link', async () => {
    const list = fakeAtlasList(20, { nextLinks: false });
    const first = await connection(list, { first: 3 });
    const across = await connection(list, { first: 4, after: first.pageInfo.endCursor });
    expect(across.nodes).toEqual([3, 4, 5, 6]);
    expect(across.pageInfo.hasNextPage).toBe(true); // items 7 came along on the second page
  });

  it('a count past the window means a next page, even without a next link', async () => {
    const list = fakeAtlasList(9, { nextLinks: false });
    expect((await connection(list, { first: 3 })).pageInfo.hasNextPage).toBe(false);
    expect((await connection(list, { first: 3 }, WITH_COUNT)).pageInfo.hasNextPage).toBe(true);
  });

  it('Atlas count is an estimate: past the last item there is no next page, whatever it says', async () => {
    const list = fakeAtlasList(4, { countedSize: 6 });
    const all = await connection(list, { first: 4 });
    const beyond = await connection(list, { first: 2, after: all.pageInfo.endCursor }, WITH_COUNT);
    expect(beyond.nodes).toEqual([]);
    expect(beyond.pageInfo.hasNextPage).toBe(false);
  });

  it('an empty list, or a cursor at its end: no edges, no cursors, no next page', async () => {
    const empty = await connection(fakeAtlasList(0), { first: 5 });
    expect(empty.nodes).toEqual([]);
    expect(empty.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
    const list = fakeAtlasList(4);
    const all = await connection(list, { first: 4 });
    const beyond = await connection(list, { first: 4, after: all.pageInfo.endCursor }, WITH_COUNT);
    expect(beyond.nodes).toEqual([]);
    expect(beyond.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true, endCursor: null });
  });
});
