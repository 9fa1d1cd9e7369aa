import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

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
    expect(config.upstream).toEqual({
      timeoutMs: 10_000,
      connectTimeoutMs: 5_000,
      headersTimeoutMs: 5_000,
      maxAttempts: 3,
      retryBaseDelayMs: 100,
      retryMaxDelayMs: 2_000,
      retryAfterMaxMs: 5_000,
      breakerFailures: 5,
      breakerCooldownMs: 10_000,
      concurrency: 8,
    });
    expect(config.atlasBaseUrl.origin).toBe('https://cloud.mongodb.com');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes the Atlas CLI key names, and the Terraform names as a fallback', () => {
    const cli = loadConfig({ MONGODB_ATLAS_PUBLIC_API_KEY: 'pub', MONGODB_ATLAS_PRIVATE_API_KEY: 'priv', MONGODB_ATLAS_PUBLIC_KEY: 'other' });
    expect(cli.mode).toBe('atlas');
    expect(cli.credentials).toMatchObject({ kind: 'api-key', publicKey: 'pub' });
    const tf = loadConfig({ MONGODB_ATLAS_PUBLIC_KEY: 'pub2', MONGODB_ATLAS_PRIVATE_KEY: 'priv2' });
    expect(tf.credentials).toMatchObject({ kind: 'api-key', publicKey: 'pub2' });
  });

  it('never shows the private key when printed or serialised', () => {
    const config = loadConfig({ MONGODB_ATLAS_PUBLIC_API_KEY: 'pub', MONGODB_ATLAS_PRIVATE_API_KEY: 'sup3r-s3cret' });
    expect(inspect(config, { depth: 5 })).not.toContain('sup3r-s3cret');
    expect(JSON.stringify(config)).not.toContain('sup3r-s3cret');
    expect(String(config.credentials.kind === 'api-key' && config.credentials.privateKey)).toBe('[redacted]');
  });

  it('reports every problem at once, without echoing values', () => {
    const found = problems({ PORT: 'eighty', MONGODB_ATLAS_BASE_URL: 'ftp://example.com', ATLAS_TIMEOUT_MS: '-1', MONGODB_ATLAS_PRIVATE_API_KEY: 'sup3r-s3cret' });
    expect(found.map((p) => p.split(' ')[0])).toEqual(['MONGODB_ATLAS_BASE_URL', 'PORT', 'ATLAS_TIMEOUT_MS', 'MONGODB_ATLAS_PUBLIC_API_KEY']);
    expect(found.join(' ')).not.toContain('sup3r-s3cret');
  });

  it('refuses a base URL with a path and a concurrency of 0', () => {
    expect(problems({ MONGODB_ATLAS_BASE_URL: 'https://cloud.mongodb.com/api', UPSTREAM_CONCURRENCY: '0' })).toHaveLength(2);
  });
});
