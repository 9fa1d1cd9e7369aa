import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  cloudBackup,
  cloudRestoreJobSchema,
  listBackupShardedClusters,
  replicaSetSnapshotSchema,
  shardedSnapshotSchema,
} from '../../src/atlas/cloud-backup.js';
import { clusterSchema, flexClusterSchema, listClusters } from '../../src/atlas/cluster.js';
import { clusterFromDedicated, clusterFromFlex, topologyOf } from '../../src/backups/cluster-record.js';
import {
  restoreJobFromDedicated,
  restoreJobState,
  type RestoreJobState,
} from '../../src/backups/dedicated-restore-job-record.js';
import {
  newestCompleted,
  snapshotFromReplicaSet,
  snapshotFromSharded,
} from '../../src/backups/dedicated-snapshot-record.js';

// Every recorded Atlas body of the cluster and Cloud Backup reads (test/fixtures/atlas-examples, a
// copy of ../shared/atlas/examples) parses with the operation's schema, as the client does, and maps
// to the expected record. None of these bodies validates against the spec (README §10.3, §10.6).

const FIXTURES = new URL('../fixtures/atlas-examples/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', FIXTURES), 'utf8')) as {
  files: { operation: string | string[]; status: number; file: string }[];
};
const raw = (file: string): unknown => JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8'));
const files = (operation: string) =>
  index.files.filter((f) => f.operation === operation && f.status === 200).map((f) => f.file);
const parse = <S extends z.ZodType>(schema: S, file: string): z.infer<S> => schema.parse(raw(file));

const AT = { groupId: 'aaaaaaaaaaaaaaaaaaaaaaaa', clusterName: 'as-asked-01' };

describe('every recording of these operations parses', () => {
  it.each([
    ['getCluster', clusterSchema, 3],
    ['listClusters', listClusters.schema, 1],
    ['getFlexCluster', flexClusterSchema, 2],
    ['getClusterBackupSnapshot', replicaSetSnapshotSchema, 12],
    ['listBackupSnapshots', cloudBackup.operations.listSnapshots.schema, 1],
    ['getBackupRestoreJob', cloudRestoreJobSchema, 5],
    ['listBackupRestoreJobs', cloudBackup.operations.listRestoreJobs.schema, 1],
  ] as const)('%s: its %d 200 bodies', (operation, schema, count) => {
    const bodies = files(operation);
    expect(bodies).toHaveLength(count);
    for (const file of bodies) expect(schema.safeParse(raw(file)).error?.issues, file).toBeUndefined();
  });

  it('no sharded snapshot was ever recorded (ops 6, 7): a body shaped like the spec example parses', () => {
    expect(files('getBackupShardedCluster')).toEqual([]);
    const body = {
      id: '6b1504000000000000000001',
      configServerType: 'EMBEDDED',
      frequencyType: 'ondemand',
      members: [{ cloudProvider: 'AWS', id: '6b1604000000000000000010', replicaSetName: 'atlas-x-shard-0' }],
      snapshotIds: ['6b1604000000000000000010'],
      status: 'completed',
      storageSizeBytes: 8_800_000_000,
      type: 'shardedCluster',
    };
    const record = snapshotFromSharded(AT, shardedSnapshotSchema.parse(body));
    expect(record).toMatchObject({ topology: 'sharded', source: 'DEDICATED', snapshotIds: [body.snapshotIds[0]] });
    expect(listBackupShardedClusters.schema.parse({ results: [body], totalCount: 1 }).results).toHaveLength(1);
  });
});

