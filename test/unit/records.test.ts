import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  flexRestoreJobSchema,
  flexSnapshotSchema,
  listFlexBackupSnapshots,
  listFlexRestoreJobs,
} from '../../src/atlas/flex-backup.js';
import {
  listServerlessBackupSnapshots,
  listServerlessRestoreJobs,
  serverlessRestoreJobSchema,
  serverlessSnapshotSchema,
} from '../../src/atlas/serverless-backup.js';
import {
  flexRestoreJobRecord,
  restoreJobFromFlex,
  restoreJobFromServerless,
} from '../../src/backups/restore-job-record.js';
import { snapshotFromFlex, snapshotFromServerless } from '../../src/backups/snapshot-record.js';

// The record mappers over the Atlas example bodies (test/fixtures/atlas-examples): each body is
// parsed with the operation's schema, as the client does, and then mapped.

const FIXTURES = new URL('../fixtures/atlas-examples/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', FIXTURES), 'utf8')) as {
  files: { operation: string | string[]; status: number; file: string }[];
};

/** One fixture body parsed with `schema`. */
const fixture = <S extends z.ZodType>(file: string, schema: S): z.infer<S> =>
  schema.parse(JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')));

/** Every 200 body of `get` parsed with `item`, and every item of every 200 body of `list`. */
function bodiesOf<S extends z.ZodType>(
  get: string,
  item: S,
  list: { name: string; schema: z.ZodType<{ results: z.infer<S>[] }> },
) {
  const files = (operation: string) => index.files.filter((f) => f.operation === operation && f.status === 200);
  const single = files(get).map((f) => ({ file: f.file, body: fixture(f.file, item) }));
  const listed = files(list.name).flatMap((f) =>
    fixture(f.file, list.schema).results.map((body, i) => ({ file: `${f.file} results[${i}]`, body })),
  );
  expect(single.length).toBeGreaterThan(0);
  return [...single, ...listed];
}

/** Where the records are asked for: not the names in the bodies, so that a test sees which one a record took. */
const AT = { groupId: 'aaaaaaaaaaaaaaaaaaaaaaaa', clusterName: 'as-asked-01' };

/** Keys whose value is undefined: a record leaves a field out rather than setting it to undefined. */
const undefinedKeys = (record: object) =>
  Object.entries(record)
    .filter(([, value]) => value === undefined)
    .map(([key]) => key);

describe('snapshotFromServerless', () => {
  it('keeps the body as it is, adding the source and where it was asked for', () => {
    const body = fixture('getServerlessBackupSnapshot/200-completed-daily-5GiB.json', serverlessSnapshotSchema);
    expect(snapshotFromServerless(AT, body)).toEqual({
      source: 'SERVERLESS',
      id: '6741f2a0c8e4d17a3b9f0e21',
      groupId: AT.groupId,
      clusterName: AT.clusterName,
      createdAt: '2025-11-23T03:14:08Z',
      expiresAt: '2025-11-30T03:14:08Z',
      frequencyType: 'daily',
      snapshotType: 'scheduled',
      status: 'completed',
      mongodVersion: '8.0.17',
      serverlessInstanceName: 'serverless-prod-01',
      storageSizeBytes: 5368709120,
      links: [
        {
          rel: 'self',
          href: 'https://cloud.mongodb.com/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/serverless/serverless-prod-01/backup/snapshots/6741f2a0c8e4d17a3b9f0e21',
        },
      ],
    });
  });

  it('every serverless snapshot example: each body field unchanged, the location as asked', () => {
    for (const { file, body } of bodiesOf(
      'getServerlessBackupSnapshot',
      serverlessSnapshotSchema,
      listServerlessBackupSnapshots,
    )) {
      const record = snapshotFromServerless(AT, body);
      expect(record, file).toEqual({ ...body, source: 'SERVERLESS', groupId: AT.groupId, clusterName: AT.clusterName });
      expect(undefinedKeys(record), file).toEqual([]);
    }
  });
});

describe('snapshotFromFlex', () => {
  it('renames the Flex fields into the serverless vocabulary', () => {
    const body = fixture('getFlexBackupSnapshot/200-completed.json', flexSnapshotSchema);
    expect(snapshotFromFlex(AT, body)).toEqual({
      source: 'FLEX',
      id: '6a6f78e0cab84da5c4476b25',
      groupId: AT.groupId,
      clusterName: AT.clusterName,
      status: 'completed',
      createdAt: '2026-11-18T17:05:37Z', // startTime: Flex has no creation time
      startTime: '2026-11-18T17:05:37Z',
      scheduledTime: '2026-11-18T17:05:10Z',
      finishTime: '2026-11-18T17:06:56Z',
      expiresAt: '2026-11-26T17:05:10Z', // expiration
      mongodVersion: '8.0.29', // mongoDBVersion
      links: [],
    });
  });

  it.each([
    ['PENDING', 'pending'],
    ['QUEUED', 'queued'],
    ['RUNNING', 'inProgress'],
    ['FAILED', 'failed'],
    ['COMPLETED', 'completed'],
    ['ARCHIVED', 'ARCHIVED'], // a status Atlas may add: passed on as sent
  ])('status %s → %s', (flex, record) => {
    const body = fixture('getFlexBackupSnapshot/200-running.json', flexSnapshotSchema);
    expect(snapshotFromFlex(AT, { ...body, status: flex }).status).toBe(record);
  });

  it('every Flex snapshot example: no Flex-only field name, fields absent rather than undefined', () => {
    for (const { file, body } of bodiesOf('getFlexBackupSnapshot', flexSnapshotSchema, listFlexBackupSnapshots)) {
      const record = snapshotFromFlex(AT, body);
      expect(record, file).toMatchObject({ source: 'FLEX', id: body.id, ...AT, links: body.links });
      expect(Object.keys(record), file).not.toContain('mongoDBVersion');
      expect(Object.keys(record), file).not.toContain('expiration');
      expect(['pending', 'queued', 'inProgress', 'failed', 'completed', undefined], file).toContain(record.status);
      expect(record.createdAt, file).toBe(body.startTime);
      expect(undefinedKeys(record), file).toEqual([]);
    }
  });
});

describe('restoreJobFromServerless', () => {
  it('keeps the body as it is, adding the source and where it was asked for', () => {
    const body = fixture('getServerlessRestoreJob/200-pointInTime.json', serverlessRestoreJobSchema);
    expect(restoreJobFromServerless(AT, body)).toEqual({
      source: 'SERVERLESS',
      id: '6748a6c1e2f3a4b5c6d7e8f9',
      groupId: AT.groupId,
      clusterName: AT.clusterName,
      cancelled: false,
      deliveryType: 'pointInTime',
      desiredTimestamp: { date: '2025-11-27T18:30:00Z', increment: 1199145600 },
      expired: false,
      failed: false,
      finishedAt: '2025-11-27T19:02:44Z',
      oplogInc: 1,
      oplogTs: 1764268200,
      pointInTimeUTCSeconds: 1764268200,
      targetClusterName: 'serverless-staging-01',
      targetGroupId: '32b6e34b3d91647abb20e7b8',
      timestamp: '2025-11-27T18:30:00Z',
      links: [
        {
          rel: 'self',
          href: 'https://cloud.mongodb.com/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/serverless/serverless-prod-01/backup/restoreJobs/6748a6c1e2f3a4b5c6d7e8f9',
        },
      ],
    });
  });

  it('every serverless restore job example: each body field unchanged, the location as asked', () => {
    for (const { file, body } of bodiesOf(
      'getServerlessRestoreJob',
      serverlessRestoreJobSchema,
      listServerlessRestoreJobs,
    )) {
      const record = restoreJobFromServerless(AT, body);
      expect(record, file).toEqual({ ...body, source: 'SERVERLESS', groupId: AT.groupId, clusterName: AT.clusterName });
    }
  });
});

describe('restoreJobFromFlex', () => {
  it('a download: the Flex fields in the serverless vocabulary', () => {
    const body = fixture('getFlexRestoreJob/200-download-running.json', flexRestoreJobSchema);
    expect(restoreJobFromFlex(AT, body)).toEqual({
      source: 'FLEX',
      id: '6a7a90f3c1d2e3f4a5b6c7d8',
      groupId: AT.groupId,
      clusterName: AT.clusterName,
      deliveryType: 'download',
      status: 'RUNNING',
      failed: false,
      deliveryUrl: [body.snapshotUrl],
      expiresAt: '2026-11-26T11:20:00Z', // expirationDate
      restoreScheduledDate: '2026-11-26T07:20:00Z',
      timestamp: '2026-11-19T17:06:56Z', // snapshotFinishedDate
      snapshotId: '6a70ca6904d982bb549e2a3a',
      links: [],
    });
  });

  it('a restore into a cluster is `automated`, with its target', () => {
    const body = fixture('getFlexRestoreJob/200-restore-completed.json', flexRestoreJobSchema);
    expect(restoreJobFromFlex(AT, body)).toEqual({
      source: 'FLEX',
      id: '6a793f812c88faeba59bc399',
      groupId: AT.groupId,
      clusterName: AT.clusterName,
      deliveryType: 'automated',
      status: 'COMPLETED',
      failed: false,
      expiresAt: '2026-11-25T09:03:29Z',
      finishedAt: '2026-11-25T03:04:32Z', // restoreFinishedDate
      restoreScheduledDate: '2026-11-25T03:03:29Z',
      timestamp: '2026-11-18T17:06:56Z',
      snapshotId: '6a6f78e0cab84da5c4476b25',
      targetGroupId: '32b6e34b3d91647abb20e7b8', // targetProjectId
      targetClusterName: 'flex-staging-01', // targetDeploymentItemName
      links: [],
    });
  });

  it('FAILED sets `failed`; an unknown delivery type passes as sent; no status leaves `failed` out', () => {
    const body = fixture('getFlexRestoreJob/200-download-running.json', flexRestoreJobSchema);
    expect(restoreJobFromFlex(AT, { ...body, status: 'FAILED' })).toMatchObject({ status: 'FAILED', failed: true });
    expect(restoreJobFromFlex(AT, { ...body, deliveryType: 'STREAM' }).deliveryType).toBe('STREAM');
    const { status: _, ...withoutStatus } = body;
    expect(Object.keys(restoreJobFromFlex(AT, withoutStatus))).not.toContain('failed');
  });

  it('every Flex restore job example: nothing undocumented slips through', () => {
    const allowed = [
      ...['source', 'id', 'groupId', 'clusterName', 'links', 'status', 'restoreScheduledDate', 'failed'],
      ...['deliveryType', 'deliveryUrl', 'expiresAt', 'finishedAt', 'timestamp', 'snapshotId'],
      ...['targetGroupId', 'targetClusterName'],
    ];
    for (const { file, body } of bodiesOf('getFlexRestoreJob', flexRestoreJobSchema, listFlexRestoreJobs)) {
      const record = restoreJobFromFlex(AT, body);
      expect(record, file).toMatchObject({ source: 'FLEX', id: body.id, ...AT, links: body.links });
      expect(allowed, file).toEqual(expect.arrayContaining(Object.keys(record)));
      expect(undefinedKeys(record), file).toEqual([]);
    }
  });
});

describe('flexRestoreJobRecord', () => {
  it('the Flex body as it is, with the path parameters it was fetched with', () => {
    const body = fixture('observed/getFlexRestoreJob.200.json', flexRestoreJobSchema);
    expect(flexRestoreJobRecord({ groupId: AT.groupId, name: 'flex-01' }, body)).toEqual({
      ...body,
      groupId: AT.groupId,
      name: 'flex-01',
    });
  });
});
