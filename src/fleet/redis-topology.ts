import { Cluster, Redis, type ClusterNode, type ClusterOptions, type Command, type RedisOptions } from 'ioredis';
import type { RedisTopology } from '../config/redis-url.js';

// The ioredis client of each REDIS_URL form, all with the same fail-fast contract: a command is
// answered or failed within REDIS_TIMEOUT_MS, never queued while Redis is away, never retried by the
// client; the connection comes back on its own (every 0.1 s, backing off to 2 s).

/** The process's connection to the shared Redis: one server or a Sentinel-managed master (Redis), or a Cluster. */
export type RedisClient = Redis | Cluster;

/** What every form shares. */
export interface ClientSettings {
  keyPrefix: string;
  timeoutMs: number;
}

/** Reconnect forever, at most every 2 s: Redis comes back, sharing resumes. */
const reconnectAfter = (times: number) => Math.min(times * 100, 2_000);

/**
 * Fails `command` if it is not answered within `ms` of being sent — one turn of the event loop after
 * its timer fires, so an answer that arrived while the loop was held up (it is read in the poll phase,
 * before this check-phase callback) wins over the timer. ioredis's own `commandTimeout` rejects from
 * the timer itself: a replica whose event loop stalled past REDIS_TIMEOUT_MS took answers sitting in
 * its socket for timeouts, and Redis for down (the fleet benchmark saw reads bypass the cache so).
 */
function failUnansweredAfter(command: Command, ms: number): void {
  const timer = setTimeout(
    () =>
      setImmediate(() => {
        if (!command.isResolved) command.reject(new Error('Command timed out'));
      }),
    ms,
  );
  const clear = () => clearTimeout(timer);
  command.promise.then(clear, clear);
}

/**
 * One server or a Sentinel-managed master whose commands (and its pub/sub duplicate's) are failed by
 * `failUnansweredAfter`. The instance's methods are wrapped rather than the class extended: a subclass
 * choosing between ioredis's two constructor forms compiles (tsc, ES2022 class fields) to code that
 * touches `this` before `super` — the compiled build then failed to start with REDIS_URL.
 */
function failFast(client: Redis, timeoutMs: number): Redis {
  const send = client.sendCommand.bind(client);
  client.sendCommand = (command, stream) => {
    failUnansweredAfter(command, timeoutMs);
    return send(command, stream);
  };
  const duplicate = client.duplicate.bind(client);
  client.duplicate = (override) => failFast(duplicate(override), timeoutMs);
  return client;
}

/** How often a Cluster that answered CLUSTERDOWN is asked whether it is whole again. */
const CLUSTER_PROBE_MS = 500;

/**
 * A Cluster whose every command fails after `timeoutMs` from the moment it is sent, wherever it is
 * routed (ioredis arms a node connection's `commandTimeout` only once the command reaches a node: a
 * command retried on redirections before that would wait unbounded). It also tells when the cluster
 * itself is down while ioredis stays `ready` (a master lost without a replica to promote: every node
 * answers CLUSTERDOWN): `cluster down` on the first such answer, `cluster ok` once CLUSTER INFO says
 * `cluster_state:ok` again (asked every 0.5 s meanwhile).
 */
class FailFastCluster extends Cluster {
  #probe: NodeJS.Timeout | undefined;