describe('clusters', () => {
  it('a recorded IDLE cluster maps to the documented subset', () => {
    const record = clusterFromDedicated(
      AT.groupId,
      parse(clusterSchema, 'getCluster/observed-snapshots-3-IDLE.200.json'),
    );
    expect(record).toEqual({
      kind: 'DEDICATED',
      groupId: AT.groupId,
      name: 'cluster-209',
      id: '6a793f54c0eb9e7a17713ff5',
      clusterType: 'REPLICASET',
      stateName: 'IDLE',
      mongoDBVersion: '8.0.29',
      createdAt: '2026-08-10T03:02:44Z',
      backupEnabled: true,
      paused: false,
      pitEnabled: true,
      configServerType: undefined,
      replicationSpecs: [
        {
          id: '6a793f54c0eb9e7a17713f7b',
          zoneId: '6a793f54c0eb9e7a17713f7a',
          zoneName: 'Zone 1',
          regions: [
            {
              provider: 'AWS',
              regionName: 'US_EAST_1',
              priority: 7,
              electable: { instanceSize: 'M10', nodeCount: 3, diskSizeGB: 10 },
              readOnly: { instanceSize: 'M10', nodeCount: 0, diskSizeGB: 10 },
              analytics: { instanceSize: 'M10', nodeCount: 0, diskSizeGB: 10 },
            },
          ],
        },
      ],
      regions: [expect.objectContaining({ provider: 'AWS', regionName: 'US_EAST_1' })],
      links: expect.arrayContaining([expect.objectContaining({ rel: 'self' })]) as unknown,
    });
    expect(topologyOf(record)).toBe('replicaSet');
  });

  it('the recorded sharded cluster in a list is SHARDED with an embedded config server; DELETING has backup off', () => {
    const [listed] = parse(listClusters.schema, 'listClusters/observed-iss-list-iss-cluster.200.json').results;
    const record = clusterFromDedicated(AT.groupId, listed!);
    expect(record).toMatchObject({ clusterType: 'SHARDED', configServerType: 'EMBEDDED' });
    expect(record.replicationSpecs).toHaveLength(2);
    expect(topologyOf(record)).toBe('sharded');
    const deleting = parse(clusterSchema, 'getCluster/observed-snapshots-4-DELETING.200.json');
    expect(clusterFromDedicated(AT.groupId, deleting)).toMatchObject({ stateName: 'DELETING', backupEnabled: false });
  });

  it('a spec quirk degrades one field, not the cluster: regionName as an object, an unknown enum value', () => {
    const body = raw('getCluster/observed-snapshots-3-IDLE.200.json') as {
      replicationSpecs: { regionConfigs: Record<string, unknown>[] }[];
    };
    body.replicationSpecs[0]!.regionConfigs[0]!.regionName = { awsRegion: 'US_EAST_1' };
    const record = clusterFromDedicated(AT.groupId, { ...clusterSchema.parse({ ...body, stateName: 'HIBERNATING' }) });
    expect(record.regions[0]).toMatchObject({ provider: 'AWS', regionName: undefined });
    expect(record.stateName).toBe('HIBERNATING'); // the schema layer resolves it to null
  });

  it('Flex clusters: one region, backed by a cloud', () => {
    for (const file of files('getFlexCluster')) {
      const record = clusterFromFlex(AT.groupId, parse(flexClusterSchema, file));
      expect(record).toMatchObject({ kind: 'FLEX', clusterType: 'REPLICASET', backupEnabled: true, diskSizeGB: 5 });
      expect(record.regions).toEqual([{ provider: 'AWS', regionName: 'US_EAST_1' }]);
      expect(topologyOf(record)).toBe('flex');
    }
  });
});

describe('replica-set snapshots', () => {
  it('the recorded lifecycle: in progress (size 0, no createdAt) → completed; `ondemand` kept as sent', () => {
    const stage = (n: number, status: string) =>
      parse(
        replicaSetSnapshotSchema,
        `getClusterBackupSnapshot/observed-snapshots-watch-creation-${n}-${status}.200.json`,
      );
    const first = snapshotFromReplicaSet(AT, stage(1, 'inProgress'));
    expect(first).toMatchObject({ source: 'DEDICATED', topology: 'replicaSet', status: 'inProgress' });
    expect(first).toMatchObject({ storageSizeBytes: 0, frequencyType: 'ondemand', snapshotType: 'onDemand' });
    expect(first.createdAt).toBeUndefined();
    expect(first.mongodVersion).toBeUndefined();
    const done = snapshotFromReplicaSet(
      AT,
      parse(replicaSetSnapshotSchema, 'getClusterBackupSnapshot/observed-snapshots-describe-completed.200.json'),
    );
    expect(done).toEqual({
      source: 'DEDICATED',
      topology: 'replicaSet',
      id: '6a7944f22c88faeba59d3572',
      groupId: AT.groupId,
      clusterName: AT.clusterName,
      status: 'completed',
      createdAt: '2026-08-10T03:28:08Z',
      expiresAt: '2026-08-11T03:29:21Z',
      mongodVersion: '8.0.29',
      frequencyType: 'ondemand',
      snapshotType: 'onDemand',
      storageSizeBytes: 1582854144,
      description: 'test-snapshot',
      type: 'replicaSet',
      policyItems: [],
      masterKeyUUID: undefined,
      replicaSetName: 'cluster-209',
      cloudProvider: 'AWS',
      copyRegions: [],
      links: expect.any(Array) as unknown,
    });
  });

  it('newestCompleted picks by createdAt whatever the order, skipping unfinished ones', () => {
    const s = (id: string, status: string, createdAt?: string) => ({ id, status, createdAt });
    const list = [
      s('b', 'completed', '2026-11-20T09:16:00Z'),
      s('c', 'queued'),
      s('a', 'completed', '2026-11-19T03:16:00Z'),
    ];
    expect(newestCompleted(list as never[])).toMatchObject({ id: 'b' });
    expect(newestCompleted([...list].reverse() as never[])).toMatchObject({ id: 'b' });
    expect(newestCompleted([s('x', 'failed', '2026-11-21T00:00:00Z')] as never[])).toBeUndefined();
  });
});

