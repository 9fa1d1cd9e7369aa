import { describe, expect, it } from 'vitest';
import { fingerprintOf, MemoryIdempotencyStore } from '../../src/backups/actions/idempotency.js';

describe('MemoryIdempotencyStore', () => {
  const clock = () => {
    let now = 0;
    return { now: () => now, advance: (ms: number) => void (now += ms) };
  };

  it('replays a settled key with the same fingerprint, refuses another fingerprint', async () => {
    const store = new MemoryIdempotencyStore(1_000, 10);
    const first = store.claim('caller\0k', 'f1');
    expect(first.kind).toBe('new');
    if (first.kind === 'new') first.settle({ ok: true, value: 42 });
    const again = store.claim('caller\0k', 'f1');
    expect(again.kind).toBe('replay');
    if (again.kind === 'replay') expect(await again.outcome).toEqual({ ok: true, value: 42 });
    expect(store.claim('caller\0k', 'f2').kind).toBe('mismatch');
  });

  it('lets concurrent duplicates wait for the first and share its outcome', async () => {
    const store = new MemoryIdempotencyStore(1_000, 10);
    const first = store.claim('k', 'f');
    const waiting = [1, 2, 3].map(() => store.claim('k', 'f'));
    expect(waiting.every((c) => c.kind === 'replay')).toBe(true);
    if (first.kind === 'new') first.settle({ ok: true, value: 'job' });
    for (const claim of waiting)
      if (claim.kind === 'replay') expect(await claim.outcome).toMatchObject({ value: 'job' });
  });

  it('frees a released key: waiting duplicates get the failure, a later request runs afresh', async () => {
    const store = new MemoryIdempotencyStore(1_000, 10);
    const first = store.claim('k', 'f');
    const waiter = store.claim('k', 'f');
    const failure = new Error('Atlas said 409');
    if (first.kind === 'new') first.release(failure);
    if (waiter.kind === 'replay') expect(await waiter.outcome).toEqual({ ok: false, error: failure });
    expect(store.claim('k', 'f').kind).toBe('new');
  });

  it('forgets a key after its TTL', () => {
    const time = clock();
    const store = new MemoryIdempotencyStore(1_000, 10, time.now);
    const first = store.claim('k', 'f');
    if (first.kind === 'new') first.settle({ ok: true, value: 1 });
    time.advance(999);
    expect(store.claim('k', 'f').kind).toBe('replay');
    time.advance(2);
    expect(store.claim('k', 'other').kind).toBe('new');
  });

  it('holds at most maxKeys settled successes, forgetting the oldest first', () => {
    const store = new MemoryIdempotencyStore(60_000, 3);
    for (const key of ['a', 'b', 'c', 'd']) {
      const claim = store.claim(key, 'f');
      if (claim.kind === 'new') claim.settle({ ok: true, value: key });
    }
    expect(store.size).toBe(3);
    expect(store.claim('a', 'f').kind).toBe('new');
    expect(store.claim('d', 'f').kind).toBe('replay');
  });

  it('never evicts a write in flight or an unknown outcome before its TTL, even when full', () => {
    const store = new MemoryIdempotencyStore(60_000, 2);
    store.claim('in-flight', 'f');
    const unknown = store.claim('unknown', 'f');
    if (unknown.kind === 'new') unknown.settle({ ok: false, error: new Error('outcome unknown') });
    for (const key of ['x', 'y', 'z']) {
      const claim = store.claim(key, 'f');
      if (claim.kind === 'new') claim.settle({ ok: true, value: key });
    }
    expect(store.claim('in-flight', 'f').kind).toBe('replay');
    expect(store.claim('unknown', 'f').kind).toBe('replay');
  });

  it('keeps callers apart: the scope key includes the caller', () => {
    const store = new MemoryIdempotencyStore(60_000, 10);
    store.claim('alice\0k', 'f');
    expect(store.claim('bob\0k', 'f').kind).toBe('new');
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
