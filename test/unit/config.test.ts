import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('configuration', () => {
  it('defaults to demo mode on 127.0.0.1:4000 against cloud.mongodb.com', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ mode: 'demo', port: 4000, host: '127.0.0.1' });
    // In the shape `new AtlasClient({...config.atlasClient, ...})` takes.
    expect(config.atlasClient).toEqual({
      timeoutMs: 10_000,
      connectTimeoutMs: 5_000,
      headersTimeoutMs: 5_000,
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2_000, retryAfterMaxMs: 5_000 },
      breaker: { failures: 5, cooldownMs: 10_000 },
      rateLimitHoldMaxMs: 60_000,
      rateLimitPerMinute: 1_000,
      rateWaitMs: 1_000,
    });
    expect(config.limits.upstreamConcurrency).toBe(8);
    expect(config.demo).toEqual({ serverlessSunset: false });
    expect(config.atlasBaseUrl.origin).toBe('https://cloud.mongodb.com');
  });

  it('is frozen all the way down (Buffers, URLs and secrets as they are)', () => {
    const config = loadConfig({ AUTH_API_KEYS: 'k1, k2', CORS_ORIGINS: 'https://a.example' });
    const frozen: unknown[] = [
      config,
      config.atlasClient,
      config.atlasClient.retry,
      config.atlasClient.breaker,
      config.limits,
      config.metrics,
      config.callerAuth,
      config.callerAuth.apiKeys,
      config.callerAuth.apiKeys[0],
      config.callerAuth.apiKeys[0]!.scopes,
      config.corsOrigins,
      config.notes,
      config.demo,
    ];
    for (const part of frozen) expect(Object.isFrozen(part)).toBe(true);
    expect(() => (config.atlasClient.retry as { maxAttempts: number }).maxAttempts++).toThrow(TypeError);
    expect(() => (config.corsOrigins as string[]).push('https://evil.example')).toThrow(TypeError);
    expect(config.callerAuth.apiKeys[0]!.digest).toBeInstanceOf(Buffer);
  });

  it('reads SIM_SERVERLESS_SUNSET as a demo-mode setting, validated like the rest', () => {
    expect(loadConfig({ SIM_SERVERLESS_SUNSET: 'true' }).demo).toEqual({ serverlessSunset: true });
    expect(problems({ SIM_SERVERLESS_SUNSET: 'yes' })).toEqual(['SIM_SERVERLESS_SUNSET must be true or false']);
  });

  it('takes the Atlas CLI key names, and the Terraform names as a fallback', () => {
    const cli = loadConfig({
      MONGODB_ATLAS_PUBLIC_API_KEY: 'pub',
      MONGODB_ATLAS_PRIVATE_API_KEY: 'priv',
      MONGODB_ATLAS_PUBLIC_KEY: 'other',
      AUTH_API_KEYS: 'k',
    });
    expect(cli.mode).toBe('atlas');
    expect(cli.credentials).toMatchObject({ kind: 'api-key', publicKey: 'pub' });
    const tf = loadConfig({ MONGODB_ATLAS_PUBLIC_KEY: 'pub2', MONGODB_ATLAS_PRIVATE_KEY: 'priv2', AUTH_API_KEYS: 'k' });
    expect(tf.credentials).toMatchObject({ kind: 'api-key', publicKey: 'pub2' });
  });

  it('never shows the private key when printed or serialised', () => {
    const config = loadConfig({
      MONGODB_ATLAS_PUBLIC_API_KEY: 'pub',
      MONGODB_ATLAS_PRIVATE_API_KEY: 'sup3r-s3cret',
      AUTH_API_KEYS: 'caller-key-1',
    });
    expect(inspect(config, { depth: 5 })).not.toContain('caller-key-1');
    expect(inspect(config, { depth: 5 })).not.toContain('sup3r-s3cret');
    expect(JSON.stringify(config)).not.toContain('sup3r-s3cret');
    expect(String(config.credentials.kind === 'api-key' && config.credentials.privateKey)).toBe('[redacted]');
  });

  it('reports every problem at once, without echoing values', () => {
    const found = problems({
      PORT: 'eighty',
      MONGODB_ATLAS_BASE_URL: 'ftp://example.com',
      ATLAS_TIMEOUT_MS: '-1',
      MONGODB_ATLAS_PRIVATE_API_KEY: 'sup3r-s3cret',
    });
    expect(found.map((p) => p.split(' ')[0])).toEqual([
      'MONGODB_ATLAS_BASE_URL',
      'PORT',
      'ATLAS_TIMEOUT_MS',
      'MONGODB_ATLAS_PUBLIC_API_KEY',
    ]);
    expect(found.join(' ')).not.toContain('sup3r-s3cret');
  });

  it('refuses a base URL with a path and a concurrency of 0', () => {
    expect(
      problems({ MONGODB_ATLAS_BASE_URL: 'https://cloud.mongodb.com/api', UPSTREAM_CONCURRENCY: '0' }),
    ).toHaveLength(2);
  });

  it('refuses to serve Atlas credentials to unauthenticated callers unless told to', () => {
    const holding = { MONGODB_ATLAS_CLIENT_ID: 'id', MONGODB_ATLAS_CLIENT_SECRET: 'secret' };
    expect(problems(holding)[0]).toMatch(/^this server holds Atlas credentials, so callers must authenticate/);
    expect(loadConfig({ ...holding, ALLOW_UNAUTHENTICATED: 'true' }).notes.join(' ')).toContain(
      'ALLOW_UNAUTHENTICATED=true',
    );
    expect(loadConfig({ ...holding, AUTH_JWKS_URL: 'https://issuer.example/jwks.json' }).callerAuth).toMatchObject({
      required: true,
      jwt: {},
    });
    // Demo and forward modes hold no secret of their own.
    expect(loadConfig({}).callerAuth.required).toBe(false);
    expect(loadConfig({ ATLAS_AUTH: 'forward' }).callerAuth.required).toBe(false);
  });

  it('forward mode: callers authenticate by x-api-key only, never by JWT (their Authorization goes to Atlas)', () => {
    expect(problems({ ATLAS_AUTH: 'forward', AUTH_JWKS_URL: 'https://issuer.example/jwks.json' })).toEqual([
      "AUTH_JWKS_URL cannot be used with ATLAS_AUTH=forward: the caller's Authorization header carries their Atlas token there (callers authenticate with AUTH_API_KEYS, sent as x-api-key)",
    ]);
    expect(loadConfig({ ATLAS_AUTH: 'forward', AUTH_API_KEYS: 'k' }).callerAuth.bearer).toBe(false);
    expect(loadConfig({ AUTH_API_KEYS: 'k' }).callerAuth.bearer).toBe(true);
  });

  it('keeps caller keys only as SHA-256 digests, and accepts digests in place of keys', () => {
    const digest = 'sha256:' + '3'.repeat(64);
    const config = loadConfig({ AUTH_API_KEYS: ` key-one , ${digest} ` });
    expect(config.callerAuth.apiKeys.map((k) => k.digest.toString('hex'))).toEqual([
      createHash('sha256').update('key-one').digest('hex'),
      '3'.repeat(64),
    ]);
  });

  it('turns introspection and GraphiQL off in production unless asked for', () => {
    expect(loadConfig({})).toMatchObject({ introspection: true, graphiql: true });
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ introspection: false, graphiql: false });
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true', GRAPHIQL: '1' })).toMatchObject({
      introspection: true,
      graphiql: true,
    });
    expect(problems({ GRAPHIQL: 'yes' })).toEqual(['GRAPHIQL must be true or false']);
  });
});