describe('restore jobs: no status in Atlas, a derived state', () => {
  const jobs = (file: string) => restoreJobFromDedicated(AT, parse(cloudRestoreJobSchema, file));

  it.each([
    ['observed-restores-describe-finished', 'COMPLETED'],
    ['observed-restores-watch-1-pending', 'PENDING'],
    ['observed-restores-watch-download-1-pending', 'PENDING'],
    ['observed-restores-watch-download-2-deliveryUrl-ready', 'READY'],
    ['observed-restores-watch-download-2-cancelled-2025-04-02', 'CANCELLED'],
  ] as const)('recorded %s → %s', (name, state) => {
    expect(jobs(`getBackupRestoreJob/${name}.200.json`).state).toBe(state);
  });

  it('keeps the raw fields, reads desiredTimestamp of nulls as absent, and the undocumented target item name', () => {
    const job = jobs('getBackupRestoreJob/observed-restores-describe-finished.200.json');
    expect(job).toMatchObject({
      groupId: AT.groupId,
      clusterName: AT.clusterName,
      cancelled: false,
      failed: false,
      expired: false,
      finishedAt: '2026-08-10T03:40:10Z',
      deliveryType: 'automated',
      targetDeploymentItemName: 'atlas-72ck1q',
      desiredTimestamp: { date: undefined, increment: undefined },
    });
    const [listed] = parse(
      cloudBackup.operations.listRestoreJobs.schema,
      'listBackupRestoreJobs/observed-restores-list.200.json',
    ).results;
    expect(restoreJobFromDedicated(AT, listed!).state).toBe('COMPLETED');
  });

  // Every row of the table in dedicated-restore-job-record.ts, and that the first match wins.
  const URL = ['https://restore-x.example.net:27017/token/restore-y.tar.gz'];
  it.each<[string, Parameters<typeof restoreJobState>[0], RestoreJobState]>([
    ['1: cancelled', { cancelled: true }, 'CANCELLED'],
    ['1: cancelled and failed (a cancelled download)', { cancelled: true, failed: true, finishedAt: 'x' }, 'CANCELLED'],
    ['1: cancelled beats expired', { cancelled: true, expired: true }, 'CANCELLED'],
    ['2: failed', { failed: true, finishedAt: 'x' }, 'FAILED'],
    ['2: failed beats expired and a URL', { failed: true, expired: true, deliveryUrl: URL }, 'FAILED'],
    ['3: expired', { expired: true, finishedAt: 'x', deliveryUrl: URL }, 'EXPIRED'],
    ['4: finishedAt', { cancelled: false, failed: false, expired: false, finishedAt: 'x' }, 'COMPLETED'],
    ['4: finishedAt beats a URL', { finishedAt: 'x', deliveryUrl: URL }, 'COMPLETED'],
    ['5: a delivery URL', { cancelled: false, failed: false, expired: false, deliveryUrl: URL }, 'READY'],
    ['5: a shard download URL', { components: [{ downloadUrl: URL[0] }] }, 'READY'],
    ['6: nothing yet', { cancelled: false, failed: false, expired: false, deliveryUrl: [] }, 'PENDING'],
    ['6: an empty shard URL is no URL', { components: [{ downloadUrl: '' }] }, 'PENDING'],
    ['6: no fields at all', {}, 'PENDING'],
  ])('row %s', (_, job, state) => {
    expect(restoreJobState(job)).toBe(state);
  });
});
