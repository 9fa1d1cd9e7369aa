import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import { VERSION } from '../../src/support/version.js';
import { ANYONE_MAY_CALL, atlasCalls, SERVERLESS_API_ONLY, snapshotField, type Stack, startStack } from '../helpers.js';
import { BAD_IDS, BAD_NAMES } from '../cases.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());

const key: { groupId: string; clusterName: string; snapshotId: string } = {
  groupId: DEMO.groupId,
  clusterName: DEMO.clusterName,
  snapshotId: DEMO.snapshotId,
};
/** The subset of introspection JSON that `typeQuery` below selects. */
interface TypeRef {
  kind: string;
  name?: string | null;
  ofType?: TypeRef | null;
}
interface Described {
  name: string;
  description: string | null;
}
interface FieldInfo extends Described {
  type: TypeRef;
  args: (Described & { type: TypeRef })[];
}
interface TypeInfo extends Described {
  fields: FieldInfo[] | null;
  enumValues: Described[] | null;
}
interface SchemaInfo {
  __schema: { queryType: { fields: FieldInfo[] }; types: TypeInfo[] };
}

const ALL_FIELDS =
  'id groupId clusterName serverlessInstanceName createdAt expiresAt frequencyType snapshotType status mongodVersion storageSizeBytes links { href rel }';

describe('the GraphQL contract, read through introspection', () => {
  // One __schema query (what GraphiQL and codegen send), filtered here.
  const typeQuery = `{
    __schema { queryType { fields { name description type { kind name ofType { name } }
      args { name description type { kind ofType { kind name } } } } }
      types { name description
        fields { name description type { kind name ofType { kind name ofType { kind name ofType { name } } } } }
        enumValues { name description } } }
  }`;

  it('has the serverlessSnapshot query, the types, fields and enum values exactly as specified, all described', async () => {
    const result = await stack.query<SchemaInfo>(typeQuery);
    expect(result.errors).toBeUndefined();
    const schema = result.data!.__schema;
    const named = (name: string) => {
      const type = schema.types.find((t) => t.name === name);
      if (!type) throw new Error(`no type ${name} in the schema`);
      return { ...type, fields: type.fields ?? [], enumValues: type.enumValues ?? [] };
    };
    const data = {
      snapshot: named('ServerlessSnapshot'),
      link: named('Link'),
      frequency: named('SnapshotFrequencyType'),
      type: named('SnapshotType'),
      status: named('SnapshotStatus'),
    };
    const field = schema.queryType.fields.find((f) => f.name === 'serverlessSnapshot');
    if (!field) throw new Error('no serverlessSnapshot query field');
    expect(field.type).toEqual({ kind: 'OBJECT', name: 'ServerlessSnapshot', ofType: null });
    // The subgraph schema is sorted lexicographically (Pothos's federation plugin), so compare as sets.
    const sorted = <T>(items: T[]) => [...items].sort();
    expect(
      sorted(field.args.map((a) => `${a.name}: ${a.type.ofType?.name}${a.type.kind === 'NON_NULL' ? '!' : ''}`)),
    ).toEqual(sorted(['groupId: ID!', 'clusterName: String!', 'snapshotId: ID!']));
    const typeOf = (t: TypeRef): string =>
      t.kind === 'NON_NULL' && t.ofType
        ? `${typeOf(t.ofType)}!`
        : t.kind === 'LIST' && t.ofType
          ? `[${typeOf(t.ofType)}]`
          : String(t.name);
    expect(Object.fromEntries(data.snapshot.fields.map((f) => [f.name, typeOf(f.type)]))).toMatchObject({
      id: 'ID!',
      groupId: 'ID!',
      clusterName: 'String!',
      serverlessInstanceName: 'String',
      createdAt: 'DateTime',
      expiresAt: 'DateTime',
      frequencyType: 'SnapshotFrequencyType',
      snapshotType: 'SnapshotType',
      status: 'SnapshotStatus',
      mongodVersion: 'String',
      storageSizeBytes: 'SafeInt',
      links: '[Link!]!',
    });
    // Beyond the contract: which API answered, and the Flex timing fields.
    expect(data.snapshot.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(['source', 'scheduledTime', 'startTime', 'finishTime']),
    );
    expect(
      sorted(data.link.fields.map((f) => `${f.name}: ${f.type.ofType?.name}${f.type.kind === 'NON_NULL' ? '!' : ''}`)),
    ).toEqual(['href: String!', 'rel: String!']);
    expect(sorted(data.frequency.enumValues.map((v) => v.name))).toEqual(
      sorted(['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY']),
    );
    expect(sorted(data.type.enumValues.map((v) => v.name))).toEqual(sorted(['ON_DEMAND', 'SCHEDULED']));
    expect(sorted(data.status.enumValues.map((v) => v.name))).toEqual(
      sorted(['PENDING', 'QUEUED', 'IN_PROGRESS', 'COMPLETED', 'FAILED']),
    );
    const described: Described[] = [
      field,
      ...field.args,
      data.snapshot,
      ...data.snapshot.fields,
      data.link,
      ...data.link.fields,
      data.frequency,
      ...data.frequency.enumValues,
      data.type,
      ...data.type.enumValues,
      data.status,
      ...data.status.enumValues,
    ];
    for (const item of described) expect(item.description, JSON.stringify(item).slice(0, 80)).toMatch(/\w{3,}/);
    expect(stack.simulator.stats.requests).toBe(0);
  });
});

