import { describe, expect, it } from 'vitest';
import { AtlasNetworkError, AtlasOutcomeUnknownError, AtlasResponseError } from '../../src/atlas/errors.js';
import { fingerprintOf, MemoryIdempotencyStore } from '../../src/backups/actions/idempotency.js';
import { outcomeUnknownRecord, replayedFailure } from '../../src/backups/actions/stored-failure.js';

describe('MemoryIdempotencyStore', () => {
  const clock = () => {
    let now = 0;
    return { now: () => now, advance: (ms: number) => void (now += ms) };
  };

  it('replays a settled key with the same fingerprint, refuses another fingerprint', async () => {
    const store = new MemoryIdempotencyStore(1_000, 10);
    const first = await store.claim('caller\0k', 'f1');
    expect(first.kind).toBe('new');
    if (first.kind === 'new') first.settle({ ok: true, value: 42 });
    const again = await store.claim('caller\0k', 'f1');
    expect(again.kind).toBe('replay');
    if (again.kind === 'replay') expect(await again.outcome).toEqual({ ok: true, value: 42 });
    expect((await store.claim('caller\0k', 'f2')).kind).toBe('mismatch');
  });

  it('lets concurrent duplicates wait for the first and share its outcome', async () => {
    const store = new MemoryIdempotencyStore(1_000, 10);
    const first = await store.claim('k', 'f');
    const waiting = await Promise.all([1, 2, 3].map(() => store.claim('k', 'f')));
    expect(waiting.every((c) => c.kind === 'replay')).toBe(true);
    if (first.kind === 'new') first.settle({ ok: true, value: 'job' });
    for (const claim of waiting)
      if (claim.kind === 'replay') expect(await claim.outcome).toMatchObject({ value: 'job' });
  });

  it('frees a released key: waiting duplicates get the failure, a later request runs afresh', async () => {
    const store = new MemoryIdempotencyStore(1_000, 10);
    const first = await store.claim('k', 'f');
    const waiter = await store.claim('k', 'f');
    const failure = new Error('Atlas said 409');
    if (first.kind === 'new') first.release(failure);
    if (waiter.kind === 'replay') expect(await waiter.outcome).toEqual({ ok: false, error: failure });
    expect((await store.claim('k', 'f')).kind).toBe('new');
  });

  it('forgets a key after its TTL', async () => {
    const time = clock();
    const store = new MemoryIdempotencyStore(1_000, 10, time.now);
    const first = await store.claim('k', 'f');
    if (first.kind === 'new') first.settle({ ok: true, value: 1 });
    time.advance(999);
    expect((await store.claim('k', 'f')).kind).toBe('replay');
    time.advance(2);
    expect((await store.claim('k', 'other')).kind).toBe('new');
  });

  it('holds at most maxKeys settled successes, forgetting the oldest first', async () => {
    const store = new MemoryIdempotencyStore(60_000, 3);
    for (const key of ['a', 'b', 'c', 'd']) {
      const claim = await store.claim(key, 'f');
      if (claim.kind === 'new') claim.settle({ ok: true, value: key });
    }
    expect(store.size).toBe(3);
    expect((await store.claim('a', 'f')).kind).toBe('new');
    expect((await store.claim('d', 'f')).kind).toBe('replay');
  });

  it('never evicts a write in flight or an unknown outcome before its TTL, even when full', async () => {
    const store = new MemoryIdempotencyStore(60_000, 2);
    await store.claim('in-flight', 'f');
    const unknown = await store.claim('unknown', 'f');
    if (unknown.kind === 'new') unknown.settle({ ok: false, error: new Error('outcome unknown') });
    for (const key of ['x', 'y', 'z']) {
      const claim = await store.claim(key, 'f');
      if (claim.kind === 'new') claim.settle({ ok: true, value: key });
    }
    expect((await store.claim('in-flight', 'f')).kind).toBe('replay');
    expect((await store.claim('unknown', 'f')).kind).toBe('replay');
  });

  it('find reads a key without claiming it', async () => {
    const store = new MemoryIdempotencyStore(60_000, 10);
    expect(store.find('k', 'f')).toBeUndefined();
    expect(store.size).toBe(0);
    const first = store.claimNow('k', 'f');
    expect(first.kind).toBe('new');
    expect(store.find('k', 'f')?.kind).toBe('replay');
    expect(store.find('k', 'other')?.kind).toBe('mismatch');
    expect((await store.claim('k', 'f')).kind).toBe('replay');
  });

  it('keeps callers apart: the scope key includes the caller', async () => {
    const store = new MemoryIdempotencyStore(60_000, 10);
    await store.claim('alice\0k', 'f');
    expect((await store.claim('bob\0k', 'f')).kind).toBe('new');
  });
});

