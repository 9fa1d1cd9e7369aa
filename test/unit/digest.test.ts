import { describe, expect, it } from 'vitest';
import { digestAuthorization, parseDigestChallenge } from '../../src/atlas/digest.js';
import { DigestVerifier } from '../../src/simulator/digest-verifier.js';

describe('digest math', () => {
  it('reproduces the RFC 2617 §3.5 example', () => {
    const header = digestAuthorization({
      username: 'Mufasa',
      password: 'Circle Of Life',
      method: 'GET',
      uri: '/dir/index.html',
      challenge: {
        realm: 'testrealm@host.com',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        qop: 'auth,auth-int',
        opaque: '5ccc069c403ebaf9f0171e9517f40e41',
        algorithm: 'MD5',
        stale: false,
      },
      nc: 1,
      cnonce: '0a4f113b',
    });
    expect(header).toContain('response="6629fae49393a05397450978507c4ef1"');
    expect(header).toContain('nc=00000001');
    expect(header).toContain('opaque="5ccc069c403ebaf9f0171e9517f40e41"');
  });

  it("parses Atlas's observed challenge", () => {
    expect(
      parseDigestChallenge(
        'Digest realm="MMS Public API", domain="", nonce="SlgYP7Tv3FS/BuCj/x4WQRIV1bNKdpJg", algorithm=MD5, qop="auth", stale=false',
      ),
    ).toEqual({
      realm: 'MMS Public API',
      nonce: 'SlgYP7Tv3FS/BuCj/x4WQRIV1bNKdpJg',
      algorithm: 'MD5',
      qop: 'auth',
      stale: false,
    });
    expect(parseDigestChallenge('Digest realm="x", nonce="n", stale=TRUE')?.stale).toBe(true);
    expect(parseDigestChallenge('Bearer realm="x"')).toBeUndefined();
    expect(parseDigestChallenge(undefined)).toBeUndefined();
  });

  it('is accepted by the independently written simulator verifier, once per nonce count', () => {
    const verifier = new DigestVerifier([{ publicKey: 'pub', privateKey: 'priv' }]);
    const challenge = parseDigestChallenge(verifier.challenge(false))!;
    const uri = '/api/atlas/v2/groups/x?pageNum=2';
    const sign = (nc: number, password = 'priv') =>
      digestAuthorization({ username: 'pub', password, method: 'GET', uri, challenge, nc });
    expect(verifier.verify('GET', uri, sign(1))).toEqual({ ok: true, publicKey: 'pub' });
    expect(verifier.verify('GET', uri, sign(2))).toEqual({ ok: true, publicKey: 'pub' });
    expect(verifier.verify('GET', uri, sign(2))).toEqual({ ok: false, stale: true });
    expect(verifier.verify('GET', uri, sign(3, 'wrong'))).toEqual({ ok: false, stale: false });
    expect(verifier.verify('GET', '/other', sign(4))).toEqual({ ok: false, stale: false });
  });
});
