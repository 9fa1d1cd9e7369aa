/** One request's Atlas responses add up to more than UPSTREAM_MAX_BYTES_PER_REQUEST. */
export class UpstreamBytesError extends Error {
  override readonly name = 'UpstreamBytesError';
  constructor(readonly maxBytes: number) {
    super(`Atlas's answers to this request exceed ${maxBytes} bytes (UPSTREAM_MAX_BYTES_PER_REQUEST)`);
  }
}

/** The requests in flight (all of them, or this caller's) already hold what they may: this one must wait its turn. */
export class ServerBusyError extends Error {
  override readonly name = 'ServerBusyError';
  constructor(
    readonly maxBytes: number,
    readonly scope: 'service' | 'caller' = 'service',
  ) {
    super(
      scope === 'caller'
        ? `this caller's requests in flight hold ${maxBytes} bytes of Atlas responses (CALLER_MAX_BYTES_IN_FLIGHT); retry shortly`
        : `the service holds ${maxBytes} bytes of Atlas responses for requests in flight (UPSTREAM_MAX_BYTES_IN_FLIGHT); retry shortly`,
    );
  }
}

/** The share of the process's budget (1/4) kept for requests that already hold some of it. */
const ADMISSION_RESERVE = 4;

/** What one request has charged: `charge` as body bytes arrive, `release` once when the request ends. */
export interface RequestMeter {
  charge: (bytes: number) => void;
  release: () => void;
}

/** How many bytes of Atlas responses may be held at once. */
export interface UpstreamMemoryLimits {
  /** By one request (UPSTREAM_MAX_BYTES_PER_REQUEST). @default 4 MiB */
  perRequest: number;
  /** By one caller's requests together (CALLER_MAX_BYTES_IN_FLIGHT). @default a quarter of `total` */
  perCaller: number;
  /** By all requests in flight (UPSTREAM_MAX_BYTES_IN_FLIGHT). @default 8 MiB */
  total: number;
}

/**
 * Bytes of Atlas response bodies held by the requests in flight, process-wide, so that no sequence
 * of requests that pass the per-request limits can exhaust the heap, and no caller can hold the
 * whole budget: a body is charged as it arrives, to its request (at most `perRequest`), to its
 * caller (its requests together at most `perCaller`: past it that caller's request gets
 * SERVER_BUSY, other callers' do not) and to the process (at most `total`), and the request gives
 * its bytes back when it ends. A caller's only request holding bytes is bounded by `perRequest`
 * alone, so the share never lowers the per-request cap and a refused request can always succeed
 * once retried on its own: a caller holds at most the larger of the two. A request's first bytes
 * must leave a quarter of `total` free: the requests already under way finish with it (without
 * that reserve, many requests each holding part of what they need all fail half-way). Parsed bodies take several
 * times their text in memory: `total` is set with that in mind (see docs/security.md). Per process
 * by nature (it bounds this heap), unlike the callers' Atlas call budget.
 */
export class UpstreamMemory {
  #inFlight = 0;
  readonly #byCaller = new Map<string, number>();

  constructor(readonly limits: UpstreamMemoryLimits) {}

  /** Bytes charged by the requests in flight. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** A meter for one request of `caller`; `charge` throws UpstreamBytesError or ServerBusyError past a limit. */
  meter(caller: string): RequestMeter {
    const { perRequest, perCaller, total } = this.limits;
    let charged = 0;
    let released = false;
    return {
      charge: (bytes) => {
        if (released) return;
        if (charged + bytes > perRequest) throw new UpstreamBytesError(perRequest);
        const held = this.#byCaller.get(caller) ?? 0;
        // Past the caller's share, and its other requests hold some of it: this one waits its turn.
        if (held + bytes > perCaller && held > charged) throw new ServerBusyError(perCaller, 'caller');
        if (this.#inFlight + bytes > total) throw new ServerBusyError(total);
        // A request that holds nothing yet starts only while a quarter of the budget is left for those
        // that do: under overload, new requests are refused whole rather than all stalling half-way.
        if (charged === 0 && this.#inFlight > 0 && this.#inFlight + bytes > total - total / ADMISSION_RESERVE)
          throw new ServerBusyError(total);
        charged += bytes;
        this.#inFlight += bytes;
        this.#byCaller.set(caller, held + bytes);
      },
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight -= charged;
        const left = (this.#byCaller.get(caller) ?? 0) - charged;
        if (left > 0) this.#byCaller.set(caller, left);
        else this.#byCaller.delete(caller);
      },
    };
  }
}
