import type { Logger } from 'pino';
import type { Poller, PollPlan, WatchEvent } from '../backups/watch/poller.js';
import type { FeedRequest, WatchFeed } from '../backups/watch/watch-hub.js';
import { errorFields } from '../support/error-fields.js';
import type { RedisChannels } from './redis-channels.js';
import type { WatchKeys, WatchLeases } from './watch-leases.js';
import { decodeEvent, encodeEvent, type WatchErrorCodec } from './watch-wire.js';

/** What every feed of the process shares. */
export interface FleetFeedContext {
  leases: WatchLeases;
  channels: RedisChannels;
  codec: WatchErrorCodec;
  /** Whether Redis can be used now (SharedRedis state). */
  shared: () => boolean;
  /** Releases still on their way, awaited by the fleet's close. */
  pending: Set<Promise<void>>;
  logger: Logger;
}

type Listener<T> = (event: WatchEvent<T>) => void;

/**
 * One resource's events on one replica of a fleet. `polling`: a poller here, which publishes what it
 * reads while this replica holds the lease (`leader`), or alone while Redis fails; `following`: no
 * poller, the leader's events arrive on the channel (the last one read from Redis on joining). At
 * every `tick` (each SUBSCRIPTION_POLL_MS) the leader renews its lease and a follower tries to take
 * it — which succeeds once the leader stopped renewing it (gone, or dead). Whatever the source, a
 * state goes to the watchers only when it differs from the last one they got (or follows an error),
 * so a change of source sends nothing twice.
 */
export class FleetFeed<T> implements WatchFeed<T> {
  readonly #listeners = new Set<Listener<T>>();
  readonly #keys: WatchKeys;
  /** For fingerprints and late joiners' view (no reads are made with it). */
  readonly #shape: PollPlan<T>;
  #mode: 'starting' | 'polling' | 'following' | 'stopped' = 'starting';
  #leader = false;
  #poller: Poller<T> | undefined;
  #unlisten: (() => void) | undefined;
  /** Bumped on each change of mode: a round trip started before it acts no more. */
  #epoch = 0;
  /** Messages received from the channel (a last event read meanwhile is older: dropped). */
  #heard = 0;
  #last: { value: T; print: string } | undefined;
  #errorShown = false;
  #ticking = false;

  constructor(
    private readonly request: FeedRequest<T>,
    private readonly context: FleetFeedContext,
  ) {
    this.#keys = context.leases.keysOf(request.key);
    this.#shape = request.plan();
  }

