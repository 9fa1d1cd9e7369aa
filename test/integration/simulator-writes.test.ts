import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestAuthorization, parseDigestChallenge } from '../../src/atlas/digest.js';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import type { SimRoleGrant } from '../../src/simulator/roles.js';
import { DEMO } from '../../src/simulator/seed.js';
import { startAtlasSimulator, type AtlasSimulator } from '../../src/simulator/server.js';
import { LIFECYCLE_MS } from '../../src/simulator/timelines.js';

// The backup writes of the simulator over real HTTP (README §10.1 ops 2, 4, 5, 8, 10, 12, 14, 17,
// 23, 24): happy paths, 400s, 404s, conflicts, the sharded cancel's 405, role 403s, the clock walking
// each lifecycle, planned failures, the drop-after-body fault and the write statistics.

const V2023 = 'application/vnd.atlas.2023-01-01+json';
const V2024 = 'application/vnd.atlas.2024-08-05+json';
const FLEX = 'application/vnd.atlas.2024-11-13+json';
/** The simulator clock starts here and stands still unless a test moves it. */
const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const g = `/api/atlas/v2/groups/${CLOUD.groupId}`;
const fleet = `/api/atlas/v2/groups/${CLOUD.fleetGroupId}`;
const backup = (name: string, group = g) => `${group}/clusters/${name}/backup`;
const flexBackup = (name: string) => `${g}/flexClusters/${name}/backup`;
const fleetCluster = (n: number) => CLOUD.fleetClusterNames[n - 1]!;
/** Fleet replica sets: 1–3 on GCP, Azure, AWS; 5 has an hourly snapshot in progress. */
const [FLEET_1, FLEET_2, FLEET_3, FLEET_5] = [fleetCluster(1), fleetCluster(2), fleetCluster(3), fleetCluster(5)];

interface SnapshotBody {
  id: string;
  status: string;
  type: string;
  expiresAt: string;
  storageSizeBytes: number;
  createdAt?: string;
  mongodVersion?: string;
  cloudProvider?: string;
  members?: { id: string; replicaSetName: string }[];
}
interface JobBody {
  id: string;
  deliveryType: string;
  cancelled: boolean;
  expired: boolean;
  failed: boolean;
  deliveryUrl: string[];
  snapshotId: string;
  timestamp?: string;
  finishedAt?: string;
  expiresAt?: string;
  links: { rel: string }[];
}
interface ExportBody {
  id: string;
  state: string;
  prefix: string;
  finishedAt?: string;
  stateReason?: unknown;
}
interface FlexJobBody {
  id: string;
  status: string;
  deliveryType: string;
  restoreScheduledDate: string;
  expirationDate: string;
  snapshotUrl?: string;
  restoreFinishedDate?: string;
}

let sim: AtlasSimulator;
beforeEach(async () => {
  sim = await startAtlasSimulator({ clock: { start: NOW, frozen: true } });
});
afterEach(() => sim.close());

