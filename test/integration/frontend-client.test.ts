import { readFileSync } from 'node:fs';
import { parse, print } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAtlasBackupsClient, ServerlessSnapshotQuery, snapshotStatus } from '../../examples/frontend-client.js';
import { DEMO } from '../../src/simulator/seed.js';
import { ANYONE_MAY_CALL, type Stack, startStack } from '../helpers.js';

// A real frontend GraphQL client (urql) against the running server, through the shipped example.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ ...ANYONE_MAY_CALL, ATLAS_SNAPSHOT_API: 'auto' });
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());

const vars = { groupId: DEMO.groupId, clusterName: DEMO.clusterName, snapshotId: DEMO.snapshotId };

describe('urql, as a frontend uses it', () => {
  it('runs the typed query with variables', async () => {
    const view = await snapshotStatus(createAtlasBackupsClient(stack.app.graphqlUrl), vars);
    expect(view).toEqual({
      kind: 'snapshot',
      snapshot: {
        id: DEMO.snapshotId,
        source: 'SERVERLESS',
        status: 'COMPLETED',
        createdAt: '2025-11-23T03:14:08.000Z',
        expiresAt: '2025-11-30T03:14:08.000Z',
        storageSizeBytes: 5368709120,
      },
    });
  });

  it('reads extensions.code from errors the way a frontend would', async () => {
    const client = createAtlasBackupsClient(stack.app.graphqlUrl);
    expect(await snapshotStatus(client, { ...vars, snapshotId: 'ffffffffffffffffffffffff' })).toEqual({
      kind: 'not-found',
    });
    expect(await snapshotStatus(client, { ...vars, snapshotId: 'NOT-AN-ID' })).toEqual({
      kind: 'invalid-input',
      argument: 'snapshotId',
    });
    stack.simulator.faults.inject({ kind: 'status', status: 429, headers: { 'Retry-After': '30' } }, { times: 5 });
    expect(await snapshotStatus(client, { ...vars, snapshotId: DEMO.maxSafeSizeSnapshotId })).toEqual({
      kind: 'retry-later',
      afterSeconds: 30,
    });
  });

  it('ships the same query as a .graphql file', () => {
    const file = readFileSync(new URL('../../examples/serverless-snapshot.graphql', import.meta.url), 'utf8');
    expect(print(parse(file))).toBe(print(ServerlessSnapshotQuery));
  });
});
