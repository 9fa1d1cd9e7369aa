import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino, type Logger } from 'pino';
import { SharedRedis } from '../src/fleet/redis.js';

// A real Redis for the fleet tests: Debian's redis-server, started by the test itself on a free port
// (one per test file), so that fault tests can kill and restart it. Without the binary a test file
// skips with the reason, unless REQUIRE_REDIS is set (CI): then it fails.

const BINARY = process.env.REDIS_SERVER_PATH ?? 'redis-server';

/** Whether redis-server can run here. */
export const hasRedis = spawnSync(BINARY, ['--version'], { stdio: 'ignore' }).status === 0;

if (!hasRedis && process.env.REQUIRE_REDIS)
  throw new Error(`REQUIRE_REDIS is set but there is no ${BINARY} (apt-get install redis-server)`);

/** Why Redis tests are skipped here, or undefined when they run. */
export const redisSkipReason = hasRedis ? undefined : `no ${BINARY} here (apt-get install redis-server)`;

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A running redis-server of a test. */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** The running redis-server's process id; undefined while it is killed. */
  readonly pid: number | undefined;
  /** Kills it (SIGKILL: no goodbye to clients), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** One redis-server process that can be killed (SIGKILL, as a crash) and started again with the same arguments. */
export interface RedisProcess {
  readonly pid: number | undefined;
  kill: () => Promise<void>;
  /** Starts it (killing it first if it still runs), resolving once its output says `ready`; rejects after `waitMs` or when it exits. */
  start: () => Promise<void>;
}

/** A `redis-server <args>` process (a sentinel too, with `--sentinel`), not started yet. */
export function redisProcess(args: string[], ready = 'Ready to accept connections', waitMs = 5_000): RedisProcess {
  let child: ChildProcess | undefined;
  const kill = async () => {
    const proc = child;
    child = undefined;
    // Gone already (it exits 0 on SIGINT, e.g. a terminal's Ctrl-C reaching it too, or died of a signal).
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  };
  const start = async () => {
    // Still running: killed first, so that no process outlives the handle to it.
    await kill();
    const proc = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let output = '';
    proc.stdout?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    for (let waited = 0; waited < waitMs && !output.includes(ready); waited += 20) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited: ${output.slice(-500)}`);
      await sleep(20);
    }
    if (!output.includes(ready)) {
      proc.kill('SIGKILL');
      throw new Error(`redis-server ${args.slice(0, 2).join(' ')} did not start in ${waitMs / 1000} s`);
    }
  };
  return {
    get pid() {
      return child?.pid;
    },
    kill,
    start,
  };
}

/** Starts a redis-server on a free port, without persistence; `stop()` when done. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const server = redisProcess(['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await server.start();
  return {
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return server.pid;
    },
    kill: server.kill,
    start: server.start,
    stop: server.kill,
  };
}

/** Two replicas' connections to one Redis (REDIS_URL `url`), the first logging to `logger`, once both are up. */
export async function twoReplicas(
  url: string,
  keyPrefix: string,
  logger: Logger = pino({ level: 'silent' }),
): Promise<[SharedRedis, SharedRedis]> {
  const settings = { url, keyPrefix, timeoutMs: 200 };
  const pair: [SharedRedis, SharedRedis] = [
    new SharedRedis(settings, logger),
    new SharedRedis(settings, pino({ level: 'silent' })),
  ];
  await bothUp(pair);
  return pair;
}

/** Waits until every connection says `up` (a restarted Redis taken back), for up to 15 s. */
export async function bothUp(connections: readonly SharedRedis[]): Promise<void> {
  for (let waited = 0; waited < 15_000 && connections.some((c) => c.state !== 'up'); waited += 50) await sleep(50);
  if (connections.some((c) => c.state !== 'up'))
    throw new Error(`Redis connections not up: ${connections.map((c) => c.state).join(', ')}`);
}
