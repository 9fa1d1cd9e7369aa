import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import {
  ANYONE_MAY_CALL,
  atlasCalls,
  SERVERLESS_API_ONLY,
  snapshotField,
  type Stack,
  stackPerTest,
} from '../helpers.js';

// What one GraphQL request may cost upstream: UPSTREAM_MAX_KEYS counts Atlas calls (routing probes
// included), and identical list pages within a request are fetched once.
const { start } = stackPerTest();

const ENTITIES = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServerlessSnapshot { id } } }';
const codes = (errors: { extensions?: Record<string, unknown> }[] | undefined) =>
  (errors ?? []).map((e) => String(e.extensions?.code));
const count = (values: string[], value: string) => values.filter((v) => v === value).length;
const serverlessDevSnapshot = (stack: Stack) =>
  stack.simulator.projects.get(DEMO.groupId)!.serverless.get('serverless-dev')!.snapshots[0]!.id;

describe('UPSTREAM_MAX_KEYS counts Atlas calls, routing probes included', () => {
  it('_entities over 200 unknown names (auto: a Flex probe and a legacy fallback each) makes at most 100 calls', async () => {
    const stack = await start({ ...ANYONE_MAY_CALL, ATLAS_SNAPSHOT_API: 'auto' });
    const r = Array.from({ length: 200 }, (_, i) => ({
      __typename: 'ServerlessSnapshot',
      groupId: DEMO.groupId,
      clusterName: `unknown-${i}`,
      id: DEMO.snapshotId,
    }));
    const { data, errors } = await stack.query<{ _entities: unknown[] }>(ENTITIES, { r });
    expect(data!._entities).toHaveLength(200);
    const got = codes(errors);
    expect(got).toHaveLength(200);
    expect(count(got, 'NOT_FOUND') + count(got, 'QUERY_TOO_EXPENSIVE')).toBe(200);
    // Each name that got its answer cost two calls; the rest were refused before leaving.
    expect(count(got, 'NOT_FOUND')).toBeLessThanOrEqual(50);
    expect(stack.simulator.upstreamCalls()).toBe(100);
    expect(atlasCalls(stack, 'getFlexBackupSnapshot') + atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(100);
  });

  it('a refused legacy fallback is QUERY_TOO_EXPENSIVE and teaches the router nothing', async () => {
    const stack = await start({ ...ANYONE_MAY_CALL, ATLAS_SNAPSHOT_API: 'auto', UPSTREAM_MAX_KEYS: '2' });
    const legacy = { groupId: DEMO.groupId, clusterName: 'serverless-dev', snapshotId: serverlessDevSnapshot(stack) };
    const flex = { groupId: DEMO.groupId, clusterName: DEMO.flexCluster, snapshotId: DEMO.flexSnapshotId };
    // The Flex snapshot and the probe of serverless-dev spend the budget; the fallback is refused.
    const first = await stack.query(`{ ${snapshotField('f', flex, 'id')} ${snapshotField('s', legacy, 'id')} }`);
    expect(first.data).toEqual({ f: { id: DEMO.flexSnapshotId }, s: null });
    expect(first.errors!.map((e) => [e.path, e.extensions!.code])).toEqual([[['s'], 'QUERY_TOO_EXPENSIVE']]);
    expect(first.errors![0]!.extensions).toMatchObject({ maxCalls: 2 });
    expect([atlasCalls(stack, 'getFlexBackupSnapshot'), atlasCalls(stack, 'getServerlessBackupSnapshot')]).toEqual([
      2, 0,
    ]);

    // Nothing was remembered for serverless-dev: probe and fallback fit the budget of 2 …
    stack.simulator.reset();
    const second = await stack.query(`{ ${snapshotField('s', legacy, 'id source')} }`);
    expect(second.errors).toBeUndefined();
    expect(second.data).toEqual({ s: { id: legacy.snapshotId, source: 'SERVERLESS' } });
    expect([atlasCalls(stack, 'getFlexBackupSnapshot'), atlasCalls(stack, 'getServerlessBackupSnapshot')]).toEqual([
      1, 1,
    ]);
    // … and now the legacy API is remembered: one call.
    stack.simulator.reset();
    expect((await stack.query(`{ ${snapshotField('s', legacy, 'id')} }`)).errors).toBeUndefined();
    expect([atlasCalls(stack, 'getFlexBackupSnapshot'), atlasCalls(stack, 'getServerlessBackupSnapshot')]).toEqual([
      0, 1,
    ]);
  });

  it('a refused probe is QUERY_TOO_EXPENSIVE, not a NOT_FOUND or an internal error', async () => {
    const stack = await start({ ...ANYONE_MAY_CALL, ATLAS_SNAPSHOT_API: 'auto', UPSTREAM_MAX_KEYS: '1' });
    const legacy = { groupId: DEMO.groupId, clusterName: 'serverless-dev', snapshotId: serverlessDevSnapshot(stack) };
    const { data, errors } = await stack.query(`{ ${snapshotField('s', legacy, 'id')} }`);
    expect(data).toEqual({ s: null });
    expect(codes(errors)).toEqual(['QUERY_TOO_EXPENSIVE']);
    expect(stack.simulator.upstreamCalls()).toBe(1);
  });
});

describe('identical list pages within one request', () => {
  const list = (alias: string, first: number, fields = 'edges { node { id } }') =>
    `${alias}: serverlessSnapshots(groupId: "${DEMO.groupId}", clusterName: "${DEMO.clusterName}", first: ${first}) { ${fields} }`;

  it('15 identical aliases of a list field cost one Atlas call', async () => {
    const stack = await start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    const { data, errors } = await stack.query<Record<string, unknown>>(
      `{ ${Array.from({ length: 15 }, (_, i) => list(`l${i}`, 3)).join(' ')} }`,
    );
    expect(errors).toBeUndefined();
    const pages = Object.values(data!);
    expect(pages).toHaveLength(15);
    for (const page of pages) expect(page).toEqual(pages[0]);
    expect(atlasCalls(stack, 'listServerlessBackupSnapshots')).toBe(1);
  });

  it('a page fetched with its count also serves the same page without; another page size is another call', async () => {
    const stack = await start({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    const { data, errors } = await stack.query<Record<string, { totalCount?: number; edges: unknown[] }>>(
      `{ ${list('counted', 3, 'totalCount edges { node { id } }')} ${list('plain', 3)} ${list('again', 3, 'totalCount edges { node { id } }')} ${list('other', 4)} }`,
    );
    expect(errors).toBeUndefined();
    expect(data!.counted!.totalCount).toBe(6);
    expect(data!.plain!.edges).toEqual(data!.counted!.edges);
    expect(data!.other!.edges).toHaveLength(4);
    expect(atlasCalls(stack, 'listServerlessBackupSnapshots')).toBe(2);
  });

  it('dedupes Flex-first routed lists too (auto): one probe for 15 aliases', async () => {
    const stack = await start({ ...ANYONE_MAY_CALL, ATLAS_SNAPSHOT_API: 'auto' });
    const { errors } = await stack.query(`{ ${Array.from({ length: 15 }, (_, i) => list(`l${i}`, 2)).join(' ')} }`);
    expect(errors).toBeUndefined();
    // serverless-prod-01 is served by the legacy API: one probe, one fallback.
    expect([atlasCalls(stack, 'listFlexBackupSnapshots'), atlasCalls(stack, 'listServerlessBackupSnapshots')]).toEqual([
      1, 1,
    ]);
  });
});