describe('serverlessSnapshot', () => {
  it('returns a snapshot with every field, in one upstream call', async () => {
    const { data, errors } = await stack.query(`{ ${snapshotField('s', key, ALL_FIELDS)} }`);
    expect(errors).toBeUndefined();
    expect(data!.s).toEqual({
      id: DEMO.snapshotId,
      groupId: DEMO.groupId,
      clusterName: DEMO.clusterName,
      serverlessInstanceName: DEMO.clusterName,
      createdAt: '2025-11-23T03:14:08.000Z',
      expiresAt: '2025-11-30T03:14:08.000Z',
      frequencyType: 'DAILY',
      snapshotType: 'SCHEDULED',
      status: 'COMPLETED',
      mongodVersion: '8.0.17',
      storageSizeBytes: 5368709120,
      links: [
        {
          href: `${stack.simulator.url}/api/atlas/v2/groups/${DEMO.groupId}/serverless/${DEMO.clusterName}/backup/snapshots/${DEMO.snapshotId}`,
          rel: 'self',
        },
      ],
    });
    expect(stack.simulator.stats.byOperation).toEqual({ getServerlessBackupSnapshot: 1 });
    expect(stack.simulator.stats.lastCall).toMatchObject({
      path: `/api/atlas/v2/groups/${DEMO.groupId}/serverless/${DEMO.clusterName}/backup/snapshots/${DEMO.snapshotId}`,
      accept: 'application/vnd.atlas.2023-01-01+json',
      userAgent: `atlas-backups-graphql/${VERSION}`,
    });
  });

  it('round-trips sizes above 4 GiB and up to 2^53-1 exactly (the raw response text, not a re-parsed number)', async () => {
    const response = await fetch(stack.app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `{ ${snapshotField('big', key, 'storageSizeBytes')} ${snapshotField('max', { ...key, snapshotId: DEMO.maxSafeSizeSnapshotId }, 'storageSizeBytes')} }`,
      }),
    });
    const text = await response.text();
    expect(text).toContain('"storageSizeBytes":5368709120');
    expect(text).toContain('"storageSizeBytes":9007199254740991');
  });

  it('maps every seeded status, frequency and type; fields a snapshot lacks are null', async () => {
    const { data } = await stack.query<Record<string, Record<string, unknown>>>(`{
      ${snapshotField('inProgress', { ...key, snapshotId: '67449581a2b3c4d5e6f70812' }, 'status snapshotType frequencyType expiresAt storageSizeBytes')}
      ${snapshotField('queued', { ...key, snapshotId: '6747387ae1d2c3b4a5968778' }, 'status snapshotType frequencyType')}
      ${snapshotField('failed', { ...key, snapshotId: '67488a01b2c3d4e5f6a7b8c9' }, 'status frequencyType storageSizeBytes')}
      ${snapshotField('weekly', { ...key, snapshotId: DEMO.maxSafeSizeSnapshotId }, 'frequencyType')}
    }`);
    expect(data).toEqual({
      inProgress: {
        status: 'IN_PROGRESS',
        snapshotType: 'ON_DEMAND',
        frequencyType: 'HOURLY',
        expiresAt: null,
        storageSizeBytes: null,
      },
      queued: { status: 'QUEUED', snapshotType: 'ON_DEMAND', frequencyType: 'DAILY' },
      failed: { status: 'FAILED', frequencyType: 'MONTHLY', storageSizeBytes: null },
      weekly: { frequencyType: 'WEEKLY' },
    });
  });

  it('resolves an enum value Atlas added later to null, logs a warning, and keeps the rest of the snapshot', async () => {
    const instance = stack.simulator.projects.get(DEMO.groupId)!.serverless.get(DEMO.clusterName)!;
    const id = 'aaaaaaaaaaaaaaaaaaaaaaa1';
    instance.snapshots.push({ ...instance.snapshots[0]!, id, frequencyType: 'yearly', status: 'archiving' });
    try {
      const { data, errors } = await stack.query(
        `{ ${snapshotField('s', { ...key, snapshotId: id }, 'id frequencyType status snapshotType storageSizeBytes')} }`,
      );
      expect(errors).toBeUndefined();
      expect(data!.s).toEqual({
        id,
        frequencyType: null,
        status: null,
        snapshotType: 'SCHEDULED',
        storageSizeBytes: 5368709120,
      });
      const warnings = stack.logs.filter((l) => l.level === 40 && String(l.msg).includes('enum value'));
      expect(warnings.map((w) => [w.field, w.value])).toEqual(
        expect.arrayContaining([
          ['ServerlessSnapshot.frequencyType', 'yearly'],
          ['ServerlessSnapshot.status', 'archiving'],
        ]),
      );
    } finally {
      instance.snapshots.pop();
    }
  });

  it('fails only the size field (not the snapshot) for an int64 past 2^53-1', async () => {
    stack.simulator.faults.inject({
      kind: 'status',
      status: 200,
      rawBody: `{"id":"${DEMO.snapshotId}","status":"completed","storageSizeBytes":9007199254740993,"links":[]}`,
    });
    const { data, errors } = await stack.query(`{ ${snapshotField('s', key, 'id status storageSizeBytes')} }`);
    expect(data!.s).toEqual({ id: DEMO.snapshotId, status: 'COMPLETED', storageSizeBytes: null });
    expect(errors).toHaveLength(1);
    expect(errors![0]!.path).toEqual(['s', 'storageSizeBytes']);
  });
});

