import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { freePort } from './redis.js';
import { ask, dataNode, startGroup, until, type TopologyNode } from './redis-topologies.js';

// A Sentinel set of real redis-server processes for the topology tests: a master and its replica
// (both requiring a password) and one sentinel (quorum 1), on free ports, killed and restarted by the
// tests. Redis is required as in test/redis.ts (redisSkipReason); no redis-cli is needed.

/** A master and a replica requiring `password`, and one sentinel watching them (quorum 1) as `mymaster`. */
export interface TestSentinel {
  /** `redis+sentinel://:<password>@127.0.0.1:<sentinel>/mymaster` */
  readonly url: string;
  readonly master: TopologyNode;
  readonly replica: TopologyNode;
  readonly sentinel: TopologyNode;
  /** The port the sentinel names as the master's now. */
  masterPort(): Promise<number | undefined>;
  /**
   * Asks the sentinel for a failover (SENTINEL FAILOVER) once a replica is in sync; resolves with the
   * new master's port once the sentinel names it. The old master is still a master then, accepting
   * writes: the sentinel demotes it only ~10 s later (SLAVEOF, and it closes its clients' connections).
   */
  failover(): Promise<number>;
  /** Makes `node` a replica of the server on `port` (REPLICAOF, which leaves its clients connected); resolves once in sync. */
  replicaOf(node: TopologyNode, port: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the master, its replica and a sentinel that fails over 1 s after the master stops answering. */
export function startRedisSentinel(password: string): Promise<TestSentinel> {
  return startGroup('redis-sentinel-', async (group) => {
    const [masterPort, replicaPort, sentinelPort] = await Promise.all([freePort(), freePort(), freePort()]);
    // Each may become the other's replica: both require the password and use it towards the master;
    // no 5 s pause before a replica's first sync (repl-diskless-sync-delay).
    const auth = ['--requirepass', password, '--masterauth', password, '--repl-diskless-sync-delay', '0'];
    const master = await group.node(masterPort, [...dataNode(masterPort, group.dir), ...auth]);
    const replicaOf = ['--replicaof', '127.0.0.1', String(masterPort)];
    const replica = await group.node(replicaPort, [...dataNode(replicaPort, group.dir), ...auth, ...replicaOf]);
    await until('replica in sync', async () =>
      String(await ask(replicaPort, ['INFO', 'replication'], password)).includes('master_link_status:up'),
    );
    const conf = join(group.dir, 'sentinel.conf');
    const settings = [
      `port ${sentinelPort}`,
      'bind 127.0.0.1',
      `dir ${group.dir}`,
      `sentinel monitor mymaster 127.0.0.1 ${masterPort} 1`,
      'sentinel down-after-milliseconds mymaster 1000',
      'sentinel failover-timeout mymaster 3000',
      `sentinel auth-pass mymaster ${password}`,
    ];
    writeFileSync(conf, `${settings.join('\n')}\n`);
    const sentinel = await group.node(sentinelPort, [conf, '--sentinel'], '+monitor master mymaster');
    // A failover needs the sentinel to know the replica (it learns it from the master's INFO).
    await until('the sentinel knows the replica', async () => {
      const replicas = await ask(sentinelPort, ['SENTINEL', 'REPLICAS', 'mymaster']);
      return Array.isArray(replicas) && replicas.length === 1;
    });
    const currentMaster = async () => {
      const address = (await ask(sentinelPort, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster'])) as string[] | null;
      return address ? Number(address[1]) : undefined;
    };
    const inSync = (port: number) =>
      until(`${port} in sync`, async () =>
        String(await ask(port, ['INFO', 'replication'], password)).includes('master_link_status:up'),
      );
    return {
      url: `redis+sentinel://:${encodeURIComponent(password)}@127.0.0.1:${sentinelPort}/mymaster`,
      master,
      replica,
      sentinel,
      masterPort: currentMaster,
      async failover() {
        const other = (await currentMaster()) === masterPort ? replicaPort : masterPort;
        await inSync(other);
        await until(
          'failover accepted',
          async () => (await ask(sentinelPort, ['SENTINEL', 'FAILOVER', 'mymaster'])) === 'OK',
        );
        await until('new master named', async () => (await currentMaster()) === other);
        return other;
      },
      async replicaOf(node: TopologyNode, port: number) {
        if ((await ask(node.port, ['REPLICAOF', '127.0.0.1', String(port)], password)) === null)
          throw new Error(`REPLICAOF refused by ${node.port}`);
        await inSync(node.port);
      },
      stop: () => group.stop(),
    };
  });
}
