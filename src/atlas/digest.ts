import { createHash, randomBytes } from 'node:crypto';
import { parseAuthParams } from './auth-params.js';
import { AtlasCredentialsError } from './errors.js';
import { upstreamText } from './upstream-text.js';

/** The parts of a `WWW-Authenticate: Digest …` challenge that RFC 7616 (qop=auth) needs. */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  qop?: string;
  opaque?: string;
  algorithm: string;
  stale: boolean;
}

/** Longest `WWW-Authenticate` value read: Atlas's challenge is about 150 characters. */
export const MAX_CHALLENGE_LENGTH = 4096;

/**
 * Parses a Digest challenge; undefined for any other scheme or a challenge without realm and nonce.
 * A value longer than MAX_CHALLENGE_LENGTH is refused unread, with an AtlasCredentialsError.
 */
export function parseDigestChallenge(header: string | undefined): DigestChallenge | undefined {
  if (header === undefined) return undefined;
  if (header.length > MAX_CHALLENGE_LENGTH) {
    throw new AtlasCredentialsError(
      'digestAuthentication',
      'unavailable',
      `Atlas sent a WWW-Authenticate challenge of ${header.length} characters, more than the ${MAX_CHALLENGE_LENGTH} this server reads`,
    );
  }
  const scheme = /^\s*digest\s/i.exec(header)?.[0];
  if (scheme === undefined) return undefined;
  const params = parseAuthParams(header.slice(scheme.length));
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm === undefined || !nonce) return undefined;
  const qop = params.get('qop');
  const opaque = params.get('opaque');
  return {
    realm,
    nonce,
    algorithm: params.get('algorithm') ?? 'MD5',
    stale: params.get('stale')?.toLowerCase() === 'true',
    ...(qop === undefined ? {} : { qop }),
    ...(opaque === undefined ? {} : { opaque }),
  };
}

/** RFC 7616 §3.4.2 algorithms and their node:crypto hash; each also has a `-sess` variant. */
const HASHES = new Map([
  ['MD5', 'md5'],
  ['SHA-256', 'sha256'],
  ['SHA-512-256', 'sha512-256'],
]);

/** The algorithm names a challenge may carry that this signer supports, as RFC 7616 spells them. */
export const SUPPORTED_DIGEST_ALGORITHMS = [...HASHES.keys()].flatMap((name) => [name, `${name}-sess`]);

/** The hash of `algorithm` (case-insensitive) and whether it is a `-sess` variant; undefined when unsupported. */
function digestAlgorithm(
  algorithm: string,
): { name: string; hash: (value: string) => string; session: boolean } | undefined {
  const [, base = '', sess] = /^(.*?)(-sess)?$/is.exec(algorithm) ?? [];
  const hashName = HASHES.get(base.toUpperCase());
  if (hashName === undefined) return undefined;
  const session = sess !== undefined;
  return {
    name: `${base.toUpperCase()}${session ? '-sess' : ''}`,
    hash: (value) => createHash(hashName).update(value).digest('hex'),
    session,
  };
}

/** Client nonces: a random prefix per process and a counter, unique without a random draw per call. */
const cnoncePrefix = randomBytes(6).toString('hex');
let cnonceCounter = 0;
const nextCnonce = () => `${cnoncePrefix}${(cnonceCounter++).toString(16).padStart(8, '0')}`;

/** Inputs of one Digest `Authorization` header. */
export interface DigestCredentialsInput {
  username: string;
  password: string;
  method: string;
  uri: string;
  challenge: DigestChallenge;
  /** Nonce count: how many requests this client has signed with this nonce, starting at 1. */
  nc: number;
  cnonce?: string;
}

/**
 * Builds the `Authorization: Digest …` value (RFC 7616: MD5, SHA-256 or SHA-512-256, plain or
 * `-sess`; qop=auth when offered, RFC 2069 otherwise). An algorithm outside those is refused with
 * an AtlasCredentialsError naming it.
 */
export function digestAuthorization(input: DigestCredentialsInput): string {
  const { username, password, method, uri, challenge, nc } = input;
  const algorithm = digestAlgorithm(challenge.algorithm);
  if (!algorithm) {
    const refused = JSON.stringify(upstreamText(challenge.algorithm, 40));
    throw new AtlasCredentialsError(
      'digestAuthentication',
      'unavailable',
      `Atlas asked for HTTP Digest with algorithm ${refused}, which this server does not support (it supports ${SUPPORTED_DIGEST_ALGORITHMS.join(', ')})`,
    );
  }
  const { hash } = algorithm;
  const cnonce = input.cnonce ?? nextCnonce();
  const secret = hash(`${username}:${challenge.realm}:${password}`);
  // -sess (RFC 7616 §3.4.2): the first hash also binds the server and client nonces.
  const ha1 = algorithm.session ? hash(`${secret}:${challenge.nonce}:${cnonce}`) : secret;
  const ha2 = hash(`${method}:${uri}`);
  const useQop = challenge.qop?.split(',').some((q) => q.trim() === 'auth') ?? false;
  const ncHex = nc.toString(16).padStart(8, '0');
  const response = useQop
    ? hash(`${ha1}:${challenge.nonce}:${ncHex}:${cnonce}:auth:${ha2}`)
    : hash(`${ha1}:${challenge.nonce}:${ha2}`);
  const parts = [
    `username="${username}"`,
    `realm="${challenge.realm}"`,
    `nonce="${challenge.nonce}"`,
    `uri="${uri}"`,
    `algorithm=${algorithm.name}`,
    `response="${response}"`,
  ];
  if (useQop) parts.push(`qop=auth`, `nc=${ncHex}`);
  if (useQop || algorithm.session) parts.push(`cnonce="${cnonce}"`);
  if (challenge.opaque !== undefined) parts.push(`opaque="${challenge.opaque}"`);
  return `Digest ${parts.join(', ')}`;
}