  constructor(
    private readonly seeds: ClusterNode[],
    options: ClusterOptions,
    private readonly timeoutMs: number,
  ) {
    super(seeds, options);
    // Node connections are lazy: connect each at once, so that the first commands to a node do not
    // find it still connecting (they would fail: no offline queue).
    this.on('+node', (node: Redis) => {
      if (node.status === 'wait') node.connect().catch(() => undefined);
    });
    this.on('end', () => this.#stopProbe());
  }

  override sendCommand(command: Command, stream?: Parameters<Cluster['sendCommand']>[1], node?: unknown): unknown {
    failUnansweredAfter(command, this.timeoutMs);
    const sent = super.sendCommand(command, stream, node);
    command.promise.catch((error: unknown) => {
      if (error instanceof Error && error.message.startsWith('CLUSTERDOWN')) this.#down();
    });
    return sent;
  }

  /** The pub/sub connection: as fail-fast as this one. */
  override duplicate(): Cluster {
    return new FailFastCluster(this.seeds, this.options, this.timeoutMs);
  }

  #down(): void {
    if (this.#probe) return;
    this.emit('cluster down');
    this.#probe = setInterval(() => void this.#check(), CLUSTER_PROBE_MS).unref();
  }

  async #check(): Promise<void> {
    const info = await this.cluster('INFO').catch(() => '');
    if (!this.#probe || !String(info).includes('cluster_state:ok')) return;
    this.#stopProbe();
    this.emit('cluster ok');
  }

  #stopProbe(): void {
    clearInterval(this.#probe);
    this.#probe = undefined;
  }
}

/**
 * A write refused with READONLY reached a Sentinel master demoted while this connection stayed open
 * (a REPLICAOF from outside the sentinels: their own demotion closes its clients' connections, and
 * those reconnect anyway): reconnect, which asks the sentinels again and checks the role. The
 * command itself fails, as every command while Redis is away. (Not for one server: a URL naming a
 * replica would flap.)
 */
const reconnectOnError = (error: Error) => error.message.startsWith('READONLY');

/** The per-connection options of every form (`extra` last: tests adjust them); commands are timed by failUnansweredAfter. */
function connectionOptions(settings: ClientSettings): RedisOptions {
  return {
    connectTimeout: Math.max(settings.timeoutMs, 1_000),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    lazyConnect: false,
  };
}

/** The client of `topology`; it connects at once. */
export function createRedisClient(
  topology: RedisTopology,
  settings: ClientSettings,
  extra: RedisOptions = {},
): RedisClient {
  const options = connectionOptions(settings);
  if (topology.kind === 'server')
    return failFast(
      new Redis(topology.url, { keyPrefix: settings.keyPrefix, ...options, retryStrategy: reconnectAfter, ...extra }),
      settings.timeoutMs,
    );
  const access = {
    ...(topology.username === undefined ? {} : { username: topology.username }),
    ...(topology.password === undefined ? {} : { password: topology.password }),
    ...(topology.tls ? { tls: {} } : {}),
  };
  if (topology.kind === 'sentinel')
    return failFast(
      new Redis({
        sentinels: topology.sentinels,
        name: topology.name,
        db: topology.db,
        role: 'master',
        ...access,
        ...(topology.sentinelUsername === undefined ? {} : { sentinelUsername: topology.sentinelUsername }),
        ...(topology.sentinelPassword === undefined ? {} : { sentinelPassword: topology.sentinelPassword }),
        ...(topology.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
        // Asking a sentinel where the master is happens on (re)connection, bounded like a connection.
        // ioredis's `failoverDetector` stays off: when it fires while the client is reconnecting (as it
        // does during a failover), the connection attempt fails for good (status `end`, ioredis 5.11).
        sentinelCommandTimeout: options.connectTimeout,
        keyPrefix: settings.keyPrefix,
        ...options,
        retryStrategy: reconnectAfter,
        reconnectOnError,
        ...extra,
      }),
      settings.timeoutMs,
    );
  return new FailFastCluster(
    topology.nodes,
    {
      keyPrefix: settings.keyPrefix,
      enableOfflineQueue: false,
      clusterRetryStrategy: reconnectAfter,
      // A command meeting a lost node or CLUSTERDOWN fails now (the feature goes on without Redis)
      // instead of being retried every 100 ms; MOVED and ASK are still followed at once.
      retryDelayOnFailover: 0,
      retryDelayOnClusterDown: 0,
      retryDelayOnTryAgain: 0,
      slotsRefreshTimeout: options.connectTimeout!,
      // TLS nodes are named by the host in their certificate (e.g. AWS ElastiCache): do not resolve to IPs.
      ...(topology.tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
      redisOptions: { ...options, ...access, ...extra },
    },
    settings.timeoutMs,
  );
}
