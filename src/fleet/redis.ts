import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { parseRedisUrl, type RedisTopology } from '../config/redis-url.js';
import { Secret } from '../support/secret.js';
import { createRedisClient, type RedisClient } from './redis-topology.js';

/** Remembers a value as a secret for the life of the process (scrubbed from logs and errors). */
const registerSecret = (value: string) => void new Secret(value);

/** The URL and every password in it, as the client will send them. */
function secretsOf(url: string, topology: RedisTopology): string[] {
  if (topology.kind === 'sentinel')
    return [url, topology.password ?? '', topology.sentinelPassword ?? ''].filter(Boolean);
  if (topology.kind === 'cluster') return [url, topology.password ?? ''].filter(Boolean);
  const password = URL.canParse(url) ? new URL(url).password : '';
  return password ? [url, decodeURIComponent(password)] : [url];
}

/** Where the replicas' shared state is, and how long a command may take (REDIS_*). */
export interface RedisSettings {
  /**
   * REDIS_URL: one server or primary (`redis://…`, `rediss://…` for TLS), a Sentinel set
   * (`redis+sentinel://…/<master name>`) or a Cluster (`redis+cluster://…`); docs/fleet.md.
   */
  url: string;
  /** Put before every key, so that several deployments can share one Redis. */
  keyPrefix: string;
  /** A command not answered within this is a failure (the feature then works without Redis). */
  timeoutMs: number;
}

/** `up` or `down`, as readiness shows it. */
export type RedisState = 'up' | 'down';

/**
 * The process's Redis connection, which the shared features use and none depends on: commands fail
 * fast while it is down (no offline queue, a per-command timeout), it reconnects on its own, and its
 * state changes (up → down → up) are logged once each and readable for readiness.
 */
export class SharedRedis {
  /** A `Redis` (one server, or the master a Sentinel set names) or a `Cluster`: the same commands. */
  readonly client: RedisClient;
  readonly keyPrefix: string;
  #state: RedisState = 'down';
  readonly #listeners = new Set<(state: RedisState) => void>();

  constructor(
    settings: RedisSettings,
    private readonly logger: Logger,
    /** Connection options over the defaults (a Cluster: of each node connection). */
    extra: RedisOptions = {},
  ) {
    this.keyPrefix = settings.keyPrefix;
    const topology = parseRedisUrl(settings.url);
    // The URL may carry passwords: scrubbed from any text that leaves, like every credential.
    for (const secret of secretsOf(settings.url, topology)) registerSecret(secret);
    this.client = createRedisClient(topology, settings, extra);
    // A Redis is `ready` on each connection, `close` when it is lost. A Cluster is `ready` once it
    // knows the slots and the cluster is whole, closes (then reconnects) when every node is lost, and
    // says `cluster down` / `cluster ok` while it stays connected but answers CLUSTERDOWN.
    this.client.on('ready', () => this.#set('up'));
    this.client.on('cluster ok', () => {
      if (this.client.status === 'ready') this.#set('up');
    });
    this.client.on('cluster down', () => this.#set('down'));
    for (const event of ['close', 'end', 'reconnecting'])
      this.client.on(event, () => {
        if (this.client.status !== 'ready') this.#set('down');
      });
    // ioredis emits connection errors as events: without a listener they would be unhandled.
    this.client.on('error', () => undefined);
  }

  /** Whether commands can be sent now. */
  get state(): RedisState {
    return this.#state;
  }

  /** Calls `listener` on every change of state; returns the unsubscribe. */
  onChange(listener: (state: RedisState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A second connection for pub/sub (a subscribed connection can send nothing else); a Cluster's subscribes on one node. */
  duplicate(): RedisClient {
    const copy = this.client.duplicate();
    copy.on('error', () => undefined);
    return copy;
  }

  #set(state: RedisState): void {
    if (state === this.#state) return;
    this.#state = state;
    if (state === 'down')
      this.logger.warn('Redis is down: replicas share nothing until it returns (each answers from Atlas alone)');
    else this.logger.info('Redis is up: replicas share cache, rate budget, pollers and idempotency keys');
    for (const listener of this.#listeners) listener(state);
  }

  async close(): Promise<void> {
    this.client.disconnect();
    await Promise.resolve();
  }
}
