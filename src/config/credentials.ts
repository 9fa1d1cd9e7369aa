import type { Secret } from '../support/secret.js';
import type { z } from 'zod';
import type { atlasKeysSchema } from './environment.js';

/**
 * How the service authenticates to Atlas. `none` means demo mode (the embedded simulator);
 * `forward` passes each caller's own bearer token through.
 */
export type AtlasCredentials =
  | { kind: 'none' }
  | { kind: 'api-key'; publicKey: string; privateKey: Secret }
  | { kind: 'service-account'; clientId: string; clientSecret: Secret }
  | { kind: 'forward' };

type AtlasKeys = z.output<typeof atlasKeysSchema>;

/** The API key pair and the service account as set, the Atlas CLI names before the Terraform ones. */
function pairs(keys: AtlasKeys) {
  return {
    publicKey: keys.MONGODB_ATLAS_PUBLIC_API_KEY ?? keys.MONGODB_ATLAS_PUBLIC_KEY,
    privateKey: keys.MONGODB_ATLAS_PRIVATE_API_KEY ?? keys.MONGODB_ATLAS_PRIVATE_KEY,
    clientId: keys.MONGODB_ATLAS_CLIENT_ID,
    clientSecret: keys.MONGODB_ATLAS_CLIENT_SECRET,
  };
}

/** Halves of a pair set without the other half. */
export function credentialProblems(keys: AtlasKeys): string[] {
  const { publicKey, privateKey, clientId, clientSecret } = pairs(keys);
  const problems: string[] = [];
  if ((publicKey === undefined) !== (privateKey === undefined)) {
    const missing = publicKey === undefined ? 'MONGODB_ATLAS_PUBLIC_API_KEY' : 'MONGODB_ATLAS_PRIVATE_API_KEY';
    problems.push(`${missing} is missing: an API key needs both the public and the private key`);
  }
  if ((clientId === undefined) !== (clientSecret === undefined)) {
    const missing = clientId === undefined ? 'MONGODB_ATLAS_CLIENT_ID' : 'MONGODB_ATLAS_CLIENT_SECRET';
    problems.push(`${missing} is missing: a service account needs both the client id and the client secret`);
  }
  return problems;
}

/**
 * The credentials to use (forward mode, else the service account, else the API key, else none: demo
 * mode), with a note when a set of credentials is ignored.
 */
export function chooseCredentials(
  keys: AtlasKeys,
  auth: 'auto' | 'forward',
): { credentials: AtlasCredentials; notes: string[] } {
  const { publicKey, privateKey, clientId, clientSecret } = pairs(keys);
  if (auth === 'forward') {
    const notes = clientId || publicKey ? ['ATLAS_AUTH=forward: the configured Atlas credentials are ignored'] : [];
    return { credentials: { kind: 'forward' }, notes };
  }
  if (clientId !== undefined && clientSecret !== undefined) {
    const notes = publicKey
      ? ['both a service account and an API key are set: using the service account (as the Atlas CLI does)']
      : [];
    return { credentials: { kind: 'service-account', clientId, clientSecret }, notes };
  }
  if (publicKey !== undefined && privateKey !== undefined)
    return { credentials: { kind: 'api-key', publicKey, privateKey }, notes: [] };
  return { credentials: { kind: 'none' }, notes: [] };
}
