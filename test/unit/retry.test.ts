import { describe, expect, it } from 'vitest';
import {
  AtlasAbortedError,
  AtlasInvalidBodyError,
  AtlasNetworkError,
  AtlasResponseError,
  AtlasTimeoutError,
} from '../../src/atlas/errors.js';
import { RetryBudget } from '../../src/atlas/retry-budget.js';
import { decideRetry, retryableReason } from '../../src/atlas/retry-policy.js';

const policy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2_000, retryAfterMaxMs: 5_000 };
const status = (code: number, retryAfterSeconds?: number) => new AtlasResponseError('op', code, {}, retryAfterSeconds);

describe('which failures are retried', () => {
  it.each([
    [status(429), 'HTTP 429'],
    [status(502), 'HTTP 502'],
    [status(503), 'HTTP 503'],
    [status(504), 'HTTP 504'],
    [new AtlasNetworkError('op', 'ECONNRESET', true), 'ECONNRESET'],
    [new AtlasNetworkError('op', 'ECONNREFUSED', true), 'ECONNREFUSED'],
    [new AtlasTimeoutError('op', 100, 'headers'), 'headers timeout'],
    [new AtlasTimeoutError('op', 100, 'connect'), 'connect timeout'],
  ])('retries %s', (error, reason) => {
    expect(retryableReason(error)).toBe(reason);
  });

  it.each([
    ['400', status(400)],
    ['401', status(401)],
    ['403', status(403)],
    ['404', status(404)],
    ['409', status(409)],
    ['410', status(410)],
    ['500', status(500)],
    ['501', status(501)],
    ['a reset mid-response', new AtlasNetworkError('op', 'UND_ERR_SOCKET', false)],
    ['the total deadline', new AtlasTimeoutError('op', 100, 'total')],
    ['a bad body', new AtlasInvalidBodyError('op', [])],
    ['a cancelled call', new AtlasAbortedError('op')],
    ['a bug', new TypeError('x')],
  ])('does not retry %s', (_name, error) => {
    expect(retryableReason(error)).toBeUndefined();
    expect(decideRetry(policy, 1, error, 10_000)).toEqual({ retry: false });
  });
});

describe('back-off', () => {
  it('is exponential with full jitter, capped', () => {
    expect(decideRetry(policy, 1, status(503), 10_000, () => 0.999)).toMatchObject({ retry: true, delayMs: 99 });
    expect(decideRetry(policy, 2, status(503), 10_000, () => 0.999)).toMatchObject({ retry: true, delayMs: 199 });
    expect(decideRetry(policy, 2, status(503), 10_000, () => 0)).toMatchObject({ retry: true, delayMs: 0 });
    const deep = { ...policy, maxAttempts: 10 };
    expect(decideRetry(deep, 8, status(503), 10_000, () => 0.999)).toMatchObject({ retry: true, delayMs: 1998 });
  });

  it('stops after maxAttempts', () => {
    expect(decideRetry(policy, 3, status(503), 10_000)).toEqual({ retry: false });
  });

  it('honours Retry-After exactly, up to its cap', () => {
    expect(decideRetry(policy, 1, status(429, 1), 10_000)).toEqual({ retry: true, delayMs: 1_000, reason: 'HTTP 429' });
    expect(decideRetry(policy, 1, status(503, 2), 10_000)).toEqual({ retry: true, delayMs: 2_000, reason: 'HTTP 503' });
    expect(decideRetry(policy, 1, status(429, 6), 10_000)).toEqual({ retry: false });
  });

  it('never waits past the deadline', () => {
    expect(decideRetry(policy, 1, status(429, 1), 900)).toEqual({ retry: false });
    expect(decideRetry(policy, 1, status(503), 40, () => 0)).toEqual({ retry: false });
  });
});

describe('retry budget', () => {
  it('allows the floor, then 20 % of successes, over a sliding 10 s window', () => {
    let now = 0;
    const budget = new RetryBudget({ windowMs: 10_000, minPerSecond: 1, retryRatio: 0.2 }, () => now);
    for (let i = 0; i < 10; i += 1) expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
    for (let i = 0; i < 50; i += 1) budget.recordSuccess();
    for (let i = 0; i < 10; i += 1) expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
    now = 10_500; // everything above has left the window
    for (let i = 0; i < 10; i += 1) expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
  });
});
