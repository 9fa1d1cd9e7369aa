import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { digestAuthorization, parseDigestChallenge } from '../../src/atlas/digest.js';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { DEMO } from '../../src/simulator/seed.js';
import { startAtlasSimulator, type AtlasSimulator } from '../../src/simulator/server.js';

// The Cloud Backup reads of the simulator over HTTP: the errors of README §10.4, the role model,
// media types, the two RateLimit buckets, paging, and the order of lists.

const V2023 = 'application/vnd.atlas.2023-01-01+json';
const V2024 = 'application/vnd.atlas.2024-08-05+json';
const g = `/api/atlas/v2/groups/${CLOUD.groupId}`;
const analytics = `/api/atlas/v2/groups/${CLOUD.analyticsGroupId}`;
const backup = (name: string, group = g) => `${group}/clusters/${name}/backup`;

/** Keys with per-project roles (and one without, which keeps the projects' defaults). */
const KEYS = {
  plain: { publicKey: 'plainkey', privateKey: 'p1' },
  backupManager: {
    publicKey: 'bkpmgr01',
    privateKey: 'p2',
    roles: { [CLOUD.groupId]: 'GROUP_BACKUP_MANAGER' as const },
  },
  readOnly: { publicKey: 'readonly', privateKey: 'p3', roles: { [CLOUD.groupId]: 'GROUP_READ_ONLY' as const } },
  analyticsOwner: {
    publicKey: 'anaowner',
    privateKey: 'p4',
    roles: { [CLOUD.analyticsGroupId]: 'GROUP_OWNER' as const },
  },
};

let open: AtlasSimulator;
let keyed: AtlasSimulator;
beforeAll(async () => {
  open = await startAtlasSimulator();
  keyed = await startAtlasSimulator({ apiKeys: Object.values(KEYS) });
});
afterAll(async () => {
  await open.close();
  await keyed.close();
});
beforeEach(() => open.reset());

const get = (path: string, accept = V2023) => fetch(open.url + path, { headers: { accept } });

/** GET on the keyed simulator as `key`, with the Digest challenge round trip. */
async function getAs(key: { publicKey: string; privateKey: string }, path: string, accept = V2023) {
  const challenge = await fetch(keyed.url + path, { headers: { accept } });
  const authorization = digestAuthorization({
    username: key.publicKey,
    password: key.privateKey,
    method: 'GET',
    uri: path,
    challenge: parseDigestChallenge(challenge.headers.get('www-authenticate') ?? undefined)!,
    nc: 1,
  });
  return fetch(keyed.url + path, { headers: { accept, authorization } });
}

/** Status, X-Error-Code, body code and parameters of an error answer. */
async function failure(response: Response) {
  const body = (await response.json()) as { error: number; errorCode: string; parameters: unknown[] };
  expect(response.headers.get('x-error-code')).toBe(body.errorCode);
  expect(body.error).toBe(response.status);
  return [response.status, body.errorCode, body.parameters];
}

describe('errors of README §10.4', () => {
  it('getCluster: a Flex name is 400 CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API [name], a deleted one 404 CLUSTER_NOT_FOUND [name, groupId]', async () => {
    expect(await failure(await get(`${g}/clusters/${CLOUD.flex}`, V2024))).toEqual([
      400,
      'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API',
      [CLOUD.flex],
    ]);
    expect(await failure(await get(`${g}/clusters/${CLOUD.deleted}`, V2024))).toEqual([
      404,
      'CLUSTER_NOT_FOUND',
      [CLOUD.deleted, CLOUD.groupId],
    ]);
  });

  it('the backup operations answer the same for those names', async () => {
    expect((await failure(await get(`${backup(CLOUD.flex)}/snapshots`)))[1]).toBe(
      'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API',
    );
    expect(await failure(await get(`${backup(CLOUD.deleted)}/restoreJobs`))).toEqual([
      404,
      'CLUSTER_NOT_FOUND',
      [CLOUD.deleted, CLOUD.groupId],
    ]);
  });

  it('no backup configuration: 404 BACKUP_CONFIG_NOT_FOUND [clusterId, groupId], in both schedule versions', async () => {
    for (const accept of [V2023, V2024]) {
      for (const [name, id] of [
        [CLOUD.noSchedule, CLOUD.noScheduleId],
        [CLOUD.backupDisabled, CLOUD.backupDisabledId],
      ]) {
        expect(await failure(await get(`${backup(name!)}/schedule`, accept))).toEqual([
          404,
          'BACKUP_CONFIG_NOT_FOUND',
          [id, CLOUD.groupId],
        ]);
      }
    }
  });

  it('unknown ids, malformed ids, unknown and forbidden projects', async () => {
    const none = '0'.repeat(24);
    expect((await failure(await get(`${backup(CLOUD.replicaSet)}/snapshots/${none}`)))[1]).toBe('SNAPSHOT_NOT_FOUND');
    expect(
      (await failure(await get(`${backup(CLOUD.replicaSet)}/snapshots/shardedCluster/${CLOUD.snapshots.daily}`)))[0],
    ).toBe(404);
    expect((await failure(await get(`${backup(CLOUD.replicaSet)}/restoreJobs/${none}`)))[1]).toBe(
      'RESTORE_JOB_NOT_FOUND',
    );
    expect((await failure(await get(`${backup(CLOUD.replicaSet)}/exports/NOT-AN-ID`)))[0]).toBe(400);
    expect((await failure(await get(`/api/atlas/v2/groups/${none}/clusters`, V2024)))[1]).toBe('GROUP_NOT_FOUND');
    const restricted = `/api/atlas/v2/groups/${DEMO.restrictedGroupId}`;
    for (const [path, accept] of [
      [`${restricted}/clusters`, V2024],
      [`${restricted}/backupCompliancePolicy`, 'application/vnd.atlas.2023-10-01+json'],
      [`${restricted}/backup/exportBuckets`, 'application/vnd.atlas.2024-05-30+json'],
    ]) {
      expect(await failure(await get(path!, accept))).toEqual([403, 'USER_UNAUTHORIZED', []]);
    }
  });
});

