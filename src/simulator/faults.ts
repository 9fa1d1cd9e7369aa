/** Failures the simulator can inject on demand, so tests script what Atlas and the network do. */
export type Fault =
  /**
   * Answer with this status; the body defaults to an Atlas error envelope for the status. A `rawBody`
   * goes out as `contentType`, by default the route's media type on a 2xx (as Atlas sends it) and
   * text/html otherwise (a proxy's page).
   */
  | {
      kind: 'status';
      status: number;
      body?: unknown;
      rawBody?: string;
      contentType?: string;
      headers?: Record<string, string>;
    }
  /**
   * Answer `status` (default 200) with a body that never ends: `prefix`, then `chunk` over and over
   * until the client closes the connection, every `intervalMs` (default 0: as fast as it reads).
   */
  | { kind: 'stream'; status?: number; contentType?: string; prefix?: string; chunk: string; intervalMs?: number }
  /**
   * Answer `status` with an Atlas error envelope whose `detail` quotes the request's `Authorization`
   * header, as a debugging proxy or a careless upstream might: our credentials come back to us.
   */
  | { kind: 'echo-authorization'; status: number }
  /** Close the connection before any response byte. */
  | { kind: 'reset' }
  /** Send the 200 headers and part of the body, then close the connection. */
  | { kind: 'reset-mid-body' }
  /** Never answer (until the client gives up and closes). */
  | { kind: 'hang' }
  /**
   * A write only: read the whole request body, then close the connection without answering. With
   * `apply` the write takes effect first (the worst case: Atlas created the job, the answer was
   * lost); without, it never reached Atlas. On a read it acts as `reset`.
   */
  | { kind: 'drop-after-body'; apply: boolean };

interface QueuedFault {
  fault: Fault;
  operation: string | undefined;
  remaining: number;
}

/** Random faults and jitter applied to every call, for soak tests. */
export interface FaultMix {
  /** Probability per call of each fault (checked in order; they add up). */
  faults: { probability: number; fault: Fault }[];
  /** Extra latency drawn uniformly from [min, max] ms per call. */
  jitterMs?: [number, number];
}

/** The simulator's fault plan: a queue of one-off faults, a fixed latency and an optional random mix. */
export class FaultInjector {
  #queue: QueuedFault[] = [];
  /** Latency added to every authenticated call, in ms. */
  latencyMs = 0;
  /** Extra latency for calls of one operation, in ms. */
  latencyByOperation: Record<string, number> = {};
  /** Random faults for soak runs; undefined for none. */
  mix: FaultMix | undefined;

  /** Injects `fault` into the next `times` calls (of `operation`, when given). */
  inject(fault: Fault, options: { times?: number; operation?: string } = {}): void {
    this.#queue.push({ fault, operation: options.operation, remaining: options.times ?? 1 });
  }

  /** Drops every queued fault, the latency and the mix. */
  clear(): void {
    this.#queue = [];
    this.latencyMs = 0;
    this.latencyByOperation = {};
    this.mix = undefined;
  }

  /** The delay for the next call of `operation`, in ms. */
  delayFor(operation: string): number {
    const [min, max] = this.mix?.jitterMs ?? [0, 0];
    return this.latencyMs + (this.latencyByOperation[operation] ?? 0) + min + Math.random() * (max - min);
  }

  /**
   * The fault for the next call of `operation`, if any; consumes one use of a queued fault.
   * `targetedOnly` (the token endpoint): only faults injected for this operation by name apply.
   */
  take(operation: string, targetedOnly = false): Fault | undefined {
    const index = this.#queue.findIndex(
      (q) => q.operation === operation || (!targetedOnly && q.operation === undefined),
    );
    const queued = this.#queue[index];
    if (queued) {
      queued.remaining -= 1;
      if (queued.remaining <= 0) this.#queue.splice(index, 1);
      return queued.fault;
    }
    if (!this.mix || targetedOnly) return undefined;
    let draw = Math.random();
    for (const { probability, fault } of this.mix.faults) {
      if (draw < probability) return fault;
      draw -= probability;
    }
    return undefined;
  }
}
