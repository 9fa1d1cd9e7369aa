import { describe, expect, it } from 'vitest';
import { digestAuthorization, parseDigestChallenge, SUPPORTED_DIGEST_ALGORITHMS } from '../../src/atlas/digest.js';
import { AtlasCredentialsError } from '../../src/atlas/errors.js';
import { DigestVerifier } from '../../src/simulator/digest-verifier.js';

// RFC 7616 §3.9.1: the same request signed with MD5 and with SHA-256.
const RFC7616 = {
  username: 'Mufasa',
  password: 'Circle of Life',
  method: 'GET',
  uri: '/dir/index.html',
  nc: 1,
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
};
const challenge = (algorithm: string) =>
  parseDigestChallenge(
    `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`,
  )!;

describe('RFC 7616 digest algorithms', () => {
  it('reproduces the RFC 7616 §3.9.1 SHA-256 and MD5 responses', () => {
    const sha256 = digestAuthorization({ ...RFC7616, challenge: challenge('SHA-256') });
    expect(sha256).toContain('response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"');
    expect(sha256).toContain('algorithm=SHA-256,');
    const md5 = digestAuthorization({ ...RFC7616, challenge: challenge('MD5') });
    expect(md5).toContain('response="8ca523f5e9506fed4657c9700eebdbec"');
  });

  it.each(SUPPORTED_DIGEST_ALGORITHMS)(
    '%s signatures are accepted by the independently written simulator verifier',
    (algorithm) => {
      const verifier = new DigestVerifier([{ publicKey: 'pub', privateKey: 'priv' }], 300_000, algorithm);
      const parsed = parseDigestChallenge(verifier.challenge(false))!;
      expect(parsed.algorithm).toBe(algorithm);
      const uri = '/api/atlas/v2/groups/x';
      const sign = (nc: number, password = 'priv') =>
        digestAuthorization({ username: 'pub', password, method: 'GET', uri, challenge: parsed, nc });
      expect(verifier.verify('GET', uri, sign(1))).toEqual({ ok: true, publicKey: 'pub' });
      expect(verifier.verify('GET', uri, sign(2, 'wrong'))).toEqual({ ok: false, stale: false });
    },
  );

  it('an MD5 signature does not pass a SHA-256 verifier', () => {
    const verifier = new DigestVerifier([{ publicKey: 'pub', privateKey: 'priv' }], 300_000, 'SHA-256');
    const parsed = { ...parseDigestChallenge(verifier.challenge(false))!, algorithm: 'MD5' };
    expect(
      verifier.verify(
        'GET',
        '/a',
        digestAuthorization({ username: 'pub', password: 'priv', method: 'GET', uri: '/a', challenge: parsed, nc: 1 }),
      ),
    ).toEqual({ ok: false, stale: false });
  });

  it('an unsupported algorithm is a typed credentials error naming it, cut short and quoted', () => {
    const sign = (algorithm: string) => () => digestAuthorization({ ...RFC7616, challenge: challenge(algorithm) });
    expect(sign('SHA-1')).toThrow(AtlasCredentialsError);
    expect(sign('SHA-1')).toThrow(
      'Atlas asked for HTTP Digest with algorithm "SHA-1", which this server does not support',
    );
    let message = '';
    try {
      sign('X'.repeat(10_000))();
    } catch (error) {
      message = (error as AtlasCredentialsError).explanation;
    }
    expect(message.length).toBeLessThan(300);
  });
});
