import { createHash, randomBytes } from 'node:crypto';

/**
 * The server side of Atlas's HTTP Digest (realm "MMS Public API", MD5, qop="auth"). Written
 * independently of the client's signer so the two cannot quietly agree on a mistake.
 */

export const DIGEST_REALM = 'MMS Public API';

/** An API key pair the simulator accepts. */
export interface SimApiKey {
  publicKey: string;
  privateKey: string;
}

type Verdict = { ok: true; publicKey: string } | { ok: false; stale: boolean };

interface NonceState {
  issuedAt: number;
  usedCounts: Set<number>;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

function parseAuthorization(header: string): Map<string, string> | undefined {
  const match = /^Digest\s+(.*)$/is.exec(header);
  if (!match?.[1]) return undefined;
  const params = new Map<string, string>();
  for (const m of match[1].matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) {
    params.set(m[1]!.toLowerCase(), m[2] ?? m[3] ?? '');
  }
  return params;
}

/** Issues nonces and checks `Authorization: Digest …` headers against the configured keys. */
export class DigestVerifier {
  readonly #keys: Map<string, string>;
  readonly #nonces = new Map<string, NonceState>();

  constructor(
    keys: SimApiKey[],
    /** How long a nonce stays fresh before the server answers `stale=true`. */
    readonly nonceLifetimeMs = 300_000,
  ) {
    this.#keys = new Map(keys.map((k) => [k.publicKey, k.privateKey]));
  }

  /** A `WWW-Authenticate` value with a fresh nonce, as Atlas sends it. */
  challenge(stale: boolean): string {
    const nonce = randomBytes(24).toString('base64').replace(/[+/=]/g, '').slice(0, 32);
    this.#nonces.set(nonce, { issuedAt: Date.now(), usedCounts: new Set() });
    if (this.#nonces.size > 10_000) this.#nonces.delete(this.#nonces.keys().next().value!);
    return `Digest realm="${DIGEST_REALM}", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=${stale}`;
  }

  verify(method: string, requestUri: string, header: string | undefined): Verdict {
    const p = header ? parseAuthorization(header) : undefined;
    if (!p) return { ok: false, stale: false };
    const username = p.get('username') ?? '';
    const nonce = p.get('nonce') ?? '';
    const uri = p.get('uri') ?? '';
    const ncHex = p.get('nc') ?? '';
    const cnonce = p.get('cnonce') ?? '';
    const password = this.#keys.get(username);
    const state = this.#nonces.get(nonce);
    if (password === undefined || uri !== requestUri || p.get('realm') !== DIGEST_REALM || p.get('qop') !== 'auth') {
      return { ok: false, stale: false };
    }
    const expected = md5(`${md5(`${username}:${DIGEST_REALM}:${password}`)}:${nonce}:${ncHex}:${cnonce}:auth:${md5(`${method}:${uri}`)}`);
    if (p.get('response') !== expected) return { ok: false, stale: false };
    // The signature is right: only the nonce can still be refused, and then the client may retry.
    if (!state || Date.now() - state.issuedAt > this.nonceLifetimeMs) return { ok: false, stale: true };
    const nc = Number.parseInt(ncHex, 16);
    if (!/^[0-9a-f]{8}$/i.test(ncHex) || state.usedCounts.has(nc)) return { ok: false, stale: true };
    state.usedCounts.add(nc);
    return { ok: true, publicKey: username };
  }
}
