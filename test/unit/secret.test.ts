import { describe, expect, it } from 'vitest';
import { holdSentCredential } from '../../src/atlas/auth.js';
import { upstreamText, MAX_UPSTREAM_TEXT_LENGTH, TRUNCATION_MARKER } from '../../src/atlas/upstream-text.js';
import { Secret } from '../../src/support/secret.js';

// Issue 10 retest, F8a: the registry the logger scrubs with also scrubs Atlas text, holds credentials
// that expire only while they live, and never leaves part of a secret behind a cut.

describe('the secret registry', () => {
  it('scrubs a value while any Secret holding it lives, and forgets it after the last is forgotten', () => {
    const value = 'unit-secret-3b1f9c';
    const first = new Secret(value);
    const second = new Secret(value);
    first.forget();
    first.forget(); // idempotent: does not release the second holder
    expect(Secret.scrub(`a ${value} b`)).toBe('a [redacted] b');
    second.forget();
    expect(Secret.scrub(`a ${value} b`)).toBe(`a ${value} b`);
  });

  it('holds the credential an Authorization value carries: a bearer token, or a Digest response', () => {
    const token = holdSentCredential('Bearer unit-token-a1b2c3');
    expect(Secret.scrub('sent unit-token-a1b2c3')).toBe('sent [redacted]');
    token!.forget();
    const digest = holdSentCredential(
      'Digest username="pub", realm="r", nonce="n", uri="/x", algorithm=MD5, response="0123456789abcdef0123456789abcdef"',
    );
    expect(Secret.scrub('response="0123456789abcdef0123456789abcdef"')).toBe('response="[redacted]"');
    digest!.forget();
    expect(holdSentCredential(undefined)).toBeUndefined();
    expect(holdSentCredential('Basic abc')).toBeUndefined();
  });
});

describe('upstreamText', () => {
  it('scrubs every held secret before cutting, so that no cut leaves a prefix of one', () => {
    const secret = new Secret('unit-secret-straddling-the-cut');
    const text = `${'x'.repeat(MAX_UPSTREAM_TEXT_LENGTH - 10)}${secret.reveal()} and more`;
    expect(upstreamText(text)).toBe(`${'x'.repeat(MAX_UPSTREAM_TEXT_LENGTH - 10)}[redacted]${TRUNCATION_MARKER}`);
    secret.forget();
  });
});
