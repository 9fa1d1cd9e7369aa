import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { LIFECYCLE_MS } from '../../src/simulator/timelines.js';
import { type GraphQLResponse, type Stack, startStack, TEST_KEY, WITHOUT_RECORD_CACHE } from '../helpers.js';

// The backup-settings mutations through the real stack (issue #13): updateClusterBackupSchedule
// (Atlas op 14, PATCH …/schedule) and exportClusterSnapshot (op 17, POST …/exports). What Atlas
// received is read from the simulator's stats.writes; every refusal is checked for 0 upstream calls.
// Also: a mutation sent by GET (405), and several mutations in one document (serial, independent).

const SCOPES = 'backups:snapshot backups:delete backups:restore backups:download backups:schedule backups:export';
const CALLERS = {
  AUTH_API_KEYS: `ops@ops-key ${SCOPES}, reader@read-key, scheduler@schedule-key backups:schedule, exporter@export-key backups:export`,
};
const OPS = { 'x-api-key': 'ops-key' };
const READER = { 'x-api-key': 'read-key' };
const SCHEDULER = { 'x-api-key': 'schedule-key' };
const EXPORTER = { 'x-api-key': 'export-key' };

/** The simulator clock starts here and moves only when a test moves it. */
const NOW = Date.UTC(2026, 10, 21, 12);

const { groupId } = CLOUD;
const FLEET_GROUP = CLOUD.fleetGroupId;
const clusterPath = (group: string, cluster: string) => `/api/atlas/v2/groups/${group}/clusters/${cluster}/backup`;

const SCHEDULE_FIELDS = `referenceHourOfDay referenceMinuteOfHour restoreWindowDays
  policies { id policyItems { id frequencyType frequencyInterval retentionUnit retentionValue } }`;

const SCHEDULE = `mutation Schedule($input: UpdateClusterBackupScheduleInput!) {
  updateClusterBackupSchedule(input: $input) {
    dryRun replayed clientMutationId
    atlasRequest { method path mediaType body }
    schedule { ${SCHEDULE_FIELDS} }
  }
}`;

/** SCHEDULE, with the payload's cluster reading its schedule in the same request. */
const SCHEDULE_AND_CLUSTER = SCHEDULE.replace(
  'schedule {',
  `cluster { ... on DedicatedCluster { backupSchedule { ${SCHEDULE_FIELDS} } } } schedule {`,
);

const EXPORT = `mutation Export($input: ExportClusterSnapshotInput!) {
  exportClusterSnapshot(input: $input) {
    dryRun replayed clientMutationId
    atlasRequest { method path mediaType body }
    exportJob { id state snapshotId exportBucketId customData { key value } }
  }
}`;

interface AtlasRequest {
  method: string;
  path: string;
  mediaType: string;
  body: string | null;
}
interface PolicyItem {
  id: string | null;
  frequencyType: string;
  frequencyInterval: number;
  retentionUnit: string;
  retentionValue: number;
}
interface Schedule {
  referenceHourOfDay: number;
  referenceMinuteOfHour: number;
  restoreWindowDays: number;
  policies: { id: string; policyItems: PolicyItem[] }[];
}
interface ExportJob {
  id: string;
  state: string;
  snapshotId: string;
  exportBucketId: string;
  customData: { key: string; value: string }[];
}
interface Payload {
  dryRun: boolean;
  replayed: boolean;
  clientMutationId: string | null;
  atlasRequest: AtlasRequest;
  schedule?: Schedule | null;
  exportJob?: ExportJob | null;
  cluster?: { backupSchedule?: Schedule; exports?: { edges: { node: { id: string; state: string } }[] } } | null;
}
type ScheduleData = { updateClusterBackupSchedule: Payload | null };
type ExportData = { exportClusterSnapshot: Payload | null };

/** The one error of a failed mutation, with its extensions. */
function onlyError(response: GraphQLResponse) {
  expect(response.errors).toHaveLength(1);
  return response.errors![0]!;
}

let stack: Stack;

/** The simulator's live data of a dedicated cluster (tests read ids from it and compare). */
const simCluster = (group: string, name: string) => {
  const cluster = stack.simulator.projects.get(group)?.cloud?.clusters.get(name);
  if (!cluster) throw new Error(`no cluster ${name} in ${group}`);
  return cluster;
};

/** The first (only) policy of a cluster's schedule as the simulator holds it: Atlas's wire values. */
const simPolicy = (group: string, name: string) => {
  const policy = simCluster(group, name).schedule!.policies[0]!;
  return { id: policy.id, policyItems: policy.policyItems as unknown as (PolicyItem & { id: string })[] };
};

/** The id of a completed snapshot of a demo-project cluster. */
const completedSnapshotOf = (name: string): string => {
  const done = [...simCluster(groupId, name).snapshots.values()].find((s) => s.status === 'completed');
  if (!done) throw new Error(`no completed snapshot in ${name}`);
  return done.id;
};

const schedule = (input: Record<string, unknown>, headers = OPS, query = SCHEDULE) =>
  stack.query<ScheduleData>(query, { input }, headers);
const exportSnapshot = (input: Record<string, unknown>, headers = OPS, query = EXPORT) =>
  stack.query<ExportData>(query, { input }, headers);

