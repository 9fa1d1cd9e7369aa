import { graphql, GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { clusterNameSchema, objectIdSchema } from '../../src/atlas/ids.js';
import { serverlessSnapshotPath } from '../../src/atlas/serverless-backup.js';
import { maskError } from '../../src/graphql/mask-error.js';
import { schema } from '../../src/graphql/schema/index.js';
import { BAD_IDS, BAD_NAMES, VALID_ID } from '../cases.js';

describe('argument schemas', () => {
  it.each(BAD_IDS)('an id refuses %s', (_case, value) => {
    expect(objectIdSchema.safeParse(value).success).toBe(false);
  });
  it.each(BAD_NAMES)('a cluster name refuses %s', (_case, value) => {
    expect(clusterNameSchema.safeParse(value).success).toBe(false);
  });
  it('accepts valid values, 64-character names included', () => {
    expect(objectIdSchema.parse(VALID_ID)).toBe(VALID_ID);
    for (const name of ['a', 'A1', 'serverless-prod-01', '0-', 'x'.repeat(64)])
      expect(clusterNameSchema.parse(name)).toBe(name);
  });
});

describe('arguments validated where they are declared (@pothos/plugin-validation)', () => {
  /** Runs a document against the schema with loaders that fail the test if any is called. */
  async function run(source: string) {
    const loaders = new Proxy({}, { get: () => expect.unreachable('an Atlas lookup ran') });
    const result = await graphql({ schema, source, contextValue: { loaders } });
    return (result.errors ?? []).map((error) => maskError(error, 'Unexpected error.') as GraphQLError);
  }

  it('names the first bad argument in declaration order and states the expected format', async () => {
    const [error, ...more] = await run(
      `{ serverlessSnapshot(groupId: "${VALID_ID}", clusterName: "${'a'.repeat(65)}", snapshotId: "nope") { id } }`,
    );
    expect(more).toEqual([]);
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'clusterName' });
    expect(error!.message).toBe('Invalid argument "clusterName": must be at most 64 characters.');
    expect(error!.path).toEqual(['serverlessSnapshot']);
    expect(error!.locations).toEqual([{ line: 1, column: 3 }]);
  });

  it('checks the Relay arguments the same way, before any call', async () => {
    const list = (page: string) => `{ flexSnapshots(groupId: "${VALID_ID}", name: "c", ${page}) { edges { cursor } } }`;
    for (const [page, argument] of [
      ['first: 0', 'first'],
      ['first: 501', 'first'],
      ['after: "not-a-cursor"', 'after'],
      ['last: 1', 'last'],
      ['before: "x"', 'before'],
    ]) {
      const [error] = await run(list(page!));
      expect(error!.extensions, page).toEqual({ code: 'BAD_USER_INPUT', argument });
    }
  });

  it('every argument of every query field declares its validator', () => {
    const fields = Object.values(schema.getQueryType()!.getFields()).filter((f) => !f.name.startsWith('_'));
    expect(fields.length).toBeGreaterThanOrEqual(20); // serverless, Flex and the Cloud Backup queries
    for (const field of fields) {
      for (const arg of field.args) {
        const validation = arg.extensions['@pothos/plugin-validation'] as { schemas?: unknown[] } | undefined;
        expect(validation?.schemas, `${field.name}(${arg.name})`).toHaveLength(1);
      }
    }
  });
});

describe('upstream paths', () => {
  it('builds the documented template', () => {
    expect(serverlessSnapshotPath({ groupId: VALID_ID, clusterName: 'serverless-prod-01', snapshotId: VALID_ID })).toBe(
      `/api/atlas/v2/groups/${VALID_ID}/serverless/serverless-prod-01/backup/snapshots/${VALID_ID}`,
    );
  });
  it('percent-encodes every value, so no value can add a segment, query or fragment', () => {
    const path = serverlessSnapshotPath({ groupId: '../..', clusterName: 'a/b?c#d', snapshotId: '%2F' });
    expect(path).toBe('/api/atlas/v2/groups/%2E%2E%2F%2E%2E/serverless/a%2Fb%3Fc%23d/backup/snapshots/%252F');
    expect(path.split('/')).toHaveLength(11);
  });
});