  watch(listener: Listener<T>): () => void {
    this.#listeners.add(listener);
    if (this.#last) listener({ kind: 'state', value: this.#joining(this.#last.value), terminal: false });
    if (this.#mode === 'starting' && this.#listeners.size === 1) void this.tick();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.stop();
    };
  }

  /** One step: renew or take the lease, follow, or poll alone when Redis fails. Never overlaps itself. */
  async tick(): Promise<void> {
    if (this.#ticking || this.#mode === 'stopped') return;
    this.#ticking = true;
    try {
      if (!this.context.shared()) return this.degrade();
      const following = this.#mode === 'following';
      if (following && !this.context.channels.ready) return this.degrade();
      const epoch = this.#epoch;
      const held = await this.context.leases.claim(this.#keys);
      // Its last watcher left meanwhile: a lease just taken is given back at once.
      if (held === true && this.#stopped()) this.#track(this.context.leases.release(this.#keys));
      if (epoch !== this.#epoch) return;
      if (held === true) this.#poll(true);
      else if (held === 'failed') this.degrade();
      // Another replica leads: follow it, once the channel can be listened to (until then, poll alone).
      else if (!following && this.context.channels.ready) await this.#follow();
      else if (!following) this.degrade();
    } finally {
      this.#ticking = false;
    }
  }

  /** Redis is away: poll here, alone (a follower starts a poller; a leader keeps its own, unshared). */
  degrade(): void {
    if (this.#mode === 'stopped') return;
    this.#poll(false);
  }

  stop(): void {
    if (this.#mode === 'stopped') return;
    const leader = this.#leader;
    this.#switch('stopped');
    if (leader) this.#track(this.context.leases.release(this.#keys));
    this.request.onStop();
  }

  /** The channel connection was lost (messages may be missed): a follower polls alone until the next tick. */
  channelLost(): void {
    if (this.#mode === 'following') this.degrade();
  }

  #switch(mode: 'polling' | 'following' | 'stopped'): void {
    if (mode !== 'polling') {
      this.#poller?.stop();
      this.#poller = undefined;
      this.#leader = false;
    }
    if (mode !== 'following') {
      this.#unlisten?.();
      this.#unlisten = undefined;
    }
    if (mode !== this.#mode) this.#epoch += 1;
    this.#mode = mode;
  }

  #poll(leader: boolean): void {
    this.#switch('polling');
    this.#leader = leader;
    if (this.#poller) return;
    // Its first read is at once: a replica taking over (or left alone) reads without waiting.
    const poller = this.request.poll(this.request.plan(), () => undefined);
    this.#poller = poller;
    poller.watch((event) => this.#polled(poller, event));
  }

  /** Follows the leader: subscribes, then reads the last event (unless the channel spoke meanwhile). */
  async #follow(): Promise<void> {
    this.#switch('following');
    const epoch = this.#epoch;
    let unlisten: () => void;
    try {
      unlisten = await this.context.channels.listen(this.#keys.channel, (text) => this.#heardFrom(text));
    } catch {
      if (epoch === this.#epoch) this.degrade();
      return;
    }
    if (epoch !== this.#epoch) return unlisten();
    this.#unlisten = unlisten;
    const heard = this.#heard;
    const last = await this.context.leases.last(this.#keys);
    if (epoch !== this.#epoch || heard !== this.#heard) return;
    if (last === 'failed') return this.degrade();
    if (last.text === null) return;
    const decoded = decodeEvent<T>(last.text, this.context.codec);
    if (decoded) this.#deliver(decoded.event);
  }

  #heardFrom(text: string): void {
    this.#heard += 1;
    if (this.#mode !== 'following') return;
    const decoded = decodeEvent<T>(text, this.context.codec);
    if (!decoded || decoded.from === this.context.leases.holder) return;
    this.#deliver(decoded.event);
  }

  /** An event of this replica's poller: to the fleet while it leads (first: a last event ends the lease), and to its watchers. */
  #polled(poller: Poller<T>, event: WatchEvent<T>): void {
    if (poller !== this.#poller) return;
    if (this.#leader) this.#publish(event);
    this.#deliver(event);
  }

  #publish(event: WatchEvent<T>): void {
    const { holder } = this.context.leases;
    const message = encodeEvent(holder, event, this.context.codec);
    // What a late joiner gets is what one sees on joining (an activity without `changes`); no error is kept.
    const kept =
      event.kind === 'error'
        ? undefined
        : event.kind === 'state' && this.#shape.current
          ? encodeEvent(holder, { ...event, value: this.#joining(event.value) }, this.context.codec)
          : message;
    const epoch = this.#epoch;
    this.#track(
      this.context.leases.publish(this.#keys, message, kept).then((published) => {
        if (epoch !== this.#epoch) return;
        // Another replica leads: follow it (its events are deduplicated against what was delivered here).
        if (published === false) return this.#follow();
        if (published === 'failed') this.#leader = false;
      }),
    );
  }

  /** To every watcher, unless a state they already have; the last event (terminal, gone) stops the feed. */
  #deliver(event: WatchEvent<T>): void {
    if (this.#mode === 'stopped') return;
    let final = event.kind === 'gone';
    if (event.kind === 'state') {
      const print = this.#shape.fingerprint(event.value);
      const fresh = this.#last?.print !== print || this.#errorShown || event.terminal;
      this.#last = { value: event.value, print };
      final = event.terminal;
      if (!fresh) return;
      this.#errorShown = false;
    } else if (event.kind === 'error') this.#errorShown = true;
    for (const listener of [...this.#listeners]) listener(event);
    if (final) this.stop();
  }

  /** Whether it stopped (also while a round trip was out: TypeScript would narrow the field). */
  #stopped(): boolean {
    return this.#mode === 'stopped';
  }

  /** What a watcher joining now gets of `value` (the plan's `current`, e.g. an activity without `changes`). */
  #joining(value: T): T {
    return this.#shape.current ? this.#shape.current(value) : value;
  }

  #track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) =>
      this.context.logger.debug({ err: errorFields(error) }, 'live-status lease: Redis work failed'),
    );
    this.context.pending.add(tracked);
    void tracked.finally(() => this.context.pending.delete(tracked));
  }
}
