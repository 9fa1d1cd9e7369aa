import type { JWTPayload } from 'jose';
import { isScope, withRead, type Scope } from '../../config/scopes.js';

/** A claim's words: a space-separated string, or an array whose strings count (anything else: none). */
function words(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(/\s+/).filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((item): item is string => typeof item === 'string');
  return [];
}

/**
 * The scopes a verified JWT grants: those of the claim `claimName` (AUTH_SCOPES_CLAIM) when set,
 * else of `scope` (RFC 8693: space-separated) and `scp` (an array, or a string). Only scopes this
 * service knows count; others (`openid`, another API's) are ignored. `backups:read` always: tokens
 * issued before scopes existed carry none and must keep reading.
 */
export function scopesOfJwt(payload: JWTPayload, claimName?: string): Scope[] {
  const claims = claimName === undefined ? [payload.scope, payload.scp] : [payload[claimName]];
  return withRead(claims.flatMap(words).filter(isScope));
}