const send = (method: string, path: string, body?: unknown, accept = V2023) =>
  fetch(sim.url + path, {
    method,
    headers: { accept, 'content-type': accept },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
const post = (path: string, body: unknown, accept = V2023) => send('POST', path, body, accept);
const get = (path: string, accept = V2023) => send('GET', path, undefined, accept);
const read = async <T>(response: Response): Promise<T> => {
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
};

/** Status, errorCode and parameters of an Atlas error (with the X-Error-Code header checked). */
async function failure(response: Response) {
  const body = (await response.json()) as { error: number; errorCode: string; parameters: unknown[] };
  expect(response.headers.get('x-error-code')).toBe(body.errorCode);
  expect(body.error).toBe(response.status);
  return [response.status, body.errorCode, body.parameters];
}
const code = async (response: Response) => (await failure(response)).slice(0, 2);

/** A cluster's stored snapshot ids, oldest first. */
const snapshotIds = (name: string, groupId: string = CLOUD.fleetGroupId) => [
  ...sim.projects.get(groupId)!.cloud!.clusters.get(name)!.snapshots.keys(),
];
const takeSnapshot = (name: string = FLEET_1, body: unknown = {}) =>
  post(`${backup(name, fleet)}/snapshots`, body).then((r) => read<SnapshotBody>(r));
const restore = (body: Record<string, unknown>, name: string = FLEET_1, group = fleet) =>
  post(`${backup(name, group)}/restoreJobs`, body);
const automated = (snapshotId: string, target: string = FLEET_2) => ({
  deliveryType: 'automated',
  snapshotId,
  targetClusterName: target,
  targetGroupId: CLOUD.fleetGroupId,
});

describe('dispatch, bodies and answers', () => {
  it('routes by method and path: 405 for a method the path does not serve, 404 for an unknown path', async () => {
    expect(await code(await post(`${backup(CLOUD.replicaSet)}/exports/${CLOUD.exports.Queued}`, {}))).toEqual([
      405,
      'METHOD_NOT_ALLOWED',
    ]);
    expect(await code(await send('PUT', `${backup(FLEET_1, fleet)}/snapshots`, {}))).toEqual([
      405,
      'METHOD_NOT_ALLOWED',
    ]);
    expect((await failure(await post(`${g}/nothing-here`, {})))[0]).toBe(404);
    expect(sim.stats.writes).toEqual([]);
  });

  it('malformed JSON is 400 MALFORMED_JSON, JSON that is not an object 400 INVALID_JSON, over 64 KiB 413', async () => {
    const path = `${backup(FLEET_1, fleet)}/snapshots`;
    for (const bad of ['{"retentionInDays": ', '', 'nope'])
      expect(await code(await post(path, bad))).toEqual([400, 'MALFORMED_JSON']);
    for (const bad of ['[]', '3', 'null']) expect(await code(await post(path, bad))).toEqual([400, 'INVALID_JSON']);
    const huge = JSON.stringify({ description: 'x'.repeat(70_000) });
    expect(await code(await post(path, huge))).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(snapshotIds(FLEET_1)).toHaveLength(3);
  });

  it('answers a POST 200 with a body, a DELETE 204 with the media type and no body; both count in the backup bucket', async () => {
    const created = await post(`${backup(FLEET_1, fleet)}/snapshots`, {});
    expect([created.status, created.headers.get('content-type'), created.headers.get('ratelimit-limit')]).toEqual([
      200,
      `${V2023};charset=utf-8`,
      '1200',
    ]);
    const remaining = Number(created.headers.get('ratelimit-remaining'));
    const deleted = await send('DELETE', `${backup(FLEET_1, fleet)}/snapshots/${snapshotIds(FLEET_1)[0]}`);
    expect([deleted.status, deleted.headers.get('content-type'), await deleted.text()]).toEqual([
      204,
      `${V2023};charset=utf-8`,
      '',
    ]);
    expect(deleted.headers.get('ratelimit-remaining')).toBe(String(remaining - 1));
    expect((await post(`${backup(FLEET_2, fleet)}/snapshots`, {}, V2024)).status).toBe(406);
  });

  it('records every write with its parsed body; byOperation counts them; lastCall has the method', async () => {
    await takeSnapshot(FLEET_1, { description: 'nightly', retentionInDays: 2 });
    await post(`${backup(FLEET_2, fleet)}/snapshots`, '{oops');
    await send('PATCH', `${backup(FLEET_1, fleet)}/snapshots/${snapshotIds(FLEET_1)[0]}`, { retentionUnit: 'DAYS' });
    expect(sim.stats.writes.map(({ operation, method, body }) => [operation, method, body])).toEqual([
      ['takeSnapshots', 'POST', { description: 'nightly', retentionInDays: 2 }],
      ['takeSnapshots', 'POST', '{oops'],
      ['updateBackupSnapshot', 'PATCH', { retentionUnit: 'DAYS' }],
    ]);
    expect(sim.stats.byOperation).toEqual({ takeSnapshots: 2, updateBackupSnapshot: 1 });
    expect(sim.stats.lastCall).toMatchObject({ method: 'PATCH' });
  });
});

describe('op 2 takeSnapshots and the snapshot lifecycle', () => {
  it('queues an on-demand snapshot as recorded, one at a time per cluster, a new id each time', async () => {
    const s = await takeSnapshot(FLEET_1, { description: 'before-upgrade' });
    expect(s).toMatchObject({ status: 'queued', storageSizeBytes: 0, frequencyType: 'ondemand', type: 'replicaSet' });
    expect(s).not.toHaveProperty('createdAt');
    expect(s.expiresAt).toBe(iso(NOW + DAY));
    expect(await code(await post(`${backup(FLEET_1, fleet)}/snapshots`, {}))).toEqual([
      400,
      'UNFINISHED_ON_DEMAND_SNAPSHOT',
    ]);
    sim.clock.fastForward();
    const next = await takeSnapshot(FLEET_1, { retentionInDays: 3 });
    expect(next.id).not.toBe(s.id);
    expect(next.expiresAt).toBe(iso(sim.clock.now() + 3 * DAY));
    expect(snapshotIds(FLEET_1).slice(-2)).toEqual([s.id, next.id]);
  });

  it('walks queued → inProgress → mongodVersion → cloudProvider → completed over the clock', async () => {
    const { id } = await takeSnapshot();
    const now = async () => read<SnapshotBody>(await get(`${backup(FLEET_1, fleet)}/snapshots/${id}`));
    const ms = LIFECYCLE_MS.snapshot;
    sim.clock.advance(ms.inProgress - 1);
    expect((await now()).status).toBe('queued');
    sim.clock.advance(1);
    expect(await now()).toMatchObject({ status: 'inProgress', storageSizeBytes: 0 });
    expect(await now()).not.toHaveProperty('mongodVersion');
    sim.clock.advance(ms.versioned - ms.inProgress);
    expect(await now()).toMatchObject({ mongodVersion: '8.0.29' });
    expect(await now()).not.toHaveProperty('cloudProvider');
    sim.clock.advance(ms.placed - ms.versioned);
    expect(await now()).toMatchObject({ status: 'inProgress', cloudProvider: 'GCP' });
    sim.clock.advance(ms.completed - ms.placed);
    const done = await now();
    expect(done).toMatchObject({ status: 'completed', createdAt: iso(NOW + ms.completed - 10_000) });
    expect(done.storageSizeBytes).toBeGreaterThan(2 ** 31);
    expect(done.expiresAt).toBe(iso(NOW + ms.completed + DAY));
  });

  it('a sharded cluster gets a sharded snapshot with its members', async () => {
    const s = await read<SnapshotBody>(await post(`${backup(CLOUD.sharded)}/snapshots`, {}));
    expect(s.type).toBe('shardedCluster');
    expect(s.members!.map((m) => m.replicaSetName)).toEqual(['atlas-000004-shard-0', 'atlas-000004-shard-1']);
  });

  it('planned outcomes: the next resource, one operation only, or one in flight by id, ends failed', async () => {
    sim.planOutcome('failed', { operation: 'createBackupExport' });
    sim.planOutcome('failed');
    const first = await takeSnapshot(FLEET_1);
    const second = await takeSnapshot(FLEET_2);
    const third = await takeSnapshot(FLEET_3);
    sim.planOutcome('failed', { id: third.id });
    expect(() => sim.planOutcome('failed', { id: '0'.repeat(24) })).toThrow(/in flight/);
    sim.clock.fastForward();
    const status = async (name: string, id: string) =>
      (await read<SnapshotBody>(await get(`${backup(name, fleet)}/snapshots/${id}`))).status;
    expect(await status(FLEET_1, first.id)).toBe('failed');
    expect(await status(FLEET_2, second.id)).toBe('completed');
    expect(await status(FLEET_3, third.id)).toBe('failed');
    expect(() => sim.planOutcome('failed', { id: third.id })).toThrow(/in flight/);
  });

  it('400s for the body, 404s and 400s for clusters without backups', async () => {
    const path = `${backup(FLEET_1, fleet)}/snapshots`;
    expect(await failure(await post(path, { retentionInDays: 0 }))).toEqual([
      400,
      'ATTRIBUTE_NEGATIVE_OR_ZERO',
      ['retentionInDays'],
    ]);
    for (const retentionInDays of [1.5, 2 ** 31, '3']) {
      expect(await failure(await post(path, { retentionInDays }))).toEqual([
        400,
        'INVALID_ATTRIBUTE',
        ['retentionInDays'],
      ]);
    }
    expect(await code(await post(path, { description: 5 }))).toEqual([400, 'INVALID_ATTRIBUTE']);
    expect(await code(await post(`${backup(CLOUD.noSchedule)}/snapshots`, {}))).toEqual([
      404,
      'BACKUP_CONFIG_NOT_FOUND',
    ]);
    expect(await code(await post(`${backup(CLOUD.backupDisabled)}/snapshots`, {}))).toEqual([
      400,
      'BACKUP_JOB_NOT_FOUND',
    ]);
    expect(await code(await post(`${backup(CLOUD.deleted)}/snapshots`, {}))).toEqual([404, 'CLUSTER_NOT_FOUND']);
    expect(await code(await post(`${backup(CLOUD.flex)}/snapshots`, {}))).toEqual([
      400,
      'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API',
    ]);
    // The main replica set has a queued on-demand snapshot (seeded): Atlas runs one at a time.
    expect(await code(await post(`${backup(CLOUD.replicaSet)}/snapshots`, {}))).toEqual([
      400,
      'UNFINISHED_ON_DEMAND_SNAPSHOT',
    ]);
  });
});

describe('op 4 updateBackupSnapshot, ops 5 and 8 deletes', () => {
  const patch = (name: string, id: string, body: unknown, group = fleet) =>
    send('PATCH', `${backup(name, group)}/snapshots/${id}`, body);

  it('moves a completed snapshot expiry to createdAt + the retention (days, weeks, months, years)', async () => {
    const [id] = snapshotIds(FLEET_1);
    const created = Date.parse(
      sim.projects.get(CLOUD.fleetGroupId)!.cloud!.clusters.get(FLEET_1)!.snapshots.get(id!)!.createdAt!,
    );
    const expiry = async (retentionUnit: string, retentionValue: number) =>
      (await read<SnapshotBody>(await patch(FLEET_1, id!, { retentionUnit, retentionValue }))).expiresAt;
    expect(await expiry('DAYS', 30)).toBe(iso(created + 30 * DAY));
    expect(await expiry('WEEKS', 3)).toBe(iso(created + 21 * DAY));
    expect(await expiry('MONTHS', 2)).toBe('2027-01-19T03:16:00Z');
    expect(await expiry('YEARS', 1)).toBe('2027-11-19T03:16:00Z');
  });

  it('refuses a bad body, an expiry in the past, a snapshot in progress, unknown ids and a decrease under a compliance policy', async () => {
    const [id] = snapshotIds(FLEET_1);
    expect(await failure(await patch(FLEET_1, id!, { retentionValue: 3 }))).toEqual([
      400,
      'MISSING_ATTRIBUTE',
      ['retentionUnit'],
    ]);
    expect(await failure(await patch(FLEET_1, id!, { retentionUnit: 'days', retentionValue: 3 }))).toEqual([
      400,
      'INVALID_ENUM_VALUE',
      ['days'],
    ]);
    expect(await code(await patch(FLEET_1, id!, { retentionUnit: 'DAYS', retentionValue: 0 }))).toEqual([
      400,
      'ATTRIBUTE_NEGATIVE_OR_ZERO',
    ]);
    expect(await code(await patch(FLEET_1, id!, { retentionUnit: 'DAYS', retentionValue: 1 }))).toEqual([
      400,
      'BACKUP_SNAPSHOT_RETENTION_VALUE_INVALID',
    ]);
    const inProgress = snapshotIds(FLEET_5)[2]!;
    expect(await code(await patch(FLEET_5, inProgress, { retentionUnit: 'DAYS', retentionValue: 9 }))).toEqual([
      400,
      'CANNOT_MODIFY_IN_PROGRESS_SNAPSHOT_RETENTION',
    ]);
    expect(await code(await patch(FLEET_1, '0'.repeat(24), { retentionUnit: 'DAYS', retentionValue: 9 }))).toEqual([
      404,
      'SNAPSHOT_NOT_FOUND',
    ]);
    expect(await code(await patch(FLEET_1, 'NOT-AN-ID', { retentionUnit: 'DAYS', retentionValue: 9 }))).toEqual([
      400,
      'INVALID_ATTRIBUTE',
    ]);
    // The demo project has a Backup Compliance Policy; the yearly snapshot expires on 2027-01-01.
    const yearly = CLOUD.snapshots.yearly;
    expect(
      await code(await patch(CLOUD.replicaSet, yearly, { retentionUnit: 'DAYS', retentionValue: 340 }, g)),
    ).toEqual([400, 'CANNOT_DECREASE_SNAPSHOT_RETENTION_WITH_BACKUP_COMPLIANCE_POLICY']);
    expect((await patch(CLOUD.replicaSet, yearly, { retentionUnit: 'YEARS', retentionValue: 2 }, g)).status).toBe(200);
  });

  it('deletes finished snapshots (204), on the path of the cluster type only', async () => {
    const [id] = snapshotIds(FLEET_1);
    expect((await send('DELETE', `${backup(FLEET_1, fleet)}/snapshots/${id}`)).status).toBe(204);
    expect(await code(await get(`${backup(FLEET_1, fleet)}/snapshots/${id}`))).toEqual([404, 'SNAPSHOT_NOT_FOUND']);
    expect(snapshotIds(FLEET_1)).toHaveLength(2);
    const replicaSet = snapshotIds(FLEET_2)[0]!;
    expect(
      await code(await send('DELETE', `${backup(FLEET_2, fleet)}/snapshots/shardedCluster/${replicaSet}`)),
    ).toEqual([404, 'SNAPSHOT_NOT_FOUND']);
    sim.projects.get(CLOUD.groupId)!.cloud!.compliancePolicy = undefined;
    expect(await code(await send('DELETE', `${backup(CLOUD.sharded)}/snapshots/${CLOUD.shardedSnapshotId}`))).toEqual([
      404,
      'SNAPSHOT_NOT_FOUND',
    ]);
    const sharded = await send(
      'DELETE',
      `${backup(CLOUD.sharded)}/snapshots/shardedCluster/${CLOUD.shardedSnapshotId}`,
    );
    expect(sharded.status).toBe(204);
    expect(sim.stats.byOperation).toMatchObject({ deleteClusterBackupSnapshot: 2, deleteBackupShardedCluster: 2 });
  });

  it('refuses deleting a snapshot in progress and any snapshot under a compliance policy', async () => {
    const { id } = await takeSnapshot();
    const path = `${backup(FLEET_1, fleet)}/snapshots/${id}`;
    expect(await failure(await send('DELETE', path))).toEqual([400, 'CANNOT_DELETE_IN_PROGRESS_SNAPSHOT', [id]]);
    sim.clock.fastForward();
    expect((await send('DELETE', path)).status).toBe(204);
    expect(await code(await send('DELETE', `${backup(CLOUD.replicaSet)}/snapshots/${CLOUD.snapshots.daily}`))).toEqual([
      400,
      'CANNOT_DELETE_SNAPSHOT_WITH_BACKUP_COMPLIANCE_POLICY',
    ]);
  });
});

describe('op 10 createBackupRestoreJob and op 12 cancel', () => {
  const job = (id: string, name: string = FLEET_1) =>
    get(`${backup(name, fleet)}/restoreJobs/${id}`).then((r) => read<JobBody>(r));

  it('automated: a pending job as recorded, finished over the clock; one restore into a cluster at a time', async () => {
    const snapshotId = snapshotIds(FLEET_1)[1]!;
    const created = await read<JobBody & Record<string, unknown>>(await restore(automated(snapshotId)));
    expect(created).toMatchObject({
      deliveryType: 'automated',
      cancelled: false,
      expired: false,
      failed: false,
      deliveryUrl: [],
      desiredTimestamp: { increment: null, time: null, date: null },
      snapshotId,
      targetClusterName: FLEET_2,
      targetGroupId: CLOUD.fleetGroupId,
      targetDeploymentItemName: 'atlas-000042',
      timestamp: '2026-11-20T03:16:00Z',
    });
    expect(created.links.map((l) => l.rel)).toEqual([
      'self',
      'https://cloud.mongodb.com/snapshot',
      'https://cloud.mongodb.com/cluster',
      'https://cloud.mongodb.com/group',
    ]);
    expect(await code(await restore(automated(snapshotId)))).toEqual([409, 'ATLAS_CLUSTER_RESTORE_IN_PROGRESS']);
    sim.clock.advance(LIFECYCLE_MS.restore.finished);
    expect((await job(created.id)).finishedAt).toBe(iso(NOW + LIFECYCLE_MS.restore.finished));
    expect((await restore(automated(snapshotId))).status).toBe(200);
    const list = await read<{ results: { id: string }[] }>(await get(`${backup(FLEET_1, fleet)}/restoreJobs`));
    expect(list.results[1]!.id).toBe(created.id);
  });

  it('download: deliveryUrl with a 24-character token once ready, an hour later expired', async () => {
    const snapshotId = snapshotIds(FLEET_1)[0]!;
    const { id } = await read<JobBody>(await restore({ deliveryType: 'download', snapshotId }));
    expect(await code(await restore({ deliveryType: 'download', snapshotId }))).toEqual([
      400,
      'CANNOT_DOWNLOAD_SNAPSHOT_CONCURRENTLY',
    ]);
    sim.clock.advance(LIFECYCLE_MS.restore.finished);
    const ready = await job(id);
    expect(ready.deliveryUrl).toHaveLength(1);
    expect(ready.deliveryUrl[0]).toMatch(
      new RegExp(`^https://restore-${id}\\.s1m0a\\.example:27017/[A-Za-z0-9]{24}/restore-${snapshotId}\\.tar\\.gz$`),
    );
    expect(ready.expiresAt).toBe(iso(NOW + LIFECYCLE_MS.restore.finished + LIFECYCLE_MS.downloadLife));
    expect(ready).not.toHaveProperty('finishedAt');
    sim.clock.fastForward();
    expect(await job(id)).toMatchObject({ expired: true, deliveryUrl: [], finishedAt: ready.expiresAt });
  });

  it('download of a sharded snapshot: one URL per shard in components', async () => {
    const onDemand = snapshotIds(CLOUD.sharded, CLOUD.groupId)[1]!;
    const created = await read<JobBody>(
      await post(`${backup(CLOUD.sharded)}/restoreJobs`, { deliveryType: 'download', snapshotId: onDemand }),
    );
    sim.clock.advance(LIFECYCLE_MS.restore.finished);
    const ready = await read<JobBody & { components: { downloadUrl: string; replicaSetName: string }[] }>(
      await get(`${backup(CLOUD.sharded)}/restoreJobs/${created.id}`),
    );
    expect(ready.deliveryUrl).toEqual([]);
    expect(ready.components.map((c) => c.replicaSetName)).toEqual(['atlas-000004-shard-0', 'atlas-000004-shard-1']);
    for (const c of ready.components)
      expect(c.downloadUrl).toMatch(/^https:\/\/restore-[a-f0-9]{24}\.s1m0a\.example:27017\/[A-Za-z0-9]{24}\//);
  });

  it('point in time: by UTC seconds or oplog timestamp, from the newest snapshot before it, inside the restore window', async () => {
    const at = NOW / 1000 - 3600;
    const pit = await read<JobBody>(
      await restore({
        deliveryType: 'pointInTime',
        pointInTimeUTCSeconds: at,
        targetClusterName: FLEET_2,
        targetGroupId: CLOUD.fleetGroupId,
      }),
    );
    expect(pit).toMatchObject({
      snapshotId: snapshotIds(FLEET_1)[2],
      timestamp: iso(at * 1000),
      pointInTimeUTCSeconds: at,
    });
    const target = { targetClusterName: FLEET_3, targetGroupId: CLOUD.fleetGroupId };
    const oplog = await read<JobBody>(
      await restore({ deliveryType: 'pointInTime', oplogTs: at, oplogInc: 2, ...target }),
    );
    expect(oplog).toMatchObject({ oplogTs: at, oplogInc: 2 });
    const tooOld = { deliveryType: 'pointInTime', pointInTimeUTCSeconds: at - 8 * 86_400, ...target };
    expect(await code(await restore(tooOld))).toEqual([400, 'INVALID_PIT_RESTORE_TIME']);
  });

  it('400s of the body by delivery type (int32 fields included)', async () => {
    const snapshotId = snapshotIds(FLEET_1)[0]!;
    const target = { targetClusterName: FLEET_2, targetGroupId: CLOUD.fleetGroupId };
    const cases: [Record<string, unknown>, string, unknown[]?][] = [
      [{ snapshotId }, 'MISSING_ATTRIBUTE', ['deliveryType']],
      [{ deliveryType: 'scp', snapshotId }, 'INVALID_ENUM_VALUE', ['scp']],
      [
        { deliveryType: 'automated', snapshotId, targetGroupId: CLOUD.fleetGroupId },
        'MISSING_ATTRIBUTE',
        ['targetClusterName'],
      ],
      [{ deliveryType: 'automated', ...target }, 'MISSING_ATTRIBUTE', ['snapshotId']],
      [{ deliveryType: 'download', snapshotId, ...target }, 'INVALID_ATTRIBUTE', ['targetClusterName']],
      [{ deliveryType: 'download', snapshotId, oplogTs: 1_764_000_000 }, 'INVALID_ATTRIBUTE', ['oplogTs']],
      [{ deliveryType: 'pointInTime', ...target }, 'INVALID_PIT_RESTORE_TIME'],
      [
        {
          deliveryType: 'pointInTime',
          pointInTimeUTCSeconds: 1_764_000_000,
          oplogTs: 1_764_000_000,
          oplogInc: 1,
          ...target,
        },
        'INVALID_PIT_RESTORE_TIME',
      ],
      [{ deliveryType: 'pointInTime', oplogTs: 1_764_000_000, ...target }, 'MISSING_ATTRIBUTE', ['oplogInc']],
      [
        { deliveryType: 'pointInTime', pointInTimeUTCSeconds: 2 ** 31, ...target },
        'INVALID_ATTRIBUTE',
        ['pointInTimeUTCSeconds'],
      ],
      [
        { deliveryType: 'pointInTime', pointInTimeUTCSeconds: 1_000_000_000, ...target },
        'INVALID_ATTRIBUTE',
        ['pointInTimeUTCSeconds'],
      ],
      [{ deliveryType: 'download', snapshotId: 'ABC' }, 'INVALID_ATTRIBUTE', ['snapshotId']],
    ];
    for (const [body, errorCode, parameters] of cases) {
      const [status, actual, params] = await failure(await restore(body));
      expect([status, actual], JSON.stringify(body)).toEqual([400, errorCode]);
      if (parameters) expect(params).toEqual(parameters);
    }
    expect(sim.projects.get(CLOUD.fleetGroupId)!.cloud!.clusters.get(FLEET_1)!.restoreJobs.size).toBe(0);
  });

  it('404s, the target checks (403, 400 paused, 409 not IDLE or already restoring) and incomplete snapshots (409)', async () => {
    const snapshotId = snapshotIds(FLEET_1)[0]!;
    expect(await failure(await restore(automated('0'.repeat(24))))).toEqual([
      404,
      'SNAPSHOT_NOT_FOUND',
      ['0'.repeat(24), FLEET_1],
    ]);
    expect(await failure(await restore(automated(snapshotId, 'no-such-cluster')))).toEqual([
      404,
      'CLUSTER_NOT_FOUND',
      ['no-such-cluster', CLOUD.fleetGroupId],
    ]);
    const elsewhere = (targetGroupId: string, targetClusterName: string) =>
      restore({ ...automated(snapshotId), targetGroupId, targetClusterName });
    expect(await code(await elsewhere('0'.repeat(24), 'x'))).toEqual([404, 'GROUP_NOT_FOUND']);
    expect(await code(await elsewhere(CLOUD.analyticsGroupId, CLOUD.analyticsCluster))).toEqual([
      403,
      'CANNOT_RESTORE_TO_TARGET',
    ]);
    expect(await code(await elsewhere(CLOUD.groupId, CLOUD.paused))).toEqual([400, 'CLUSTER_PAUSED_CANNOT_RESTORE']);
    expect(await code(await elsewhere(CLOUD.groupId, CLOUD.noSchedule))).toEqual([409, 'RESTORE_INITIATION_FAILED']);
    // A seeded automated restore into dedicated-cluster-1 is still pending.
    expect(await code(await elsewhere(CLOUD.groupId, CLOUD.replicaSetEu))).toEqual([
      409,
      'ATLAS_CLUSTER_RESTORE_IN_PROGRESS',
    ]);
    const inProgress = snapshotIds(FLEET_5)[2]!;
    expect(await code(await restore(automated(inProgress), FLEET_5))).toEqual([
      409,
      'CANNOT_START_RESTORE_JOB_FOR_INCOMPLETE_CLUSTER_SNAPSHOT',
    ]);
    expect(await code(await restore({ deliveryType: 'download', snapshotId: inProgress }, FLEET_5))).toEqual([
      409,
      'CANNOT_DOWNLOAD_INCOMPLETE_SNAPSHOT',
    ]);
    expect((await elsewhere(CLOUD.groupId, CLOUD.replicaSetGcp)).status).toBe(200);
  });

  it('cancels a download (204: cancelled and failed, finishedAt; nothing more happens), refuses the rest', async () => {
    const snapshotId = snapshotIds(FLEET_1)[0]!;
    const { id } = await read<JobBody>(await restore({ deliveryType: 'download', snapshotId }));
    const cancel = (jobId: string, path = backup(FLEET_1, fleet)) => send('DELETE', `${path}/restoreJobs/${jobId}`);
    sim.clock.advance(1_000);
    const cancelled = await cancel(id);
    expect([cancelled.status, cancelled.headers.get('content-type'), await cancelled.text()]).toEqual([
      204,
      `${V2023};charset=utf-8`,
      '',
    ]);
    sim.clock.fastForward();
    const after = await job(id);
    expect(after).toMatchObject({
      cancelled: true,
      failed: true,
      expired: false,
      deliveryUrl: [],
      finishedAt: iso(NOW + 1_000),
    });
    expect(after).not.toHaveProperty('expiresAt');
    expect(await code(await cancel(id))).toEqual([400, 'RESTORE_JOB_ALREADY_FINISHED']);
    const { id: automatedId } = await read<JobBody>(await restore(automated(snapshotId)));
    expect(await code(await cancel(automatedId))).toEqual([400, 'CANNOT_CANCEL_AUTOMATED_RESTORE']);
    expect(await code(await cancel(CLOUD.restoreJobs.downloadExpired, backup(CLOUD.replicaSet)))).toEqual([
      400,
      'ALREADY_EXPIRED',
    ]);
    expect(await code(await cancel('0'.repeat(24)))).toEqual([404, 'RESTORE_JOB_NOT_FOUND']);
    expect(await failure(await cancel(CLOUD.shardedRestoreJobId, backup(CLOUD.sharded)))).toEqual([
      405,
      'ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED',
      [],
    ]);
  });

  it('a ready download can be cancelled too; a planned failure fails a download before delivery', async () => {
    const [first, second] = snapshotIds(FLEET_1);
    const { id } = await read<JobBody>(await restore({ deliveryType: 'download', snapshotId: first }));
    sim.clock.advance(LIFECYCLE_MS.restore.finished);
    expect((await send('DELETE', `${backup(FLEET_1, fleet)}/restoreJobs/${id}`)).status).toBe(204);
    expect(await job(id)).toMatchObject({ cancelled: true, deliveryUrl: [] });
    sim.planOutcome('failed', { operation: 'createBackupRestoreJob' });
    const failing = await read<JobBody>(await restore({ deliveryType: 'download', snapshotId: second }));
    sim.clock.fastForward();
    expect(await job(failing.id)).toMatchObject({ failed: true, cancelled: false, deliveryUrl: [] });
  });
});

describe('op 14 updateBackupSchedule', () => {
  const schedule = `${backup(CLOUD.sharded)}/schedule`;
  const patch = (body: unknown, accept = V2024, path = schedule) => send('PATCH', path, body, accept);
  type Schedule = {
    policies: { id: string; policyItems: Record<string, unknown>[] }[];
    copySettings: Record<string, unknown>[];
  } & Record<string, unknown>;

  it('merges the fields sent (read-only ones ignored) and answers the schedule in the version asked for', async () => {
    const before = await read<Schedule>(await get(schedule, V2024));
    const answer = await patch(
      { clusterName: 'ignored', useOrgAndGroupNamesInExportPrefix: true, referenceHourOfDay: 5 },
      V2023,
    );
    expect(answer.headers.get('deprecation')).toBe('Mon, 5 Aug 2024 00:00:00 GMT');
    const legacy = await read<Schedule>(answer);
    expect(legacy).toMatchObject({
      clusterName: CLOUD.sharded,
      useOrgAndGroupNamesInExportPrefix: true,
      referenceHourOfDay: 5,
    });
    expect(legacy.copySettings[0]).toHaveProperty('replicationSpecId');
    const after = await read<Schedule>(await get(schedule, V2024));
    expect({ ...after, referenceHourOfDay: 3, useOrgAndGroupNamesInExportPrefix: false }).toEqual(before);
  });

  it('replaces the policy items: ids kept, new items numbered; copy settings by zone (2024) or replication spec (2023)', async () => {
    const before = await read<Schedule>(await get(schedule, V2024));
    const [hourly, daily] = before.policies[0]!.policyItems;
    const items = [
      { ...hourly, frequencyInterval: 12, retentionValue: 3 },
      { ...daily, retentionValue: 14 },
      { frequencyType: 'weekly', frequencyInterval: 7, retentionUnit: 'weeks', retentionValue: 8 },
    ];
    const updated = await read<Schedule>(
      await patch({ policies: [{ id: before.policies[0]!.id, policyItems: items }] }),
    );
    expect(updated.policies[0]!.policyItems.slice(0, 2)).toEqual(items.slice(0, 2));
    expect(updated.policies[0]!.policyItems[2]!.id).toMatch(/^[a-f0-9]{24}$/);
    const cluster = sim.projects.get(CLOUD.groupId)!.cloud!.clusters.get(CLOUD.sharded)!;
    const copy = {
      cloudProvider: 'GCP',
      regionName: 'WESTERN_EUROPE',
      shouldCopyOplogs: false,
      frequencies: ['DAILY'],
    };
    const byZone = await read<Schedule>(
      await patch({ copySettings: [{ ...copy, zoneId: cluster.replicationSpecs[0]!.zoneId }] }),
    );
    expect(byZone.copySettings).toEqual([{ ...copy, zoneId: cluster.replicationSpecs[0]!.zoneId }]);
    const bySpec = await patch(
      { copySettings: [{ ...copy, replicationSpecId: cluster.replicationSpecs[1]!.id }] },
      V2023,
    );
    expect((await read<Schedule>(bySpec)).copySettings.map((s) => s.replicationSpecId)).toEqual(
      cluster.replicationSpecs.map((s) => s.id),
    );
    expect(await code(await patch({ copySettings: [{ ...copy, zoneId: '0'.repeat(24) }] }))).toEqual([
      400,
      'INVALID_ATTRIBUTE',
    ]);
  });

  it('400s of the policy and the schedule fields; 404 without a backup configuration or export bucket', async () => {
    const before = await read<Schedule>(await get(schedule, V2024));
    const { id: policyId, policyItems } = before.policies[0]!;
    const item = { frequencyType: 'daily', frequencyInterval: 1, retentionUnit: 'days', retentionValue: 7 };
    const cases: [unknown, string][] = [
      [{ policies: [] }, 'INVALID_NUM_OF_POLICIES'],
      [{ policies: [{ policyItems: [item] }, { policyItems: [item] }] }, 'INVALID_NUM_OF_POLICIES'],
      [{ policies: [{ policyItems: [] }] }, 'INVALID_NUM_OF_POLICY_ITEMS'],
      [{ policies: [{ policyItems: [{ ...item, retentionUnit: undefined }] }] }, 'MISSING_POLICY_ITEM_PARAMETERS'],
      [
        { policies: [{ policyItems: [{ ...item, frequencyType: 'hourly', frequencyInterval: 3 }] }] },
        'INVALID_BACKUP_POLICY',
      ],
      [
        { policies: [{ policyItems: [item, { ...item, frequencyType: 'weekly', retentionValue: 5 }] }] },
        'INVALID_BACKUP_POLICY',
      ],
      [{ policies: [{ policyItems: [{ ...item, frequencyType: 'secondly' }] }] }, 'INVALID_ENUM_VALUE'],
      [{ policies: [{ id: '0'.repeat(24), policyItems: [item] }] }, 'INVALID_POLICY_ID'],
      [{ policies: [{ id: policyId, policyItems: [{ ...item, id: '0'.repeat(24) }] }] }, 'INVALID_POLICY_ITEM_ID'],
      [{ policies: [{ policyItems: [{ ...item, id: policyItems[0]!.id }] }] }, 'INVALID_FREQUENCY_TYPE_CHANGE'],
      [{ referenceHourOfDay: 24 }, 'INVALID_REFERENCE_HOUR_OF_DAY'],
      [{ referenceMinuteOfHour: 60 }, 'INVALID_REFERENCE_MINUTE_OF_HOUR'],
      [{ restoreWindowDays: 0 }, 'INVALID_RESTORE_WINDOW'],
      [{ autoExportEnabled: 'yes' }, 'INVALID_ATTRIBUTE'],
    ];
    for (const [body, errorCode] of cases)
      expect(await code(await patch(body)), JSON.stringify(body)).toEqual([400, errorCode]);
    expect(await read<Schedule>(await get(schedule, V2024))).toEqual(before);
    const none = `${backup(CLOUD.noSchedule)}/schedule`;
    for (const accept of [V2023, V2024]) {
      expect(await failure(await patch({}, accept, none))).toEqual([
        404,
        'BACKUP_CONFIG_NOT_FOUND',
        [CLOUD.noScheduleId, CLOUD.groupId],
      ]);
    }
    expect(await code(await patch({ export: { exportBucketId: '0'.repeat(24), frequencyType: 'monthly' } }))).toEqual([
      404,
      'EXPORT_BUCKET_NOT_FOUND',
    ]);
  });
});

describe('op 17 createBackupExport', () => {
  const exports = `${backup(CLOUD.replicaSet)}/exports`;
  const request = { exportBucketId: CLOUD.exportBuckets.aws, snapshotId: CLOUD.snapshots.onDemand };

  it('queues an export as recorded and walks Queued → InProgress → Successful; a planned failure ends Failed', async () => {
    const created = await read<ExportBody & Record<string, unknown>>(
      await post(exports, { ...request, customData: [{ key: 'ticket', value: 'OPS-9' }] }),
    );
    expect(created).toMatchObject({
      state: 'Queued',
      exportBucketId: CLOUD.exportBuckets.aws,
      customData: [{ key: 'ticket', value: 'OPS-9' }],
      exportStatus: { exportedCollections: 0, totalCollections: 0 },
    });
    expect(created.prefix).toBe(
      `exported_snapshots/${CLOUD.orgId}/${CLOUD.groupId}/${CLOUD.replicaSet}/2026-11-19T1540/${NOW / 1000}`,
    );
    const state = async (id: string) => read<ExportBody>(await get(`${exports}/${id}`));
    sim.clock.advance(LIFECYCLE_MS.export.inProgress);
    expect((await state(created.id)).state).toBe('InProgress');
    sim.clock.advance(LIFECYCLE_MS.export.finished - LIFECYCLE_MS.export.inProgress);
    expect(await state(created.id)).toMatchObject({
      state: 'Successful',
      finishedAt: iso(NOW + LIFECYCLE_MS.export.finished),
    });
    sim.planOutcome('failed');
    const failing = await read<ExportBody>(await post(exports, request));
    sim.clock.fastForward();
    expect(await state(failing.id)).toMatchObject({ state: 'Failed', stateReason: { errorCode: 'EXPORT_FAILED' } });
  });

  it('400 for the body, 404 for an unknown bucket or snapshot, 409 for a snapshot not completed', async () => {
    expect(await failure(await post(exports, { snapshotId: CLOUD.snapshots.onDemand }))).toEqual([
      400,
      'MISSING_ATTRIBUTE',
      ['exportBucketId'],
    ]);
    expect(await code(await post(exports, { ...request, customData: [{ key: 1 }] }))).toEqual([
      400,
      'INVALID_ATTRIBUTE',
    ]);
    expect(await code(await post(exports, { ...request, exportBucketId: '0'.repeat(24) }))).toEqual([
      404,
      'EXPORT_BUCKET_NOT_FOUND',
    ]);
    expect(await code(await post(exports, { ...request, snapshotId: '0'.repeat(24) }))).toEqual([
      404,
      'SNAPSHOT_NOT_FOUND',
    ]);
    expect(await code(await post(exports, { ...request, snapshotId: CLOUD.snapshots.queued }))).toEqual([
      409,
      'CANNOT_EXPORT_INCOMPLETE_SNAPSHOT',
    ]);
  });
});

describe('ops 23 and 24: Flex restore and download', () => {
  const restoreFlex = (body: unknown, name: string = DEMO.flexCluster) =>
    post(`${flexBackup(name)}/restoreJobs`, body, FLEX);
  const flexJob = async (id: string) =>
    read<FlexJobBody>(await get(`${flexBackup(DEMO.flexCluster)}/restoreJobs/${id}`, FLEX));
  const request = { snapshotId: DEMO.flexSnapshotId, targetDeploymentItemName: CLOUD.replicaSet };

  it('restores into a cluster: RESTORE, PENDING, expiration 6 h on; PENDING → QUEUED → RUNNING → COMPLETED', async () => {
    const created = await read<FlexJobBody & Record<string, unknown>>(await restoreFlex(request));
    expect(created).toEqual({
      deliveryType: 'RESTORE',
      expirationDate: iso(NOW + 6 * 3_600_000),
      id: created.id,
      instanceName: DEMO.flexCluster,
      projectId: CLOUD.groupId,
      restoreScheduledDate: iso(NOW),
      snapshotFinishedDate: '2026-08-02T17:06:56Z',
      snapshotId: DEMO.flexSnapshotId,
      status: 'PENDING',
      targetDeploymentItemName: CLOUD.replicaSet,
      targetProjectId: CLOUD.groupId,
    });
    expect(await code(await restoreFlex(request))).toEqual([409, 'ATLAS_CLUSTER_RESTORE_IN_PROGRESS']);
    const ms = LIFECYCLE_MS.flex;
    for (const [at, expected] of [
      [ms.queued, 'QUEUED'],
      [ms.running, 'RUNNING'],
      [ms.completed, 'COMPLETED'],
    ] as const) {
      sim.clock.advance(NOW + at - sim.clock.now());
      expect((await flexJob(created.id)).status).toBe(expected);
    }
    expect((await flexJob(created.id)).restoreFinishedDate).toBe(iso(NOW + ms.completed));
    const list = await read<{ results: { id: string }[] }>(
      await get(`${flexBackup(DEMO.flexCluster)}/restoreJobs`, FLEX),
    );
    expect(list.results.map((j) => j.id)).toContain(created.id);
    sim.planOutcome('failed', { operation: 'createFlexRestoreJob' });
    const failing = await read<FlexJobBody>(
      await restoreFlex({ ...request, targetDeploymentItemName: DEMO.migratedCluster }),
    );
    sim.clock.fastForward();
    expect((await flexJob(failing.id)).status).toBe('FAILED');
  });

  it('400s of the body (the name pattern takes Unicode letters), a dedicated name in the path, 404s and 409', async () => {
    expect(await failure(await restoreFlex({ snapshotId: DEMO.flexSnapshotId }))).toEqual([
      400,
      'MISSING_ATTRIBUTE',
      ['targetDeploymentItemName'],
    ]);
    for (const name of ['bad name', 'x'.repeat(65), '']) {
      expect(await code(await restoreFlex({ ...request, targetDeploymentItemName: name })), name).toEqual([
        400,
        'INVALID_ATTRIBUTE',
      ]);
    }
    expect(await failure(await restoreFlex({ ...request, targetDeploymentItemName: 'Zürich-1' }))).toEqual([
      404,
      'CLUSTER_NOT_FOUND',
      ['Zürich-1', CLOUD.groupId],
    ]);
    expect(await code(await restoreFlex(request, CLOUD.replicaSet))).toEqual([
      400,
      'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API',
    ]);
    expect(await code(await restoreFlex(request, 'no-such-flex'))).toEqual([404, 'CLUSTER_NOT_FOUND']);
    expect(await code(await restoreFlex({ ...request, snapshotId: '0'.repeat(24) }))).toEqual([
      404,
      'SNAPSHOT_NOT_FOUND',
    ]);
    expect(await code(await restoreFlex({ ...request, targetProjectId: '0'.repeat(24) }))).toEqual([
      404,
      'GROUP_NOT_FOUND',
    ]);
    expect(await code(await restoreFlex({ ...request, targetProjectId: CLOUD.analyticsGroupId }))).toEqual([
      403,
      'CANNOT_RESTORE_TO_TARGET',
    ]);
    const running = sim.projects
      .get(CLOUD.groupId)!
      .flex.get(DEMO.flexCluster)!
      .snapshots.find((s) => s.status === 'RUNNING')!;
    expect(await code(await restoreFlex({ ...request, snapshotId: running.id }))).toEqual([
      409,
      'CANNOT_START_RESTORE_JOB_FOR_INCOMPLETE_CLUSTER_SNAPSHOT',
    ]);
  });

  it('download: DOWNLOAD with a pre-signed snapshotUrl (a new signature each time) valid four hours', async () => {
    const download = (body: unknown) => post(`${flexBackup(DEMO.flexCluster)}/download`, body, FLEX);
    const first = await read<FlexJobBody & Record<string, unknown>>(
      await download({ snapshotId: DEMO.flexSnapshotId }),
    );
    const second = await read<FlexJobBody>(await download({ snapshotId: DEMO.flexSnapshotId }));
    expect(first).toMatchObject({
      deliveryType: 'DOWNLOAD',
      status: 'PENDING',
      expirationDate: iso(NOW + 4 * 3_600_000),
    });
    expect(first).not.toHaveProperty('targetDeploymentItemName');
    expect(first.snapshotUrl).toMatch(/^https:\/\/.+\.tgz\?X-Amz-Expires=14400&X-Amz-Signature=[A-Za-z0-9]{64}$/);
    expect(second.snapshotUrl).not.toBe(first.snapshotUrl);
    expect(await failure(await download({}))).toEqual([400, 'MISSING_ATTRIBUTE', ['snapshotId']]);
    sim.clock.fastForward();
    expect((await flexJob(first.id)).status).toBe('COMPLETED');
  });
});

describe('roles: permission sets per project', () => {
  const KEYS: Record<string, { publicKey: string; privateKey: string; roles: Record<string, SimRoleGrant> }> = {};
  const grant = (name: string, role: SimRoleGrant) =>
    (KEYS[name] = {
      publicKey: `key-${name}`,
      privateKey: `p-${name}`,
      roles: { [CLOUD.fleetGroupId]: role, [CLOUD.groupId]: role },
    });
  grant('readOnly', 'GROUP_READ_ONLY');
  grant('creator', 'GROUP_BACKUP_CREATOR');
  grant('recovery', 'GROUP_BACKUP_RECOVERY_OPERATOR');
  grant('exporter', 'GROUP_BACKUP_EXPORT_OPERATOR');
  grant('manager', 'GROUP_BACKUP_MANAGER');
  grant('creatorAndRecovery', ['GROUP_BACKUP_CREATOR', 'GROUP_BACKUP_RECOVERY_OPERATOR']);

  let keyed: AtlasSimulator;
  beforeEach(async () => {
    keyed = await startAtlasSimulator({ apiKeys: Object.values(KEYS), clock: { start: NOW, frozen: true } });
  });
  afterEach(() => keyed.close());

  /** One call as `key`, with the Digest challenge round trip. */
  async function as(name: string, method: string, path: string, body?: unknown, accept = V2023) {
    const init = { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
    const challenge = await fetch(keyed.url + path, { ...init, headers: { accept } });
    const authorization = digestAuthorization({
      username: KEYS[name]!.publicKey,
      password: KEYS[name]!.privateKey,
      method,
      uri: path,
      challenge: parseDigestChallenge(challenge.headers.get('www-authenticate') ?? undefined)!,
      nc: 1,
    });
    return fetch(keyed.url + path, { ...init, headers: { accept, authorization } });
  }

  const fleetSnapshot = () =>
    [...keyed.projects.get(CLOUD.fleetGroupId)!.cloud!.clusters.get(FLEET_1)!.snapshots.keys()][0]!;
  /** Every write of README §10.1, as `[operation, method, path, body, accept]`. */
  const writes = (): [string, string, string, unknown, string][] => [
    ['takeSnapshots', 'POST', `${backup(FLEET_1, fleet)}/snapshots`, {}, V2023],
    [
      'updateBackupSnapshot',
      'PATCH',
      `${backup(FLEET_1, fleet)}/snapshots/${fleetSnapshot()}`,
      { retentionUnit: 'YEARS', retentionValue: 2 },
      V2023,
    ],
    [
      'deleteClusterBackupSnapshot',
      'DELETE',
      `${backup(FLEET_2, fleet)}/snapshots/${[...keyed.projects.get(CLOUD.fleetGroupId)!.cloud!.clusters.get(FLEET_2)!.snapshots.keys()][0]}`,
      undefined,
      V2023,
    ],
    [
      'deleteBackupShardedCluster',
      'DELETE',
      `${backup(CLOUD.sharded)}/snapshots/shardedCluster/${CLOUD.shardedSnapshotId}`,
      undefined,
      V2023,
    ],
    [
      'createBackupRestoreJob',
      'POST',
      `${backup(FLEET_1, fleet)}/restoreJobs`,
      { deliveryType: 'download', snapshotId: fleetSnapshot() },
      V2023,
    ],
    [
      'cancelBackupRestoreJob',
      'DELETE',
      `${backup(CLOUD.replicaSet)}/restoreJobs/${CLOUD.restoreJobs.downloadPending}`,
      undefined,
      V2023,
    ],
    ['updateBackupSchedule', 'PATCH', `${backup(FLEET_1, fleet)}/schedule`, { referenceHourOfDay: 4 }, V2024],
    [
      'createBackupExport',
      'POST',
      `${backup(CLOUD.replicaSet)}/exports`,
      { exportBucketId: CLOUD.exportBuckets.aws, snapshotId: CLOUD.snapshots.onDemand },
      V2023,
    ],
    [
      'createFlexRestoreJob',
      'POST',
      `${flexBackup(DEMO.flexCluster)}/restoreJobs`,
      { snapshotId: DEMO.flexSnapshotId, targetDeploymentItemName: DEMO.migratedCluster },
      FLEX,
    ],
    [
      'downloadFlexBackup',
      'POST',
      `${flexBackup(DEMO.flexCluster)}/download`,
      { snapshotId: DEMO.flexSnapshotId },
      FLEX,
    ],
  ];
  /** The operations `name` may call, by the status each answers (403 for the others). */
  const allowed: Record<string, string[]> = {
    creator: ['takeSnapshots'],
    recovery: ['createBackupRestoreJob', 'cancelBackupRestoreJob', 'createFlexRestoreJob'],
    exporter: ['createBackupRestoreJob', 'cancelBackupRestoreJob', 'createBackupExport', 'downloadFlexBackup'],
    creatorAndRecovery: ['takeSnapshots', 'createBackupRestoreJob', 'cancelBackupRestoreJob', 'createFlexRestoreJob'],
    readOnly: [],
  };

  it.each(Object.keys(allowed))('%s: its writes pass the role check, every other write answers 403', async (name) => {
    for (const [operation, method, path, body, accept] of writes()) {
      const response = await as(name, method, path, body, accept);
      if (allowed[name]!.includes(operation)) {
        expect(response.status, `${name} ${operation}: ${await response.clone().text()}`).not.toBe(403);
      } else {
        expect(await failure(response), `${name} ${operation}`).toEqual([403, 'USER_UNAUTHORIZED', []]);
      }
    }
  });

  it('Backup Manager may do all of them (the compliance policy still refuses the deletes in the demo project)', async () => {
    const statuses = [];
    for (const [operation, method, path, body, accept] of writes())
      statuses.push([operation, (await as('manager', method, path, body, accept)).status]);
    expect(statuses.filter(([, status]) => status === 403)).toEqual([]);
  });

  it('reads keep their roles: an operator may restore but not read restore jobs (Backup Manager, README §10.6 item 9)', async () => {
    expect((await as('recovery', 'GET', `${backup(FLEET_1, fleet)}/snapshots`)).status).toBe(200);
    expect((await as('recovery', 'GET', `${backup(FLEET_1, fleet)}/restoreJobs`)).status).toBe(403);
    expect((await as('manager', 'GET', `${backup(FLEET_1, fleet)}/restoreJobs`)).status).toBe(200);
  });
});

describe('the drop-after-body fault', () => {
  const path = () => `${backup(FLEET_1, fleet)}/restoreJobs`;
  const jobs = () => sim.projects.get(CLOUD.fleetGroupId)!.cloud!.clusters.get(FLEET_1)!.restoreJobs;

  it('apply: true — Atlas created the job, the answer was lost', async () => {
    sim.faults.inject({ kind: 'drop-after-body', apply: true }, { operation: 'createBackupRestoreJob' });
    const body = { deliveryType: 'download', snapshotId: snapshotIds(FLEET_1)[0] };
    await expect(post(path(), body)).rejects.toThrow();
    expect(sim.stats.writes).toEqual([{ operation: 'createBackupRestoreJob', method: 'POST', path: path(), body }]);
    expect(jobs().size).toBe(1);
    // The retry of a lost answer meets the job it created.
    expect(await code(await post(path(), body))).toEqual([400, 'CANNOT_DOWNLOAD_SNAPSHOT_CONCURRENTLY']);
  });

  it('apply: false — the body was read, nothing was created', async () => {
    sim.faults.inject({ kind: 'drop-after-body', apply: false });
    await expect(post(path(), { deliveryType: 'download', snapshotId: snapshotIds(FLEET_1)[0] })).rejects.toThrow();
    expect(sim.stats.writes).toHaveLength(1);
    expect(jobs().size).toBe(0);
  });
});

describe('the control API', () => {
  it('moves the clock (advanceMs, fastForward) and plans outcomes for a simulator in another process', async () => {
    const remote = await startAtlasSimulator({ controlApi: true, clock: { start: NOW, frozen: true } });
    try {
      const control = async (query: string, method = 'POST') =>
        (await fetch(`${remote.url}/__simulator/${query}`, { method })).json() as Promise<Record<string, unknown>>;
      expect(await control('clock?advanceMs=7000')).toEqual({
        now: iso(NOW + 7000),
        nowMs: NOW + 7000,
        advancedMs: 7000,
      });
      expect(await control('outcome?next=failed&operation=takeSnapshots', 'GET')).toEqual({ planned: true });
      const created = await fetch(`${remote.url}${backup(FLEET_1, fleet)}/snapshots`, {
        method: 'POST',
        headers: { accept: V2023 },
        body: '{}',
      });
      const { id } = (await created.json()) as SnapshotBody;
      expect(await control('clock?fastForward=1', 'GET')).toMatchObject({
        advancedMs: LIFECYCLE_MS.snapshot.completed,
      });
      expect(remote.projects.get(CLOUD.fleetGroupId)!.cloud!.clusters.get(FLEET_1)!.snapshots.get(id)!.status).toBe(
        'failed',
      );
      expect(await control('clock?advanceMs=-5')).toEqual({ error: expect.stringMatching(/forward/) as unknown });
      for (const bad of ['next=maybe', 'next=failed&times=0', 'next=failed&times=x']) {
        expect((await fetch(`${remote.url}/__simulator/outcome?${bad}`)).status, bad).toBe(400);
      }
    } finally {
      await remote.close();
    }
  });

  it('a clock that follows real time by default, moved on by advance', async () => {
    const live = await startAtlasSimulator();
    try {
      const before = live.clock.now();
      expect(Math.abs(before - Date.now())).toBeLessThan(1000);
      live.clock.advance(DAY);
      expect(live.clock.now() - Date.now()).toBeGreaterThan(DAY - 1000);
      expect(() => live.clock.advance(-1)).toThrow(RangeError);
    } finally {
      await live.close();
    }
  });
});
