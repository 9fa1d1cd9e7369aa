import { describe, expect, it } from 'vitest';
import { flexBackup } from '../../src/atlas/flex-backup.js';
import { MAX_ITEMS_PER_PAGE, pageQuery } from '../../src/atlas/pagination.js';
import { serverlessBackup } from '../../src/atlas/serverless-backup.js';
import {
  decodeCursor,
  encodeCursor,
  MAX_CURSOR_POSITION,
  pageArgSchemas,
  planPages,
} from '../../src/graphql/schema/pagination.js';

const crafted = (text: string) => Buffer.from(text).toString('base64');
const flexList = '/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/flexClusters/flex-prod-01/backup/snapshots';
const serverlessList = '/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/serverless/serverless-prod-01/backup/snapshots';

describe('a cursor carries the absolute position only', () => {
  it('round-trips every position up to the bound, and reads as plugin-relay’s offset cursor', () => {
    for (const position of [0, 1, 99, 100, 249, 12_345, MAX_CURSOR_POSITION]) {
      expect(decodeCursor(encodeCursor(position))).toBe(position);
    }
    expect(Buffer.from(encodeCursor(16), 'base64').toString()).toBe('OffsetConnection:16');
  });

  it('refuses anything encodeCursor does not make: other spellings, other prefixes, the retired page format', () => {
    for (const text of [
      'OffsetConnection:7abc',
      'OffsetConnection:007',
      'OffsetConnection:-1',
      'OffsetConnection:1e3',
      'OffsetConnection: 7',
      'OffsetConnection:',
      'offsetconnection:7',
      'atlas:v1:100:1:7', // the cursors before #11 (itemsPerPage:pageNum:index) no longer work
    ]) {
      expect(decodeCursor(crafted(text)), text).toBeUndefined();
    }
    for (const cursor of ['', 'not-a-cursor', '%%%', encodeCursor(10).replace(/=+$/, ''), 'A'.repeat(65)]) {
      expect(decodeCursor(cursor), cursor).toBeUndefined();
    }
  });
});

describe('cursor positions are bounded at decode', () => {
  it('refuses a cursor past the last page Atlas can be asked for, and accepts the last position', () => {
    for (const position of [MAX_CURSOR_POSITION + 1, 999_999_999, 10 ** 15, Number.MAX_SAFE_INTEGER + 2]) {
      expect(decodeCursor(crafted(`OffsetConnection:${position}`))).toBeUndefined();
      const parsed = pageArgSchemas.after.safeParse(crafted(`OffsetConnection:${position}`));
      expect(parsed.error?.issues[0]?.message).toBe('must be a cursor returned by this API');
    }
    expect(decodeCursor(crafted('OffsetConnection:999999997'))).toBe(999_999_997);
  });

  it('whatever cursor is accepted and whatever `first` follows, every planned page is one the list operations will send', () => {
    const positions = [MAX_CURSOR_POSITION, 999_999_497, 142_857_141 * 7 + 6, 0, 249];
    for (const position of positions) {
      expect(decodeCursor(encodeCursor(position))).toBe(position);
      for (const first of [1, 2, 3, 7, 100, 499, MAX_ITEMS_PER_PAGE]) {
        for (const page of planPages(position + 1, first, true)) {
          expect(
            flexBackup.operations.listSnapshots.pathPattern.test(`${flexList}${pageQuery(page)}`),
            `${position} first=${first} pageNum=${page.pageNum}`,
          ).toBe(true);
          expect(
            serverlessBackup.operations.listSnapshots.pathPattern.test(`${serverlessList}${pageQuery(page)}`),
          ).toBe(true);
        }
      }
    }
  });
});

describe('the Relay argument validators', () => {
  it('bound `first` by Atlas itemsPerPage and refuse backward paging', () => {
    expect(pageArgSchemas.first.safeParse(1).success).toBe(true);
    expect(pageArgSchemas.first.safeParse(MAX_ITEMS_PER_PAGE).success).toBe(true);
    for (const first of [0, -1, MAX_ITEMS_PER_PAGE + 1]) {
      expect(pageArgSchemas.first.safeParse(first).error?.issues[0]?.message).toBe(
        "must be an integer from 1 to 500 (Atlas's itemsPerPage bounds)",
      );
    }
    expect(pageArgSchemas.last.safeParse(1).error?.issues[0]?.message).toBe(
      'is not supported: page forwards with first/after',
    );
    expect(pageArgSchemas.before.safeParse(encodeCursor(1)).success).toBe(false);
  });
});
