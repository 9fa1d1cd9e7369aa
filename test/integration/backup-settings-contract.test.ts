import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANYONE_MAY_CALL, type Stack, startStack } from '../helpers.js';

// The backup-settings part of the GraphQL contract (schedule, export jobs and buckets, compliance
// policy), read through introspection over HTTP as GraphiQL and code generators read it.

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface Described {
  name: string;
  description: string | null;
}
interface Field extends Described {
  type: TypeRef;
  args: (Described & { type: TypeRef })[];
}
interface Type extends Described {
  kind: string;
  fields: Field[] | null;
  enumValues: Described[] | null;
  possibleTypes: { name: string }[] | null;
}

const REF = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';
const INTROSPECTION = `{ __schema { types { kind name description possibleTypes { name }
  fields { name description type { ${REF} } args { name description type { ${REF} } } }
  enumValues { name description } } } }`;

/** `[Foo!]!` and the like. */
const typeOf = (t: TypeRef): string =>
  t.kind === 'NON_NULL' ? `${typeOf(t.ofType!)}!` : t.kind === 'LIST' ? `[${typeOf(t.ofType!)}]` : String(t.name);

const OBJECTS = [
  'BackupSchedule',
  'BackupPolicy',
  'BackupPolicyItem',
  'BackupCopySetting',
  'BackupCopyPolicyItem',
  'BackupAutoExportPolicy',
  'BackupExtraRetentionSetting',
  'ExportJob',
  'ExportJobStateReason',
  'ExportJobStatus',
  'ExportJobComponent',
  'BackupLabel',
  'ExportJobConnection',
  'ExportJobEdge',
  'ExportBucket',
  'AwsExportBucket',
  'AzureExportBucket',
  'GcpExportBucket',
  'OtherExportBucket',
  'ExportBucketConnection',
  'ExportBucketEdge',
  'BackupCompliancePolicy',
];
const ENUMS = ['BackupFrequencyType', 'BackupRetentionUnit', 'ExportJobState', 'BackupCompliancePolicyState'];

let stack: Stack;
let types: Map<string, Type>;
beforeAll(async () => {
  stack = await startStack({ ...ANYONE_MAY_CALL });
  const { data, errors } = await stack.query<{ __schema: { types: Type[] } }>(INTROSPECTION);
  expect(errors).toBeUndefined();
  types = new Map(data!.__schema.types.map((t) => [t.name, t]));
});
afterAll(() => stack.close());

const type = (name: string): Type => {
  const found = types.get(name);
  if (!found) throw new Error(`no type ${name}`);
  return found;
};
// The subgraph schema is sorted (Pothos's federation plugin): enum values compare as sets.
const sorted = (names: string[]) => [...names].sort();
const enumValues = (name: string) => sorted((type(name).enumValues ?? []).map((v) => v.name));
const fieldTypes = (name: string) => Object.fromEntries((type(name).fields ?? []).map((f) => [f.name, typeOf(f.type)]));

