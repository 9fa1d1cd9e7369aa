import type { Plugin } from 'graphql-yoga';
import type { BreakerState } from '../../atlas/breaker.js';
import type { CallerAuth, MetricsAccess } from '../../config/config.js';
import type { Metrics } from '../../support/metrics.js';
import { callerAuthentication } from './caller-auth.js';

const METRICS_PATH = '/metrics';

/** What the operability endpoints read of the process. */
export interface OperabilityOptions {
  metrics: Metrics;
  /** Who may read /metrics; this server serves it only for `public` and `auth` (`port` has a listener of its own). */
  metricsAccess: MetricsAccess;
  /** The caller authentication /metrics asks for under `auth` (the same as /graphql's). */
  callerAuth: CallerAuth;
  /** The Atlas circuit: `closed`, `half-open` or `open`. */
  breakerState: () => BreakerState;
  /** True from the moment shutdown begins. */
  draining: () => boolean;
  /** Redis's state when replicas share one (REDIS_URL): shown, never a reason to be unready. */
  redisState?: (() => 'up' | 'down') | undefined;
}

/**
 * `/readiness` and `/metrics` (Prometheus); `/health`, plain liveness, is Yoga's own.
 *
 * Readiness is whether this process can serve: 200 `{"ready":true,"draining":false,"breaker":…}`
 * from start-up until shutdown begins, then 503 with `draining: true`. It does not hinge on Atlas:
 * Atlas is shared by every replica, so an outage would take them all out at once, and a load
 * balancer with no ready replica answers with connection errors instead of this service's typed
 * `UPSTREAM_ERROR`. Atlas health is reported beside it — `breaker` in the body, the
 * `atlas_upstream_breaker_state` gauge — and `/readiness?atlas=1` also answers 503 while the
 * circuit is open, for monitors (not load balancers). With a shared Redis, `redis: up|down` is
 * reported too, and never makes it unready: every replica answers without Redis (docs/fleet.md).
 * See docs/operations-readiness.md.
 */
export function operabilityEndpoints(options: OperabilityOptions): Plugin {
  const { metrics, breakerState, draining } = options;
  const servesMetrics = options.metricsAccess === 'public' || options.metricsAccess === 'auth';
  // Under `auth`, the caller-auth door pointed at /metrics: only its request check (its execution gate is GraphQL's).
  const door =
    options.metricsAccess === 'auth'
      ? callerAuthentication(options.callerAuth, { graphqlPath: METRICS_PATH, graphiql: false })?.onRequest
      : undefined;
  return {
    onRequest(payload) {
      const { url, fetchAPI } = payload;
      const endResponse = (response: Response) => payload.endResponse(response);
      if (url.pathname === '/readiness') {
        const breaker = breakerState();
        const ready = !draining();
        const ok = ready && !(url.searchParams.get('atlas') === '1' && breaker === 'open');
        const redis = options.redisState?.();
        const body = JSON.stringify({ ready, draining: !ready, breaker, ...(redis ? { redis } : {}) });
        endResponse(
          new fetchAPI.Response(body, {
            status: ok ? 200 : 503,
            headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
          }),
        );
        return;
      }
      if (url.pathname !== METRICS_PATH) return undefined;
      // `auth` without a door cannot happen (the config refuses it); were it to, nothing is served.
      if (!servesMetrics || (options.metricsAccess === 'auth' && !door)) {
        endResponse(new fetchAPI.Response(null, { status: 404 }));
        return;
      }
      let refused = false;
      const refuse = (response: Response) => {
        refused = true;
        endResponse(response);
      };
      const checked = door?.({ ...payload, endResponse: refuse });
      return Promise.resolve(checked).then(async () => {
        if (refused) return;
        const text = await metrics.registry.metrics();
        endResponse(new fetchAPI.Response(text, { headers: { 'content-type': metrics.registry.contentType } }));
      });
    },
  };
}
