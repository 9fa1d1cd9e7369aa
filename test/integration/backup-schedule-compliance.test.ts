import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { ANYONE_MAY_CALL, atlasCalls, type Stack, startStack, TEST_KEY, WITHOUT_RECORD_CACHE } from '../helpers.js';

// backupSchedule and backupCompliancePolicy through the real stack: the simulator's seed, and every
// recorded body of getBackupSchedule / getCompliancePolicy served by the simulator as Atlas sent it.

const example = (file: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/atlas-examples/${file}`, import.meta.url), 'utf8'));

let stack: Stack;
beforeAll(async () => {
  // The key is Owner of the demo project, Read Only (the project's default) in the analytics one.
  stack = await startStack({ ...WITHOUT_RECORD_CACHE, ...ANYONE_MAY_CALL });
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());

const SCHEDULE = `groupId clusterName clusterId referenceHourOfDay referenceMinuteOfHour restoreWindowDays nextSnapshot
  autoExportEnabled useOrgAndGroupNamesInExportPrefix copyPolicyItemsEnabled autoCopySettingsEnabled
  policies { id policyItems { id frequencyType frequencyInterval retentionUnit retentionValue } }
  copySettings { zoneId cloudProvider regionName shouldCopyOplogs frequencies lastNumberOfSnapshots
    copyPolicyItems { frequencyType retentionUnit retentionValue } }
  export { exportBucketId frequencyType } extraRetentionSettings { frequencyType retentionDays } links { rel }`;
const schedule = (clusterName: string, fields = SCHEDULE, groupId: string = CLOUD.groupId) =>
  stack.query<{ backupSchedule: Record<string, unknown> | null }>(
    `{ backupSchedule(groupId: "${groupId}", clusterName: "${clusterName}") { ${fields} } }`,
  );

const item = (id: string, frequencyType: string, frequencyInterval: number, retentionUnit: string, value: number) => ({
  id,
  frequencyType,
  frequencyInterval,
  retentionUnit,
  retentionValue: value,
});

describe('backupSchedule', () => {
  it('the recorded schedule (examples/getBackupSchedule) maps field for field', async () => {
    const body = example('getBackupSchedule/observed-schedule-describe.200.json');
    stack.simulator.faults.inject({ kind: 'status', status: 200, body }, { operation: 'getBackupSchedule' });
    const { data, errors } = await schedule(CLOUD.replicaSet);
    expect(errors).toBeUndefined();
    expect(data!.backupSchedule).toEqual({
      groupId: CLOUD.groupId,
      clusterName: CLOUD.replicaSet, // as asked: the recording says backupSchedule-600
      clusterId: '6a793f5ac0eb9e7a17714407',
      referenceHourOfDay: 3,
      referenceMinuteOfHour: 16,
      restoreWindowDays: 7,
      nextSnapshot: '2026-08-10T09:16:07.000Z',
      autoExportEnabled: false,
      useOrgAndGroupNamesInExportPrefix: false,
      copyPolicyItemsEnabled: false,
      autoCopySettingsEnabled: null, // 2024-08-05 only; the recording is a 2023-01-01 answer
      policies: [
        {
          id: '6a7942765a068714fc067fe0',
          policyItems: [
            item('6a7942765a068714fc067fe1', 'HOURLY', 6, 'DAYS', 7),
            item('6a7942765a068714fc067fe2', 'DAILY', 1, 'DAYS', 7),
            item('6a7942765a068714fc067fe3', 'WEEKLY', 6, 'WEEKS', 4),
            item('6a7942765a068714fc067fe4', 'MONTHLY', 40, 'MONTHS', 12),
            item('6a7942765a068714fc067fe5', 'YEARLY', 12, 'YEARS', 1),
          ],
        },
      ],
      copySettings: [],
      export: null,
      extraRetentionSettings: [],
      links: [{ rel: 'self' }, { rel: 'https://cloud.mongodb.com/group' }],
    });
    expect(atlasCalls(stack, 'getBackupSchedule')).toBe(1);
  });

  it('copy settings by zone (2024-08-05), auto export and extra retention in every casing Atlas uses', async () => {
    const { data, errors } = await schedule(CLOUD.sharded);
    expect(errors).toBeUndefined();
    expect(data!.backupSchedule).toMatchObject({
      clusterId: CLOUD.shardedId,
      autoExportEnabled: true,
      copyPolicyItemsEnabled: true,
      autoCopySettingsEnabled: false,
      nextSnapshot: '2026-11-20T15:16:00.000Z',
      copySettings: [
        {
          zoneId: '6b1904000000000000000001', // the cluster's replicationSpecs[0].zoneId
          cloudProvider: 'AWS',
          regionName: 'US_WEST_2',
          shouldCopyOplogs: true,
          frequencies: [],
          lastNumberOfSnapshots: null,
          copyPolicyItems: [
            { frequencyType: 'DAILY', retentionUnit: 'DAYS', retentionValue: 7 },
            { frequencyType: 'ON_DEMAND', retentionUnit: null, retentionValue: null },
          ],
        },
      ],
      export: { exportBucketId: CLOUD.exportBuckets.aws, frequencyType: 'MONTHLY' }, // lower case upstream
      extraRetentionSettings: [{ frequencyType: 'MONTHLY', retentionDays: 400 }], // upper case upstream
    });
  });

  it.each([
    ['still being created', CLOUD.noSchedule, CLOUD.noScheduleId],
    ['with backup disabled', CLOUD.backupDisabled, CLOUD.backupDisabledId],
  ])(
    'a cluster %s: null with NOT_FOUND, Atlas’s BACKUP_CONFIG_NOT_FOUND naming the cluster id',
    async (_, name, id) => {
      const { data, errors } = await schedule(name, 'clusterName');
      expect(data).toEqual({ backupSchedule: null });
      expect(errors).toHaveLength(1);
      expect(errors![0]!.path).toEqual(['backupSchedule']);
      expect(errors![0]!.extensions).toMatchObject({
        code: 'NOT_FOUND',
        atlas: { status: 404, errorCode: 'BACKUP_CONFIG_NOT_FOUND' },
      });
      expect(errors![0]!.message).toContain(id);
    },
  );

  it('the recorded BACKUP_CONFIG_NOT_FOUND (2025-06-06) the same way', async () => {
    const body = example('getBackupSchedule/observed-schedule-describe-2025-06-06.404.json');
    stack.simulator.faults.inject({ kind: 'status', status: 404, body }, { operation: 'getBackupSchedule' });
    const { data, errors } = await schedule(CLOUD.replicaSet, 'clusterName');
    expect(data).toEqual({ backupSchedule: null });
    expect(errors![0]!.extensions).toMatchObject({
      code: 'NOT_FOUND',
      atlas: { errorCode: 'BACKUP_CONFIG_NOT_FOUND' },
    });
    expect(errors![0]!.message).toContain('684277a38dba3d3587c5b8e2');
  });

  it('a deleted name is NOT_FOUND (CLUSTER_NOT_FOUND), a Flex name BAD_USER_INPUT from Atlas', async () => {
    const deleted = await schedule(CLOUD.deleted, 'clusterName');
    expect(deleted.errors![0]!.extensions).toMatchObject({
      code: 'NOT_FOUND',
      atlas: { errorCode: 'CLUSTER_NOT_FOUND' },
    });
    const flex = await schedule(CLOUD.flex, 'clusterName');
    expect(flex.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      atlas: { errorCode: 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API' },
    });
  });

  it('a Read Only key reads the schedule (no role hint needed); the same cluster asked twice costs one call', async () => {
    const { data, errors } = await stack.query(`{
      a: backupSchedule(groupId: "${CLOUD.analyticsGroupId}", clusterName: "${CLOUD.analyticsCluster}") { restoreWindowDays }
      b: backupSchedule(groupId: "${CLOUD.analyticsGroupId}", clusterName: "${CLOUD.analyticsCluster}") { nextSnapshot }
    }`);
    expect(errors).toBeUndefined();
    expect(data).toMatchObject({ a: { restoreWindowDays: 7 }, b: { nextSnapshot: expect.any(String) as string } });
    expect(atlasCalls(stack, 'getBackupSchedule')).toBe(1);
  });

  it('validates clusterName before any call', async () => {
    const { errors } = await schedule('-bad', 'clusterName');
    expect(errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'clusterName' });
    expect(stack.simulator.stats.requests).toBe(0);
  });
});

const POLICY = `groupId projectId state deletable copyProtectionEnabled encryptionAtRestEnabled pitEnabled restoreWindowDays
  onDemandPolicyItem { id } scheduledPolicyItems { id frequencyType frequencyInterval retentionUnit retentionValue }
  updatedDate updatedUser`;
const policy = (groupId: string, fields = POLICY) =>
  stack.query<{ backupCompliancePolicy: Record<string, unknown> | null }>(
    `{ backupCompliancePolicy(groupId: "${groupId}") { ${fields} } }`,
  );

describe('backupCompliancePolicy', () => {
  const recordings = [
    'copyprotection-ACTIVE',
    'copyprotection-disable-ACTIVE',
    'describe-ACTIVE',
    'pitrestore-ACTIVE',
    'policiesdescribe-ACTIVE',
  ].map((name) => `getCompliancePolicy/observed-compliance-${name}.200.json`);

  it.each(recordings)('%s maps field for field (onDemandPolicyItem null, updatedUser an API key)', async (file) => {
    const body = example(file) as Record<string, unknown> & { scheduledPolicyItems: Record<string, unknown>[] };
    stack.simulator.faults.inject({ kind: 'status', status: 200, body }, { operation: 'getCompliancePolicy' });
    const { data, errors } = await policy(CLOUD.groupId);
    expect(errors).toBeUndefined();
    expect(data!.backupCompliancePolicy).toEqual({
      groupId: CLOUD.groupId,
      projectId: body.projectId,
      state: 'ACTIVE',
      deletable: false,
      copyProtectionEnabled: body.copyProtectionEnabled,
      encryptionAtRestEnabled: false,
      pitEnabled: false,
      restoreWindowDays: 0,
      onDemandPolicyItem: null,
      scheduledPolicyItems: body.scheduledPolicyItems.map((i) => ({
        ...i,
        frequencyType: String(i.frequencyType).toUpperCase(),
        retentionUnit: String(i.retentionUnit).toUpperCase(),
      })),
      updatedDate: String(body.updatedDate).replace('Z', '.000Z'),
      updatedUser: 'xxxxxxxx',
    });
  });

  it('the seeded policy, and null without an error for a project without one (Atlas answers {})', async () => {
    const seeded = await policy(
      CLOUD.groupId,
      'state pitEnabled restoreWindowDays updatedUser scheduledPolicyItems { frequencyType }',
    );
    expect(seeded).toEqual({
      data: {
        backupCompliancePolicy: {
          state: 'ACTIVE',
          pitEnabled: true,
          restoreWindowDays: 7,
          updatedUser: CLOUD.complianceUpdatedUser,
          scheduledPolicyItems: [{ frequencyType: 'DAILY' }, { frequencyType: 'WEEKLY' }],
        },
      },
    });
    expect(await policy(CLOUD.fleetGroupId, 'state')).toEqual({ data: { backupCompliancePolicy: null } });
  });

  it('a 403 (the policy needs Project Owner) → FORBIDDEN with that role in the hint', async () => {
    const { data, errors } = await policy(CLOUD.analyticsGroupId, 'state');
    expect(data).toEqual({ backupCompliancePolicy: null });
    expect(errors![0]!.extensions).toMatchObject({
      code: 'FORBIDDEN',
      atlas: { status: 403 },
      hint: expect.stringContaining('Project Owner') as string,
    });
    expect(errors![0]!.message).toContain('Project Owner');
  });
});

describe('a Project Backup Manager key', () => {
  let manager: Stack;
  beforeAll(async () => {
    const apiKeys = [{ ...TEST_KEY, roles: { [CLOUD.groupId]: 'GROUP_BACKUP_MANAGER' as const } }];
    manager = await startStack({ ...WITHOUT_RECORD_CACHE, ...ANYONE_MAY_CALL }, 'api-key', { apiKeys });
  });
  afterAll(() => manager.close());

  it('reads the schedule, but not the compliance policy: FORBIDDEN naming Project Owner', async () => {
    const { data, errors } = await manager.query(`{
      backupSchedule(groupId: "${CLOUD.groupId}", clusterName: "${CLOUD.replicaSet}") { restoreWindowDays }
      backupCompliancePolicy(groupId: "${CLOUD.groupId}") { state }
    }`);
    expect(data).toEqual({ backupSchedule: { restoreWindowDays: 7 }, backupCompliancePolicy: null });
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions).toMatchObject({
      code: 'FORBIDDEN',
      hint: expect.stringContaining('Project Owner') as string,
    });
  });
});