beforeAll(async () => {
  stack = await startStack({ ...WITHOUT_RECORD_CACHE, ...CALLERS }, 'api-key', { clock: { start: NOW, frozen: true } });
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());

describe('updateClusterBackupSchedule', () => {
  const items = [
    { frequencyType: 'HOURLY', frequencyInterval: 4, retentionUnit: 'DAYS', retentionValue: 2 },
    { frequencyType: 'DAILY', frequencyInterval: 1, retentionUnit: 'DAYS', retentionValue: 14 },
    { frequencyType: 'WEEKLY', frequencyInterval: 7, retentionUnit: 'WEEKS', retentionValue: 8 },
    { frequencyType: 'WEEKLY', frequencyInterval: 6, retentionUnit: 'WEEKS', retentionValue: 8 },
    { frequencyType: 'MONTHLY', frequencyInterval: 1, retentionUnit: 'MONTHS', retentionValue: 6 },
  ];
  /** `items` as Atlas takes them: lower-case enums. */
  const wireItems = items.map((item) => ({
    ...item,
    frequencyType: item.frequencyType.toLowerCase(),
    retentionUnit: item.retentionUnit.toLowerCase(),
  }));

  it('policyItems replace the list: the PATCH keeps the current items’ ids; the payload and the cluster’s backupSchedule show the change', async () => {
    const cluster = 'fleet-01';
    const before = simCluster(FLEET_GROUP, cluster).schedule!;
    const policy = simPolicy(FLEET_GROUP, cluster);
    const idOf = (type: string, interval?: number) =>
      policy.policyItems.find(
        (i) => i.frequencyType === type && (interval === undefined || i.frequencyInterval === interval),
      )!.id;

    const response = await schedule(
      {
        groupId: FLEET_GROUP,
        clusterName: cluster,
        policyItems: items,
        updateSnapshots: true,
        clientMutationId: 'c-1',
      },
      OPS,
      SCHEDULE_AND_CLUSTER,
    );

    expect(response.errors).toBeUndefined();
    const payload = response.data!.updateClusterBackupSchedule!;
    // Atlas got one PATCH: each item with the id of the item it replaces — same frequency and
    // interval first (the second weekly item takes the current weekly/6's id), else the next unclaimed
    // one of its frequency (none left for the first weekly item: Atlas creates it); no yearly item.
    expect(stack.simulator.stats.writes).toEqual([
      {
        operation: 'updateBackupSchedule',
        method: 'PATCH',
        path: `${clusterPath(FLEET_GROUP, cluster)}/schedule`,
        body: {
          updateSnapshots: true,
          policies: [
            {
              id: policy.id,
              policyItems: [
                { id: idOf('hourly'), ...wireItems[0] },
                { id: idOf('daily'), ...wireItems[1] },
                { ...wireItems[2] },
                { id: idOf('weekly', 6), ...wireItems[3] },
                { id: idOf('monthly'), ...wireItems[4] },
              ],
            },
          ],
        },
      },
    ]);
    expect(payload).toMatchObject({ dryRun: false, replayed: false, clientMutationId: 'c-1' });
    expect(payload.atlasRequest).toEqual({
      method: 'PATCH',
      path: `${clusterPath(FLEET_GROUP, cluster)}/schedule`,
      mediaType: 'application/vnd.atlas.2024-08-05+json',
      body: JSON.stringify(stack.simulator.stats.writes[0]!.body),
    });
    // The schedule Atlas now holds: the new items (the new weekly one with an id Atlas gave it),
    // the settings not sent unchanged.
    const after = payload.schedule!;
    expect(after.policies).toHaveLength(1);
    expect(after.policies[0]!.id).toBe(policy.id);
    expect(after.policies[0]!.policyItems.map(({ id: _id, ...item }) => item)).toEqual(items);
    const ids = after.policies[0]!.policyItems.map((i) => i.id);
    expect(ids).toEqual([
      idOf('hourly'),
      idOf('daily'),
      expect.stringMatching(/^[0-9a-f]{24}$/),
      idOf('weekly', 6),
      idOf('monthly'),
    ]);
    expect(new Set(ids).size).toBe(5);
    expect(after).toMatchObject({
      referenceHourOfDay: before.referenceHourOfDay,
      referenceMinuteOfHour: before.referenceMinuteOfHour,
      restoreWindowDays: before.restoreWindowDays,
    });
    // The same request's read of the schedule sees the write, from the primed loader: the only
    // getBackupSchedule call is the one before the PATCH (for the current ids).
    expect(response.data!.updateClusterBackupSchedule!.cluster!.backupSchedule).toEqual(after);
    expect(stack.simulator.stats.byOperation.getBackupSchedule).toBe(1);
    // And a later request reads the same from Atlas.
    const read = await stack.query<{ backupSchedule: Schedule }>(
      `{ backupSchedule(groupId: "${FLEET_GROUP}", clusterName: "${cluster}") { ${SCHEDULE_FIELDS} } }`,
      {},
      READER,
    );
    expect(read.data!.backupSchedule).toEqual(after);
  });

  it('reference time and restore window alone: a PATCH of those fields only (no `policies`), no schedule read first', async () => {
    const cluster = 'fleet-02';
    // The policy as GraphQL shows it (upper-case enums), before the update.
    const { id, policyItems } = simPolicy(FLEET_GROUP, cluster);
    const policies = [
      {
        id,
        policyItems: policyItems.map((i) => ({
          ...i,
          frequencyType: i.frequencyType.toUpperCase(),
          retentionUnit: i.retentionUnit.toUpperCase(),
        })),
      },
    ];

    const response = await schedule(
      {
        groupId: FLEET_GROUP,
        clusterName: cluster,
        referenceHourOfDay: 23,
        referenceMinuteOfHour: 0,
        restoreWindowDays: 2,
      },
      OPS,
      SCHEDULE_AND_CLUSTER,
    );

    expect(response.errors).toBeUndefined();
    expect(stack.simulator.stats.writes.map((w) => w.body)).toEqual([
      { referenceHourOfDay: 23, referenceMinuteOfHour: 0, restoreWindowDays: 2 },
    ]);
    const payload = response.data!.updateClusterBackupSchedule!;
    expect(payload.schedule).toMatchObject({ referenceHourOfDay: 23, referenceMinuteOfHour: 0, restoreWindowDays: 2 });
    expect(payload.schedule!.policies).toEqual(policies);
    expect(payload.cluster!.backupSchedule).toEqual(payload.schedule);
    // The PATCH and the cluster of the payload; the schedule comes from the write's answer.
    expect(stack.simulator.stats.byOperation).toEqual({ updateBackupSchedule: 1, getCluster: 1 });
    // Its audit line: ids and names only (a schedule has no id of its own).
    expect(stack.logs.filter((line) => line.audit === true).at(-1)).toMatchObject({
      msg: 'backup action',
      mutation: 'updateClusterBackupSchedule',
      scope: 'backups:schedule',
      caller: 'ops',
      targets: { groupId: FLEET_GROUP, clusterName: cluster },
      dryRun: false,
      result: 'done',
      code: null,
      resultId: null,
    });
  });

  const item = (frequencyType: string, frequencyInterval: number, retentionUnit: string, retentionValue: number) => ({
    frequencyType,
    frequencyInterval,
    retentionUnit,
    retentionValue,
  });
  const hourly = item('HOURLY', 6, 'DAYS', 7);
  const refusals: [string, Record<string, unknown>, string, RegExp][] = [
    [
      'an hourly interval of 3',
      { policyItems: [item('HOURLY', 3, 'DAYS', 2)] },
      'input.policyItems.0.frequencyInterval',
      /hourly items take frequencyInterval 1, 2, 4, 6, 8 or 12/,
    ],
    [
      'a daily interval of 2',
      { policyItems: [hourly, item('DAILY', 2, 'DAYS', 7)] },
      'input.policyItems.1.frequencyInterval',
      /daily items take frequencyInterval 1/,
    ],
    [
      'a weekly interval of 8',
      { policyItems: [item('WEEKLY', 8, 'WEEKS', 4)] },
      'input.policyItems.0.frequencyInterval',
      /weekly items take frequencyInterval 1 \(Monday\) to 7/,
    ],
    [
      'a monthly interval of 29',
      { policyItems: [item('MONTHLY', 29, 'MONTHS', 12)] },
      'input.policyItems.0.frequencyInterval',
      /monthly items take frequencyInterval 1 to 28 .* or 40/,
    ],
    [
      'a yearly interval of 13',
      { policyItems: [item('YEARLY', 13, 'YEARS', 1)] },
      'input.policyItems.0.frequencyInterval',
      /yearly items take frequencyInterval 1 \(January\) to 12/,
    ],
    [
      'an ON_DEMAND item (not scheduled)',
      { policyItems: [item('ON_DEMAND', 1, 'DAYS', 7)] },
      'input.policyItems.0.frequencyType',
      /must be hourly, daily, weekly, monthly or yearly/,
    ],
    [
      'two weekly items on the same day',
      { policyItems: [item('WEEKLY', 3, 'WEEKS', 4), item('WEEKLY', 3, 'WEEKS', 8)] },
      'input.policyItems.1.frequencyInterval',
      /item 0 is already the weekly item on frequencyInterval 3/,
    ],
    [
      'two hourly items',
      { policyItems: [hourly, item('HOURLY', 12, 'DAYS', 7)] },
      'input.policyItems.1.frequencyType',
      /one hourly item at most: item 0 is hourly already/,
    ],
    [
      'a daily item kept shorter than the hourly one',
      { policyItems: [hourly, item('DAILY', 1, 'DAYS', 5)] },
      'input.policyItems.1.retentionValue',
      /less than the hourly item's 7 days: a less frequent item must keep its snapshots at least as long/,
    ],
    [
      'a monthly item kept shorter than the weekly one',
      { policyItems: [item('WEEKLY', 1, 'WEEKS', 52), item('MONTHLY', 1, 'MONTHS', 6)] },
      'input.policyItems.1.retentionValue',
      /less frequent item/,
    ],
    [
      'a weekly item kept less than a week',
      { policyItems: [item('WEEKLY', 1, 'DAYS', 6)] },
      'input.policyItems.0.retentionValue',
      /at least/,
    ],
    ['hour 24', { referenceHourOfDay: 24 }, 'input.referenceHourOfDay', /must be an hour of the day \(UTC\), 0 to 23/],
    [
      'minute 60',
      { referenceMinuteOfHour: 60 },
      'input.referenceMinuteOfHour',
      /must be a minute of the hour, 0 to 59/,
    ],
    ['a restore window of 0 days', { restoreWindowDays: 0 }, 'input.restoreWindowDays', /must be at least 1 day/],
    ['no policy item', { policyItems: [] }, 'input.policyItems', /at least one item/],
    ['an empty update', {}, 'input', /an update must set at least one field/],
    ['only nulls', { referenceHourOfDay: null, policyItems: null }, 'input', /an update must set at least one field/],
    [
      'updateSnapshots without policyItems',
      { updateSnapshots: true, restoreWindowDays: 3 },
      'input.updateSnapshots',
      /set policyItems too/,
    ],
  ];

  it.each(refusals)('%s: BAD_USER_INPUT naming the field, 0 Atlas calls', async (_name, fields, argument, message) => {
    const response = await schedule({ groupId: FLEET_GROUP, clusterName: 'fleet-03', ...fields });

    expect(response.data?.updateClusterBackupSchedule).toBeNull();
    const error = onlyError(response);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`Invalid argument "${argument}"`);
    expect(stack.simulator.stats.requests).toBe(0);
  });
});

