import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BreakerState } from '../atlas/breaker.js';
import type { CacheReadEvent } from '../atlas/cached-reads.js';
import type { AtlasAttemptEvent } from '../atlas/client.js';
import type { RateBudgetEvent } from '../atlas/rate-budget-gate.js';

/** Breaker states as gauge values. */
const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * The Prometheus metrics of one app, in a registry of its own (several apps can share a process in
 * tests). Observers are plain functions so the layers below need not know prom-client.
 */
export function createMetrics(breakerState: () => BreakerState) {
  const registry = new Registry();
  // Process metrics (heap, RSS, event-loop lag, GC) beside ours, minus the Node.js version: it
  // helps no dashboard and tells a scanner which CVEs to try.
  collectDefaultMetrics({ register: registry });
  registry.removeSingleMetric('nodejs_version_info');
  const upstreamRequests = new Counter({
    name: 'atlas_upstream_requests_total',
    help: 'HTTP attempts to Atlas, by operation and status (`error` when no response came).',
    labelNames: ['operation', 'status'] as const,
    registers: [registry],
  });
  const upstreamLatency = new Histogram({
    name: 'atlas_upstream_request_duration_seconds',
    help: 'Duration of one attempt to Atlas.',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const rateBudget = new Counter({
    name: 'atlas_rate_budget_calls_total',
    help: 'Atlas calls the rate budget (ATLAS_RATE_LIMIT_PER_MINUTE) held back for their turn (`waited`) or refused without calling Atlas (`refused`), by operation.',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  const cacheReads = new Counter({
    name: 'atlas_cache_reads_total',
    help: 'Atlas GETs through the record cache, by operation and outcome: `hit` (cached), `shared` (another request’s call, on this replica or another), `miss` (called Atlas), `bypass` (called Atlas: the shared cache could not be read).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  const retries = new Counter({
    name: 'atlas_upstream_retries_total',
    help: 'Retries of Atlas calls, by operation and reason.',
    labelNames: ['operation', 'reason'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'atlas_upstream_breaker_state',
    help: 'Circuit breaker of the Atlas origin: 0 closed, 1 half-open, 2 open.',
    registers: [registry],
    collect() {
      this.set(BREAKER_VALUE[breakerState()]);
    },
  });
  const batchSize = new Histogram({
    name: 'graphql_loader_batch_size',
    help: 'Keys per DataLoader batch, by loader.',
    labelNames: ['loader'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100],
    registers: [registry],
  });
  let upstreamBytesInFlight = () => 0;
  new Gauge({
    name: 'graphql_upstream_bytes_in_flight',
    help: 'Bytes of Atlas responses held by the GraphQL requests in flight (bounded by UPSTREAM_MAX_BYTES_IN_FLIGHT).',
    registers: [registry],
    collect() {
      this.set(upstreamBytesInFlight());
    },
  });
  let liveStatus = { subscriptions: () => 0, pollers: () => 0 };
  new Gauge({
    name: 'graphql_subscriptions_active',
    help: 'Live-status subscriptions held now (SSE and WebSocket).',
    registers: [registry],
    collect() {
      this.set(liveStatus.subscriptions());
    },
  });
  new Gauge({
    name: 'atlas_pollers_active',
    help: 'Resources polled now for live status: one poller per resource and Atlas credentials.',
    registers: [registry],
    collect() {
      this.set(liveStatus.pollers());
    },
  });
  const polls = new Counter({
    name: 'atlas_polls_total',
    help: 'Live-status polls, by outcome: changed, unchanged, error, gone.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const graphqlErrors = new Counter({
    name: 'graphql_errors_total',
    help: 'GraphQL errors in responses, by extensions.code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });

  return {
    registry,
    observeAttempt: (event: AtlasAttemptEvent): void => {
      upstreamRequests.inc({
        operation: event.operation,
        status: event.status === undefined ? 'error' : String(event.status),
      });
      upstreamLatency.observe({ operation: event.operation }, event.durationMs / 1000);
    },
    observeRateBudget: (event: RateBudgetEvent): void => {
      rateBudget.inc({ operation: event.operation, outcome: event.outcome });
    },
    observeCacheRead: (event: CacheReadEvent): void => {
      cacheReads.inc({ operation: event.operation, outcome: event.outcome });
    },
    observeRetry: (event: { operation: string; reason: string }): void => {
      retries.inc({ operation: event.operation, reason: event.reason });
    },
    observeBatch: (loader: string, size: number): void => {
      batchSize.observe({ loader }, size);
    },
    observeError: (code: string): void => {
      graphqlErrors.inc({ code });
    },
    observePoll: (outcome: string): void => {
      polls.inc({ outcome });
    },
    /** Where the live-status gauges read from (the WatchHub). */
    readLiveStatus: (read: { subscriptions: () => number; pollers: () => number }): void => {
      liveStatus = read;
    },
    /** Where the in-flight bytes gauge reads from (the GraphQL server's UpstreamMemory). */
    readUpstreamBytesInFlight: (read: () => number): void => {
      upstreamBytesInFlight = read;
    },
  };
}

/** The metrics of one app. */
export type Metrics = ReturnType<typeof createMetrics>;