describe('argument validation: nothing invalid reaches Atlas', () => {
  const cases: [string, string, string][] = [
    ...BAD_IDS.map(([name, value]): [string, string, string] => ['groupId', name, value]),
    ...BAD_NAMES.map(([name, value]): [string, string, string] => ['clusterName', name, value]),
    ...BAD_IDS.map(([name, value]): [string, string, string] => ['snapshotId', name, value]),
  ];

  it.each(cases)(
    '%s: %s → BAD_USER_INPUT naming the argument, zero upstream requests',
    async (argument, _name, value) => {
      const { data, errors } = await stack.query(
        'query Q($g: ID!, $c: String!, $s: ID!) { serverlessSnapshot(groupId: $g, clusterName: $c, snapshotId: $s) { id } }',
        {
          g: DEMO.groupId,
          c: DEMO.clusterName,
          s: DEMO.snapshotId,
          ...{ groupId: { g: value }, clusterName: { c: value }, snapshotId: { s: value } }[argument],
        },
      );
      expect(data).toEqual({ serverlessSnapshot: null });
      expect(errors).toHaveLength(1);
      expect(errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
      expect(errors![0]!.path).toEqual(['serverlessSnapshot']);
      expect(errors![0]!.message).toMatch(new RegExp(`^Invalid argument "${argument}": must `));
      expect(stack.simulator.stats.requests).toBe(0);
    },
  );

  it('accepts a 64-character name (our documented bound) and calls Atlas', async () => {
    const { errors } = await stack.query(`{ ${snapshotField('s', { ...key, clusterName: 'a'.repeat(64) })} }`);
    expect(errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(1);
  });
});
