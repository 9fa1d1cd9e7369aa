import { describe, expect, it } from 'vitest';
import {
  AtlasCircuitOpenError,
  AtlasCredentialsError,
  AtlasInvalidBodyError,
  AtlasNetworkError,
  AtlasRateLimitHoldError,
  AtlasResponseError,
  AtlasTimeoutError,
} from '../../src/atlas/errors.js';
import { decideRetry, provablyNotSent, writeOutcomeUnknown } from '../../src/atlas/retry-policy.js';

// A write (POST/PATCH/DELETE) is retried only when it provably never reached Atlas, or Atlas asked
// to come back (429/503 with Retry-After); any other failure after sending has an unknown outcome.

const policy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2_000, retryAfterMaxMs: 5_000 };
const status = (code: number, retryAfterSeconds?: number) => new AtlasResponseError('op', code, {}, retryAfterSeconds);
const network = (code: string, beforeResponse = true) => new AtlasNetworkError('op', code, beforeResponse);
const write = (error: unknown) => decideRetry(policy, 1, error, 10_000, () => 0.5, true);

describe('retries of a write', () => {
  it.each([
    ['a refused connection', network('ECONNREFUSED')],
    ['an unknown host', network('ENOTFOUND')],
    ['a DNS failure', network('EAI_AGAIN')],
    ['a connect timeout', new AtlasTimeoutError('op', 100, 'connect')],
    ['429 with Retry-After', status(429, 1)],
    ['503 with Retry-After', status(503, 1)],
  ])('retries %s', (_name, error) => {
    expect(write(error)).toMatchObject({ retry: true });
  });

  it.each([
    ['a reset after sending', network('ECONNRESET')],
    ['EHOSTUNREACH (also raised on an established socket after sending)', network('EHOSTUNREACH')],
    ['ENETUNREACH (likewise)', network('ENETUNREACH')],
    ['a socket closed before the answer', network('UND_ERR_SOCKET')],
    ['a reset mid-response', network('UND_ERR_SOCKET', false)],
    ['a headers timeout', new AtlasTimeoutError('op', 100, 'headers')],
    ['the total deadline on the wire', new AtlasTimeoutError('op', 100, 'total')],
    ['the total deadline while waiting (no time is left)', new AtlasTimeoutError('op', 100, 'total', true)],
    ['429 without Retry-After', status(429)],
    ['503 without Retry-After', status(503)],
    ['502', status(502, 1)],
    ['504', status(504)],
    ['500', status(500)],
  ])('never retries %s', (_name, error) => {
    expect(write(error)).toEqual({ retry: false });
  });

  it('retries the same failures of a read as before', () => {
    expect(decideRetry(policy, 1, network('ECONNRESET'), 10_000, () => 0.5)).toMatchObject({ retry: true });
    expect(decideRetry(policy, 1, status(502), 10_000, () => 0.5)).toMatchObject({ retry: true });
  });
});

describe('whose outcome is unknown', () => {
  it.each([
    ['a reset after sending', network('ECONNRESET')],
    ['a headers timeout', new AtlasTimeoutError('op', 100, 'headers')],
    ['the total deadline on the wire', new AtlasTimeoutError('op', 100, 'total')],
    ['a 500', status(500)],
    ['a 502 from a gateway', status(502)],
    ['a 504 from a gateway', status(504)],
    ['a 503 without Retry-After', status(503)],
    ['an unreadable 2xx body', new AtlasInvalidBodyError('op', ['id: required'])],
  ])('%s is unknown', (_name, error) => {
    expect(writeOutcomeUnknown(error)).toBe(true);
  });

  it.each([
    ['a refused connection', network('ECONNREFUSED')],
    ['a connect timeout', new AtlasTimeoutError('op', 100, 'connect')],
    ['a deadline while waiting', new AtlasTimeoutError('op', 100, 'total', true)],
    ['a 400', status(400)],
    ['a 403', status(403)],
    ['a 404', status(404)],
    ['a 405', status(405)],
    ['a 409', status(409)],
    ['a 429', status(429)],
    ['a 503 with Retry-After', status(503, 2)],
    ['the open breaker', new AtlasCircuitOpenError('op', 1000)],
    ['a rate-limit hold', new AtlasRateLimitHoldError('op', 3)],
    ['no credentials', new AtlasCredentialsError('op', 'unavailable', 'token endpoint failed')],
    ['anything not from Atlas', new TypeError('bug')],
  ])('%s is known: Atlas did nothing', (_name, error) => {
    expect(writeOutcomeUnknown(error)).toBe(false);
  });

  it('counts only connect-time failures as never sent', () => {
    expect(provablyNotSent(network('ECONNREFUSED'))).toBe(true);
    expect(provablyNotSent(network('ECONNRESET'))).toBe(false);
    expect(provablyNotSent(new AtlasTimeoutError('op', 1, 'headers'))).toBe(false);
  });
});
