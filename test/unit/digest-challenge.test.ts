import { describe, expect, it } from 'vitest';
import { parseAuthParams } from '../../src/atlas/auth-params.js';
import { MAX_CHALLENGE_LENGTH, parseDigestChallenge } from '../../src/atlas/digest.js';
import { AtlasCredentialsError } from '../../src/atlas/errors.js';
import { DigestVerifier } from '../../src/simulator/digest-verifier.js';

// Issue 10 retest, F4: the Digest challenge is read by a linear tokenizer, and a challenge longer
// than MAX_CHALLENGE_LENGTH is refused before anything reads it.

describe('Digest challenge parameters', () => {
  it('reads quoted and bare values, escapes, spaces around `=`, any case of names, and skips malformed pieces', () => {
    expect(
      Object.fromEntries(
        parseAuthParams(
          'Realm="MMS \\"Public\\" API", nonce = abc/+=, junk, =x, qop="auth,auth-int" , stale=TRUE,,algorithm=SHA-256',
        ),
      ),
    ).toEqual({
      realm: 'MMS "Public" API',
      nonce: 'abc/+=',
      qop: 'auth,auth-int',
      stale: 'TRUE',
      algorithm: 'SHA-256',
    });
    expect(Object.fromEntries(parseAuthParams('realm="unterminated, nonce=n'))).toEqual({
      realm: 'unterminated, nonce=n',
    });
    expect(parseAuthParams('')).toEqual(new Map());
  });

  it("parses the simulator's challenge for every algorithm it announces", () => {
    for (const algorithm of ['MD5', 'SHA-256-sess']) {
      const challenge = parseDigestChallenge(new DigestVerifier([], 1000, algorithm).challenge(true));
      expect(challenge).toMatchObject({ realm: 'MMS Public API', algorithm, qop: 'auth', stale: true });
      expect(challenge!.nonce).toMatch(/^[A-Za-z0-9]+$/);
    }
  });

  it('refuses a challenge longer than MAX_CHALLENGE_LENGTH with a typed error, before reading it', () => {
    const valid = 'Digest realm="r", nonce="n", qop="auth"';
    expect(parseDigestChallenge(valid.padEnd(MAX_CHALLENGE_LENGTH, ' '))).toMatchObject({ realm: 'r', nonce: 'n' });
    // One character more and even a valid challenge is refused: the length is checked first.
    for (const header of [valid.padEnd(MAX_CHALLENGE_LENGTH + 1, ' '), `Digest ${'a'.repeat(14_000)}`]) {
      expect(() => parseDigestChallenge(header)).toThrow(AtlasCredentialsError);
    }
    const started = performance.now();
    for (const length of [60_000, 1_000_000]) {
      expect(() => parseDigestChallenge(`Digest ${'a'.repeat(length)}`)).toThrow(
        `Atlas sent a WWW-Authenticate challenge of ${length + 7} characters, more than the ${MAX_CHALLENGE_LENGTH} this server reads`,
      );
    }
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('reads the worst challenges under the cap in linear time: 2,000 of them, 8 MB in all, well under a second', () => {
    const body = 4096 - 'Digest '.length; // 4 KiB challenges, the most that is read
    const worst = [
      'a'.repeat(body), // a run of name characters with no `=` (the old pattern retried it from every letter)
      'a='.repeat(body / 2), // empty bare values back to back
      `a="${'\\"'.repeat(body / 2 - 2)}`, // an unterminated quoted value of escapes
      ' ,'.repeat(body / 2), // separators only
    ].map((params) => `Digest ${params}`);
    const started = performance.now();
    for (let i = 0; i < 500; i += 1) for (const header of worst) parseDigestChallenge(header);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
