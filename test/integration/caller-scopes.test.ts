import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { DEMO } from '../../src/simulator/seed.js';
import {
  ANYONE_MAY_CALL,
  captureLogger,
  type GraphQLResponse,
  type Stack,
  stackPerTest,
  startStack,
} from '../helpers.js';

// Caller scopes through the real stack: download URLs need backups:download; a caller without it
// gets null and FORBIDDEN on that field alone, for no extra Atlas call. Keys carry scopes in
// AUTH_API_KEYS, JWTs in `scope`/`scp` (or AUTH_SCOPES_CLAIM); the demo caller holds every scope.

const READ_ONLY_MESSAGE = 'Forbidden: this needs the backups:download scope; the caller holds backups:read.';
const READER = { 'x-api-key': 'reader-key' };
const DOWNLOADER = { 'x-api-key': 'downloader-key' };
const UNNAMED = { 'x-api-key': 'unnamed-key' };

const dedicatedJob = (fields: string) =>
  `j: clusterRestoreJob(groupId: "${CLOUD.groupId}", clusterName: "${CLOUD.replicaSet}", restoreJobId: "${CLOUD.restoreJobs.downloadReady}") { ${fields} }`;
const flexJob = (fields: string) =>
  `f: flexRestoreJob(groupId: "${DEMO.groupId}", name: "${DEMO.flexCluster}", restoreJobId: "${DEMO.flexRestoreJobId}") { ${fields} }`;

/** The errors of a response as path → code, message and scope. */
const errorsByPath = (response: GraphQLResponse) =>
  Object.fromEntries(
    (response.errors ?? []).map((e) => [
      e.path!.join('.'),
      { code: e.extensions!.code, message: e.message, scope: e.extensions!.scope },
    ]),
  );
const forbidden = { code: 'FORBIDDEN', message: READ_ONLY_MESSAGE, scope: 'backups:download' };

/** The Atlas requests `run` made. */
async function upstreamCalls(stack: Stack, run: () => Promise<unknown>): Promise<number> {
  stack.simulator.reset();
  await run();
  return stack.simulator.stats.requests;
}

describe('scopes of static keys (AUTH_API_KEYS)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      AUTH_API_KEYS: `reader@reader-key, downloader@downloader-key backups:download backups:restore, unnamed-key`,
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.simulator.reset());

  it('a read-only key reading deliveryUrl: null and FORBIDDEN on that field, the rest intact, no extra Atlas call', async () => {
    const withUrl = await stack.query(`{ ${dedicatedJob('id state deliveryUrl')} }`, {}, READER);
    expect(withUrl.data).toEqual({ j: { id: CLOUD.restoreJobs.downloadReady, state: 'READY', deliveryUrl: null } });
    expect(errorsByPath(withUrl)).toEqual({ 'j.deliveryUrl': forbidden });
    expect(withUrl.errors![0]!.extensions).toEqual({
      code: 'FORBIDDEN',
      scope: 'backups:download',
      heldScopes: ['backups:read'],
    });
    const without = await upstreamCalls(stack, () => stack.query(`{ ${dedicatedJob('id state')} }`, {}, READER));
    const refused = await upstreamCalls(stack, () => stack.query(`{ ${dedicatedJob('id deliveryUrl')} }`, {}, READER));
    expect(without).toBe(1);
    expect(refused).toBe(without);
  });

  it('a key holding backups:download reads it, for the same Atlas calls', async () => {
    let response: GraphQLResponse<{ j: { deliveryUrl: string[] } }> = {};
    const calls = await upstreamCalls(stack, async () => {
      response = await stack.query(`{ ${dedicatedJob('deliveryUrl')} }`, {}, DOWNLOADER);
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.j.deliveryUrl[0]).toMatch(/^https:\/\//);
    expect(calls).toBe(1);
  });

  it('every download URL field: Flex snapshotUrl, shard downloadUrl, serverless deliveryUrl', async () => {
    const shard = `s: clusterRestoreJob(groupId: "${CLOUD.groupId}", clusterName: "${CLOUD.sharded}", restoreJobId: "${CLOUD.shardedRestoreJobId}") { components { downloadUrl } }`;
    const serverless = `l: serverlessRestoreJob(groupId: "${DEMO.groupId}", clusterName: "${DEMO.clusterName}", restoreJobId: "${DEMO.downloadRestoreJobId}") { id deliveryUrl }`;
    const query = `{ ${flexJob('id snapshotUrl')} ${shard} ${serverless} }`;
    const read = await stack.query<Record<string, Record<string, unknown>>>(query, {}, READER);
    expect(read.data!.f).toEqual({ id: DEMO.flexRestoreJobId, snapshotUrl: null });
    expect(read.data!.l).toEqual({ id: DEMO.downloadRestoreJobId, deliveryUrl: null });
    expect(errorsByPath(read)).toEqual({
      'f.snapshotUrl': forbidden,
      's.components.0.downloadUrl': forbidden,
      's.components.1.downloadUrl': forbidden,
      'l.deliveryUrl': forbidden,
    });
    const downloaded = await stack.query<Record<string, Record<string, unknown>>>(query, {}, DOWNLOADER);
    expect(downloaded.errors).toBeUndefined();
    expect(downloaded.data!.f!.snapshotUrl).toEqual(expect.stringContaining('.tar.gz'));
  });

  it('a list keeps its items: each item’s URL is null with its own error', async () => {
    const response = await stack.query<{ l: { edges: { node: { id: string; deliveryUrl: null } }[] } }>(
      `{ l: clusterRestoreJobs(groupId: "${CLOUD.groupId}", clusterName: "${CLOUD.replicaSet}") { edges { node { id deliveryUrl } } } }`,
      {},
      READER,
    );
    const nodes = response.data!.l.edges.map((e) => e.node);
    expect(nodes).toHaveLength(8);
    expect(nodes.every((n) => n.deliveryUrl === null)).toBe(true);
    expect(response.errors).toHaveLength(8);
  });

  it('_entities: entities resolve for a read-only key, their URLs stay behind the scope', async () => {
    const representations = [
      {
        __typename: 'ClusterRestoreJob',
        groupId: CLOUD.groupId,
        clusterName: CLOUD.replicaSet,
        id: CLOUD.restoreJobs.downloadReady,
      },
    ];
    const response = await stack.query(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on ClusterRestoreJob { id deliveryUrl } } }',
      { r: representations },
      READER,
    );
    expect(response.data).toEqual({ _entities: [{ id: CLOUD.restoreJobs.downloadReady, deliveryUrl: null }] });
    expect(errorsByPath(response)).toEqual({ '_entities.0.deliveryUrl': forbidden });
  });

  it('the request log names the caller: the key’s name, else its digest’s first 16 hex digits', async () => {
    await stack.query(`{ ${dedicatedJob('id')} }`, {}, DOWNLOADER);
    await stack.query(`{ ${dedicatedJob('id')} }`, {}, UNNAMED);
    const names = stack.logs.filter((l) => l.msg === 'graphql request').map((l) => l.callerName);
    const prefix = createHash('sha256').update('unnamed-key').digest('hex').slice(0, 16);
    expect(names.slice(-2)).toEqual(['downloader', prefix]);
  });
});

