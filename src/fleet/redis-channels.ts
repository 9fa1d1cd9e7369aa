import type { SharedRedis } from './redis.js';
import type { RedisClient } from './redis-topology.js';

/**
 * The process's one pub/sub connection (a subscribed connection can send nothing else): channels
 * subscribed while someone listens to them, each message handed to their listeners. ioredis
 * subscribes again by itself after a reconnection; while it is away `ready` is false. On a Redis
 * Cluster the connection subscribes on one node (PUBLISH reaches every node); when a node is lost
 * ioredis subscribes again on another, and `onDown` is told (messages may have been missed).
 */
export class RedisChannels {
  readonly #connection: RedisClient;
  readonly #listeners = new Map<string, Set<(message: string) => void>>();
  readonly #onDown = new Set<() => void>();

  constructor(redis: SharedRedis) {
    this.#connection = redis.duplicate();
    this.#connection.on('message', (channel: string, message: string) => {
      for (const listener of [...(this.#listeners.get(channel) ?? [])]) listener(message);
    });
    const lost = () => {
      for (const listener of [...this.#onDown]) listener();
    };
    this.#connection.on('close', lost);
    // A Cluster's subscriber sits on one of its nodes: when a node is lost (perhaps that one), ioredis
    // subscribes again on another, and messages published meanwhile may be missed.
    this.#connection.on('-node', lost);
  }

  /** Whether messages can arrive now. */
  get ready(): boolean {
    return this.#connection.status === 'ready';
  }

  /** Calls `listener` whenever the connection is lost (messages may have been missed). */
  onDown(listener: () => void): () => void {
    this.#onDown.add(listener);
    return () => this.#onDown.delete(listener);
  }

  /**
   * Hands the messages of `channel` (its full name, prefix included) to `listener` once subscribed;
   * resolves with the function that stops it. Rejects when Redis cannot subscribe now.
   */
  async listen(channel: string, listener: (message: string) => void): Promise<() => void> {
    let listeners = this.#listeners.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(channel, listeners);
    }
    listeners.add(listener);
    const stop = () => {
      const current = this.#listeners.get(channel);
      if (!current?.delete(listener) || current.size > 0) return;
      this.#listeners.delete(channel);
      this.#connection.unsubscribe(channel).catch(() => undefined);
    };
    try {
      // Subscribing again to a subscribed channel is harmless, and confirms it after a reconnection.
      await this.#connection.subscribe(channel);
    } catch (error) {
      stop();
      throw error;
    }
    return stop;
  }

  close(): void {
    this.#listeners.clear();
    this.#onDown.clear();
    this.#connection.disconnect();
  }
}
