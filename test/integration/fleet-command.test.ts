import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import { snapshotField } from '../helpers.js';
import { redisSkipReason } from '../redis.js';

// `npm run fleet` (scripts/fleet.ts) as a user runs it: one command, every URL printed, queries
// through the gateway spread over the replicas, Ctrl-C stops every process it started. Run from
// source (--from-source) so that the test neither needs nor rebuilds dist/.

interface RunningFleet {
  process: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  gateway: string;
  key: string;
  replicas: { url: string; pid: number }[];
  pids: number[];
}

const root = new URL('../../', import.meta.url).pathname;
let running: RunningFleet | undefined;

/** Starts the fleet command and waits (at most 60 s) for its summary. */
async function startFleetCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<RunningFleet> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/fleet.ts', '--port', '0', '--from-source', '--logs', ...args],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no summary in 60 s:\n${output}`)), 60_000);
    const check = setInterval(() => {
      if (!/Callers: x-api-key: \S+/.test(output)) return;
      clearInterval(check);
      clearTimeout(timer);
      resolve();
    }, 50);
    child.once('exit', (code) => reject(new Error(`the fleet exited (${code}):\n${output}`)));
  });
  const replicas = [...output.matchAll(/replica \d+ {2}(http\S+) {2}pid (\d+)/g)].map((m) => ({
    url: m[1]!,
    pid: Number(m[2]),
  }));
  running = {
    process: child,
    output: () => output,
    gateway: /gateway {4}(http\S+)/.exec(output)![1]!,
    key: /x-api-key: (\S+)/.exec(output)![1]!,
    replicas,
    pids: [...output.matchAll(/ pid (\d+)/g)].map((m) => Number(m[1])),
  };
  return running;
}

/** SIGINT, then its exit code. */
async function interrupt(fleet: RunningFleet): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => fleet.process.once('exit', (code) => resolve(code)));
  fleet.process.kill('SIGINT');
  return exited;
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterEach(async () => {
  // A failed test leaves nothing behind: the fleet stops its children, and what is left is killed.
  const fleet = running;
  running = undefined;
  if (!fleet) return;
  if (fleet.process.exitCode === null && fleet.process.signalCode === null) await interrupt(fleet);
  for (const pid of fleet.pids) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
});

const QUERY = `{ ${snapshotField('snapshot', DEMO, 'id status createdAt storageSizeBytes')} }`;

async function viaGateway(fleet: RunningFleet, key?: string) {
  const response = await fetch(fleet.gateway, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
    body: JSON.stringify({ query: QUERY }),
  });
  return (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
}

/** The replicas' request log lines (`--logs` prints them prefixed with `[replica N]`), by replica. */
const requestLines = (fleet: RunningFleet) =>
  fleet.replicas.map(
    (_, i) =>
      fleet
        .output()
        .split('\n')
        .filter((line) => line.startsWith(`[replica ${i + 1}] `) && line.includes('"msg":"graphql request"')).length,
  );

describe.skipIf(redisSkipReason !== undefined)('npm run fleet', () => {
  it('starts Redis, the simulator, 3 replicas and a gateway spreading queries over them; Ctrl-C stops them all', async () => {
    const fleet = await startFleetCommand([]);
    expect(fleet.output()).toMatch(/redis {6}redis:\/\/127\.0\.0\.1:\d+ {2}pid \d+/);
    expect(fleet.output()).toMatch(/simulator {2}http:\/\/127\.0\.0\.1:\d+ {2}pid \d+/);
    expect(fleet.replicas).toHaveLength(3);
    expect(fleet.pids).toHaveLength(5);
    for (const pid of fleet.pids) expect(isRunning(pid)).toBe(true);

    const answers = [];
    for (let n = 0; n < 6; n += 1) answers.push(await viaGateway(fleet, fleet.key));
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual(answers[0]!.data);
    }
    expect(answers[0]!.data).toMatchObject({ snapshot: { id: DEMO.snapshotId, status: 'COMPLETED' } });
    // The replicas authenticate callers themselves: the gateway only passes the key on.
    expect((await viaGateway(fleet)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // Round-robin: each replica logged two of the six (and one of them the refused seventh).
    const served = requestLines(fleet);
    expect(served.reduce((a, b) => a + b)).toBe(7);
    for (const count of served) expect(count).toBeGreaterThanOrEqual(2);
    for (const { url } of fleet.replicas) {
      const readiness = await fetch(url.replace(/\/graphql$/, '/readiness'));
      expect(await readiness.json()).toMatchObject({ ready: true, redis: 'up' });
    }

    expect(await interrupt(fleet)).toBe(0);
    expect(fleet.output()).toMatch(/answered per replica: 1: 2, 2: 2, 3: 2\n/);
    expect(fleet.output()).toContain('fleet stopped');
    for (const pid of fleet.pids) expect(isRunning(pid), `pid ${pid}`).toBe(false);
  }, 90_000);
});

describe('npm run fleet without redis-server', () => {
  it('says so, and runs the replicas without REDIS_URL', async () => {
    // test/redis.ts finds the binary at REDIS_SERVER_PATH (and REQUIRE_REDIS would make it refuse to go on).
    const { REQUIRE_REDIS: _, ...env } = process.env;
    const fleet = await startFleetCommand(['--replicas', '2'], {
      ...env,
      REDIS_SERVER_PATH: '/nonexistent/redis-server',
    });
    expect(fleet.output()).toContain('redis      not started (no redis-server here; apt-get install redis-server)');
    expect(fleet.replicas).toHaveLength(2);
    expect(fleet.pids).toHaveLength(3);
    expect((await viaGateway(fleet, fleet.key)).errors).toBeUndefined();
    for (const { url } of fleet.replicas) {
      const readiness = (await (await fetch(url.replace(/\/graphql$/, '/readiness'))).json()) as object;
      expect(readiness).toMatchObject({ ready: true });
      expect(readiness).not.toHaveProperty('redis');
    }
    expect(await interrupt(fleet)).toBe(0);
    for (const pid of fleet.pids) expect(isRunning(pid), `pid ${pid}`).toBe(false);
  }, 90_000);
});
