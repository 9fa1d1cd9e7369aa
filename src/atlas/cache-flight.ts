import { setTimeout as sleep } from 'node:timers/promises';
import type { AtlasCallOptions } from './client.js';
import { AtlasAbortedError } from './errors.js';
import type { CachedAnswer } from './read-cache.js';

/** What a flight found: the answer, when Atlas gave it, and (read now) the fetching call's own parse of it. */
export interface FlightAnswer {
  answer: CachedAnswer;
  /** When it was read from Atlas (ms since the epoch). */
  readAt: number;
  outcome: 'hit' | 'miss' | 'bypass';
  /** The parsed answer, once someone parsed it: shared by every member, read-only. */
  value?: unknown;
}

/** One request waiting on a flight: what it has been charged of the answer's bytes so far. */
export interface FlightMember {
  readonly answer: Promise<FlightAnswer>;
  /** Bytes of the answer charged to this member as they arrived. */
  readonly charged: number;
}

/** A member's side: its meter, and how it is told it was refused or left. */
interface Member extends FlightMember {
  charged: number;
  onBodyBytes: ((bytes: number) => void) | undefined;
  fail: (error: unknown) => void;
}

/**
 * One read of a cache key in progress on this replica (see cached-reads.ts), shared by every request
 * that asks for the key meanwhile, its members. It runs with the first member's call options (its
 * call budget pays the call) but on a signal of its own, which aborts once every member has left.
 * One member, the payer (the first, at first), is charged the body's bytes as they arrive; the
 * others are charged the whole answer when it is delivered to them (cached-reads.ts). When the payer
 * leaves, or its meter refuses a chunk (it then leaves with that error), the next member becomes the
 * payer and is charged what came so far — so a body is never held on behalf of requests that are not
 * charged for it; when no member can pay, reading stops with the last refusal. (Charging every member
 * every chunk was tried: a caller's share spread over all its members of one flight, and every one of
 * them was refused half-way.)
 */
export class Flight {
  readonly controller = new AbortController();
  done!: Promise<FlightAnswer>;
  settled = false;
  /** Set once it called Atlas. */
  outcome: 'miss' | 'bypass' | undefined;
  /** What the first member's call budget threw: the other members read again by themselves. */
  refusal: unknown;
  readonly #members = new Set<Member>();
  #received = 0;
  #payer: Member | undefined;

  constructor(
    readonly scope: string,
    /** Called when the last member left before the flight settled (it is then aborted). */
    private readonly onAbandoned: () => void,
  ) {}

  /** Joins the flight for a request with these options: its answer, unless its signal aborts or its meter refuses first. */
  join(options: AtlasCallOptions, operation: string): FlightMember {
    const { signal, onBodyBytes } = options;
    let settle!: { resolve: (found: FlightAnswer) => void; reject: (error: unknown) => void };
    const answer = new Promise<FlightAnswer>((resolve, reject) => (settle = { resolve, reject }));
    const onAbort = () => member.fail(new AtlasAbortedError(operation));
    const member: Member = {
      answer,
      charged: 0,
      onBodyBytes,
      fail: (error) => {
        if (!this.#members.delete(member)) return;
        signal?.removeEventListener('abort', onAbort);
        settle.reject(error);
        if (this.#members.size === 0 && !this.settled) this.#abandon();
        else if (this.#payer === member) this.#nextPayer();
      },
    };
    if (signal?.aborted) {
      settle.reject(new AtlasAbortedError(operation));
      return member;
    }
    this.#members.add(member);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (!this.#payer) this.#nextPayer();
    void this.done.then(
      (found) => {
        if (!this.#members.delete(member)) return;
        signal?.removeEventListener('abort', onAbort);
        settle.resolve(found);
      },
      (error: unknown) => member.fail(error),
    );
    return member;
  }

  /** The first member's call options on the flight's signal, its bytes charged to every member. */
  callOptions(options: AtlasCallOptions): AtlasCallOptions {
    const { beforeCall } = options;
    return {
      ...options,
      signal: this.controller.signal,
      ...(beforeCall
        ? {
            beforeCall: () => {
              try {
                beforeCall();
              } catch (error) {
                this.refusal = error;
                throw error;
              }
            },
          }
        : {}),
      onBodyBytes: (bytes) => this.#charge(bytes),
    };
  }

  /** Waits `ms` (for another replica's read), unless every member leaves first. */
  async pause(ms: number, operation: string): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: this.controller.signal });
    } catch {
      throw new AtlasAbortedError(operation);
    }
  }

  /**
   * A chunk of the body arrived: the payer is charged it (the next one, if it refuses). When no member
   * can pay, reading stops with the last refusal. (Once every member has left, the flight is aborted:
   * a call already on the wire reads its answer to the end, as a single caller's would, and is not retried.)
   */
  #charge(bytes: number): void {
    this.#received += bytes;
    const payer = this.#payer;
    if (!payer) return;
    const refusal = this.#chargeTo(payer, bytes);
    if (this.#members.size === 0 && refusal instanceof Error) throw refusal;
  }

  /** The first member left that can be charged what came so far becomes the payer. */
  #nextPayer(): void {
    this.#payer = undefined;
    for (const member of this.#members) {
      if (member.charged < this.#received && this.#chargeTo(member, this.#received - member.charged) !== undefined)
        continue;
      this.#payer = member;
      return;
    }
  }

  /** Charges one member; what its meter throws ends its membership (and is returned; the next payer is chosen). */
  #chargeTo(member: Member, bytes: number): unknown {
    try {
      member.onBodyBytes?.(bytes);
      member.charged += bytes;
      return undefined;
    } catch (error) {
      member.fail(error);
      return error;
    }
  }

  #abandon(): void {
    // Every reader left: the call stops as a single caller's would.
    this.controller.abort();
    this.onAbandoned();
  }
}
