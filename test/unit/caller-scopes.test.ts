import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseApiKeys } from '../../src/config/api-keys.js';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { ALL_SCOPES } from '../../src/config/scopes.js';
import { scopesOfJwt } from '../../src/graphql/plugins/jwt-scopes.js';

// AUTH_API_KEYS entries `[name@]key[ scope …]` and the scopes of a JWT.

const sha = (key: string) => createHash('sha256').update(key).digest('hex');

const problems = (entries: string) => {
  try {
    loadConfig({ AUTH_API_KEYS: entries });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('AUTH_API_KEYS entries', () => {
  it('name@key scope…: the name, the digest, the scopes with backups:read implied, in SCOPES order', () => {
    const digest = sha('ci-key');
    const { keys, problems: found } = parseApiKeys([
      'dashboard@s3cr3t backups:download   backups:restore',
      `ci@sha256:${digest} backups:snapshot`,
      'plain-key',
    ]);
    expect(found).toEqual([]);
    expect(keys.map(({ name, scopes }) => ({ name, scopes }))).toEqual([
      { name: 'dashboard', scopes: ['backups:read', 'backups:restore', 'backups:download'] },
      { name: 'ci', scopes: ['backups:read', 'backups:snapshot'] },
      // No name: the digest's first 16 hex digits, as the caller is named in the budgets and logs.
      { name: sha('plain-key').slice(0, 16), scopes: ['backups:read'] },
    ]);
    expect(keys.map((k) => k.digest.toString('hex'))).toEqual([sha('s3cr3t'), digest, sha('plain-key')]);
  });

  it('comma-separated in the variable; a key whose text after "@" is the key keeps the rest', () => {
    const config = loadConfig({ AUTH_API_KEYS: ' a@k1 backups:delete , b@k@2 ,k3 ' });
    expect(config.callerAuth.apiKeys.map((k) => [k.name, k.digest.toString('hex'), k.scopes])).toEqual([
      ['a', sha('k1'), ['backups:read', 'backups:delete']],
      ['b', sha('k@2'), ['backups:read']],
      [sha('k3').slice(0, 16), sha('k3'), ['backups:read']],
    ]);
  });

  it('refuses to start on an unknown scope, naming the entry and never echoing a key', () => {
    expect(problems('k1, k2 backups:wrte')).toEqual([
      expect.stringMatching(/^AUTH_API_KEYS entry 2: "backups:wrte" is not a scope \(scopes: backups:read, /),
    ]);
    // A space instead of a comma: the second key reads as a scope, and is not quoted.
    const found = problems('first-secret-key second-secret-key');
    expect(found).toEqual([expect.stringMatching(/^AUTH_API_KEYS entry 1: its word 2 is not a scope/)]);
    expect(found.join(' ')).not.toContain('secret-key');
  });

  it('refuses a bad name, a name without a key, a repeated name and a repeated key', () => {
    const found = problems(`bad name@k1, a#b@k2, empty@, x@k3, x@k4, y@k3, sha256:${sha('k4')}`);
    expect(found).toEqual([
      'AUTH_API_KEYS entry 1: its word 2 is not a scope (scopes: ' +
        ALL_SCOPES.join(', ') +
        '; separate entries with commas)',
      'AUTH_API_KEYS entry 2: the name before "@" must be 1 to 64 letters, digits, "-", "_" or "."',
      'AUTH_API_KEYS entry 3: no key after the name',
      'AUTH_API_KEYS entry 5: the name "x" of entry 4 again',
      'AUTH_API_KEYS entry 6: the same key as entry 4 (one key, one set of scopes)',
      'AUTH_API_KEYS entry 7: the same key as entry 5 (one key, one set of scopes)',
    ]);
    expect(found.join(' ')).not.toMatch(/k[1-4]\b/);
    expect(problems(`${'n'.repeat(65)}@key`)).toHaveLength(1);
    expect(problems(`${'n'.repeat(64)}@key`)).toEqual([]);
  });
});

describe('the scopes of a JWT', () => {
  it('`scope` (space-separated) and `scp` (array or string) together; unknown scopes ignored; backups:read always', () => {
    expect(scopesOfJwt({ scope: 'openid backups:restore  backups:nonsense' })).toEqual([
      'backups:read',
      'backups:restore',
    ]);
    expect(scopesOfJwt({ scp: ['backups:download', 'other:thing', 7] })).toEqual(['backups:read', 'backups:download']);
    expect(scopesOfJwt({ scope: 'backups:export', scp: 'backups:delete' })).toEqual([
      'backups:read',
      'backups:delete',
      'backups:export',
    ]);
    // Tokens issued before scopes existed: read-only, as before.
    expect(scopesOfJwt({ sub: 'legacy' })).toEqual(['backups:read']);
    expect(scopesOfJwt({ scope: 42 })).toEqual(['backups:read']);
  });

  it('AUTH_SCOPES_CLAIM: that claim alone, a string or an array', () => {
    const payload = { scope: 'backups:delete', permissions: ['backups:schedule'], roles: 'backups:snapshot x' };
    expect(scopesOfJwt(payload, 'permissions')).toEqual(['backups:read', 'backups:schedule']);
    expect(scopesOfJwt(payload, 'roles')).toEqual(['backups:read', 'backups:snapshot']);
    expect(scopesOfJwt(payload, 'missing')).toEqual(['backups:read']);
  });

  it('AUTH_SCOPES_CLAIM reaches the JWT settings; a name that is no claim name is refused', () => {
    const jwks = { AUTH_JWKS_URL: 'https://issuer.example/jwks.json' };
    expect(loadConfig({ ...jwks, AUTH_SCOPES_CLAIM: 'permissions' }).callerAuth.jwt).toMatchObject({
      scopesClaim: 'permissions',
    });
    expect(loadConfig(jwks).callerAuth.jwt).not.toHaveProperty('scopesClaim');
    expect(() => loadConfig({ ...jwks, AUTH_SCOPES_CLAIM: 'a b' })).toThrow(/AUTH_SCOPES_CLAIM must be a claim name/);
  });
});
