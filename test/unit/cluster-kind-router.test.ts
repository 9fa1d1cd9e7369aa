import { describe, expect, it } from 'vitest';
import { AtlasResponseError, AtlasTimeoutError } from '../../src/atlas/errors.js';
import type { PageRequest } from '../../src/atlas/pagination.js';
import { ClusterKindRouter, type ClusterCalls } from '../../src/backups/cluster-kind-router.js';
import type { ClusterRecord } from '../../src/backups/cluster-record.js';
import { headPage, LATEST_WINDOW, tailPage } from '../../src/backups/latest-snapshot.js';

// The cluster kind memory with fake calls (which API is asked, what is remembered), and the page
// planning of `latestSnapshot`.

const GROUP = '6b1f1ee70000000000000040';
const atlas = (status: number, errorCode: string) => new AtlasResponseError('fake', status, { errorCode }, undefined);
const FLEX_NAME = atlas(400, 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API');
const NOT_FLEX = atlas(400, 'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API');
const NOT_FOUND = atlas(404, 'CLUSTER_NOT_FOUND');

const cluster = (kind: 'DEDICATED' | 'FLEX', clusterType = 'REPLICASET') =>
  ({
    kind,
    groupId: GROUP,
    name: 'c',
    id: 'x',
    clusterType,
    regions: [],
    links: [],
    replicationSpecs: [],
  }) as ClusterRecord;

type Answer = ClusterRecord | Error;

/** One lookup with scripted answers; returns the calls made, in order, and what it settled to. */
async function lookup(router: ClusterKindRouter, answers: { dedicated?: Answer; flex?: Answer }) {
  const log: string[] = [];
  const call = (api: 'dedicated' | 'flex') => async () => {
    log.push(api);
    await Promise.resolve();
    const answer = answers[api];
    if (answer === undefined) throw new Error(`unexpected ${api} call`);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  const calls: ClusterCalls = { dedicated: call('dedicated'), flex: call('flex') };
  const result = await router.cluster(GROUP, 'c', calls).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return { ...result, calls: log };
}

describe('ClusterKindRouter', () => {
  it('a dedicated name: getCluster once; its topology is remembered', async () => {
    const router = new ClusterKindRouter();
    expect((await lookup(router, { dedicated: cluster('DEDICATED', 'GEOSHARDED') })).calls).toEqual(['dedicated']);
    expect(router.recall(GROUP, 'c')).toBe('sharded');
  });

  it('a Flex name: getCluster says so, the Flex API answers; the next lookup asks the Flex API only', async () => {
    const router = new ClusterKindRouter();
    const first = await lookup(router, { dedicated: FLEX_NAME, flex: cluster('FLEX') });
    expect(first).toMatchObject({ calls: ['dedicated', 'flex'], value: { kind: 'FLEX' } });
    expect(router.recall(GROUP, 'c')).toBe('flex');
    expect((await lookup(router, { flex: cluster('FLEX') })).calls).toEqual(['flex']);
  });

  it.each([
    ['converted to dedicated', NOT_FLEX],
    ['deleted (then re-created as dedicated)', NOT_FOUND],
  ])('a remembered Flex name the Flex API no longer knows (%s) is asked from the start', async (_, answer) => {
    const router = new ClusterKindRouter();
    await lookup(router, { dedicated: FLEX_NAME, flex: cluster('FLEX') });
    const again = await lookup(router, { flex: answer, dedicated: cluster('DEDICATED') });
    expect(again).toMatchObject({ calls: ['flex', 'dedicated'], value: { kind: 'DEDICATED' } });
    expect(router.recall(GROUP, 'c')).toBe('replicaSet');
  });

  it('Atlas errors other than the routing ones pass through unchanged and teach it nothing', async () => {
    const router = new ClusterKindRouter();
    const timeout = new AtlasTimeoutError('getCluster', 10, 'total');
    expect(await lookup(router, { dedicated: timeout })).toEqual({ error: timeout, calls: ['dedicated'] });
    expect(await lookup(router, { dedicated: NOT_FOUND })).toEqual({ error: NOT_FOUND, calls: ['dedicated'] });
    expect(router.recall(GROUP, 'c')).toBeUndefined();
  });

  it('a deleted dedicated cluster is forgotten', async () => {
    const router = new ClusterKindRouter();
    router.learn(GROUP, 'c', 'sharded');
    await lookup(router, { dedicated: NOT_FOUND });
    expect(router.recall(GROUP, 'c')).toBeUndefined();
  });

  it('remembers at most `capacity` names, the least recently used leaving first', () => {
    const router = new ClusterKindRouter(2);
    router.learn(GROUP, 'a', 'flex');
    router.learn(GROUP, 'b', 'sharded');
    router.recall(GROUP, 'a');
    router.learn(GROUP, 'c', 'replicaSet');
    expect([router.recall(GROUP, 'a'), router.recall(GROUP, 'b'), router.recall(GROUP, 'c')]).toEqual([
      'flex',
      undefined,
      'replicaSet',
    ]);
  });
});

describe('latestSnapshot page planning', () => {
  const head = (totalCount: number | undefined) => ({
    items: Array.from({ length: Math.min(totalCount ?? LATEST_WINDOW, LATEST_WINDOW) }),
    totalCount,
    hasNext: (totalCount ?? Infinity) > LATEST_WINDOW,
  });
  /** The item positions a page covers. */
  const covers = ({ pageNum, itemsPerPage }: PageRequest): [number, number] => [
    (pageNum - 1) * itemsPerPage,
    pageNum * itemsPerPage - 1,
  ];

  it('the head is the first 50 with the count; a list that fits needs no second call', () => {
    expect(headPage()).toEqual({ pageNum: 1, itemsPerPage: 50, includeCount: true });
    for (const total of [0, 1, 9, 50]) expect(tailPage(head(total))).toBeUndefined();
  });

  it('a longer list: one page, aligned, that holds at least its last 50 items, never more than 99', () => {
    for (let total = 51; total <= 20_000; total += 1) {
      const page = tailPage(head(total))!;
      const [from, to] = covers(page);
      expect(from <= total - LATEST_WINDOW && to >= total - 1, `total ${total}`).toBe(true);
      expect(page.itemsPerPage).toBeLessThanOrEqual(99);
      expect(page.includeCount).toBe(false);
    }
  });

  it('without a count there is no tail to plan', () => {
    expect(tailPage(head(undefined))).toBeUndefined();
  });
});
