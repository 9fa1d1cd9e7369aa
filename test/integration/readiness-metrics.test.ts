import { describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { DEMO } from '../../src/simulator/seed.js';
import {
  ANYONE_MAY_CALL,
  atlasCalls,
  captureLogger,
  SERVERLESS_API_ONLY,
  sleep,
  snapshotField,
  type Stack,
  stackPerTest,
  startStack,
} from '../helpers.js';

// Issue 10, findings 3 and 15: readiness that recovers without traffic (and drains on shutdown),
// and /metrics no more open than /graphql, without the Node.js version.

const key = { groupId: DEMO.groupId, clusterName: DEMO.clusterName, snapshotId: DEMO.snapshotId };
const QUERY = `{ ${snapshotField('s', key)} }`;
/** The breaker probe's calls that reached the simulator. */
const at = (stack: Stack, path: string, init?: RequestInit) => fetch(new URL(path, stack.app.graphqlUrl), init);

async function readiness(stack: Stack, query = ''): Promise<{ status: number; body: unknown }> {
  const response = await at(stack, `/readiness${query}`);
  return { status: response.status, body: await response.json() };
}

/** Polls `check` every 20 ms until it holds; fails the test after `ms`. */
async function within(ms: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await sleep(20);
  }
}

describe('readiness and the Atlas circuit', () => {
  const stacks = stackPerTest();
  const BREAKER = {
    ...SERVERLESS_API_ONLY,
    ...ANYONE_MAY_CALL,
    ATLAS_MAX_ATTEMPTS: '1',
    ATLAS_BREAKER_FAILURES: '2',
    ATLAS_BREAKER_COOLDOWN_MS: '300',
  };

  /** Two failing GraphQL calls trip the circuit; `faults` 503s are queued in all. */
  async function openCircuit(stack: Stack, faults: number) {
    stack.simulator.faults.inject({ kind: 'status', status: 503 }, { times: faults });
    for (let i = 0; i < 2; i += 1)
      expect((await stack.query(QUERY)).errors![0]!.extensions!.code).toBe('UPSTREAM_ERROR');
    expect(stack.app.breakerState()).toBe('open');
  }

  it('stays ready while Atlas is down, reports the open circuit, and sees it close again with no GraphQL traffic at all', async () => {
    const stack = await stacks.start(BREAKER);
    await openCircuit(stack, 3); // the third 503 meets the first probe
    expect(await readiness(stack)).toEqual({ status: 200, body: { ready: true, draining: false, breaker: 'open' } });
    expect(await readiness(stack, '?atlas=1')).toEqual({
      status: 503,
      body: { ready: true, draining: false, breaker: 'open' },
    });
    expect(atlasCalls(stack, 'getSystemStatus')).toBe(0); // nothing before the cooldown

    // From here on, no GraphQL request: only the probe can close the circuit.
    // (Half-open also reads 200 on ?atlas=1, so wait for the circuit itself to close.)
    await within(3_000, () => stack.app.breakerState() === 'closed');
    expect(await readiness(stack)).toEqual({ status: 200, body: { ready: true, draining: false, breaker: 'closed' } });
    expect(await readiness(stack, '?atlas=1')).toMatchObject({ status: 200 });
    // One probe met the third 503 and reopened the circuit, the next closed it; on a loaded machine the
    // third 503 may meet the last GraphQL attempt instead, and one probe closes it.
    const probes = atlasCalls(stack, 'getSystemStatus');
    expect(probes).toBeGreaterThanOrEqual(1);
    expect(probes).toBeLessThanOrEqual(2);
    expect(atlasCalls(stack, 'getServerlessBackupSnapshot')).toBe(2); // the probe is no backup call
    expect(stack.logs.some((l) => l.msg === 'Atlas circuit closed')).toBe(true);

    await sleep(1_000); // over three cooldowns with the circuit closed
    expect(atlasCalls(stack, 'getSystemStatus')).toBe(probes);
  });

  it('probes at most once per cooldown while Atlas stays down, and stops once it is back', async () => {
    const stack = await stacks.start({ ...BREAKER, ATLAS_BREAKER_COOLDOWN_MS: '200' });
    await openCircuit(stack, 1_000);
    const opened = Date.now();
    await sleep(1_100);
    const during = atlasCalls(stack, 'getSystemStatus');
    expect(during).toBeGreaterThanOrEqual(2);
    expect(during).toBeLessThanOrEqual(Math.ceil((Date.now() - opened) / 200));
    expect(stack.app.breakerState()).toBe('open');

    stack.simulator.faults.clear();
    await within(1_000, () => stack.app.breakerState() === 'closed');
    expect(atlasCalls(stack, 'getSystemStatus')).toBe(during + 1);
    await sleep(600);
    expect(atlasCalls(stack, 'getSystemStatus')).toBe(during + 1);
  });
});