describe('updateClusterBackupSchedule: what Atlas would refuse, dry runs, scopes', () => {
  const policyItems = [
    { frequencyType: 'HOURLY', frequencyInterval: 12, retentionUnit: 'DAYS', retentionValue: 3 },
    { frequencyType: 'DAILY', frequencyInterval: 1, retentionUnit: 'DAYS', retentionValue: 7 },
  ];

  it('a cluster with backup off: the dry run refuses it from getCluster (CONFLICT), a real run gets Atlas’s NOT_FOUND', async () => {
    const input = { groupId, clusterName: CLOUD.backupDisabled, restoreWindowDays: 3 };

    const dry = await schedule({ ...input, dryRun: true });
    expect(dry.data!.updateClusterBackupSchedule).toBeNull();
    expect(onlyError(dry)).toMatchObject({
      message: `Refused before calling Atlas: ${CLOUD.backupDisabled} does not have Cloud Backup turned on.`,
      extensions: { code: 'CONFLICT', argument: 'input.clusterName' },
    });
    expect(stack.simulator.stats.byOperation).toEqual({ getCluster: 1 });

    // A real run does not read first (no policyItems): Atlas answers the PATCH 404 BACKUP_CONFIG_NOT_FOUND.
    stack.simulator.reset();
    const real = await schedule(input);
    expect(real.data!.updateClusterBackupSchedule).toBeNull();
    expect(onlyError(real).extensions).toMatchObject({
      code: 'NOT_FOUND',
      atlas: { status: 404, errorCode: 'BACKUP_CONFIG_NOT_FOUND' },
    });
    expect(stack.simulator.stats.writes.map((w) => w.operation)).toEqual(['updateBackupSchedule']);

    // With policyItems every run reads the schedule first, for its items' ids: a real run and a dry
    // run alike end there, NOT_FOUND, before any write (the dry run does not get to getCluster).
    for (const dryRun of [false, true]) {
      stack.simulator.reset();
      const withItems = await schedule({ groupId, clusterName: CLOUD.backupDisabled, policyItems, dryRun });
      expect(onlyError(withItems).extensions).toMatchObject({
        code: 'NOT_FOUND',
        atlas: { errorCode: 'BACKUP_CONFIG_NOT_FOUND' },
      });
      expect(stack.simulator.stats.byOperation).toEqual({ getBackupSchedule: 1 });
      expect(stack.simulator.stats.writes).toEqual([]);
    }
  });

  it('a cluster with backup on but no backup configuration yet: the dry run’s schedule read answers NOT_FOUND, 0 writes', async () => {
    const dry = await schedule({ groupId, clusterName: CLOUD.noSchedule, referenceHourOfDay: 4, dryRun: true });

    expect(dry.data!.updateClusterBackupSchedule).toBeNull();
    expect(onlyError(dry).extensions).toMatchObject({
      code: 'NOT_FOUND',
      atlas: { errorCode: 'BACKUP_CONFIG_NOT_FOUND' },
    });
    expect(stack.simulator.stats.byOperation).toEqual({ getCluster: 1, getBackupSchedule: 1 });
    expect(stack.simulator.stats.writes).toEqual([]);
  });

  it('dry run: reads, 0 writes, nothing changes; its atlasRequest is exactly the PATCH a real run then sends', async () => {
    const cluster = 'fleet-04';
    const input = { groupId: FLEET_GROUP, clusterName: cluster, policyItems, referenceMinuteOfHour: 45 };
    const before = structuredClone(simCluster(FLEET_GROUP, cluster).schedule);

    const dry = await schedule({ ...input, dryRun: true });

    expect(dry.errors).toBeUndefined();
    const planned = dry.data!.updateClusterBackupSchedule!;
    expect(planned).toMatchObject({ dryRun: true, replayed: false, schedule: null });
    expect(planned.atlasRequest).toMatchObject({
      method: 'PATCH',
      path: `${clusterPath(FLEET_GROUP, cluster)}/schedule`,
      mediaType: 'application/vnd.atlas.2024-08-05+json',
    });
    // One schedule read serves both the items' ids and the check (the request's loader).
    expect(stack.simulator.stats.byOperation).toEqual({ getCluster: 1, getBackupSchedule: 1 });
    expect(stack.simulator.stats.writes).toEqual([]);
    expect(simCluster(FLEET_GROUP, cluster).schedule).toEqual(before);

    stack.simulator.reset();
    const real = await schedule(input);

    expect(real.errors).toBeUndefined();
    const [write] = stack.simulator.stats.writes;
    expect(stack.simulator.stats.writes).toHaveLength(1);
    expect(write).toMatchObject({ method: planned.atlasRequest.method, path: planned.atlasRequest.path });
    expect(write!.body).toEqual(JSON.parse(planned.atlasRequest.body!));
    expect(real.data!.updateClusterBackupSchedule!.atlasRequest).toEqual(planned.atlasRequest);
    expect(real.data!.updateClusterBackupSchedule!.schedule!.referenceMinuteOfHour).toBe(45);
  });

  it('outcome unknown (the connection dropped after the body, the write not applied): 1 PATCH, UPSTREAM_OUTCOME_UNKNOWN saying to read the schedule', async () => {
    const cluster = 'fleet-08';
    const before = structuredClone(simCluster(FLEET_GROUP, cluster).schedule);
    stack.simulator.faults.inject({ kind: 'drop-after-body', apply: false }, { operation: 'updateBackupSchedule' });

    const response = await schedule({ groupId: FLEET_GROUP, clusterName: cluster, referenceHourOfDay: 11 });

    expect(response.data!.updateClusterBackupSchedule).toBeNull();
    const error = onlyError(response);
    expect(error.extensions).toMatchObject({ code: 'UPSTREAM_OUTCOME_UNKNOWN', operation: 'updateBackupSchedule' });
    expect(error.message).toMatch(/It was not sent again; to find out whether it took effect, read the schedule/);
    expect(stack.simulator.stats.writes.map((w) => w.body)).toEqual([{ referenceHourOfDay: 11 }]);
    expect(simCluster(FLEET_GROUP, cluster).schedule).toEqual(before);
  });

  it.each([
    ['a read-only key', READER, 'backups:read'],
    ['a key holding backups:export only', EXPORTER, 'backups:read, backups:export'],
  ])('%s: FORBIDDEN naming backups:schedule, for a dry run too, 0 Atlas calls', async (_name, headers, held) => {
    for (const dryRun of [false, true]) {
      const response = await schedule(
        { groupId: FLEET_GROUP, clusterName: 'fleet-05', restoreWindowDays: 2, dryRun },
        headers,
      );

      expect(response.data!.updateClusterBackupSchedule).toBeNull();
      expect(onlyError(response)).toMatchObject({
        message: `Forbidden: this needs the backups:schedule scope; the caller holds ${held}.`,
        extensions: { code: 'FORBIDDEN', scope: 'backups:schedule' },
      });
    }
    expect(stack.simulator.stats.requests).toBe(0);
    expect(simCluster(FLEET_GROUP, 'fleet-05').schedule!.restoreWindowDays).toBe(7);
  });
});

