import { createHash, randomBytes } from 'node:crypto';

/** The parts of a `WWW-Authenticate: Digest …` challenge that RFC 7616 MD5/qop=auth needs. */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  qop?: string;
  opaque?: string;
  algorithm: string;
  stale: boolean;
}

const paramPattern = /([a-zA-Z]+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;

/** Parses a Digest challenge; undefined for any other scheme or a challenge without realm and nonce. */
export function parseDigestChallenge(header: string | undefined): DigestChallenge | undefined {
  if (!header || !/^\s*digest\s/i.test(header)) return undefined;
  const params = new Map<string, string>();
  for (const match of header.replace(/^\s*digest\s/i, '').matchAll(paramPattern)) {
    const [, key, quoted, bare] = match;
    if (key) params.set(key.toLowerCase(), (quoted ?? bare ?? '').replace(/\\(.)/g, '$1'));
  }
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

const md5 = (value: string) => createHash('md5').update(value).digest('hex');

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

/** Builds the `Authorization: Digest …` value (RFC 7616 with MD5, qop=auth when offered, RFC 2069 otherwise). */
export function digestAuthorization(input: DigestCredentialsInput): string {
  const { username, password, method, uri, challenge, nc } = input;
  if (challenge.algorithm.toUpperCase() !== 'MD5') {
    throw new Error(`unsupported digest algorithm ${challenge.algorithm}`);
  }
  const ha1 = md5(`${username}:${challenge.realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const useQop = challenge.qop?.split(',').some((q) => q.trim() === 'auth') ?? false;
  const ncHex = nc.toString(16).padStart(8, '0');
  const cnonce = input.cnonce ?? nextCnonce();
  const response = useQop
    ? md5(`${ha1}:${challenge.nonce}:${ncHex}:${cnonce}:auth:${ha2}`)
    : md5(`${ha1}:${challenge.nonce}:${ha2}`);
  const parts = [
    `username="${username}"`,
    `realm="${challenge.realm}"`,
    `nonce="${challenge.nonce}"`,
    `uri="${uri}"`,
    `algorithm=MD5`,
    `response="${response}"`,
  ];
  if (useQop) parts.push(`qop=auth`, `nc=${ncHex}`, `cnonce="${cnonce}"`);
  if (challenge.opaque !== undefined) parts.push(`opaque="${challenge.opaque}"`);
  return `Digest ${parts.join(', ')}`;
}
