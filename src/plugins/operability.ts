import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../metrics.js';

/**
 * `/readiness` (the config was valid — or the process would not run — and the Atlas circuit is not
 * open) and `/metrics` (Prometheus). `/health`, plain liveness, is Yoga's own.
 */
export function operabilityEndpoints(metrics: Metrics, breakerState: () => string): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname === '/readiness') {
        const breaker = breakerState();
        const ready = breaker !== 'open';
        endResponse(
          new fetchAPI.Response(JSON.stringify({ ready, breaker }), { status: ready ? 200 : 503, headers: { 'content-type': 'application/json' } }),
        );
        return;
      }
      if (url.pathname === '/metrics') {
        return metrics.registry.metrics().then((text) => {
          endResponse(new fetchAPI.Response(text, { headers: { 'content-type': metrics.registry.contentType } }));
        });
      }
      return undefined;
    },
  };
}