describe('draining', () => {
  it('answers 503 on /readiness from the start of shutdown, still serving during SHUTDOWN_DRAIN_MS, then stops accepting', async () => {
    const stack = await startStack({ ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL, SHUTDOWN_DRAIN_MS: '400' });
    try {
      expect((await readiness(stack)).status).toBe(200);
      const closing = stack.app.close(1_000);
      expect(await readiness(stack)).toEqual({
        status: 503,
        body: { ready: false, draining: true, breaker: 'closed' },
      });
      expect((await stack.query(QUERY)).errors).toBeUndefined(); // served while the load balancer notices
      await closing;
      await expect(at(stack, '/readiness')).rejects.toThrow();
    } finally {
      await stack.simulator.close();
    }
  });
});

describe('/metrics access', () => {
  const stacks = stackPerTest();

  it('asks for the caller credentials of /graphql by default when callers authenticate', async () => {
    const stack = await stacks.start({
      ...SERVERLESS_API_ONLY,
      ...ANYONE_MAY_CALL,
      AUTH_API_KEYS: 'metrics-scraper-key',
    });
    const anonymous = await at(stack, '/metrics');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('atlas_upstream');
    expect((await at(stack, '/metrics', { headers: { 'x-api-key': 'not-the-key' } })).status).toBe(401);

    const scraped = await at(stack, '/metrics', { headers: { authorization: 'Bearer metrics-scraper-key' } });
    expect(scraped.status).toBe(200);
    const text = await scraped.text();
    expect(text).toMatch(/atlas_upstream_breaker_state 0/);
    expect(text).not.toContain('nodejs_version_info');
  });

  it('serves them on METRICS_PORT only, and nothing else there, under METRICS=port', async () => {
    const stack = await stacks.start({
      ...SERVERLESS_API_ONLY,
      ...ANYONE_MAY_CALL,
      METRICS: 'port',
      METRICS_PORT: '0',
      AUTH_API_KEYS: 'k',
    });
    expect((await at(stack, '/metrics', { headers: { 'x-api-key': 'k' } })).status).toBe(404);
    const metricsUrl = stack.app.metricsUrl!;
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(metricsUrl).port).not.toBe(new URL(stack.app.graphqlUrl).port);

    const scraped = await fetch(metricsUrl);
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toContain('text/plain');
    const text = await scraped.text();
    expect(text).toMatch(/atlas_upstream_breaker_state 0/);
    expect(text).not.toContain('nodejs_version_info');
    expect((await fetch(new URL('/graphql', metricsUrl), { method: 'POST' })).status).toBe(404);
    expect((await fetch(new URL('/readiness', metricsUrl))).status).toBe(404);
    expect((await fetch(metricsUrl, { method: 'POST' })).status).toBe(405);
  });

  it('are off in forward mode without caller authentication (the door is open there)', async () => {
    const stack = await stacks.start({ ...SERVERLESS_API_ONLY }, 'forward');
    expect((await at(stack, '/metrics')).status).toBe(404);
    expect((await readiness(stack)).status).toBe(200);
  });

  it('are public in demo mode, still without the Node.js version', async () => {
    const { logger } = captureLogger();
    const app = await startApp(loadConfig({ PORT: '0' }), logger);
    try {
      const response = await fetch(new URL('/metrics', app.graphqlUrl));
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain('process_cpu_user_seconds_total'); // the other process metrics stay
      expect(text).not.toContain('nodejs_version_info');
      expect(text).not.toContain(process.version);
    } finally {
      await app.close(1_000);
    }
  });
});

describe('metrics configuration', () => {
  const atlas = { MONGODB_ATLAS_PUBLIC_API_KEY: 'pub', MONGODB_ATLAS_PRIVATE_API_KEY: 'priv' };
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };

  it('defaults to no more than /graphql allows', () => {
    expect(loadConfig({}).metrics).toEqual({ access: 'public', port: 9464 });
    expect(loadConfig({ ...atlas, AUTH_API_KEYS: 'k' }).metrics.access).toBe('auth');
    expect(loadConfig({ ...atlas, ALLOW_UNAUTHENTICATED: 'true' }).metrics.access).toBe('public');
    expect(loadConfig({ ATLAS_AUTH: 'forward' }).metrics.access).toBe('off');
    expect(loadConfig({ ...atlas, AUTH_API_KEYS: 'k', METRICS_PORT: '9100' }).metrics).toEqual({
      access: 'port',
      port: 9100,
    });
    expect(loadConfig({ ...atlas, AUTH_API_KEYS: 'k', METRICS: 'public' }).metrics.access).toBe('public');
    expect(loadConfig({}).shutdownDrainMs).toBe(0);
  });

  it('refuses contradictions, naming each', () => {
    expect(problems({ ATLAS_AUTH: 'forward', METRICS: 'auth' })).toEqual([
      'METRICS=auth needs caller authentication: set AUTH_API_KEYS or AUTH_JWKS_URL',
    ]);
    expect(problems({ METRICS: 'public', METRICS_PORT: '9100' })).toEqual([
      'METRICS_PORT is set but METRICS is not "port"',
    ]);
    expect(problems({ METRICS: 'port', METRICS_PORT: '4000' })).toEqual(['METRICS_PORT must differ from PORT']);
    expect(problems({ METRICS: 'everyone', SHUTDOWN_DRAIN_MS: '-1' })).toEqual([
      'SHUTDOWN_DRAIN_MS Too small: expected number to be >=0',
      'METRICS must be "off", "public", "auth" or "port"',
    ]);
  });
});