describe('roles: a key has a role per project (Read Only ⊂ Backup Manager ⊂ Owner)', () => {
  const jobs = `${backup(CLOUD.replicaSet)}/restoreJobs`;
  const exports = `${backup(CLOUD.replicaSet)}/exports`;
  const compliance = [`${g}/backupCompliancePolicy`, 'application/vnd.atlas.2023-10-01+json'] as const;

  it('Read Only reads snapshots, schedules, clusters and buckets, but restore jobs and exports answer 403', async () => {
    for (const path of [
      `${backup(CLOUD.analyticsCluster, analytics)}/snapshots`,
      `${backup(CLOUD.analyticsCluster, analytics)}/schedule`,
    ]) {
      expect((await get(path)).status, path).toBe(200);
    }
    expect((await get(`${analytics}/clusters`, V2024)).status).toBe(200);
    for (const path of ['restoreJobs', 'exports', `restoreJobs/${'6b1e09'.padEnd(23, '0')}1`]) {
      const response = await get(`${backup(CLOUD.analyticsCluster, analytics)}/${path}`);
      expect(await failure(response), path).toEqual([403, 'USER_UNAUTHORIZED', []]);
    }
    expect((await failure(await getAs(KEYS.readOnly, jobs)))[0]).toBe(403);
    expect((await getAs(KEYS.readOnly, `${backup(CLOUD.replicaSet)}/snapshots`)).status).toBe(200);
  });

  it('Backup Manager reads restore jobs and exports; the compliance policy needs Owner', async () => {
    expect((await getAs(KEYS.backupManager, jobs)).status).toBe(200);
    expect((await getAs(KEYS.backupManager, exports)).status).toBe(200);
    expect(await failure(await getAs(KEYS.backupManager, ...compliance))).toEqual([403, 'USER_UNAUTHORIZED', []]);
    expect((await getAs(KEYS.plain, ...compliance)).status).toBe(200);
  });

  it("a key's grant overrides the project default, also for serverless restore jobs (Owner); other projects keep theirs", async () => {
    expect((await getAs(KEYS.analyticsOwner, `${backup(CLOUD.analyticsCluster, analytics)}/restoreJobs`)).status).toBe(
      200,
    );
    const serverlessJobs = `${analytics}/serverless/analytics-serverless/backup/restoreJobs`;
    expect((await getAs(KEYS.analyticsOwner, serverlessJobs)).status).toBe(200);
    expect((await getAs(KEYS.plain, serverlessJobs)).status).toBe(403);
    expect(
      (await getAs(KEYS.analyticsOwner, `/api/atlas/v2/groups/${DEMO.restrictedGroupId}/clusters`, V2024)).status,
    ).toBe(403);
  });
});

