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

/**
 * One read of a cache key in progress on this replica (see cached-reads.ts), shared by every request
 * that asks for the key meanwhile, its members: it runs with the first member's call options but on a
 * signal of its own, which aborts only once every member has left.
 */
export class Flight {
  readonly controller = new AbortController();
  done!: Promise<FlightAnswer>;
  members = 0;
  settled = false;
  /** Set once it called Atlas. */
  outcome: 'miss' | 'bypass' | undefined;
  /** What the first member's own budget or memory share threw: the other members read again by themselves. */
  refusal: unknown;

  constructor(readonly scope: string) {}

  /** The flight's answer, unless `signal` aborts first (then AtlasAbortedError; the flight goes on for the others). */
  join(signal: AbortSignal | undefined, operation: string): Promise<FlightAnswer> {
    if (!signal) return this.done;
    if (signal.aborted) return Promise.reject(new AtlasAbortedError(operation));
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(new AtlasAbortedError(operation));
      signal.addEventListener('abort', onAbort, { once: true });
      void this.done.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** The first member's call options on the flight's signal; what its own checks throw is marked as its own. */
  callOptions(options: AtlasCallOptions): AtlasCallOptions {
    const { beforeCall, onBodyBytes } = options;
    const own =
      <A extends unknown[]>(check: (...args: A) => void) =>
      (...args: A) => {
        try {
          check(...args);
        } catch (error) {
          this.refusal = error;
          throw error;
        }
      };
    return {
      ...options,
      signal: this.controller.signal,
      ...(beforeCall ? { beforeCall: own(beforeCall) } : {}),
      ...(onBodyBytes ? { onBodyBytes: own(onBodyBytes) } : {}),
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
}
