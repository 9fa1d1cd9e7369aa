import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { digestAuthorization, parseDigestChallenge } from '../../src/atlas/digest.js';
import { startAtlasSimulator, type AtlasSimulator } from '../../src/simulator/server.js';
import { DEMO } from '../../src/simulator/seed.js';

// The simulator on its own, over HTTP: what a faithful Atlas stand-in must do.
const KEY = { publicKey: 'simpubk1', privateKey: 'sim-private' };
const ACCOUNT = { clientId: 'mdb_sa_id_sim', clientSecret: 'mdb_sa_sk_sim' };
const MEDIA = 'application/vnd.atlas.2023-01-01+json';
const snapshotPath = `/api/atlas/v2/groups/${DEMO.groupId}/serverless/${DEMO.clusterName}/backup/snapshots/${DEMO.snapshotId}`;
const listPath = `/api/atlas/v2/groups/${DEMO.groupId}/serverless/${DEMO.clusterName}/backup/snapshots`;

let sim: AtlasSimulator;
beforeAll(async () => {
  sim = await startAtlasSimulator({ apiKeys: [KEY], serviceAccounts: [ACCOUNT], tokenLifetimeSeconds: 1 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

/** GET with Digest: one bare request for the challenge, then the signed one. */
async function digestGet(path: string, accept = MEDIA) {
  const challengeResponse = await fetch(sim.url + path, { headers: { accept } });
  const challenge = parseDigestChallenge(challengeResponse.headers.get('www-authenticate') ?? undefined)!;
  const authorization = digestAuthorization({
    username: KEY.publicKey,
    password: KEY.privateKey,
    method: 'GET',
    uri: path,
    challenge,
    nc: 1,
  });
  return fetch(sim.url + path, { headers: { accept, authorization } });
}

describe('Atlas simulator', () => {
  it('challenges an unauthenticated call the way Atlas does', async () => {
    const response = await fetch(sim.url + snapshotPath, { headers: { accept: MEDIA } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(
      /^Digest realm="MMS Public API", domain="", nonce="[^"]+", algorithm=MD5, qop="auth", stale=false$/,
    );
    expect(await response.json()).toEqual({
      error: 401,
      errorCode: 'UNEXPECTED_ERROR',
      reason: 'Unauthorized',
      detail: 'You are not authorized for this resource.',
    });
    expect(sim.stats.challenges).toBe(1);
    expect(sim.upstreamCalls()).toBe(0);
  });

  it('serves a snapshot with the versioned content type, rate-limit and sunset headers', async () => {
    const response = await digestGet(snapshotPath);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(`${MEDIA};charset=utf-8`);
    expect(response.headers.get('ratelimit-limit')).toBe('1200');
    expect(Number(response.headers.get('ratelimit-remaining'))).toBeLessThan(1200);
    expect(response.headers.get('sunset')).toBe('Thu, 22 Jan 2026 00:00:00 GMT');
    expect(await response.json()).toMatchObject({
      id: DEMO.snapshotId,
      status: 'completed',
      storageSizeBytes: 5368709120,
    });
    expect(sim.stats.byOperation).toEqual({ getServerlessBackupSnapshot: 1 });
  });

  it('answers a missing or wrong Accept with 406 INVALID_VERSION_DATE', async () => {
    for (const accept of ['application/json', 'application/vnd.atlas.2024-11-13+json']) {
      const response = await digestGet(snapshotPath, accept);
      expect(response.status).toBe(406);
      expect(response.headers.get('x-error-code')).toBe('INVALID_VERSION_DATE');
      expect(await response.json()).toMatchObject({
        error: 406,
        errorCode: 'INVALID_VERSION_DATE',
        reason: 'Not Acceptable',
      });
    }
  });

  it('pages a list with Atlas links, totalCount and includeCount', async () => {
    const page1 = (await (await digestGet(`${listPath}?pageNum=1&itemsPerPage=4`)).json()) as {
      results: { id: string }[];
      totalCount: number;
      links: { rel: string; href: string }[];
    };
    expect(page1.results).toHaveLength(4);
    expect(page1.totalCount).toBe(6);
    expect(page1.links.map((l) => l.rel)).toEqual(['self', 'next']);
    const page2 = (await (await digestGet(`${listPath}?pageNum=2&itemsPerPage=4&includeCount=false`)).json()) as {
      results: { id: string }[];
      links: { rel: string }[];
    };
    expect(page2.results).toHaveLength(2);
    expect(page2).not.toHaveProperty('totalCount');
    expect(page2.links.map((l) => l.rel)).toEqual(['self', 'previous']);
    expect(new Set([...page1.results, ...page2.results].map((s) => s.id)).size).toBe(6);
    const bad = await digestGet(`${listPath}?itemsPerPage=501`);
    expect(bad.status).toBe(400);
  });

  it('sends the Atlas error envelope with X-Error-Code for unknown groups', async () => {
    const response = await digestGet(
      `/api/atlas/v2/groups/111111111111111111111111/serverless/x/backup/snapshots/${DEMO.snapshotId}`,
    );
    expect(response.status).toBe(404);
    expect(response.headers.get('x-error-code')).toBe('GROUP_NOT_FOUND');
    expect(await response.json()).toEqual({
      detail: 'No group with ID 111111111111111111111111 exists.',
      error: 404,
      errorCode: 'GROUP_NOT_FOUND',
      parameters: ['111111111111111111111111'],
      reason: 'Not Found',
    });
  });

  it('injects latency and faults on demand, and counts what it served', async () => {
    sim.faults.inject({ kind: 'status', status: 429, headers: { 'Retry-After': '3' } });
    const limited = await digestGet(snapshotPath);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    sim.faults.inject({ kind: 'reset' });
    await expect(digestGet(snapshotPath)).rejects.toThrow();
    sim.faults.latencyMs = 120;
    const started = performance.now();
    expect((await digestGet(snapshotPath)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    expect(sim.stats.byOperation.getServerlessBackupSnapshot).toBe(3);
  });
});

describe('Atlas simulator token endpoint', () => {
  const tokenRequest = (secret: string, grant = 'client_credentials') =>
    fetch(`${sim.url}/api/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${ACCOUNT.clientId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `grant_type=${grant}`,
    });

  it('issues short-lived bearer tokens that work until they expire, then get the Atlas 401 envelope', async () => {
    const response = await tokenRequest(ACCOUNT.clientSecret);
    expect(response.status).toBe(200);
    const token = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 1 });
    const call = () =>
      fetch(sim.url + snapshotPath, { headers: { accept: MEDIA, authorization: `Bearer ${token.access_token}` } });
    expect((await call()).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_050));
    const expired = await call();
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: 401, errorCode: 'UNAUTHORIZED', reason: 'Unauthorized' });
  });

  it('refuses a wrong secret and a wrong grant type the OAuth way', async () => {
    const wrong = await tokenRequest('nope');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    const grant = await tokenRequest(ACCOUNT.clientSecret, 'password');
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });
});

describe('Atlas simulator rate limit (rateLimitPerMinutePerGroup, opt-in)', () => {
  const CLUSTERS = 'application/vnd.atlas.2024-08-05+json';
  const clustersPath = `/api/atlas/v2/groups/${DEMO.groupId}/clusters`;
  const otherProject = `/api/atlas/v2/groups/${DEMO.analyticsGroupId}/serverless/analytics-serverless/backup/snapshots`;

  it('past the bucket answers 429 with Retry-After; per project and bucket; the RateLimit headers show that bucket', async () => {
    const limited = await startAtlasSimulator({ rateLimitPerMinutePerGroup: 3 });
    try {
      const get = (path: string, accept = MEDIA) => fetch(limited.url + path, { headers: { accept } });
      const answers: Response[] = [];
      for (let i = 0; i < 4; i += 1) answers.push(await get(snapshotPath));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(answers.map((r) => r.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
      expect(answers.map((r) => r.headers.get('ratelimit-limit'))).toEqual(['3', '3', '3', '3']);
      // 3 a minute: the next token in 20 s.
      const refusal = answers[3]!;
      expect(refusal.headers.get('retry-after')).toBe('20');
      expect(await refusal.json()).toEqual({
        detail: `Rate limit exceeded for ${snapshotPath.slice(1)}. Please retry after 20 seconds. Request capacity: 3. Refill rate: 3 per 60 seconds.`,
        error: 429,
        errorCode: 'RATE_LIMITED_TOKEN_BUCKET',
        parameters: [snapshotPath.slice(1), 20, 3, 3, 60],
        reason: 'Too Many Requests',
      });
      expect(limited.stats.rateLimited).toBe(1);
      expect(limited.stats.byOperation.getServerlessBackupSnapshot).toBe(4);

      // Another project, and the cluster endpoints of the same one, have buckets of their own.
      const other = await get(otherProject);
      expect([other.status, other.headers.get('ratelimit-remaining')]).toEqual([200, '2']);
      const clusters = await get(clustersPath, CLUSTERS);
      expect([clusters.status, clusters.headers.get('ratelimit-remaining')]).toEqual([200, '2']);
      expect(limited.stats.rateLimited).toBe(1);
    } finally {
      await limited.close();
    }
  });

  it('is off by default: headers only (1,200 a minute), never a 429', async () => {
    const open = await startAtlasSimulator();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1)
        statuses.push((await fetch(open.url + snapshotPath, { headers: { accept: MEDIA } })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      expect(open.stats.rateLimited).toBe(0);
    } finally {
      await open.close();
    }
  });
});
