import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { WatchFeeds } from '../backups/watch/watch-hub.js';
import { RedisChannels } from './redis-channels.js';
import type { SharedRedis } from './redis.js';
import { FleetFeed, type FleetFeedContext } from './redis-watch-feed.js';
import { WatchLeases } from './watch-leases.js';
import type { WatchErrorCodec } from './watch-wire.js';

// Live status across the fleet (docs/fleet.md "Subscriptions"): one poller per resource in the whole
// fleet, its events fanned out to the watchers on every replica; each replica polls alone while
// Redis fails, and shares again when it returns.

/** How the fleet's feeds run. */
export interface FleetWatchSettings {
  /** SUBSCRIPTION_POLL_MS: the tick at which leases are renewed and taken over. */
  pollMs: number;
  /** Turns a poll's failure into what travels between replicas, and back. */
  codec: WatchErrorCodec;
}

/**
 * A lease lasts three ticks without renewal (at least a second: a replica busy for a moment keeps
 * it): a leader that stops renewing it is replaced after that.
 */
export const leaseMs = (pollMs: number): number => Math.max(3 * pollMs, 1_000);

/**
 * The fleet's live-status feeds (a WatchFeeds for the hub), over the process's Redis connection and
 * one pub/sub connection of its own. `close()` after the hub's: it waits for the leases being given
 * up, then closes the pub/sub connection.
 */
export class FleetWatch {
  readonly #feeds = new Set<FleetFeed<unknown>>();
  readonly #context: FleetFeedContext;
  readonly #timer: NodeJS.Timeout;
  readonly #unsubscribe: (() => void)[];

  constructor(redis: SharedRedis, settings: FleetWatchSettings, logger: Logger) {
    const channels = new RedisChannels(redis);
    this.#context = {
      leases: new WatchLeases(redis, randomUUID(), leaseMs(settings.pollMs), logger),
      channels,
      codec: settings.codec,
      shared: () => redis.state === 'up',
      pending: new Set(),
      logger,
    };
    this.#timer = setInterval(() => this.#each((feed) => void feed.tick()), settings.pollMs);
    // The feeds' own pollers keep the process alive while anyone watches; the tick alone does not.
    this.#timer.unref();
    this.#unsubscribe = [
      // Down: everyone polls alone at once; up: share again without waiting for the tick.
      redis.onChange((state) => this.#each((feed) => (state === 'up' ? void feed.tick() : feed.degrade()))),
      channels.onDown(() => this.#each((feed) => feed.channelLost())),
    ];
  }

  /** The hub's source of feeds. */
  readonly feeds: WatchFeeds = (request) => {
    const feed = new FleetFeed(
      {
        ...request,
        onStop: () => {
          this.#feeds.delete(feed as FleetFeed<unknown>);
          request.onStop();
        },
      },
      this.#context,
    );
    this.#feeds.add(feed as FleetFeed<unknown>);
    return feed;
  };

  #each(act: (feed: FleetFeed<unknown>) => void): void {
    for (const feed of [...this.#feeds]) act(feed);
  }

  /** Stops the ticks, waits for the last publications and releases (each bounded by REDIS_TIMEOUT_MS), closes pub/sub. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#each((feed) => feed.stop());
    await Promise.allSettled([...this.#context.pending]);
    this.#context.channels.close();
  }
}