describe('the backup-settings contract, read through introspection', () => {
  it('root fields: arguments group → cluster → item, nullable results', () => {
    const query = new Map((type('Query').fields ?? []).map((f) => [f.name, f]));
    const PAGE = ['before', 'after', 'first', 'last'];
    const expected: Record<string, [string, string[]]> = {
      backupSchedule: ['BackupSchedule', ['groupId: ID!', 'clusterName: String!']],
      backupCompliancePolicy: ['BackupCompliancePolicy', ['groupId: ID!']],
      exportJob: ['ExportJob', ['groupId: ID!', 'clusterName: String!', 'exportId: ID!']],
      exportJobs: ['ExportJobConnection', ['groupId: ID!', 'clusterName: String!', ...PAGE.map(pageArg)]],
      exportBucket: ['ExportBucket', ['groupId: ID!', 'exportBucketId: ID!']],
      exportBuckets: ['ExportBucketConnection', ['groupId: ID!', ...PAGE.map(pageArg)]],
    };
    for (const [name, [result, args]] of Object.entries(expected)) {
      const field = query.get(name);
      expect(field, name).toBeDefined();
      expect(typeOf(field!.type), name).toBe(result);
      expect(
        field!.args.map((a) => `${a.name}: ${typeOf(a.type)}`),
        name,
      ).toEqual(args);
      expect(field!.description, name).toBeTruthy();
      for (const arg of field!.args) expect(arg.description, `${name}(${arg.name})`).toBeTruthy();
    }
  });

  it('graph fields: DedicatedCluster.backupSchedule and .exports, Project.backupCompliancePolicy and .exportBuckets, ExportJob.snapshot', () => {
    const fields = (name: string) => new Map((type(name).fields ?? []).map((f) => [f.name, f]));
    const expected: [string, string, string, string[]][] = [
      ['DedicatedCluster', 'backupSchedule', 'BackupSchedule', []],
      ['DedicatedCluster', 'exports', 'ExportJobConnection', ['before', 'after', 'first', 'last']],
      ['Project', 'backupCompliancePolicy', 'BackupCompliancePolicy', []],
      ['Project', 'exportBuckets', 'ExportBucketConnection', ['before', 'after', 'first', 'last']],
      ['ExportJob', 'snapshot', 'ClusterSnapshot', []],
    ];
    for (const [parent, name, result, args] of expected) {
      const field = fields(parent).get(name);
      expect(field, `${parent}.${name}`).toBeDefined();
      expect(typeOf(field!.type)).toBe(result);
      expect(field!.args.map((a) => a.name)).toEqual(args);
      expect(field!.description, `${parent}.${name}`).toBeTruthy();
    }
  });

  it('every type, field and enum value is described', () => {
    for (const name of [...OBJECTS, ...ENUMS]) {
      const t = type(name);
      expect(t.description, name).toBeTruthy();
      for (const f of [...(t.fields ?? []), ...(t.enumValues ?? [])])
        expect(f.description, `${name}.${f.name}`).toBeTruthy();
    }
  });

  it('the schedule: policies and items, reference time, restore window, next snapshot, copies, export, extra retention', () => {
    expect(fieldTypes('BackupSchedule')).toEqual({
      groupId: 'ID!',
      clusterName: 'String!',
      clusterId: 'ID',
      policies: '[BackupPolicy!]!',
      referenceHourOfDay: 'Int',
      referenceMinuteOfHour: 'Int',
      restoreWindowDays: 'Int',
      nextSnapshot: 'DateTime',
      copySettings: '[BackupCopySetting!]!',
      copyPolicyItemsEnabled: 'Boolean',
      autoCopySettingsEnabled: 'Boolean',
      autoExportEnabled: 'Boolean',
      export: 'BackupAutoExportPolicy',
      useOrgAndGroupNamesInExportPrefix: 'Boolean',
      extraRetentionSettings: '[BackupExtraRetentionSetting!]!',
      links: '[Link!]!',
    });
    expect(fieldTypes('BackupPolicyItem')).toEqual({
      id: 'ID',
      frequencyType: 'BackupFrequencyType',
      frequencyInterval: 'Int!',
      retentionUnit: 'BackupRetentionUnit',
      retentionValue: 'Int!',
    });
    expect(enumValues('BackupFrequencyType')).toEqual(
      sorted(['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY', 'ON_DEMAND']),
    );
  });

  it('export jobs, and export buckets as one interface with a type per provider', () => {
    expect(fieldTypes('ExportJob')).toMatchObject({
      id: 'ID!',
      state: 'ExportJobState',
      stateReason: 'ExportJobStateReason',
      createdAt: 'DateTime',
      finishedAt: 'DateTime',
      components: '[ExportJobComponent!]!',
      prefix: 'String',
      exportBucketId: 'ID!',
      exportBucket: 'ExportBucket',
      snapshotId: 'ID',
    });
    expect(enumValues('ExportJobState')).toEqual(
      sorted(['QUEUED', 'IN_PROGRESS', 'SUCCESSFUL', 'FAILED', 'CANCELLED']),
    );
    const bucket = type('ExportBucket');
    expect(bucket.kind).toBe('INTERFACE');
    expect(bucket.possibleTypes!.map((t) => t.name).sort()).toEqual([
      'AwsExportBucket',
      'AzureExportBucket',
      'GcpExportBucket',
      'OtherExportBucket',
    ]);
    expect(fieldTypes('ExportBucket')).toEqual({
      id: 'ID!',
      groupId: 'ID!',
      bucketName: 'String!',
      cloudProvider: 'CloudProvider',
      links: '[Link!]!',
    });
    expect(fieldTypes('AwsExportBucket')).toMatchObject({
      iamRoleId: 'ID',
      region: 'String',
      requirePrivateNetworking: 'Boolean',
    });
    expect(fieldTypes('AzureExportBucket')).toMatchObject({ roleId: 'ID', serviceUrl: 'String', tenantId: 'String' });
    expect(fieldTypes('GcpExportBucket')).toMatchObject({ roleId: 'ID' });
  });

  it('the compliance policy, `updatedUser` a String (Atlas sends API keys there, not only emails)', () => {
    expect(fieldTypes('BackupCompliancePolicy')).toEqual({
      groupId: 'ID!',
      projectId: 'ID',
      state: 'BackupCompliancePolicyState',
      deletable: 'Boolean!',
      copyProtectionEnabled: 'Boolean!',
      encryptionAtRestEnabled: 'Boolean!',
      pitEnabled: 'Boolean!',
      restoreWindowDays: 'Int',
      onDemandPolicyItem: 'BackupPolicyItem',
      scheduledPolicyItems: '[BackupPolicyItem!]!',
      updatedDate: 'DateTime',
      updatedUser: 'String',
    });
  });
});

function pageArg(name: string): string {
  return `${name}: ${name === 'first' || name === 'last' ? 'Int' : 'String'}`;
}
