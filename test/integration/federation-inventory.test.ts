import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createInventorySubgraph,
  INVENTORY_SDL,
  type InventoryCluster,
} from '../../examples/federation/inventory-subgraph.js';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import {
  ANYONE_MAY_CALL,
  atlasCalls,
  type GraphQLResponse,
  ONE_CLIENT_PLAYS_MANY_CALLERS,
  type Stack,
  startStack,
  WITHOUT_RECORD_CACHE,
} from '../helpers.js';
import { type Gateway, startGateway } from '../gateway.js';

// The real use of `Cluster` as an entity: a company's inventory subgraph owns its clusters (who runs
// each one, in which environment) and lists them; composed with our committed schema.graphql and
// served by Hive Gateway, one operation walks from its list to our latestSnapshot and backupSchedule.
// The service runs with its default limits (UPSTREAM_MAX_KEYS 100, UPSTREAM_CONCURRENCY 8) but the
// per-caller budgets: the gateway is its only caller, and docs/clients.md says to lift them then.

/** The fleet's 40 clusters, PRODUCTION and STAGING in turn, and one of each kind of the demo project. */
const INVENTORY: InventoryCluster[] = [
  ...CLOUD.fleetClusterNames.map((name, i) => ({
    groupId: CLOUD.fleetGroupId,
    name,
    owner: `team-${i % 4}`,
    environment: i % 2 ? ('STAGING' as const) : ('PRODUCTION' as const),
  })),
  ...[CLOUD.replicaSet, CLOUD.sharded, CLOUD.flex, CLOUD.deleted, CLOUD.backupDisabled].map((name) => ({
    groupId: CLOUD.groupId,
    name,
    owner: 'platform',
    environment: 'DEVELOPMENT' as const,
  })),
];
const PRODUCTION = INVENTORY.filter((c) => c.environment === 'PRODUCTION');

/** The dashboard over the inventory: its fields, and ours on the dedicated clusters. */
const clusters = (alias: string, environment: string) => `${alias}: inventoryClusters(environment: ${environment}) {
  __typename name owner environment
  ... on DedicatedCluster {
    latestSnapshot { id status createdAt storageSizeBytes }
    backupSchedule { nextSnapshot restoreWindowDays }
  }
}`;

interface Row {
  __typename: string;
  name: string;
  owner: string;
  environment: string;
  latestSnapshot?: { id: string; status: string; createdAt: string; storageSizeBytes: number } | null;
  backupSchedule?: { nextSnapshot: string; restoreWindowDays: number } | null;
}

let stack: Stack;
let gateway: Gateway;

beforeAll(async () => {
  stack = await startStack({ ...WITHOUT_RECORD_CACHE, ...ANYONE_MAY_CALL, ...ONE_CLIENT_PLAYS_MANY_CALLERS });
  const handler = createInventorySubgraph(INVENTORY);
  gateway = await startGateway(stack.app.graphqlUrl, { name: 'inventory', sdl: INVENTORY_SDL, handler });
});

afterAll(async () => {
  await gateway.close();
  await stack.close();
});

beforeEach(() => stack.simulator.reset());

const viaGateway = (query: string): Promise<GraphQLResponse<Record<string, Row[]>>> => gateway.query(query);

/** Each Atlas operation the simulator served, by name. */
const callsByOperation = () => ({ ...stack.simulator.stats.byOperation });

