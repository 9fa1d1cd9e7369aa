/** One request's Atlas responses add up to more than UPSTREAM_MAX_BYTES_PER_REQUEST. */
export class UpstreamBytesError extends Error {
  override readonly name = 'UpstreamBytesError';
  constructor(readonly maxBytes: number) {
    super(`Atlas's answers to this request exceed ${maxBytes} bytes (UPSTREAM_MAX_BYTES_PER_REQUEST)`);
  }
}

/** The requests in flight already hold UPSTREAM_MAX_BYTES_IN_FLIGHT of Atlas responses: this one must wait its turn. */
export class ServerBusyError extends Error {
  override readonly name = 'ServerBusyError';
  constructor(readonly maxBytes: number) {
    super(
      `the service holds ${maxBytes} bytes of Atlas responses for requests in flight (UPSTREAM_MAX_BYTES_IN_FLIGHT); retry shortly`,
    );
  }
}

/** What one request has charged: `charge` as body bytes arrive, `release` once when the request's execution ends. */
export interface RequestMeter {
  charge: (bytes: number) => void;
  release: () => void;
}

/**
 * Bytes of Atlas response bodies held by the requests in flight, process-wide, so that no sequence
 * of requests that pass the per-request limits can exhaust the heap: a body is charged as it
 * arrives, to its request (at most `perRequest`) and to the process (at most `total`), and the
 * request gives its bytes back when its execution ends. Parsed bodies take several times their text
 * in memory: `total` is set with that in mind (see docs/security.md).
 */
export class UpstreamMemory {
  #inFlight = 0;

  constructor(
    /** @default 4 MiB */
    readonly perRequest: number,
    /** @default 8 MiB */
    readonly total: number,
  ) {}

  /** Bytes charged by the requests in flight. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** A meter for one request; throws UpstreamBytesError or ServerBusyError from `charge` past a limit. */
  meter(): RequestMeter {
    let charged = 0;
    let released = false;
    return {
      charge: (bytes) => {
        if (released) return;
        if (charged + bytes > this.perRequest) throw new UpstreamBytesError(this.perRequest);
        if (this.#inFlight + bytes > this.total) throw new ServerBusyError(this.total);
        charged += bytes;
        this.#inFlight += bytes;
      },
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight -= charged;
      },
    };
  }
}
