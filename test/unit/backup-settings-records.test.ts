import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { compliancePolicySchema, getCompliancePolicy } from '../../src/atlas/backup-compliance.js';
import { exportBucketSchema, exportJobSchema, exportOperations } from '../../src/atlas/backup-exports.js';
import { backupScheduleSchema, getBackupSchedule } from '../../src/atlas/backup-schedule.js';
import {
  backupScheduleRecord,
  compliancePolicyRecord,
  exportBucketRecord,
  exportJobRecord,
} from '../../src/backups/backup-settings-records.js';

// Every recorded body of the backup-settings operations (test/fixtures/atlas-examples, a copy of
// ../shared/atlas/examples) parses with the schema the client uses, and maps to its record. The
// write operations' answers have the same schemas and are parsed too (the DELETE of a schedule is
// the only recorded emptied schedule).

const FIXTURES = new URL('../fixtures/atlas-examples/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', FIXTURES), 'utf8')) as {
  files: { operation: string | string[]; status: number; file: string }[];
};
const json = (file: string): unknown => JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8'));

/** The 200 bodies recorded for `operations`, at least one. */
function recorded(...operations: string[]): string[] {
  const files = index.files.filter((f) => f.status === 200 && operations.includes(String(f.operation)));
  expect(files.length).toBeGreaterThan(0);
  return files.map((f) => f.file);
}

/** Parses with `schema`, failing with zod's problems and the file's name. */
function parse<S extends z.ZodType>(schema: S, file: string): z.infer<S> {
  const parsed = schema.safeParse(json(file));
  if (!parsed.success) throw new Error(`${file}: ${JSON.stringify(parsed.error.issues)}`);
  return parsed.data;
}

const AT = { groupId: 'aaaaaaaaaaaaaaaaaaaaaaaa', clusterName: 'as-asked-01' };

describe('every recorded body parses', () => {
  it.each(recorded('getBackupSchedule', 'updateBackupSchedule', 'deleteClusterBackupSchedule'))('schedule %s', (f) => {
    const record = backupScheduleRecord(AT, parse(getBackupSchedule.schema, f));
    expect(record).toMatchObject({ ...AT, clusterId: '6a793f5ac0eb9e7a17714407', restoreWindowDays: 7 });
  });

  it.each(recorded('getBackupExport', 'createBackupExport'))('export job %s', (f) => {
    const record = exportJobRecord(AT, parse(exportOperations.getBackupExport.schema, f));
    expect(record).toMatchObject({ ...AT, id: '6a7945592c88faeba59d5e8e', exportBucketId: '6a794342c0eb9e7a17729455' });
  });

  it.each(recorded('listBackupExports'))('export job list %s', (f) => {
    const { results, totalCount } = parse(exportOperations.listBackupExports.schema, f);
    expect(results.map((job) => exportJobRecord(AT, job).state)).toEqual(['Successful']);
    expect(totalCount).toBe(1);
  });

  it.each(recorded('getCompliancePolicy', 'updateCompliancePolicy'))('compliance policy %s', (f) => {
    const record = compliancePolicyRecord(AT.groupId, parse(getCompliancePolicy.schema, f));
    // Recorded: onDemandPolicyItem null (not allowed by the spec), updatedUser an API key (not an email).
    expect(record).toMatchObject({ groupId: AT.groupId, onDemandPolicyItem: null, updatedUser: 'xxxxxxxx' });
  });

  it.each(recorded('getExportBucket'))('export bucket %s', (f) => {
    expect(exportBucketRecord(AT.groupId, parse(exportOperations.getExportBucket.schema, f))).toEqual({
      id: '6a793f752c88faeba59bba56', // `_id`
      groupId: AT.groupId,
      bucketName: 'test-bucket',
      cloudProvider: 'AWS',
      iamRoleId: 'c0123456789abcdef012345c',
      region: 'us-east-1',
      requirePrivateNetworking: false,
      links: [],
    });
  });

  it.each(recorded('listExportBuckets'))('export bucket list %s: items without `region`', (f) => {
    const { results, totalCount, links } = parse(exportOperations.listExportBuckets.schema, f);
    const records = results.map((bucket) => exportBucketRecord(AT.groupId, bucket));
    expect(records.map((b) => [b.id, b.cloudProvider, b.region])).toEqual([
      ['65566a5f1d4b3b0ca4f3b78b', 'AWS', undefined],
      ['655747a6d598e72693f4f99e', 'AWS', undefined],
      ['655cffdfba1cf86a9bfa489e', 'AWS', undefined],
    ]);
    expect(totalCount).toBe(2508);
    expect(links.map((l) => l.rel)).toEqual(['self', 'next']);
  });
});