describe('media types, RateLimit buckets, paging and order', () => {
  it('serves the listed versions with Deprecation/Sunset on the older ones; 406 otherwise; 410 for a removed cluster version', async () => {
    const schedule = `${backup(CLOUD.replicaSet)}/schedule`;
    const newest = await get(schedule, V2024);
    expect([newest.status, newest.headers.get('content-type'), newest.headers.has('deprecation')]).toEqual([
      200,
      `${V2024};charset=utf-8`,
      false,
    ]);
    const older = await get(schedule, V2023);
    expect([older.headers.get('deprecation'), older.headers.get('sunset')]).toEqual([
      'Mon, 5 Aug 2024 00:00:00 GMT',
      'Thu, 1 Jul 2027 00:00:00 GMT',
    ]);
    expect((await get(schedule, `${V2023}, ${V2024}`)).headers.get('content-type')).toBe(`${V2024};charset=utf-8`);
    expect((await get(`${g}/backupCompliancePolicy`, V2023)).headers.get('deprecation')).toBe(
      'Sun, 1 Oct 2023 00:00:00 GMT',
    );
    expect((await get(`${g}/backup/exportBuckets`, V2023)).headers.get('deprecation')).toBe(
      'Thu, 30 May 2024 00:00:00 GMT',
    );
    expect(await failure(await get(`${backup(CLOUD.replicaSet)}/snapshots`, V2024))).toEqual([
      406,
      'INVALID_VERSION_DATE',
      [],
    ]);
    expect(await failure(await get(`${g}/clusters`, V2023))).toEqual([406, 'INVALID_VERSION_DATE', []]);
    expect((await failure(await get(`${g}/clusters`, 'application/vnd.atlas.2023-02-01+json')))[1]).toBe(
      'VERSION_GONE',
    );
  });

  it('2023-01-01 export buckets are AWS only; list items come without region', async () => {
    const list = (await (await get(`${g}/backup/exportBuckets`, V2023)).json()) as {
      results: Record<string, unknown>[];
    };
    expect(list.results.map((b) => b.cloudProvider)).toEqual(['AWS']);
    const newest = (await (
      await get(`${g}/backup/exportBuckets`, 'application/vnd.atlas.2024-05-30+json')
    ).json()) as typeof list;
    expect(newest.results.map((b) => b.cloudProvider)).toEqual(['AWS', 'AZURE', 'GCP']);
    expect(newest.results[0]).not.toHaveProperty('region');
  });

  it('counts backup (1200) and cluster (10000) calls in separate buckets', async () => {
    const limit = (r: Response) => [r.headers.get('ratelimit-limit'), Number(r.headers.get('ratelimit-remaining'))];
    const [, backupBefore] = limit(await get(`${backup(CLOUD.replicaSet)}/snapshots`));
    for (let i = 0; i < 3; i++) expect(limit(await get(`${g}/clusters/${CLOUD.replicaSet}`, V2024))[0]).toBe('10000');
    const flexError = await get(`${g}/clusters/${CLOUD.flex}`, V2024);
    expect(limit(flexError)[0]).toBe('10000');
    expect(limit(await get(`${backup(CLOUD.replicaSet)}/snapshots`))).toEqual(['1200', (backupBefore as number) - 1]);
  });

  it('pages where README §10.1 says; the sharded list has no paging parameters', async () => {
    const page = (await (await get(`${backup(CLOUD.replicaSet)}/snapshots?pageNum=2&itemsPerPage=4`)).json()) as {
      results: { id: string }[];
      totalCount: number;
    };
    expect([page.results.length, page.totalCount]).toEqual([4, 9]);
    expect((await get(`${backup(CLOUD.replicaSet)}/restoreJobs?itemsPerPage=501`)).status).toBe(400);
    const sharded = (await (
      await get(`${backup(CLOUD.sharded)}/snapshots/shardedClusters?itemsPerPage=1`)
    ).json()) as typeof page;
    expect([sharded.results.length, sharded.totalCount]).toEqual([3, 3]);
    const fleet = (await (
      await get(`/api/atlas/v2/groups/${CLOUD.fleetGroupId}/clusters?itemsPerPage=500`, V2024)
    ).json()) as {
      results: { name: string }[];
      totalCount: number;
    };
    expect(fleet.results.map((c) => c.name)).toEqual(CLOUD.fleetClusterNames);
  });

  it('snapshots come oldest first (the newest completed one is not results[0]); restore jobs newest first', async () => {
    const snapshots = (await (await get(`${backup(CLOUD.replicaSet)}/snapshots`)).json()) as {
      results: { id: string }[];
    };
    expect(snapshots.results.map((s) => s.id)).toEqual(Object.values(CLOUD.snapshots));
    const jobs = (await (await get(`${backup(CLOUD.replicaSet)}/restoreJobs`)).json()) as { results: { id: string }[] };
    expect(jobs.results.map((j) => j.id)).toEqual(Object.values(CLOUD.restoreJobs).reverse());
  });
});
