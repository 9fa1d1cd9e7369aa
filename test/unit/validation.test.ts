import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { clusterNameSchema, objectIdSchema } from '../../src/atlas/ids.js';
import { serverlessSnapshotPath } from '../../src/atlas/serverless-backup.js';
import { parseArguments } from '../../src/graphql/schema/arguments.js';
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

describe('parseArguments', () => {
  const shape = { groupId: objectIdSchema, clusterName: clusterNameSchema, snapshotId: objectIdSchema };

  it('names the first bad argument and states the expected format', () => {
    try {
      parseArguments(shape, { groupId: VALID_ID, clusterName: 'a'.repeat(65), snapshotId: 'nope' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GraphQLError);
      const e = error as GraphQLError;
      expect(e.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'clusterName' });
      expect(e.message).toBe('Invalid argument "clusterName": must be at most 64 characters.');
    }
  });

  it('returns the typed values when all are valid', () => {
    expect(parseArguments(shape, { groupId: VALID_ID, clusterName: 'c', snapshotId: VALID_ID })).toEqual({
      groupId: VALID_ID,
      clusterName: 'c',
      snapshotId: VALID_ID,
    });
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
