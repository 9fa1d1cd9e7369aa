import { readFileSync } from 'node:fs';
import { getIntrospectionQuery, graphql, Kind, parse, type IntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema/index.js';

/** Each root field's argument names as introspection (GraphiQL, client generators) lists them. */
async function introspectedArguments(): Promise<Record<string, string[]>> {
  const result = await graphql({ schema, source: getIntrospectionQuery() });
  const data = result.data as unknown as IntrospectionQuery;
  const query = data.__schema.types.find((type) => type.name === 'Query');
  if (query?.kind !== 'OBJECT') throw new Error('no Query type');
  return Object.fromEntries(query.fields.map((field) => [field.name, field.args.map((arg) => arg.name)]));
}

/** The same from the committed schema.graphql. */
function sdlArguments(): Record<string, string[]> {
  const document = parse(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
  const query = document.definitions.find((d) => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Query');
  if (query?.kind !== Kind.OBJECT_TYPE_DEFINITION) throw new Error('no Query type');
  return Object.fromEntries(
    (query.fields ?? []).map((field) => [field.name.value, (field.arguments ?? []).map((arg) => arg.name.value)]),
  );
}

const PAGE = ['before', 'after', 'first', 'last'];

describe('arguments in the order the API was designed: group → cluster → item', () => {
  it('introspection lists every root field’s arguments as declared (not sorted)', async () => {
    expect(await introspectedArguments()).toMatchObject({
      serverlessSnapshot: ['groupId', 'clusterName', 'snapshotId'],
      serverlessSnapshots: ['groupId', 'clusterName', ...PAGE],
      serverlessRestoreJob: ['groupId', 'clusterName', 'restoreJobId'],
      serverlessRestoreJobs: ['groupId', 'clusterName', ...PAGE],
      flexSnapshot: ['groupId', 'name', 'snapshotId'],
      flexSnapshots: ['groupId', 'name', ...PAGE],
      flexRestoreJob: ['groupId', 'name', 'restoreJobId'],
      flexRestoreJobs: ['groupId', 'name', ...PAGE],
    });
  });

  it('introspection and schema.graphql agree, field for field', async () => {
    const introspected = await introspectedArguments();
    const sdl = sdlArguments();
    expect(Object.keys(sdl).sort()).toEqual(
      Object.keys(introspected)
        .filter((name) => name !== '_entities' && name !== '_service')
        .sort(),
    );
    for (const [field, args] of Object.entries(sdl)) expect(introspected[field], field).toEqual(args);
  });
});
