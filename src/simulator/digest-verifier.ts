import { createHash, randomBytes } from 'node:crypto';
import type { SimRoleGrant } from './roles.js';

/**
 * The server side of Atlas's HTTP Digest (realm "MMS Public API", MD5, qop="auth"), and of the other
 * RFC 7616 algorithms on demand. Written independently of the client's signer so the two cannot
 * quietly agree on a mistake.
 */

const DIGEST_REALM = 'MMS Public API';

/** An API key pair the simulator accepts. */
export interface SimApiKey {
  publicKey: string;
  privateKey: string;
  /** The key's role (or roles) per group id; a project not named gives the key that project's default role (see roles.ts). */
  roles?: Record<string, SimRoleGrant>;
}

type Verdict = { ok: true; publicKey: string } | { ok: false; stale: boolean };

interface NonceState {
  issuedAt: number;
  usedCounts: Set<number>;
}

/** RFC 7616 §3.4.2 algorithm names (without `-sess`) → node:crypto hash names. */
const RFC7616_HASHES: Record<string, string> = { MD5: 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };

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

  readonly #hash: ((s: string) => string) | undefined;
  readonly #session: boolean;

  constructor(
    keys: SimApiKey[],
    /** How long a nonce stays fresh before the server answers `stale=true`. */
    readonly nonceLifetimeMs = 300_000,
    /** The challenge's `algorithm`; one outside RFC 7616 is still announced, but nothing verifies. */
    readonly algorithm = 'MD5',
  ) {
    this.#keys = new Map(keys.map((k) => [k.publicKey, k.privateKey]));
    this.#session = algorithm.endsWith('-sess');
    const hashName = RFC7616_HASHES[this.#session ? algorithm.slice(0, -5) : algorithm];
    this.#hash = hashName === undefined ? undefined : (s) => createHash(hashName).update(s).digest('hex');
  }

  /** A `WWW-Authenticate` value with a fresh nonce, as Atlas sends it. */
  challenge(stale: boolean): string {
    const nonce = randomBytes(24).toString('base64').replace(/[+/=]/g, '').slice(0, 32);
    this.#nonces.set(nonce, { issuedAt: Date.now(), usedCounts: new Set() });
    if (this.#nonces.size > 10_000) this.#nonces.delete(this.#nonces.keys().next().value!);
    return `Digest realm="${DIGEST_REALM}", domain="", nonce="${nonce}", algorithm=${this.algorithm}, qop="auth", stale=${stale}`;
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
    const h = this.#hash;
    if (
      !h ||
      password === undefined ||
      uri !== requestUri ||
      p.get('realm') !== DIGEST_REALM ||
      p.get('qop') !== 'auth'
    ) {
      return { ok: false, stale: false };
    }
    // RFC 7616 §3.4.1: the client must echo the algorithm (absent means MD5).
    if ((p.get('algorithm') ?? 'MD5') !== this.algorithm) return { ok: false, stale: false };
    const secret = h(`${username}:${DIGEST_REALM}:${password}`);
    const ha1 = this.#session ? h(`${secret}:${nonce}:${cnonce}`) : secret;
    const expected = h(`${ha1}:${nonce}:${ncHex}:${cnonce}:auth:${h(`${method}:${uri}`)}`);
    if (p.get('response') !== expected) return { ok: false, stale: false };
    // The signature is right: only the nonce can still be refused, and then the client may retry.
    if (!state || Date.now() - state.issuedAt > this.nonceLifetimeMs) return { ok: false, stale: true };
    const nc = Number.parseInt(ncHex, 16);
    if (!/^[0-9a-f]{8}$/i.test(ncHex) || state.usedCounts.has(nc)) return { ok: false, stale: true };
    state.usedCounts.add(nc);
    return { ok: true, publicKey: username };
  }
}