describe('fingerprintOf', () => {
  it('ignores key order, clientMutationId, idempotencyKey and absent fields', () => {
    const a = fingerprintOf('m', { b: 1, a: { y: 2, x: [1, 2] }, clientMutationId: '1', idempotencyKey: 'k' });
    const b = fingerprintOf('m', { a: { x: [1, 2], y: 2 }, b: 1, clientMutationId: '2', c: undefined });
    expect(a).toBe(b);
  });

  it('differs by mutation and by any input value', () => {
    const base = fingerprintOf('m', { a: 1 });
    expect(fingerprintOf('n', { a: 1 })).not.toBe(base);
    expect(fingerprintOf('m', { a: 2 })).not.toBe(base);
    expect(fingerprintOf('m', { a: [1, 2] })).not.toBe(fingerprintOf('m', { a: [2, 1] }));
  });
});

describe('a stored unknown outcome', () => {
  /** What a replica reading it back from Redis gets. */
  const throughJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

  it('survives JSON and is rethrown as the same AtlasOutcomeUnknownError (operation, what happened)', () => {
    const cause = new AtlasNetworkError('takeSnapshots', 'ECONNRESET', false);
    const first = new AtlasOutcomeUnknownError('takeSnapshots', 'connection error (ECONNRESET, mid-response)', cause);
    const replayed = replayedFailure(throughJson(outcomeUnknownRecord(first)), 'takeClusterSnapshot');
    expect(replayed).toBeInstanceOf(AtlasOutcomeUnknownError);
    const error = replayed as AtlasOutcomeUnknownError;
    expect([error.operation, error.happened, error.message]).toEqual([first.operation, first.happened, first.message]);
    expect(error.cause).not.toBeInstanceOf(AtlasResponseError);
  });

  it('keeps the status Atlas answered with (the audit line reads it from the cause)', () => {
    const cause = new AtlasResponseError('createBackupRestoreJob', 502, { errorCode: 'BAD_GATEWAY' }, undefined);
    const first = new AtlasOutcomeUnknownError('createBackupRestoreJob', 'HTTP 502 BAD_GATEWAY', cause);
    const record = throughJson(outcomeUnknownRecord(first));
    expect(record).toEqual({
      outcomeUnknown: { operation: 'createBackupRestoreJob', happened: 'HTTP 502 BAD_GATEWAY', atlasStatus: 502 },
    });
    const error = replayedFailure(record, 'createClusterRestoreJob') as AtlasOutcomeUnknownError;
    expect((error.cause as AtlasResponseError).status).toBe(502);
  });

  it('names the mutation when the record names no operation; any other failure is thrown as it is', () => {
    const error = replayedFailure({ outcomeUnknown: { happened: 'still running' } }, 'takeClusterSnapshot');
    expect(error).toMatchObject({ name: 'AtlasOutcomeUnknownError', operation: 'takeClusterSnapshot' });
    const other = new Error('Atlas said 409');
    expect(replayedFailure(other, 'takeClusterSnapshot')).toBe(other);
  });
});