describe('an inventory subgraph that owns clusters, through Hive Gateway', () => {
  it('N clusters of one project: both subgraphs’ fields for 1 + 2N Atlas calls, at most 8 at once', async () => {
    stack.simulator.faults.latencyMs = 20; // long enough for the calls to overlap
    const n = PRODUCTION.length;
    const { data, errors } = await viaGateway(`{ ${clusters('production', 'PRODUCTION')} }`);
    expect(errors).toBeUndefined();
    const rows = data!.production!;
    expect(rows.map((r) => [r.__typename, r.name, r.owner, r.environment])).toEqual(
      PRODUCTION.map((c) => ['DedicatedCluster', c.name, c.owner, 'PRODUCTION']),
    );
    // fleet-01: its hourly snapshot is the newest completed one; fleet-05's is in progress, so its daily.
    expect(rows[0]).toMatchObject({
      latestSnapshot: {
        id: '6b1541000000000000000003',
        status: 'COMPLETED',
        createdAt: '2026-11-20T09:16:00.000Z',
        storageSizeBytes: 2_154_823_680,
      },
      backupSchedule: { nextSnapshot: '2026-11-20T15:16:00.000Z', restoreWindowDays: 7 },
    });
    expect(rows[2]!.latestSnapshot).toMatchObject({ id: '6b1545000000000000000002', status: 'COMPLETED' });
    expect(rows.every((r) => r.latestSnapshot && r.backupSchedule)).toBe(true);
    // The references: one list of the project (no getCluster); then one call per cluster per field.
    expect(callsByOperation()).toEqual({ listClusters: 1, listBackupSnapshots: n, getBackupSchedule: n });
    expect(stack.simulator.upstreamCalls()).toBe(1 + 2 * n);
    expect(stack.simulator.stats.maxInFlight).toBe(8);
  });

  it('all 40 clusters of the project: 1 + 2 × 40 calls, within the default budget of 100', async () => {
    const { data, errors } = await viaGateway(
      `{ ${clusters('production', 'PRODUCTION')} ${clusters('staging', 'STAGING')} }`,
    );
    expect(errors).toBeUndefined();
    expect([...data!.production!, ...data!.staging!].filter((r) => r.latestSnapshot && r.backupSchedule)).toHaveLength(
      40,
    );
    expect(callsByOperation()).toEqual({ listClusters: 1, listBackupSnapshots: 40, getBackupSchedule: 40 });
  });

  it('the same clusters asked for twice in one operation cost nothing more', async () => {
    const n = PRODUCTION.length;
    const { data, errors } = await viaGateway(`{ ${clusters('a', 'PRODUCTION')} ${clusters('b', 'PRODUCTION')} }`);
    expect(errors).toBeUndefined();
    expect(data!.b).toEqual(data!.a);
    expect(callsByOperation()).toEqual({ listClusters: 1, listBackupSnapshots: n, getBackupSchedule: n });
  });

  it('every kind of cluster: Flex by name (remembered next time), backup disabled without a schedule call, a deleted one null', async () => {
    const first = await viaGateway(`{ ${clusters('dev', 'DEVELOPMENT')} }`);
    const rows = first.data!.dev!;
    expect(rows.map((r) => r && [r.__typename, r.name, r.owner])).toEqual([
      ['DedicatedCluster', CLOUD.replicaSet, 'platform'],
      ['DedicatedCluster', CLOUD.sharded, 'platform'],
      ['FlexCluster', CLOUD.flex, 'platform'],
      // Atlas no longer knows it (our _entities answers NOT_FOUND for it, below); Hive Gateway 2
      // leaves its entry null without passing that error on: the inventory's list items are nullable.
      null,
      ['DedicatedCluster', CLOUD.backupDisabled, 'platform'],
    ]);
    expect(rows[0]!.latestSnapshot).toMatchObject({ id: CLOUD.snapshots.latestCompleted });
    expect(rows[1]!.latestSnapshot).toMatchObject({ status: 'COMPLETED' });
    expect(rows[4]).toMatchObject({ latestSnapshot: null, backupSchedule: null });
    // Listed: the three dedicated ones. By name: the Flex one (getCluster's 400, then the Flex API) and the deleted one.
    expect(callsByOperation()).toEqual({
      listClusters: 1,
      getCluster: 2,
      getFlexCluster: 1,
      listBackupSnapshots: 2,
      listBackupShardedClusters: 1,
      getBackupSchedule: 2,
    });
    stack.simulator.reset();
    await viaGateway(`{ ${clusters('dev', 'DEVELOPMENT')} }`);
    expect(atlasCalls(stack, 'getCluster')).toBe(1); // the deleted name only: the Flex one is remembered
    expect(atlasCalls(stack, 'getFlexCluster')).toBe(1);
  });
});

describe('the subgraph’s own _entities', () => {
  const entities = (references: { groupId: string; name: string }[]) =>
    stack.query<{ _entities: ({ __typename: string; name: string } | null)[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Cluster { name } } }',
      { r: references.map((k) => ({ __typename: 'Cluster', ...k })) },
    );

  it('a batch of references to one project, each twice, costs one list call; one reference, its getCluster', async () => {
    const { data, errors } = await entities([...PRODUCTION, ...PRODUCTION]);
    expect(errors).toBeUndefined();
    expect(data!._entities.map((e) => e!.name)).toEqual([...PRODUCTION, ...PRODUCTION].map((c) => c.name));
    expect(callsByOperation()).toEqual({ listClusters: 1 });

    stack.simulator.reset();
    const one = await entities([{ groupId: CLOUD.groupId, name: CLOUD.deleted }]);
    expect(one.data!._entities).toEqual([null]);
    expect(one.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', atlas: { errorCode: 'CLUSTER_NOT_FOUND' } });
    expect(callsByOperation()).toEqual({ getCluster: 1 });
  });
});
