import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import {
  ANYONE_MAY_CALL,
  atlasCalls,
  type GraphQLResponse,
  SERVERLESS_API_ONLY,
  type Stack,
  startStack,
  WITHOUT_RECORD_CACHE,
} from '../helpers.js';
import { type Gateway, startGateway } from '../gateway.js';

// A real supergraph: our committed schema.graphql composed with a second subgraph written here,
// served by Hive Gateway, queried over HTTP.

/** The second subgraph's SDL: the one shipped as an example. */
const PROJECTS_SDL = readFileSync(new URL('../../examples/federation/projects.graphql', import.meta.url), 'utf8');

interface Ref {
  groupId: string;
  clusterName: string;
  id: string;
}

let stack: Stack;
let gateway: Gateway;
let analyticsRefs: Ref[];

beforeAll(async () => {
  stack = await startStack({ ...WITHOUT_RECORD_CACHE, ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
  const analytics = stack.simulator.projects.get(DEMO.analyticsGroupId)!.serverless.get('analytics-serverless')!;
  analyticsRefs = analytics.snapshots
    .slice(0, 10)
    .map((s) => ({ groupId: DEMO.analyticsGroupId, clusterName: analytics.name, id: s.id }));
  const projects = [
    {
      id: 'p1',
      name: 'Demo',
      latestSnapshot: { groupId: DEMO.groupId, clusterName: DEMO.clusterName, id: DEMO.snapshotId },
      audited: [] as Ref[],
    },
    // 100 references over 10 distinct snapshots
    {
      id: 'p2',
      name: 'Analytics',
      latestSnapshot: null,
      audited: Array.from({ length: 100 }, (_, i) => analyticsRefs[i % 10]!),
    },
    {
      id: 'p3',
      name: 'Broken',
      latestSnapshot: { groupId: DEMO.groupId, clusterName: DEMO.clusterName, id: 'ffffffffffffffffffffffff' },
      audited: [],
    },
  ];
  const schema = buildSubgraphSchema({
    typeDefs: parse(PROJECTS_SDL),
    resolvers: {
      Query: {
        team: (_: unknown, { id }: { id: string }) => projects.find((p) => p.id === id),
        teams: () => projects,
      },
      Team: { auditedSnapshots: (p: (typeof projects)[number]) => p.audited },
    },
  });
  const handler = createYoga({ schema, graphqlEndpoint: '/graphql', logging: false });
  gateway = await startGateway(stack.app.graphqlUrl, { name: 'projects', sdl: PROJECTS_SDL, handler });
});

afterAll(async () => {
  await gateway.close();
  await stack.close();
});

beforeEach(() => stack.simulator.reset());

const viaGateway = <T = Record<string, unknown>>(query: string): Promise<GraphQLResponse<T>> => gateway.query<T>(query);

describe('Apollo Federation 2 through Hive Gateway', () => {
  it('serves fields of both subgraphs in one operation', async () => {
    const { data, errors } = await viaGateway(
      `{ team(id: "p1") { name latestSnapshot { id status storageSizeBytes source createdAt } } }`,
    );
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      team: {
        name: 'Demo',
        latestSnapshot: {
          id: DEMO.snapshotId,
          status: 'COMPLETED',
          storageSizeBytes: 5368709120,
          source: 'SERVERLESS',
          createdAt: '2025-11-23T03:14:08.000Z',
        },
      },
    });
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(1);
  });

  it('resolves an entity batch of 100 references over 10 snapshots with 10 Atlas calls', async () => {
    const { data, errors } = await viaGateway<{ team: { auditedSnapshots: { id: string; status: string }[] } }>(
      `{ team(id: "p2") { auditedSnapshots { id status } } }`,
    );
    expect(errors).toBeUndefined();
    expect(data!.team.auditedSnapshots).toHaveLength(100);
    expect(data!.team.auditedSnapshots.map((s) => s.id)).toEqual(
      Array.from({ length: 100 }, (_, i) => analyticsRefs[i % 10]!.id),
    );
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(10);
  });

  it('passes a typed NOT_FOUND with its Atlas envelope through to the client', async () => {
    const { data, errors } = await viaGateway(`{ team(id: "p3") { name latestSnapshot { id status } } }`);
    // The key field comes from the projects subgraph; what only atlas-backups knows is null.
    expect(data).toEqual({
      team: { name: 'Broken', latestSnapshot: { id: 'ffffffffffffffffffffffff', status: null } },
    });
    expect(errors).toHaveLength(1);
    expect(errors![0]!.path?.slice(0, 2)).toEqual(['team', 'latestSnapshot']);
    expect(errors![0]!.extensions).toMatchObject({
      code: 'NOT_FOUND',
      atlas: { status: 404, errorCode: 'SNAPSHOT_NOT_FOUND', reason: 'Not Found' },
    });
  });
});

describe('the subgraph itself', () => {
  it('serves _service { sdl } with the federation link and entity keys', async () => {
    const { data } = await stack.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(data!._service.sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.6"');
    expect(data!._service.sdl).toContain('type ServerlessSnapshot implements BackupSnapshot');
    expect(data!._service.sdl).toContain('@key(fields: "groupId clusterName id")');
    expect(data!._service.sdl).toContain('@key(fields: "groupId name id")');
  });

  it('_entities: 100 representations over 10 distinct snapshots cost 10 calls, in order', async () => {
    const representations = Array.from({ length: 100 }, (_, i) => ({
      __typename: 'ServerlessSnapshot',
      ...analyticsRefs[i % 10]!,
    }));
    const { data, errors } = await stack.query<{ _entities: { id: string }[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServerlessSnapshot { id } } }',
      { r: representations },
    );
    expect(errors).toBeUndefined();
    expect(data!._entities.map((e) => e.id)).toEqual(representations.map((r) => r.id));
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(10);
  });

  it('_entities resolves FlexSnapshot by its own key, and refuses a malformed representation without a call', async () => {
    const { data, errors } = await stack.query<{ _entities: ({ id: string; name: string } | null)[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on FlexSnapshot { id name } } }',
      {
        r: [
          { __typename: 'FlexSnapshot', groupId: DEMO.groupId, name: DEMO.flexCluster, id: DEMO.flexSnapshotId },
          { __typename: 'FlexSnapshot', groupId: DEMO.groupId, name: '../x', id: DEMO.flexSnapshotId },
        ],
      },
    );
    expect(data!._entities[0]).toEqual({ id: DEMO.flexSnapshotId, name: DEMO.flexCluster });
    expect(data!._entities[1]).toBeNull();
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(atlasCalls(stack, 'getFlexBackupSnapshot')).toBe(1);
  });
});
