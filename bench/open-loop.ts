import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

// An open-loop load driver (issue #16): request i is due at t0 + i/rate and is sent at its due time
// whatever became of the earlier ones, and its latency counts from that due time, not from when it
// went out — so a slow server (or a driver that fell behind) shows in the latency instead of
// silently lowering the offered load, as a closed loop (autocannon's connections) or a burst per
// second (autocannon's `overallRate`) would. Enough connections (one second of arrivals, pipelining 1)
// that no request waits for a free one unless a second of requests is in flight (`maxInFlight` says).

/** One request to send: as a scenario builds it. */
export interface OpenLoopRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

/** What to offer, and to whom. */
export interface OpenLoopOptions {
  /** The target's origin, e.g. http://127.0.0.1:4000. */
  origin: string;
  /** Requests per second, evenly spaced. */
  rate: number;
  /** Seconds of arrivals; the driver then waits for the answers still due. */
  seconds: number;
  /** Builds request i. */
  request: () => OpenLoopRequest;
  /** Whether a 2xx body is an answer (a GraphQL body with `errors` is not). @default every 2xx */
  isAnswer?: (body: string) => boolean;
  /** Called right before the first request is due and after the last answer (CPU stopwatches). */
  onWindow?: { start(): void; end(): void };
}

/** What the driver saw. Latencies are from each request's due time, in ms. */
export interface OpenLoopResult {
  rate: number;
  seconds: number;
  connections: number;
  /** Requests sent (rate × seconds). */
  sent: number;
  /** Answered: 2xx responses that `isAnswer` accepted. */
  completed: number;
  /** Everything else: refused, errored, non-2xx, not an answer, no response within 10 s. */
  errors: number;
  /** Requests sent more than LATE_MS after their due time (the driver's own loop fell behind). */
  lateSends: number;
  maxSendLagMs: number;
  /** Most requests awaiting an answer at once (past `connections`, some waited for a connection). */
  maxInFlight: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** A send more than this after its due time counts as late. */
const LATE_MS = 5;
const round = (ms: number) => Number(ms.toFixed(2));

/** The q-quantile of sorted values (nearest rank). */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Offers `rate` requests per second for `seconds` to `origin`, uniformly, and measures each from its due time. */
export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const total = Math.round(options.rate * options.seconds);
  const connections = Math.max(1, Math.ceil(options.rate));
  const pool = new Pool(options.origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const latencies = new Float64Array(total);
  let [completed, errors, lateSends, maxSendLag, inFlight, maxInFlight, sent] = [0, 0, 0, 0, 0, 0, 0];
  const pending: Promise<void>[] = [];
  const isAnswer = options.isAnswer ?? (() => true);

  const send = (due: number): Promise<void> => {
    const lag = performance.now() - due;
    if (lag > LATE_MS) lateSends += 1;
    maxSendLag = Math.max(maxSendLag, lag);
    maxInFlight = Math.max(maxInFlight, (inFlight += 1));
    const { method, path, body } = options.request();
    return pool
      .request({ method, path, body, headers: { 'content-type': 'application/json' } })
      .then(async (response) => {
        const text = await response.body.text();
        if (response.statusCode >= 200 && response.statusCode < 300 && isAnswer(text)) {
          latencies[completed] = performance.now() - due;
          completed += 1;
        } else errors += 1;
      })
      .catch(() => void (errors += 1))
      .finally(() => void (inFlight -= 1));
  };

  options.onWindow?.start();
  const t0 = performance.now();
  const interval = 1000 / options.rate;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Every request due by now goes out now: a late timer never lowers the offered load.
      while (sent < total && t0 + sent * interval <= now) {
        pending.push(send(t0 + sent * interval));
        sent += 1;
      }
      if (sent >= total) return resolve();
      setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
    };
    tick();
  });
  await Promise.all(pending);
  options.onWindow?.end();
  await pool.close();

  const sorted = latencies.subarray(0, completed).sort();
  return {
    rate: options.rate,
    seconds: options.seconds,
    connections,
    sent,
    completed,
    errors,
    lateSends,
    maxSendLagMs: round(maxSendLag),
    maxInFlight,
    p50Ms: round(quantile(sorted, 0.5)),
    p90Ms: round(quantile(sorted, 0.9)),
    p99Ms: round(quantile(sorted, 0.99)),
    maxMs: round(quantile(sorted, 1)),
  };
}
