import { getBackupSchedule } from '../../src/atlas/backup-schedule.js';
import { exportOperations } from '../../src/atlas/backup-exports.js';
import { listClusters } from '../../src/atlas/cluster.js';
import { describe, expect, it } from 'vitest';
import { getFlexBackupSnapshot, listFlexRestoreJobs } from '../../src/atlas/flex-backup.js';
import { MemoryRateLimitHold } from '../../src/atlas/rate-limit-hold.js';
import { getServerlessBackupSnapshot, listServerlessBackupSnapshots } from '../../src/atlas/serverless-backup.js';
import { AtlasRateLimitHoldError } from '../../src/atlas/errors.js';
import { toGraphQLError, TypedGraphQLError } from '../../src/graphql/errors.js';

/** A hold on a clock the test moves. */
function heldAt(start = 1_000_000) {
  const clock = { now: start };
  return { clock, hold: new MemoryRateLimitHold(() => clock.now) };
}

describe('MemoryRateLimitHold', () => {
  it('holds a key for the time given, counting down, then lets it go', () => {
    const { clock, hold } = heldAt();
    expect(hold.remainingMs('serverless:a')).toBe(0);
    hold.hold('serverless:a', 30_000);
    expect(hold.remainingMs('serverless:a')).toBe(30_000);
    clock.now += 29_000;
    expect(hold.remainingMs('serverless:a')).toBe(1_000);
    clock.now += 1_000;
    expect(hold.remainingMs('serverless:a')).toBe(0);
  });

  it('keeps keys apart: another family or another project is not held', () => {
    const { hold } = heldAt();
    hold.hold('serverless:a', 5_000);
    expect(hold.remainingMs('flexClusters:a')).toBe(0);
    expect(hold.remainingMs('serverless:b')).toBe(0);
  });

  it('a shorter pause never cuts a longer one short; a longer one extends it', () => {
    const { clock, hold } = heldAt();
    hold.hold('k', 10_000);
    hold.hold('k', 1_000);
    expect(hold.remainingMs('k')).toBe(10_000);
    clock.now += 5_000;
    hold.hold('k', 20_000);
    expect(hold.remainingMs('k')).toBe(20_000);
  });

  it('a pause of 0 (Retry-After: 0), a negative one or NaN holds nothing', () => {
    const { hold } = heldAt();
    for (const ms of [0, -5, Number.NaN]) hold.hold('k', ms);
    expect(hold.remainingMs('k')).toBe(0);
  });

  it('keeps working past many keys whose pauses have passed', () => {
    const { clock, hold } = heldAt();
    for (let i = 0; i < 2_500; i += 1) hold.hold(`serverless:${i}`, 10);
    clock.now += 20;
    hold.hold('serverless:late', 1_000);
    expect(hold.remainingMs('serverless:0')).toBe(0);
    expect(hold.remainingMs('serverless:late')).toBe(1_000);
  });
});

describe('endpoint families', () => {
  it('are the path segment after {groupId}, backup operations apart (Atlas counts them in their own bucket)', () => {
    expect([getServerlessBackupSnapshot.family, listServerlessBackupSnapshots.family]).toEqual([
      'serverless/backup',
      'serverless/backup',
    ]);
    expect([getFlexBackupSnapshot.family, listFlexRestoreJobs.family]).toEqual([
      'flexClusters/backup',
      'flexClusters/backup',
    ]);
    // A 429 on a backup call must not hold the cluster endpoints, whose limit is 10,000, not 1,200 (README §10.5).
    expect(getBackupSchedule.family).toBe('clusters/backup');
    expect(listClusters.family).toBe('clusters');
    expect(exportOperations.listExportBuckets.family).toBe('backup');
  });
});

describe('a held call, as the client sees it', () => {
  it('is RATE_LIMITED with the seconds left of the pause, and no Atlas envelope', () => {
    const mapped = toGraphQLError(new AtlasRateLimitHoldError('getServerlessBackupSnapshot', 42));
    expect(mapped).toBeInstanceOf(TypedGraphQLError);
    const error = mapped as TypedGraphQLError;
    expect(error.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 42 });
    expect(error.message).toContain('held for 42 s');
  });
});
