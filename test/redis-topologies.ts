import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort, redisProcess, redisSkipReason } from './redis.js';

// A Redis Cluster of real redis-server processes for the topology tests, and what a Sentinel set
// (test/redis-sentinel-set.ts) shares with it: each on free ports, in a temporary directory, killed
// and restarted by the tests. The Cluster is formed by `redis-cli --cluster create` (Debian's
// redis-tools, installed with redis-server); REQUIRE_REDIS as in test/redis.ts.

const CLI = process.env.REDIS_CLI_PATH ?? 'redis-cli';
const hasCli = spawnSync(CLI, ['--version'], { stdio: 'ignore' }).status === 0;

if (redisSkipReason === undefined && !hasCli && process.env.REQUIRE_REDIS)
  throw new Error(`REQUIRE_REDIS is set but there is no ${CLI} (apt-get install redis-tools)`);

/** Why the Cluster tests are skipped here, or undefined when they run. */
export const clusterSkipReason =
  redisSkipReason ?? (hasCli ? undefined : `no ${CLI} here (apt-get install redis-tools)`);

/** One redis-server (or sentinel) process of a topology, restartable on its port. */
export interface TopologyNode {
  readonly port: number;
  /** Kills it (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port, with the same arguments (killing it first if it still runs). */
  start(): Promise<void>;
}

/** Starts `redis-server <args>` and resolves once it says `ready`; rejects after 5 s or when it exits. */
async function node(port: number, args: string[], ready: string): Promise<TopologyNode> {
  const server = redisProcess(args, ready);
  await server.start();
  return { port, kill: server.kill, start: server.start };
}

/** The arguments of a data node on `port` without persistence, its files in `dir`. */
export const dataNode = (port: number, dir: string) => [
  '--port',
  String(port),
  '--bind',
  '127.0.0.1',
  '--save',
  '',
  '--appendonly',
  'no',
  '--dir',
  dir,
];

/** Polls `check` every 50 ms for up to `ms`; throws `what` when it never holds (a check that throws does not hold). */
export async function until(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  for (let waited = 0; waited < ms; waited += 50) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    await sleep(50);
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

/** Answers `command` on 127.0.0.1:`port` with a connection of its own (null when it cannot). */
export async function ask(port: number, command: string[], password?: string): Promise<unknown> {
  const redis = new Redis({
    port,
    host: '127.0.0.1',
    ...(password ? { password } : {}),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await redis.call(command[0]!, ...command.slice(1));
  } catch {
    return null;
  } finally {
    redis.disconnect();
  }
}

/** A running Redis Cluster of masters without replicas. */
export interface TestCluster {
  /** `redis+cluster://127.0.0.1:<first>,127.0.0.1:<second>` (seed nodes: the client finds the rest). */
  readonly url: string;
  readonly nodes: readonly TopologyNode[];
  /** Which node holds `key` (its port). */
  portOf(key: string): Promise<number>;
  /** Waits until every running node says `cluster_state:ok`. */
  healthy(): Promise<void>;
  stop(): Promise<void>;
}

/** The processes of one topology and their directory: `stop()` kills every one started and removes it. */
function processGroup(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const started: TopologyNode[] = [];
  return {
    dir,
    async node(port: number, args: string[], ready = 'Ready to accept connections') {
      const running = await node(port, args, ready);
      started.push(running);
      return running;
    },
    async stop() {
      await Promise.all(started.map((n) => n.kill()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `build` over a new process group; when it throws, the processes it started are killed. */
export async function startGroup<T>(prefix: string, build: (group: ReturnType<typeof processGroup>) => Promise<T>) {
  const group = processGroup(prefix);
  try {
    return await build(group);
  } catch (error) {
    await group.stop();
    throw error;
  }
}

/** Starts `masters` cluster-enabled servers and joins them into one Cluster holding all 16,384 slots. */
export function startRedisCluster(masters = 3): Promise<TestCluster> {
  return startGroup('redis-cluster-', async (group) => {
    const ports = await Promise.all(Array.from({ length: masters }, () => freePort()));
    const cluster = ['--cluster-enabled', 'yes', '--cluster-node-timeout', '1000'];
    const nodes = await Promise.all(
      ports.map((port) =>
        group.node(port, [...dataNode(port, group.dir), ...cluster, '--cluster-config-file', `nodes-${port}.conf`]),
      ),
    );
    const addresses = ports.map((port) => `127.0.0.1:${port}`);
    const created = spawnSync(CLI, ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], {
      encoding: 'utf8',
    });
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout.slice(-500)}`);
    const healthy = () =>
      until('cluster_state:ok', async () => {
        for (const port of ports)
          if (!String(await ask(port, ['CLUSTER', 'INFO'])).includes('cluster_state:ok')) return false;
        return true;
      });
    await healthy();
    return {
      url: `redis+cluster://${addresses[0]},${addresses[1]}`,
      nodes,
      async portOf(key: string) {
        const slot = Number(await ask(ports[0]!, ['CLUSTER', 'KEYSLOT', key]));
        const shards = (await ask(ports[0]!, ['CLUSTER', 'SLOTS'])) as [number, number, [string, number]][];
        const shard = shards.find(([from, to]) => slot >= from && slot <= to);
        if (!shard) throw new Error(`no node holds slot ${slot}`);
        return shard[2][1];
      },
      healthy,
      stop: () => group.stop(),
    };
  });
}
