import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Metrics } from '../../support/metrics.js';
import { recordFor } from '../request-record.js';

/** What the error counter reads of a GraphQL error. */
interface CountedError {
  extensions?: { code?: unknown };
}

/** A caller's request id is echoed only when it is short and plain (no header or log injection). */
const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * One structured log line per GraphQL request — request id (taken from `x-request-id` or made),
 * operation name, caller (and its key name or JWT `sub`), status, duration, and each Atlas attempt
 * with its status and duration — and the request id in the response header. GraphQL errors are
 * counted by code.
 */
export function requestLog(logger: Logger, metrics: Metrics): Plugin {
  return {
    onRequest({ request, url }) {
      const given = request.headers.get('x-request-id');
      recordFor(request, () => (given && SANE_REQUEST_ID.test(given) ? given : crypto.randomUUID())).path =
        url.pathname;
    },
    onParams({ params, request }) {
      // The type is checked by operationNameCheck; this line must not trust it either (it runs on any request).
      const { operationName } = params as { operationName?: unknown };
      if (typeof operationName === 'string' && operationName)
        recordFor(request).operationName = operationName.slice(0, 128);
    },
    onExecutionResult({ result }) {
      const results = Array.isArray(result) ? result : [result];
      for (const r of results) {
        for (const error of (r as { errors?: readonly CountedError[] }).errors ?? []) {
          const code = error.extensions?.code;
          // A client that went away gets no response: its cancelled fields are not errors anyone sees.
          if (code === 'REQUEST_CANCELLED') continue;
          metrics.observeError(typeof code === 'string' ? code : 'UNKNOWN');
        }
      }
    },
    onResponse({ request, response }) {
      const record = recordFor(request);
      response.headers.set('x-request-id', record.id);
      if (record.path !== '/graphql' || !logger.isLevelEnabled('info')) return;
      logger.info(
        {
          requestId: record.id,
          method: request.method,
          status: response.status,
          operationName: record.operationName,
          caller: record.caller,
          callerName: record.callerName,
          durationMs: Math.round(performance.now() - record.startedAt),
          upstream: record.upstream.map((a) => ({
            operation: a.operation,
            status: a.status ?? 'error',
            ms: Math.round(a.durationMs),
          })),
        },
        'graphql request',
      );
    },
  };
}
