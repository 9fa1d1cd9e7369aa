import {
  context,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
} from '@opentelemetry/api';
import type { z } from 'zod';
import type { Tracing } from '../support/tracing.js';
import type { Call } from './call.js';
import { AtlasNetworkError, AtlasResponseError } from './errors.js';

// The spans of Atlas calls: one per call (its waits, retries and back-off included), a child per
// attempt, and the attempt's `traceparent` sent to Atlas. Attributes are the operation, method, path
// template and path (ids only), status and attempt number; never a header, a body or an error text.

/** What the client needs to trace its calls. */
export type CallTracing = Pick<Tracing, 'tracer' | 'propagator'>;

/** Marks `span` failed: `error.type` is a status, an Atlas or network code or a class name, never a message. */
function markFailed(span: Span, error: unknown): void {
  const type =
    error instanceof AtlasResponseError
      ? String(error.status)
      : error instanceof AtlasNetworkError
        ? error.causeCode
        : error instanceof Error
          ? error.name
          : 'unknown';
  span.setAttribute('error.type', type);
  if (error instanceof AtlasResponseError && error.envelope.errorCode)
    span.setAttribute('atlas.error_code', error.envelope.errorCode.slice(0, 64));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** A call's span and the attempts it started, kept beside the call while tracing. */
const traced = new WeakMap<Call<z.ZodType>, { span: Span; attempts: number }>();

/**
 * The span of one call, a child of the active span (a request's, a loader batch's); none for a call
 * outside any request (a subscription poller's, the breaker probe's): it would start a trace of its
 * own every few seconds. Its attempts then carry no `traceparent` either.
 */
export function startCallSpan(tracing: CallTracing, call: Call<z.ZodType>, origin: URL): Span | undefined {
  if (!trace.getSpan(context.active())) return undefined;
  const { operation, path } = call;
  const span = tracing.tracer.startSpan(`Atlas ${operation.name}`, {
    kind: SpanKind.INTERNAL,
    attributes: {
      'atlas.operation': operation.name,
      'http.request.method': operation.method,
      'url.template': operation.template,
      'url.path': path,
      'server.address': origin.hostname,
    },
  });
  traced.set(call, { span, attempts: 0 });
  return span;
}

/** Ends a call's span with its outcome and the number of attempts it made. */
export function endCallSpan(span: Span, call: Call<z.ZodType>, error?: unknown): void {
  span.setAttribute('atlas.attempts', traced.get(call)?.attempts ?? 0);
  if (error !== undefined) markFailed(span, error);
  span.end();
}

/** One attempt's span, the headers that carry it to Atlas, and its status once Atlas answered. */
export interface AttemptTrace {
  readonly span: Span;
  /** `traceparent` (and `tracestate` when the trace has one). */
  readonly headers: Record<string, string>;
  status: number | undefined;
}

/**
 * The span of the call's next attempt, a child of the call's span (1 for the first attempt, 2 for the
 * first retry…); undefined when the call has none.
 */
export function startAttemptSpan(tracing: CallTracing, call: Call<z.ZodType>): AttemptTrace | undefined {
  const { operation, path } = call;
  const parent = traced.get(call);
  if (!parent) return undefined;
  const attempt = (parent.attempts += 1);
  const span = tracing.tracer.startSpan(
    `${operation.method} ${operation.name}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'atlas.operation': operation.name,
        'atlas.attempt': attempt,
        'http.request.method': operation.method,
        'url.template': operation.template,
        'url.path': path,
        ...(attempt > 1 ? { 'http.request.resend_count': attempt - 1 } : {}),
      },
    },
    trace.setSpan(ROOT_CONTEXT, parent.span),
  );
  const headers: Record<string, string> = {};
  tracing.propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, defaultTextMapSetter);
  return { span, headers, status: undefined };
}

/** Ends an attempt's span: its status (when Atlas answered) and its failure (a 4xx/5xx or no answer). */
export function endAttemptSpan(attempt: AttemptTrace, error?: unknown): void {
  const { span, status } = attempt;
  if (status !== undefined) span.setAttribute('http.response.status_code', status);
  if (error !== undefined) markFailed(span, error);
  span.end();
}
