import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import {
  ANYONE_MAY_CALL,
  atlasCalls,
  SERVERLESS_API_ONLY,
  snapshotField,
  type Stack,
  stackPerTest,
  stoppedWallClock,
  TEST_KEY,
  TEST_SERVICE_ACCOUNT,
  WITHOUT_RECORD_CACHE,
} from '../helpers.js';

const key = { groupId: DEMO.groupId, clusterName: DEMO.clusterName, snapshotId: DEMO.snapshotId };
const QUERY = `{ ${snapshotField('s', key, 'id status')} }`;
const stacks = stackPerTest();
let stack: Stack;

describe('service account (OAuth 2.0 client credentials)', () => {
  it('fetches one token for 50 concurrent queries and sends it as a bearer token', async () => {
    stack = await stacks.start(
      { ...WITHOUT_RECORD_CACHE, ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL },
      'service-account',
    );
    const results = await Promise.all(Array.from({ length: 50 }, () => stack.query(QUERY)));
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(stack.simulator.stats.tokenRequests).toBe(1);
    expect(stack.simulator.tokens.issued).toBe(1);
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(50);
    expect(stack.simulator.stats.challenges).toBe(0);
    expect(stack.simulator.stats.bearerRejections).toBe(0);
  });

  it('refreshes the token in the last minute of its hour, before Atlas would refuse it', async () => {
    const clock = stoppedWallClock();
    stack = await stacks.start(
      { ...WITHOUT_RECORD_CACHE, ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL },
      'service-account',
      {
        tokenLifetimeSeconds: 3600, // as Atlas issues them
      },
    );
    expect((await stack.query(QUERY)).errors).toBeUndefined();
    clock.advance(3_600_000 - 61_000); // 61 s left: the token is still used
    expect((await stack.query(QUERY)).errors).toBeUndefined();
    expect(stack.simulator.tokens.issued).toBe(1);
    clock.advance(2_000); // 59 s left: Atlas would still take it, the service fetches the next one
    expect((await stack.query(QUERY)).errors).toBeUndefined();
    expect(stack.simulator.tokens.issued).toBe(2);
    expect(stack.simulator.stats.bearerRejections).toBe(0);
  });

  it('on a 401 drops the token, fetches a new one and retries the call once', async () => {
    stack = await stacks.start(
      { ...WITHOUT_RECORD_CACHE, ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL },
      'service-account',
    );
    expect((await stack.query(QUERY)).errors).toBeUndefined();
    stack.simulator.tokens.revokeAll();
    const { data, errors } = await stack.query(QUERY);
    expect(errors).toBeUndefined();
    expect(data!.s).toMatchObject({ id: DEMO.snapshotId });
    expect(stack.simulator.stats.bearerRejections).toBe(1);
    expect(stack.simulator.tokens.issued).toBe(2);
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(2); // the first query, then the refused call is not counted: 401 is answered before routing
  });

  it('a bad client secret → UNAUTHENTICATED, no API call, and the secret nowhere', async () => {
    stack = await stacks.start(
      {
        ...WITHOUT_RECORD_CACHE,
        ...SERVERLESS_API_ONLY,
        ...ANYONE_MAY_CALL,
        MONGODB_ATLAS_CLIENT_SECRET: 'wrong-secret-canary-1b2c',
      },
      'service-account',
    );
    const { data, errors } = await stack.query(QUERY);
    expect(data).toEqual({ s: null });
    expect(errors![0]!.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(errors![0]!.message).toContain('invalid_client');
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(0);
    const everything = JSON.stringify(errors) + stack.rawLogs.join('');
    expect(everything).not.toContain('wrong-secret-canary');
    expect(everything).not.toContain(TEST_SERVICE_ACCOUNT.clientSecret);
  });

  it('a failing token endpoint → UPSTREAM_ERROR', async () => {
    stack = await stacks.start(
      { ...WITHOUT_RECORD_CACHE, ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL },
      'service-account',
    );
    stack.simulator.faults.inject(
      { kind: 'status', status: 503, body: { error: 'temporarily_unavailable' } },
      { operation: 'createServiceAccountToken' },
    );
    const { errors } = await stack.query(QUERY);
    expect(errors![0]!.extensions).toEqual({ code: 'UPSTREAM_ERROR' });
    expect(errors![0]!.message).toContain('HTTP 503');
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(0);
    // The next query gets a token and succeeds: a failed fetch is not cached.
    expect((await stack.query(QUERY)).errors).toBeUndefined();
  });

  it('wins over an API key when both are set, and the log says so', async () => {
    stack = await stacks.start({ ...WITHOUT_RECORD_CACHE, ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL }, 'both');
    expect(stack.app.authKind).toBe('service-account');
    expect((await stack.query(QUERY)).errors).toBeUndefined();
    expect(stack.simulator.tokens.issued).toBe(1);
    expect(stack.simulator.stats.challenges).toBe(0);
    expect(stack.logs.some((l) => String(l.msg).includes('using the service account'))).toBe(true);
  });
});

describe('API key (HTTP Digest)', () => {
  it('pays one challenge for many calls, sequential and concurrent, by reusing the nonce', async () => {
    stack = await stacks.start({ ...WITHOUT_RECORD_CACHE, ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    for (let i = 0; i < 10; i += 1) expect((await stack.query(QUERY)).errors).toBeUndefined();
    const concurrent = await Promise.all(Array.from({ length: 20 }, () => stack.query(QUERY)));
    for (const r of concurrent) expect(r.errors).toBeUndefined();
    expect(stack.simulator.stats.challenges).toBe(1);
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(30);
    expect(stack.simulator.stats.requests).toBe(31);
  });

  it('the first concurrent burst shares one challenge', async () => {
    stack = await stacks.start({ ...WITHOUT_RECORD_CACHE, ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL });
    const burst = await Promise.all(Array.from({ length: 20 }, () => stack.query(QUERY)));
    for (const r of burst) expect(r.errors).toBeUndefined();
    expect(stack.simulator.stats.challenges).toBe(1);
  });

  it('handles stale=true by taking the new nonce and retrying', async () => {
    const clock = stoppedWallClock();
    stack = await stacks.start({ ...WITHOUT_RECORD_CACHE, ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL }, 'api-key', {
      nonceLifetimeMs: 300_000,
    });
    expect((await stack.query(QUERY)).errors).toBeUndefined();
    clock.advance(300_001); // the nonce is now stale: the simulator answers 401 stale=true
    expect((await stack.query(QUERY)).errors).toBeUndefined();
    expect(stack.simulator.stats.challenges).toBe(2);
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(2);
  });
});

describe('forward mode (ATLAS_AUTH=forward)', () => {
  async function atlasToken(s: Stack): Promise<string> {
    const basic = Buffer.from(`${TEST_SERVICE_ACCOUNT.clientId}:${TEST_SERVICE_ACCOUNT.clientSecret}`).toString(
      'base64',
    );
    const response = await fetch(`${s.simulator.url}/api/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    return ((await response.json()) as { access_token: string }).access_token;
  }

  it('without a bearer token → UNAUTHENTICATED before any upstream call', async () => {
    stack = await stacks.start({ ...WITHOUT_RECORD_CACHE, ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL }, 'forward');
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Basic abc' },
      { authorization: 'Bearer bad token' },
      { authorization: 'Bearer a"b' },
    ];
    for (const headers of attempts) {
      const { data, errors } = await stack.query(QUERY, undefined, headers);
      expect(data).toEqual({ s: null });
      expect(errors![0]!.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    }
    expect(stack.simulator.stats.requests).toBe(0);
  });

  it("forwards each request's own token, never mixing them between concurrent requests", async () => {
    stack = await stacks.start({ ...WITHOUT_RECORD_CACHE, ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL }, 'forward');
    const token = await atlasToken(stack);
    stack.simulator.faults.latencyMs = 100;
    const [good, bad] = await Promise.all([
      stack.query(QUERY, undefined, { authorization: `Bearer ${token}` }),
      stack.query(QUERY, undefined, { authorization: 'Bearer not-a-token-the-simulator-issued' }),
    ]);
    expect(good.errors).toBeUndefined();
    expect(good.data!.s).toMatchObject({ id: DEMO.snapshotId });
    expect(bad.errors![0]!.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      atlas: { status: 401, errorCode: 'UNAUTHORIZED' },
    });
    expect(stack.simulator.stats.bearerRejections).toBe(1);
    expect(stack.simulator.stats.challenges).toBe(0);
    expect(JSON.stringify(bad)).not.toContain(token);
  });
});

describe('secrets', () => {
  it('the digest private key never reaches a log line', async () => {
    stack = await stacks.start({
      ...WITHOUT_RECORD_CACHE,
      ...SERVERLESS_API_ONLY,
      ...ANYONE_MAY_CALL,
      LOG_LEVEL: 'trace',
    });
    await stack.query(QUERY);
    expect(stack.rawLogs.join('')).not.toContain(TEST_KEY.privateKey);
  });
});