describe('the schedule record', () => {
  const body = backupScheduleSchema.parse(json('getBackupSchedule/observed-schedule-describe.200.json'));

  it('keeps the recorded policy and where it was asked for', () => {
    const record = backupScheduleRecord(AT, body);
    expect(record.clusterName).toBe(AT.clusterName); // not the body's backupSchedule-600
    expect(record.policies[0]!.policyItems.map((i) => [i.frequencyType, i.frequencyInterval])).toEqual([
      ['hourly', 6],
      ['daily', 1],
      ['weekly', 6],
      ['monthly', 40],
      ['yearly', 12],
    ]);
    expect(record).toMatchObject({
      referenceHourOfDay: 3,
      referenceMinuteOfHour: 16,
      nextSnapshot: '2026-08-10T09:16:07Z',
    });
  });

  it('brings upper-snake frequencies (extra retention, copy frequencies) to the policy items’ words', () => {
    const record = backupScheduleRecord(AT, {
      ...body,
      extraRetentionSettings: [
        { frequencyType: 'ON_DEMAND', retentionDays: 30 },
        { frequencyType: 'MONTHLY', retentionDays: 400 },
        { frequencyType: 'FORTNIGHTLY', retentionDays: 14 }, // unknown: as sent, the schema layer nulls it
      ],
      copySettings: [{ zoneId: 'bbbbbbbbbbbbbbbbbbbbbbbb', frequencies: ['HOURLY', 'ON_DEMAND'] }],
    });
    expect(record.extraRetentionSettings!.map((s) => s.frequencyType)).toEqual(['ondemand', 'monthly', 'FORTNIGHTLY']);
    expect(record.copySettings![0]!.frequencies).toEqual(['hourly', 'ondemand']);
  });
});

describe('shapes the recordings do not show', () => {
  it('an export job state Atlas adds later parses (the schema layer nulls that one field)', () => {
    const body = json('getBackupExport/observed-exportjobs-describe-job-Successful.200.json') as object;
    expect(exportJobSchema.parse({ ...body, state: 'Archived' }).state).toBe('Archived');
  });

  it('a project without a compliance policy answers `{}`: no record', () => {
    expect(compliancePolicyRecord(AT.groupId, compliancePolicySchema.parse({}))).toBeNull();
  });

  it('Azure and GCP buckets carry their own fields; a provider nobody knows yet keeps the common ones', () => {
    const base = { _id: '6b1b00000000000000000002', bucketName: 'atlasexports' };
    const azure = {
      ...base,
      cloudProvider: 'AZURE',
      roleId: '6b1a00000000000000000002',
      tenantId: 't',
      serviceUrl: 'u',
    };
    expect(exportBucketRecord(AT.groupId, exportBucketSchema.parse(azure))).toMatchObject({ roleId: azure.roleId });
    const gcp = exportBucketSchema.parse({ ...base, cloudProvider: 'GCP', roleId: '6b1a00000000000000000003' });
    expect(exportBucketRecord(AT.groupId, gcp)).toMatchObject({
      cloudProvider: 'GCP',
      roleId: '6b1a00000000000000000003',
    });
    const oci = exportBucketSchema.parse({ ...base, cloudProvider: 'OCI', namespace: 'x' });
    expect(exportBucketRecord(AT.groupId, oci)).toEqual({ ...AT_BUCKET, cloudProvider: 'OCI' });
  });

  it('a known provider with a malformed field is refused, not read as an unknown provider', () => {
    const aws = { _id: '6b1b00000000000000000001', bucketName: 'b', cloudProvider: 'AWS', iamRoleId: 'not-an-id' };
    expect(exportBucketSchema.safeParse(aws).success).toBe(false);
  });
});

const AT_BUCKET = { id: '6b1b00000000000000000002', groupId: AT.groupId, bucketName: 'atlasexports', links: [] };
