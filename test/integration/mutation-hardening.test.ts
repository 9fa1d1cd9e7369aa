import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { DEMO } from '../../src/simulator/seed.js';
import { startStack, TEST_SERVICE_ACCOUNT, type Stack } from '../helpers.js';

// Regressions of the adversarial review of the backup mutations (issue #13): each test failed before its fix.

const DOWNLOAD = `mutation D($input: DownloadFlexSnapshotInput!) { downloadFlexSnapshot(input: $input) { replayed restoreJob { id snapshotUrl } } }`;
const flexInput = (idempotencyKey: string) => ({
  groupId: DEMO.groupId,
  name: DEMO.flexCluster,
  snapshotId: DEMO.flexSnapshotId,
  idempotencyKey,
});
const audits = (stack: Stack) => stack.logs.filter((line) => line.audit === true);

describe('forward mode: a replay goes only to the same Atlas credentials', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ AUTH_API_KEYS: 'dashboard@dash-key backups:download backups:restore' }, 'forward', {
      clock: { frozen: true },
    });
  });
  afterAll(() => stack.close());

  const atlasToken = async () => {
    const basic = Buffer.from(`${TEST_SERVICE_ACCOUNT.clientId}:${TEST_SERVICE_ACCOUNT.clientSecret}`).toString(
      'base64',
    );
    const response = await fetch(`${stack.simulator.url}/api/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    return ((await response.json()) as { access_token: string }).access_token;
  };

  it('does not hand the first caller’s stored snapshotUrl to a forged or missing token', async () => {
    const input = flexInput('fwd-1');
    const token = await atlasToken();
    const first = await stack.query(DOWNLOAD, { input }, { 'x-api-key': 'dash-key', authorization: `Bearer ${token}` });
    const url = (first.data as { downloadFlexSnapshot: { restoreJob: { snapshotUrl: string } } }).downloadFlexSnapshot
      .restoreJob.snapshotUrl;
    expect(url).toMatch(/^https:/);
    const forged = await stack.query(DOWNLOAD, { input }, { 'x-api-key': 'dash-key', authorization: 'Bearer forged' });
    const none = await stack.query(DOWNLOAD, { input }, { 'x-api-key': 'dash-key' });
    for (const answer of [forged, none]) {
      expect(JSON.stringify(answer)).not.toContain(url);
      expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    // The same token replays (0 Atlas calls), and the audit line names the Atlas identity, never the token.
    const writes = stack.simulator.stats.writes.length;
    const again = await stack.query(DOWNLOAD, { input }, { 'x-api-key': 'dash-key', authorization: `Bearer ${token}` });
    expect(again.data).toMatchObject({ downloadFlexSnapshot: { replayed: true } });
    expect(stack.simulator.stats.writes.length).toBe(writes);
    const line = audits(stack).find((l) => l.result === 'replayed');
    expect(line?.atlasIdentity).toMatch(/^token:[\w-]{43}$/);
    expect(stack.rawLogs.join('\n')).not.toContain(token);
  });
});

describe('JWT callers and the audit of refusals', () => {
  const ISSUER = 'https://issuer.test';
  const AUDIENCE = 'atlas-backups-graphql';
  let jwks: Server;
  let key: CryptoKey;
  let stack: Stack;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k', alg: 'RS256', use: 'sig' };
    jwks = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    stack = await startStack(
      {
        AUTH_JWKS_URL: url,
        AUTH_ISSUER: ISSUER,
        AUTH_AUDIENCE: AUDIENCE,
        AUTH_API_KEYS: 'reader@read-key, snap@snap-key backups:snapshot, ops@ops-key backups:snapshot',
      },
      'api-key',
      { clock: { frozen: true } },
    );
  });
  afterAll(async () => {
    await stack.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  const tokenFor = (claims: Record<string, string>) =>
    new SignJWT({ scope: 'backups:download', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);

  it('keeps two machine clients without `sub` apart (their client_id names them)', async () => {
    const input = flexInput('order-42');
    const a = await stack.query(DOWNLOAD, { input }, { authorization: `Bearer ${await tokenFor({ client_id: 'A' })}` });
    const b = await stack.query(DOWNLOAD, { input }, { authorization: `Bearer ${await tokenFor({ client_id: 'B' })}` });
    expect(a.data).toMatchObject({ downloadFlexSnapshot: { replayed: false } });
    expect(b.data).toMatchObject({ downloadFlexSnapshot: { replayed: false } });
    const lines = audits(stack).filter((l) => l.mutation === 'downloadFlexSnapshot');
    expect(lines.map((l) => l.caller)).toEqual(['client_id:A', 'client_id:B']);
    expect(new Set(lines.map((l) => l.callerId)).size).toBe(2);
  });

  it('audits a refused mutation under its field name, whatever alias or fragment carries it', async () => {
    const before = audits(stack).length;
    const writes = stack.simulator.stats.writes.length;
    const del = `deleteClusterSnapshot(input: { groupId: "${CLOUD.groupId}", clusterName: "${CLOUD.replicaSet}", snapshotId: "${CLOUD.snapshots.daily}" }) { deletedSnapshotId }`;
    await stack.query(`mutation { ... on Mutation { takeClusterSnapshot: ${del} } }`, undefined, {
      'x-api-key': 'snap-key',
    });
    await stack.query(`mutation { ...F } fragment F on Mutation { anything: ${del} }`, undefined, {
      'x-api-key': 'snap-key',
    });
    const lines = audits(stack).slice(before);
    expect(lines.map((l) => [l.mutation, l.result, l.code, l.scope])).toEqual([
      ['deleteClusterSnapshot', 'refused', 'FORBIDDEN', 'backups:delete'],
      ['deleteClusterSnapshot', 'refused', 'FORBIDDEN', 'backups:delete'],
    ]);
    expect(stack.simulator.stats.writes).toHaveLength(writes);
  });

  it('audits mutations refused by variable coercion and by document validation', async () => {
    const before = audits(stack).length;
    const restore = `mutation R($input: CreateClusterRestoreJobInput!) { createClusterRestoreJob(input: $input) { dryRun } }`;
    const overflow = { groupId: DEMO.groupId, clusterName: 'c', deliveryType: 'AUTOMATED', oplogTs: 2 ** 31 };
    const coerced = await stack.query(restore, { input: overflow }, { 'x-api-key': 'read-key' });
    const invalid = await stack.query(
      `mutation { createClusterRestoreJob(input: { groupId: "${DEMO.groupId}", clusterName: "c", deliveryType: AUTOMATED, notAField: 1 }) { dryRun } }`,
      undefined,
      { 'x-api-key': 'read-key' },
    );
    expect(coerced.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(invalid.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const lines = audits(stack).slice(before);
    expect(lines.map((l) => [l.mutation, l.result, l.code, l.caller])).toEqual([
      ['createClusterRestoreJob', 'refused', 'BAD_USER_INPUT', 'reader'],
      ['createClusterRestoreJob', 'refused', 'GRAPHQL_VALIDATION_FAILED', 'reader'],
    ]);
  });

  it('runs no mutation over WebSocket (POST only, with CSRF protection) and refuses foreign browser origins', async () => {
    const url = stack.app.graphqlUrl.replace('http', 'ws');
    const writes = stack.simulator.stats.writes.length;
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { 'x-api-key': 'ops-key' },
      retryAttempts: 0,
    });
    const outcome = await new Promise<unknown>((resolve) => {
      client.subscribe(
        {
          query: `mutation { takeClusterSnapshot(input: { groupId: "${CLOUD.groupId}", clusterName: "${CLOUD.replicaSetGcp}" }) { dryRun } }`,
        },
        { next: () => resolve('next'), error: resolve, complete: () => resolve('complete') },
      );
    });
    await client.dispose();
    expect(JSON.stringify(outcome)).toContain('Only subscriptions go over WebSocket');
    expect(stack.simulator.stats.writes).toHaveLength(writes);
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers: { origin: 'https://evil.example' } });
    const status = await new Promise((resolve) =>
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode)),
    );
    expect(status).toBe(403);
  });
});
