import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { Secret } from '../support/secret.js';

/** Remembers a value as a secret for the life of the process (scrubbed from logs and errors). */
const registerSecret = (value: string) => void new Secret(value);

/** Where the replicas' shared state is, and how long a command may take (REDIS_*). */
export interface RedisSettings {
  /** `redis://…`, `rediss://…` (TLS): one server or primary; Sentinel and Cluster are not supported yet (docs/fleet.md). */
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
  readonly client: Redis;
  readonly keyPrefix: string;
  #state: RedisState = 'down';
  readonly #listeners = new Set<(state: RedisState) => void>();

  constructor(
    settings: RedisSettings,
    private readonly logger: Logger,
    extra: RedisOptions = {},
  ) {
    this.keyPrefix = settings.keyPrefix;
    // The URL may carry a password: scrubbed from any text that leaves, like every credential.
    registerSecret(settings.url);
    const password = URL.canParse(settings.url) ? new URL(settings.url).password : '';
    if (password) registerSecret(decodeURIComponent(password));
    this.client = new Redis(settings.url, {
      keyPrefix: settings.keyPrefix,
      commandTimeout: settings.timeoutMs,
      connectTimeout: Math.max(settings.timeoutMs, 1_000),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // Reconnect forever, at most every 2 s: Redis comes back, sharing resumes.
      retryStrategy: (times) => Math.min(times * 100, 2_000),
      lazyConnect: false,
      ...extra,
    });
    this.client.on('ready', () => this.#set('up'));
    this.client.on('end', () => this.#set('down'));
    this.client.on('close', () => this.#set('down'));
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

  /** A second connection for pub/sub (a subscribed connection can send nothing else). */
  duplicate(): Redis {
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
