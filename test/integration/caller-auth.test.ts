import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import { SERVERLESS_API_ONLY, type Stack, stackPerTest, TEST_SERVICE_ACCOUNT } from '../helpers.js';

// Callers must authenticate when the server holds Atlas credentials. A JWKS served over loopback
// by the test, with signing keys made here.

const QUERY = JSON.stringify({
  query: `{ serverlessSnapshot(groupId: "${DEMO.groupId}", clusterName: "${DEMO.clusterName}", snapshotId: "${DEMO.snapshotId}") { id } }`,
});
const ISSUER = 'https://issuer.test';
const AUDIENCE = 'atlas-backups-graphql';

let jwks: Server;
let jwksUrl: string;
let signingKey: CryptoKey;
let strangerKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  jwks = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', () => resolve()));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
});
afterAll(() => new Promise((resolve) => jwks.close(resolve)));

const token = (claims: { aud?: string; iss?: string; exp?: number | string } = {}, key: CryptoKey = signingKey) =>
  new SignJWT({ scope: 'read' })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
    .setSubject('frontend-app')
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? '5m')
    .sign(key);

async function call(stack: Stack, headers: Record<string, string>) {
  const response = await fetch(stack.app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: QUERY,
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions: { code: string } }[] },
  };
}

const refused = (result: Awaited<ReturnType<typeof call>>) => {
  expect(result.status).toBe(401);
  expect(result.body.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
  expect(result.body.data).toBeUndefined();
};

describe('caller authentication', () => {
  const stacks = stackPerTest();
  it('JWTs verified against a JWKS: valid passes; expired, wrong audience, wrong issuer, wrong key and none get 401 and no Atlas call', async () => {
    const stack = await stacks.start(
      { ...SERVERLESS_API_ONLY, AUTH_JWKS_URL: jwksUrl, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE },
      'service-account',
    );
    refused(await call(stack, {}));
    refused(await call(stack, { authorization: `Bearer ${await token({ exp: Math.floor(Date.now() / 1000) - 60 })}` }));
    refused(await call(stack, { authorization: `Bearer ${await token({ aud: 'someone-else' })}` }));
    refused(await call(stack, { authorization: `Bearer ${await token({ iss: 'https://evil.test' })}` }));
    refused(await call(stack, { authorization: `Bearer ${await token({}, strangerKey)}` }));
    refused(await call(stack, { authorization: 'Bearer not.a.jwt' }));
    expect(stack.simulator.stats.requests).toBe(0);
    const ok = await call(stack, { authorization: `Bearer ${await token()}` });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual({ serverlessSnapshot: { id: DEMO.snapshotId } });
  });

  it('static API keys, by Authorization or x-api-key, given plain or as SHA-256 digests', async () => {
    const digest = `sha256:${createHash('sha256').update('hashed-key-2').digest('hex')}`;
    const stack = await stacks.start({ ...SERVERLESS_API_ONLY, AUTH_API_KEYS: `plain-key-1,${digest}` });
    refused(await call(stack, {}));
    refused(await call(stack, { 'x-api-key': 'wrong' }));
    refused(await call(stack, { authorization: 'Bearer plain-key-1x' }));
    expect(stack.simulator.stats.requests).toBe(0);
    const accepted: Record<string, string>[] = [
      { authorization: 'Bearer plain-key-1' },
      { 'x-api-key': 'plain-key-1' },
      { 'x-api-key': 'hashed-key-2' },
    ];
    for (const headers of accepted) {
      const result = await call(stack, headers);
      expect(result.status, JSON.stringify(headers)).toBe(200);
      expect(result.body.errors).toBeUndefined();
    }
  });

  it('forward mode: a caller key is taken from x-api-key only, and a Bearer caller key never reaches Atlas', async () => {
    const stack = await stacks.start({ ...SERVERLESS_API_ONLY, AUTH_API_KEYS: 'caller-key' }, 'forward');
    // `Authorization: Bearer <caller key>` once passed the door and went to Atlas as the Atlas token.
    refused(await call(stack, { authorization: 'Bearer caller-key' }));
    expect(stack.simulator.stats.requests).toBe(0);
    const basic = Buffer.from(`${TEST_SERVICE_ACCOUNT.clientId}:${TEST_SERVICE_ACCOUNT.clientSecret}`).toString(
      'base64',
    );
    const issued = await fetch(`${stack.simulator.url}/api/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const atlasToken = ((await issued.json()) as { access_token: string }).access_token;
    refused(await call(stack, { authorization: `Bearer ${atlasToken}` }));
    const ok = await call(stack, { 'x-api-key': 'caller-key', authorization: `Bearer ${atlasToken}` });
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
    expect(stack.simulator.stats.lastCall!.headers.authorization).toBe(`Bearer ${atlasToken}`);
  });

  it('the GraphiQL page loads without credentials; its queries need them', async () => {
    const stack = await stacks.start({ ...SERVERLESS_API_ONLY, AUTH_API_KEYS: 'k1' });
    const page = await fetch(stack.app.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('GraphiQL');
    refused(await call(stack, {}));
  });
});