describe('callers without a door', () => {
  const stacks = stackPerTest();

  it('ALLOW_UNAUTHENTICATED: backups:read only', async () => {
    const stack = await stacks.start({ ...ANYONE_MAY_CALL });
    const response = await stack.query(`{ ${dedicatedJob('id deliveryUrl')} }`);
    expect(response.data).toEqual({ j: { id: CLOUD.restoreJobs.downloadReady, deliveryUrl: null } });
    expect(errorsByPath(response)).toEqual({ 'j.deliveryUrl': forbidden });
  });

  it('demo mode: the caller holds every scope (against the embedded simulator)', async () => {
    const app = await startApp(loadConfig({ PORT: '0' }), captureLogger().logger);
    try {
      const response = await fetch(app.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ ${flexJob('snapshotUrl')} }` }),
      });
      const body = (await response.json()) as GraphQLResponse<{ f: { snapshotUrl: string } }>;
      expect(body.errors).toBeUndefined();
      expect(body.data!.f.snapshotUrl).toEqual(expect.stringContaining('.tar.gz'));
    } finally {
      await app.close(1000);
    }
  });
});

describe('scopes of JWTs', () => {
  const ISSUER = 'https://issuer.test';
  let jwks: Server;
  let jwksUrl: string;
  let signingKey: CryptoKey;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', () => resolve()));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => jwks.close(resolve)));

  const bearer = async (claims: JWTPayload) => ({
    authorization: `Bearer ${await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setSubject('frontend-app')
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(signingKey)}`,
  });
  const stacks = stackPerTest();
  /** Whether a caller with `claims` may read the URL. */
  const mayDownload = async (stack: Stack, claims: JWTPayload) => {
    const response = await stack.query(`{ ${dedicatedJob('id deliveryUrl')} }`, {}, await bearer(claims));
    if (response.errors) expect(errorsByPath(response)).toEqual({ 'j.deliveryUrl': forbidden });
    return response.errors === undefined;
  };

  it('`scope` (space-separated) and `scp` (array); no scope at all reads; the log names the `sub`', async () => {
    const stack = await stacks.start({ AUTH_JWKS_URL: jwksUrl, AUTH_ISSUER: ISSUER });
    expect(await mayDownload(stack, { scope: 'openid backups:download' })).toBe(true);
    expect(await mayDownload(stack, { scp: ['backups:download'] })).toBe(true);
    expect(await mayDownload(stack, { scope: 'backups:downloads' })).toBe(false);
    expect(await mayDownload(stack, {})).toBe(false);
    expect(stack.logs.filter((l) => l.msg === 'graphql request').map((l) => l.callerName)).toContain('frontend-app');
  });

  it('AUTH_SCOPES_CLAIM: that claim alone', async () => {
    const stack = await stacks.start({ AUTH_JWKS_URL: jwksUrl, AUTH_ISSUER: ISSUER, AUTH_SCOPES_CLAIM: 'permissions' });
    expect(await mayDownload(stack, { permissions: ['backups:download'] })).toBe(true);
    expect(await mayDownload(stack, { permissions: 'backups:restore backups:download' })).toBe(true);
    expect(await mayDownload(stack, { scope: 'backups:download' })).toBe(false);
  });
});