describe('exportClusterSnapshot', () => {
  const bucket = CLOUD.exportBuckets.aws;
  const exportsPath = (cluster: string) => `${clusterPath(groupId, cluster)}/exports`;
  const EXPORT_AND_CLUSTER = EXPORT.replace(
    'exportJob {',
    'cluster { ... on DedicatedCluster { exports(first: 20) { edges { node { id state } } } } } exportJob {',
  );
  const exportJobState = async (cluster: string, exportId: string) => {
    const read = await stack.query<{ exportJob: { state: string; finishedAt: string | null } }>(
      `{ exportJob(groupId: "${groupId}", clusterName: "${cluster}", exportId: "${exportId}") { state finishedAt } }`,
      {},
      OPS,
    );
    return read.data!.exportJob;
  };

  it('happy path: one POST with the body Atlas takes, a Queued job that walks to Successful on the clock; the payload’s cluster lists it', async () => {
    const cluster = CLOUD.replicaSetGcp;
    const snapshotId = CLOUD.smallOnDemandSnapshotId;
    const customData = [{ key: 'ticket', value: 'OPS-4242 before the index rebuild' }];
    const t0 = stack.simulator.clock.now();

    const response = await exportSnapshot(
      { groupId, clusterName: cluster, snapshotId, exportBucketId: bucket, customData, clientMutationId: 'e-1' },
      OPS,
      EXPORT_AND_CLUSTER,
    );

    expect(response.errors).toBeUndefined();
    const body = { exportBucketId: bucket, snapshotId, customData };
    expect(stack.simulator.stats.writes).toEqual([
      { operation: 'createBackupExport', method: 'POST', path: exportsPath(cluster), body },
    ]);
    const payload = response.data!.exportClusterSnapshot!;
    expect(payload).toMatchObject({ dryRun: false, replayed: false, clientMutationId: 'e-1' });
    expect(payload.atlasRequest).toEqual({
      method: 'POST',
      path: exportsPath(cluster),
      mediaType: 'application/vnd.atlas.2023-01-01+json',
      body: JSON.stringify(body),
    });
    const job = payload.exportJob!;
    expect(job.id).toMatch(/^[0-9a-f]{24}$/);
    expect(job).toEqual({
      id: job.id,
      state: 'QUEUED',
      snapshotId,
      exportBucketId: bucket,
      customData,
    });
    expect(simCluster(groupId, cluster).exports.get(job.id)).toBeDefined();
    // The same request's list of the cluster's exports is read afresh: it holds the new job.
    expect(payload.cluster!.exports!.edges).toContainEqual({ node: { id: job.id, state: 'QUEUED' } });
    expect(stack.simulator.stats.byOperation.listBackupExports).toBe(1);

    stack.simulator.clock.advance(LIFECYCLE_MS.export.inProgress);
    expect(await exportJobState(cluster, job.id)).toEqual({ state: 'IN_PROGRESS', finishedAt: null });
    stack.simulator.clock.advance(LIFECYCLE_MS.export.finished - LIFECYCLE_MS.export.inProgress);
    const done = await exportJobState(cluster, job.id);
    expect(done.state).toBe('SUCCESSFUL');
    expect(Date.parse(done.finishedAt!)).toBe(t0 + LIFECYCLE_MS.export.finished);

    // The audit line: who, which scope, what, the new job's id; never the free text of customData.
    const audit = stack.logs.filter((line) => line.audit === true && line.resultId === job.id);
    expect(audit).toEqual([
      expect.objectContaining({
        msg: 'backup action',
        mutation: 'exportClusterSnapshot',
        scope: 'backups:export',
        caller: 'ops',
        targets: { groupId, clusterName: cluster, snapshotId, exportBucketId: bucket },
        idempotencyKey: null,
        dryRun: false,
        result: 'done',
        code: null,
        atlasStatus: null,
      }),
    ]);
    expect(stack.rawLogs.join('\n')).not.toContain('OPS-4242');
  });

  const validInput = {
    groupId,
    clusterName: CLOUD.replicaSetGcp,
    snapshotId: CLOUD.smallOnDemandSnapshotId,
    exportBucketId: bucket,
  };
  const pairs = (n: number, key = 'k', value = 'v') =>
    Array.from({ length: n }, (_, i) => ({ key: `${key}${i}`, value }));
  it.each([
    ['a snapshotId that is not an id', { snapshotId: 'latest' }, 'input.snapshotId'],
    ['an exportBucketId in upper case', { exportBucketId: bucket.toUpperCase() }, 'input.exportBucketId'],
    ['a clusterName with a space', { clusterName: 'my cluster' }, 'input.clusterName'],
    ['51 customData pairs', { customData: pairs(51) }, 'input.customData'],
    ['an empty customData key', { customData: [{ key: '', value: 'v' }] }, 'input.customData.0.key'],
    [
      'a customData key of 257 characters',
      { customData: [...pairs(1), { key: 'k'.repeat(257), value: 'v' }] },
      'input.customData.1.key',
    ],
    [
      'a customData value of 1,025 characters',
      { customData: [{ key: 'k', value: 'v'.repeat(1025) }] },
      'input.customData.0.value',
    ],
    ['an idempotencyKey of 65 characters', { idempotencyKey: 'k'.repeat(65) }, 'input.idempotencyKey'],
  ])('%s: BAD_USER_INPUT naming the field, 0 Atlas calls', async (_name, fields, argument) => {
    const response = await exportSnapshot({ ...validInput, ...fields });

    expect(response.data!.exportClusterSnapshot).toBeNull();
    expect(onlyError(response).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(stack.simulator.stats.requests).toBe(0);
  });

  it('customData at its bounds (50 pairs, 256-character keys, 1,024-character values) passes a dry run and is sent as given', async () => {
    const customData = pairs(50).map(({ key }) => ({ key: key.padEnd(256, 'k'), value: 'v'.repeat(1024) }));
    const input = { ...validInput, customData };

    const dry = await exportSnapshot({ ...input, dryRun: true });

    expect(dry.errors).toBeUndefined();
    const planned = dry.data!.exportClusterSnapshot!;
    expect(planned).toMatchObject({ dryRun: true, exportJob: null });
    // The dry run's reads: the cluster, the snapshot and the bucket; nothing written.
    expect(stack.simulator.stats.byOperation).toEqual({
      getCluster: 1,
      getClusterBackupSnapshot: 1,
      getExportBucket: 1,
    });
    expect(stack.simulator.stats.writes).toEqual([]);

    stack.simulator.reset();
    const real = await exportSnapshot(input);
    expect(real.errors).toBeUndefined();
    expect(stack.simulator.stats.writes).toHaveLength(1);
    expect(stack.simulator.stats.writes[0]!.body).toEqual(JSON.parse(planned.atlasRequest.body!));
    expect(real.data!.exportClusterSnapshot!.atlasRequest).toEqual(planned.atlasRequest);
    expect(real.data!.exportClusterSnapshot!.exportJob!.customData).toEqual(customData);
  });

  it('two exports in one document: each payload’s exports list is read after its own write, so the second shows both jobs', async () => {
    const cluster = CLOUD.replicaSetGcp;
    const fields =
      'exportJob { id } cluster { ... on DedicatedCluster { exports(first: 50) { edges { node { id } } } } }';
    const document = `mutation Two($a: ExportClusterSnapshotInput!, $b: ExportClusterSnapshotInput!) {
      a: exportClusterSnapshot(input: $a) { ${fields} }
      b: exportClusterSnapshot(input: $b) { ${fields} }
    }`;
    type Exported = { exportJob: { id: string }; cluster: { exports: { edges: { node: { id: string } }[] } } };
    const input = { groupId, clusterName: cluster, snapshotId: CLOUD.smallOnDemandSnapshotId };

    const response = await stack.query<{ a: Exported; b: Exported }>(
      document,
      {
        a: { ...input, exportBucketId: CLOUD.exportBuckets.aws },
        b: { ...input, exportBucketId: CLOUD.exportBuckets.gcp },
      },
      OPS,
    );

    expect(response.errors).toBeUndefined();
    const { a, b } = response.data!;
    const listed = (payload: Exported) => payload.cluster.exports.edges.map((edge) => edge.node.id);
    expect(listed(a)).toContain(a.exportJob.id);
    expect(listed(a)).not.toContain(b.exportJob.id);
    expect(listed(b)).toEqual(expect.arrayContaining([a.exportJob.id, b.exportJob.id]));
    expect(stack.simulator.stats.byOperation).toMatchObject({ createBackupExport: 2, listBackupExports: 2 });
  });

  it('a dry run refuses a snapshot that has not completed (CONFLICT on input.snapshotId), 0 writes; a real run gets Atlas’s CONFLICT', async () => {
    const input = { ...validInput, clusterName: CLOUD.replicaSet, snapshotId: CLOUD.snapshots.queued };

    const dry = await exportSnapshot({ ...input, dryRun: true });

    expect(dry.data!.exportClusterSnapshot).toBeNull();
    expect(onlyError(dry)).toMatchObject({
      message: `Refused before calling Atlas: snapshot ${CLOUD.snapshots.queued} is queued: only a completed snapshot can be exported.`,
      extensions: { code: 'CONFLICT', argument: 'input.snapshotId' },
    });
    expect(stack.simulator.stats.writes).toEqual([]);

    stack.simulator.reset();
    const real = await exportSnapshot(input);
    expect(onlyError(real).extensions).toMatchObject({
      code: 'CONFLICT',
      atlas: { status: 409, errorCode: 'CANNOT_EXPORT_INCOMPLETE_SNAPSHOT' },
    });
    expect(stack.simulator.stats.writes).toHaveLength(1);
  });

  it('a dry run refuses a bucket the project does not have: NOT_FOUND from getExportBucket, 0 writes', async () => {
    const dry = await exportSnapshot({ ...validInput, exportBucketId: '6b1b0000000000000000ffff', dryRun: true });

    expect(dry.data!.exportClusterSnapshot).toBeNull();
    expect(onlyError(dry).extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(stack.simulator.stats.byOperation.getExportBucket).toBe(1);
    expect(stack.simulator.stats.writes).toEqual([]);
  });

  it.each([
    ['a read-only key', READER, 'backups:read'],
    ['a key holding backups:schedule only', SCHEDULER, 'backups:read, backups:schedule'],
  ])('%s: FORBIDDEN naming backups:export, 0 Atlas calls', async (_name, headers, held) => {
    const response = await exportSnapshot(validInput, headers);

    expect(response.data!.exportClusterSnapshot).toBeNull();
    expect(onlyError(response)).toMatchObject({
      message: `Forbidden: this needs the backups:export scope; the caller holds ${held}.`,
      extensions: { code: 'FORBIDDEN', scope: 'backups:export' },
    });
    expect(stack.simulator.stats.requests).toBe(0);
  });

  it('idempotent replay: the same key and input → 1 POST, the first job, replayed; another input → BAD_USER_INPUT; another caller’s key is its own', async () => {
    const input = { ...validInput, idempotencyKey: 'export-replay-1' };

    const first = await exportSnapshot({ ...input, clientMutationId: 'a' });
    const again = await exportSnapshot({ ...input, clientMutationId: 'b' });

    expect(stack.simulator.stats.writes).toHaveLength(1);
    const job = first.data!.exportClusterSnapshot!.exportJob!;
    expect(first.data!.exportClusterSnapshot).toMatchObject({ replayed: false, clientMutationId: 'a' });
    expect(again.data!.exportClusterSnapshot).toMatchObject({ replayed: true, clientMutationId: 'b', exportJob: job });

    stack.simulator.reset();
    const other = await exportSnapshot({ ...input, customData: [{ key: 'k', value: 'v' }] });
    expect(onlyError(other)).toMatchObject({
      message:
        'Invalid argument "input.idempotencyKey": this idempotencyKey was used with another input; use a new key for a new request.',
      extensions: { code: 'BAD_USER_INPUT', argument: 'input.idempotencyKey' },
    });
    expect(stack.simulator.stats.requests).toBe(0);

    const otherCaller = await exportSnapshot(input, EXPORTER);
    expect(otherCaller.data!.exportClusterSnapshot).toMatchObject({ replayed: false });
    expect(otherCaller.data!.exportClusterSnapshot!.exportJob!.id).not.toBe(job.id);
    expect(stack.simulator.stats.writes).toHaveLength(1);
  });

  it('ten concurrent duplicates make one POST and share its job', async () => {
    const input = { ...validInput, idempotencyKey: 'export-burst-1' };

    const answers = await Promise.all(Array.from({ length: 10 }, () => exportSnapshot(input)));

    expect(stack.simulator.stats.writes).toHaveLength(1);
    const ids = new Set(answers.map((a) => a.data!.exportClusterSnapshot!.exportJob!.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => !a.data!.exportClusterSnapshot!.replayed)).toHaveLength(1);
  });

  it('outcome unknown (the connection dropped after the body): exactly 1 POST, UPSTREAM_OUTCOME_UNKNOWN telling to list the export jobs; the key repeats the error', async () => {
    const cluster = CLOUD.replicaSetEu;
    const input = {
      groupId,
      clusterName: cluster,
      snapshotId: completedSnapshotOf(cluster),
      exportBucketId: bucket,
      idempotencyKey: 'export-dropped-1',
    };
    const jobsBefore = simCluster(groupId, cluster).exports.size;
    stack.simulator.faults.inject({ kind: 'drop-after-body', apply: true }, { operation: 'createBackupExport' });

    const response = await exportSnapshot(input);

    expect(response.data!.exportClusterSnapshot).toBeNull();
    const error = onlyError(response);
    expect(error.extensions).toMatchObject({ code: 'UPSTREAM_OUTCOME_UNKNOWN', operation: 'createBackupExport' });
    expect(error.message).toContain(
      'It was not sent again; to find out whether it took effect, list the cluster’s export jobs (`exportJobs`) and look for a new one.',
    );
    expect(stack.simulator.stats.writes.map((w) => w.operation)).toEqual(['createBackupExport']);
    // Atlas did create it (the fault applied the write): what the caller is told to look for is there.
    expect(simCluster(groupId, cluster).exports.size).toBe(jobsBefore + 1);

    const repeat = await exportSnapshot(input);
    expect(onlyError(repeat)).toMatchObject({
      message: error.message,
      extensions: { code: 'UPSTREAM_OUTCOME_UNKNOWN' },
    });
    expect(stack.simulator.stats.writes).toHaveLength(1);
    expect(simCluster(groupId, cluster).exports.size).toBe(jobsBefore + 1);
  });
});

describe('Atlas roles behind our scopes', () => {
  const BACKUP_MANAGER_HINT = 'This needs the Project Backup Manager role in Atlas.';

  it('a project where this service’s key is Read Only: both writes are sent once and answered FORBIDDEN with the Atlas role to ask for', async () => {
    // Every caller is Read Only in the analytics project: reads pass (a dry run does), writes get 403.
    const cluster = CLOUD.analyticsCluster;
    const groupOf = { groupId: CLOUD.analyticsGroupId, clusterName: cluster };

    const scheduled = await schedule({ ...groupOf, referenceHourOfDay: 6 });
    expect(scheduled.data!.updateClusterBackupSchedule).toBeNull();
    expect(onlyError(scheduled).extensions).toMatchObject({
      code: 'FORBIDDEN',
      hint: BACKUP_MANAGER_HINT,
      atlas: { status: 403 },
    });

    const exportInput = {
      ...groupOf,
      snapshotId: [...simCluster(CLOUD.analyticsGroupId, cluster).snapshots.values()].find(
        (s) => s.status === 'completed',
      )!.id,
      exportBucketId: [...stack.simulator.projects.get(CLOUD.analyticsGroupId)!.cloud!.exportBuckets.keys()][0]!,
    };
    // A dry run reads only, which Read Only may: it passes, and cannot see the role (docs: known limits).
    const dry = await exportSnapshot({ ...exportInput, dryRun: true });
    expect(dry.data!.exportClusterSnapshot).toMatchObject({ dryRun: true });
    const exported = await exportSnapshot(exportInput);
    expect(exported.data!.exportClusterSnapshot).toBeNull();
    expect(onlyError(exported).extensions).toMatchObject({
      code: 'FORBIDDEN',
      hint: 'Exports and downloads need the Project Backup Export Operator role in Atlas (or Backup Manager).',
      atlas: { status: 403 },
    });

    expect(stack.simulator.stats.writes.map((w) => w.operation)).toEqual([
      'updateBackupSchedule',
      'createBackupExport',
    ]);
  });

  it('a key that is Backup Export Operator: it may export, but the schedule needs Backup Manager (403 with that hint)', async () => {
    const operator = await startStack({ ...WITHOUT_RECORD_CACHE, ...CALLERS }, 'api-key', {
      apiKeys: [{ ...TEST_KEY, roles: { [groupId]: 'GROUP_BACKUP_EXPORT_OPERATOR' } }],
    });
    try {
      const scheduled = await operator.query<ScheduleData>(
        SCHEDULE,
        { input: { groupId, clusterName: CLOUD.replicaSetGcp, restoreWindowDays: 3 } },
        OPS,
      );
      expect(scheduled.data!.updateClusterBackupSchedule).toBeNull();
      expect(onlyError(scheduled)).toMatchObject({
        message: expect.stringContaining(BACKUP_MANAGER_HINT) as unknown,
        extensions: { code: 'FORBIDDEN', hint: BACKUP_MANAGER_HINT },
      });

      const exported = await operator.query<ExportData>(
        EXPORT,
        {
          input: {
            groupId,
            clusterName: CLOUD.replicaSetGcp,
            snapshotId: CLOUD.smallOnDemandSnapshotId,
            exportBucketId: CLOUD.exportBuckets.gcp,
          },
        },
        OPS,
      );
      expect(exported.errors).toBeUndefined();
      expect(exported.data!.exportClusterSnapshot!.exportJob!.state).toBe('QUEUED');

      expect(operator.simulator.stats.writes.map((w) => w.operation)).toEqual([
        'updateBackupSchedule',
        'createBackupExport',
      ]);
    } finally {
      await operator.close();
    }
  });
});

describe('mutations over HTTP and in one document', () => {
  it('a mutation sent by GET (with the CSRF header, so CSRF prevention is not what answers): 405, allow POST, 0 Atlas calls', async () => {
    const mutation = `mutation { updateClusterBackupSchedule(input: { groupId: "${FLEET_GROUP}", clusterName: "fleet-06", referenceHourOfDay: 9 }) { dryRun } }`;
    const get = (query: string) =>
      fetch(`${stack.app.graphqlUrl}?query=${encodeURIComponent(query)}`, {
        headers: { ...OPS, 'x-graphql-yoga-csrf': '1', accept: 'application/graphql-response+json' },
      });

    const refused = await get(mutation);

    expect(refused.status).toBe(405);
    expect(refused.headers.get('allow')).toMatch(/POST/);
    const body = (await refused.json()) as GraphQLResponse;
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(stack.simulator.stats.requests).toBe(0);
    expect(simCluster(FLEET_GROUP, 'fleet-06').schedule!.referenceHourOfDay).not.toBe(9);

    // The same GET with a query is answered: the header got it past CSRF prevention.
    const query = await get(
      `{ backupSchedule(groupId: "${FLEET_GROUP}", clusterName: "fleet-06") { referenceHourOfDay } }`,
    );
    expect(query.status).toBe(200);
  });

  it('several mutations run in document order, each seeing the ones before; the one that fails is null and the others keep their payloads', async () => {
    const cluster = 'fleet-07';
    const document = `mutation Several($a: UpdateClusterBackupScheduleInput!, $b: ExportClusterSnapshotInput!, $c: UpdateClusterBackupScheduleInput!) {
      a: updateClusterBackupSchedule(input: $a) {
        schedule { referenceHourOfDay }
        cluster { ... on DedicatedCluster { backupSchedule { referenceHourOfDay } } }
      }
      b: exportClusterSnapshot(input: $b) { exportJob { id } }
      c: updateClusterBackupSchedule(input: $c) {
        schedule { referenceHourOfDay restoreWindowDays }
        cluster { ... on DedicatedCluster { backupSchedule { referenceHourOfDay restoreWindowDays } } }
      }
    }`;
    const variables = {
      a: { groupId: FLEET_GROUP, clusterName: cluster, referenceHourOfDay: 1 },
      // Valid input, but Atlas does not know the bucket: 404 after the POST.
      b: {
        groupId,
        clusterName: CLOUD.replicaSetGcp,
        snapshotId: CLOUD.smallOnDemandSnapshotId,
        exportBucketId: '6b1b0000000000000000ffff',
      },
      c: { groupId: FLEET_GROUP, clusterName: cluster, referenceHourOfDay: 2, restoreWindowDays: 5 },
    };

    const response = await stack.query<{
      a: { schedule: { referenceHourOfDay: number }; cluster: { backupSchedule: { referenceHourOfDay: number } } };
      b: null;
      c: { schedule: Partial<Schedule>; cluster: { backupSchedule: Partial<Schedule> } };
    }>(document, variables, OPS);

    // Sent one after the other, in the document's order.
    expect(stack.simulator.stats.writes.map(({ operation, body }) => [operation, body])).toEqual([
      ['updateBackupSchedule', { referenceHourOfDay: 1 }],
      ['createBackupExport', { exportBucketId: variables.b.exportBucketId, snapshotId: variables.b.snapshotId }],
      ['updateBackupSchedule', { referenceHourOfDay: 2, restoreWindowDays: 5 }],
    ]);
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({
      path: ['b'],
      extensions: { code: 'NOT_FOUND', atlas: { status: 404, errorCode: 'EXPORT_BUCKET_NOT_FOUND' } },
    });
    expect(response.data!.b).toBeNull();
    // a's payload was complete before c ran: its cluster still reads hour 1; c's reads c's write.
    expect(response.data!.a).toEqual({
      schedule: { referenceHourOfDay: 1 },
      cluster: { backupSchedule: { referenceHourOfDay: 1 } },
    });
    expect(response.data!.c).toEqual({
      schedule: { referenceHourOfDay: 2, restoreWindowDays: 5 },
      cluster: { backupSchedule: { referenceHourOfDay: 2, restoreWindowDays: 5 } },
    });
    expect(simCluster(FLEET_GROUP, cluster).schedule).toMatchObject({ referenceHourOfDay: 2, restoreWindowDays: 5 });
  });
});
