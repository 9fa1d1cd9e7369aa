import { describe, expect, it } from 'vitest';
import { listFlexBackupSnapshots } from '../../src/atlas/flex-backup.js';
import { MAX_ITEMS_PER_PAGE, pageQuery } from '../../src/atlas/pagination.js';
import { listServerlessBackupSnapshots } from '../../src/atlas/serverless-backup.js';
import { decodeCursor, parsePageArgs, planPages } from '../../src/graphql/schema/pagination.js';

const crafted = (text: string) => Buffer.from(text).toString('base64url');
const flexList = '/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/flexClusters/flex-prod-01/backup/snapshots';
const serverlessList = '/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/serverless/serverless-prod-01/backup/snapshots';

describe('cursor positions are bounded at decode', () => {
  it('refuses a cursor past the last page Atlas can be asked for, and accepts the last position', () => {
    for (const text of [
      'atlas:v1:500:999999999:0',
      'atlas:v1:1:999999999:0',
      'atlas:v1:2:500000000:0',
      'atlas:v1:500:2000001:0',
    ]) {
      expect(decodeCursor(crafted(text))).toBeUndefined();
      expect(() => parsePageArgs({ after: crafted(text) })).toThrowError(
        'Invalid argument "after": must be a cursor returned by this API.',
      );
    }
    expect(decodeCursor(crafted('atlas:v1:1:999999998:0'))).toBe(999_999_997);
    expect(decodeCursor(crafted('atlas:v1:500:1999999:497'))).toBe(999_999_497);
  });

  it('whatever cursor is accepted and whatever `first` follows, every planned page is one the list operations will send', () => {
    const cursors = [
      'atlas:v1:1:999999998:0',
      'atlas:v1:500:1999999:497',
      'atlas:v1:500:999999999:0',
      'atlas:v1:7:142857142:6',
      'atlas:v1:3:333333333:2',
    ];
    let accepted = 0;
    for (const text of cursors) {
      const position = decodeCursor(crafted(text));
      if (position === undefined) continue;
      accepted += 1;
      for (const first of [1, 2, 3, 7, 100, 499, MAX_ITEMS_PER_PAGE]) {
        for (const page of planPages(position + 1, first, true)) {
          expect(
            listFlexBackupSnapshots.pathPattern.test(`${flexList}${pageQuery(page)}`),
            `${text} first=${first} pageNum=${page.pageNum}`,
          ).toBe(true);
          expect(listServerlessBackupSnapshots.pathPattern.test(`${serverlessList}${pageQuery(page)}`)).toBe(true);
        }
      }
    }
    expect(accepted).toBeGreaterThanOrEqual(2);
  });
});
