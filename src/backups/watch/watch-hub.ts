import { Poller, type PollPlan, type PollTiming, type WatchEvent } from './poller.js';

/** A limit of the live-status subscriptions was reached; nothing was polled for this one. */
export class SubscriptionLimitError extends Error {
  override readonly name = 'SubscriptionLimitError';
  constructor(
    /** The variable that sets it. */
    readonly limit:
      | 'SUBSCRIPTION_MAX_PER_CONNECTION'
      | 'SUBSCRIPTION_MAX_TOTAL'
      | 'SUBSCRIPTION_MAX_RESOURCES'
      /** The process's heap is nearly full: a subscription holds ~20 KB for as long as it lives. */
      | 'HEAP',
    readonly max: number,
  ) {
    super(
      limit === 'HEAP'
        ? `no room for another live subscription: the heap is over ${max}% full`
        : `at most ${max} live subscriptions (${limit})`,
    );
  }
}

/** One resource's events for the watchers of this process, however they are got: polled here, or relayed. */
export interface WatchFeed<T> {
  /** Adds a watcher (a late one gets the last state at once); returns the function that removes it. */
  watch(listener: (event: WatchEvent<T>) => void): () => void;
  /** Stops it; watchers still attached are not told (the hub ends them). */
  stop(): void;
}

/** What the hub gives a feed source for one resource. */
export interface FeedRequest<T> {
  /** The resource and its Atlas credentials (`resource@credentials`). */
  key: string;
  /** A fresh plan of the resource (one per poller: a plan may remember its previous read). */
  plan: () => PollPlan<T>;
  /** A poller of the resource in this process, timed and counted as the hub's; `onStop` when it stops. */
  poll: (plan: PollPlan<T>, onStop: () => void) => Poller<T>;
  /** To call once when the feed stops (for whatever reason): the hub forgets it. */
  onStop: () => void;
}

/**
 * Where the events of a resource come from. The default polls it in this process; the fleet's
 * (src/fleet/redis-watch.ts) polls it on one replica and relays the events to the others.
 */
export type WatchFeeds = <T>(request: FeedRequest<T>) => WatchFeed<T>;

/** The hub's settings (SUBSCRIPTION_* variables). */
export interface WatchHubOptions extends PollTiming {
  maxSubscriptions: number;
  maxResources: number;
  /** Told the outcome of every poll, for metrics. */
  onPoll?: (outcome: 'changed' | 'unchanged' | 'error' | 'gone') => void;
  /** Where each resource's events come from. @default polled in this process */
  feeds?: WatchFeeds;
}

/** The in-process feed: a poller here. */
const pollHere: WatchFeeds = ({ plan, poll, onStop }) => poll(plan(), onStop);

/**
 * One watcher's events as an async iterator. States coalesce (a slow reader gets the latest, not a
 * backlog); the terminal state or the disappearance is its last event; `return()` (the client left)
 * removes the watcher at once.
 */
class WatchStream<T> implements AsyncIterableIterator<WatchEvent<T>> {
  #queue: WatchEvent<T>[] = [];
  #wake: ((result: IteratorResult<WatchEvent<T>>) => void) | undefined;
  #last = false;
  #done = false;
  unwatch: () => void = () => undefined;

  constructor(private readonly onDone: () => void) {}

  push(event: WatchEvent<T>): void {
    if (this.#done || this.#last) return;
    this.#last = event.kind === 'gone' || (event.kind === 'state' && event.terminal);
    // At most the newest error and the newest state wait for a slow reader (and a last event): an Atlas
    // that flips between failing and answering cannot grow the queue.
    if (event.kind !== 'gone') this.#queue = this.#queue.filter((queued) => queued.kind !== event.kind);
    this.#queue.push(event);
    this.#flush();
  }

  /** Ends the stream after what is queued (shutdown). */
  end(): void {
    this.#last = true;
    this.#flush();
  }

  #flush(): void {
    if (!this.#wake) return;
    const event = this.#queue.shift();
    if (event) {
      const wake = this.#wake;
      this.#wake = undefined;
      wake({ value: event, done: false });
    } else if (this.#last) {
      void this.return();
    }
  }

  next(): Promise<IteratorResult<WatchEvent<T>>> {
    const event = this.#queue.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    if (this.#done || this.#last) return this.return();
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  return(): Promise<IteratorResult<WatchEvent<T>>> {
    if (!this.#done) {
      this.#done = true;
      this.#queue = [];
      this.unwatch();
      this.onDone();
    }
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * Every live-status feed of the process: one per (resource, Atlas credentials) whatever the number
 * of watchers, bounded in watchers (SUBSCRIPTION_MAX_TOTAL) and in resources polled or followed at
 * once (SUBSCRIPTION_MAX_RESOURCES); a limit refuses before anything is polled.
 */
export class WatchHub {
  readonly #pollers = new Map<string, WatchFeed<unknown>>();
  readonly #streams = new Set<WatchStream<unknown>>();

  constructor(private readonly options: WatchHubOptions) {}

  /** Watchers now. */
  get subscriptions(): number {
    return this.#streams.size;
  }

  /** Resources polled (or, in a fleet, followed) now. */
  get pollers(): number {
    return this.#pollers.size;
  }

  /**
   * The events of the resource `key` (which names the credentials too): joins its poller or starts
   * one with `plan()`. Throws SubscriptionLimitError before anything is polled.
   */
  watch<T>(key: string, plan: () => PollPlan<T>): AsyncIterableIterator<WatchEvent<T>> {
    const { maxSubscriptions, maxResources } = this.options;
    if (this.#streams.size >= maxSubscriptions)
      throw new SubscriptionLimitError('SUBSCRIPTION_MAX_TOTAL', maxSubscriptions);
    let poller = this.#pollers.get(key) as WatchFeed<T> | undefined;
    if (!poller) {
      if (this.#pollers.size >= maxResources)
        throw new SubscriptionLimitError('SUBSCRIPTION_MAX_RESOURCES', maxResources);
      const created: WatchFeed<T> = (this.options.feeds ?? pollHere)<T>({
        key,
        plan,
        poll: (fresh, onStop) => new Poller(fresh, this.options, onStop, this.options.onPoll),
        onStop: () => {
          if (this.#pollers.get(key) === created) this.#pollers.delete(key);
        },
      });
      this.#pollers.set(key, created);
      poller = created;
    }
    const stream: WatchStream<T> = new WatchStream<T>(() => this.#streams.delete(stream as WatchStream<unknown>));
    this.#streams.add(stream as WatchStream<unknown>);
    stream.unwatch = poller.watch((event) => stream.push(event));
    return stream;
  }

  /** Ends every stream (each client gets `complete`) and stops every poller: graceful shutdown. */
  close(): void {
    for (const stream of [...this.#streams]) stream.end();
    for (const poller of [...this.#pollers.values()]) poller.stop();
  }
}
