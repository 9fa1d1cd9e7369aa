import {
  context as activeContext,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Tracing } from '../../support/tracing.js';
import { recordFor } from '../request-record.js';

// The span of each GraphQL request over HTTP, continuing the caller's trace (W3C `traceparent`, as a
// gateway sends it): one span per operation, not one per field, so that tracing costs a few
// microseconds a request. Execution runs inside it, so the loader batches and Atlas calls it causes
// are its children. Subscriptions are named but not entered: their pollers outlive the request and
// are shared by many subscribers.

/** Reads propagation headers from a fetch `Headers`. */
const fromHeaders: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

/** Names the span after the operation, as the semantic conventions do: `query ClusterSnapshots`. */
function nameSpan(span: Span | undefined, document: DocumentNode, operationName: string | null | undefined): void {
  if (!span) return;
  const operation = getOperationAST(document, operationName);
  if (!operation) return;
  const name = operation.name?.value.slice(0, 128);
  span.updateName(name ? `${operation.operation} ${name}` : operation.operation);
  span.setAttribute('graphql.operation.type', operation.operation);
  if (name) span.setAttribute('graphql.operation.name', name);
}

/** What naming the span needs of envelop's onExecute/onSubscribe arguments. */
interface OperationHookArgs {
  args: { contextValue: { request: Request }; document: DocumentNode; operationName?: string | null | undefined };
}

/** What the error codes of a result are. */
interface CodedErrors {
  errors?: readonly { extensions?: { code?: unknown } }[];
}

/**
 * A span per GraphQL request on `graphqlPath` (kind SERVER, child of the caller's `traceparent` when
 * it sent one), with the operation's type and name, the GraphQL error codes, the HTTP status and the
 * request id; execution runs with it active. Other paths (health, readiness, metrics) get none.
 */
export function operationTracing(tracing: Tracing, graphqlPath: string): Plugin {
  const spans = new WeakMap<Request, Span>();
  const named = ({ args }: OperationHookArgs) =>
    nameSpan(spans.get(args.contextValue.request), args.document, args.operationName);
  return {
    instrumentation: {
      async request({ request }, wrapped) {
        if (new URL(request.url).pathname !== graphqlPath) return wrapped();
        const parent = tracing.propagator.extract(ROOT_CONTEXT, request.headers, fromHeaders);
        const span = tracing.tracer.startSpan(
          'graphql',
          { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'url.path': graphqlPath } },
          parent,
        );
        spans.set(request, span);
        try {
          await wrapped();
        } finally {
          spans.delete(request);
          span.end();
        }
      },
      execute({ context }, wrapped) {
        const span = spans.get(context.request);
        return span ? activeContext.with(trace.setSpan(activeContext.active(), span), wrapped) : wrapped();
      },
    },
    onExecute: named,
    onSubscribe: named,
    onExecutionResult({ request, result }) {
      const span = spans.get(request);
      if (!span) return;
      const results = (Array.isArray(result) ? result : [result]) as CodedErrors[];
      const errors = results.flatMap((r) => r.errors ?? []);
      if (errors.length === 0) return;
      const codes = [...new Set(errors.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : '')))];
      span.setAttribute('graphql.error.codes', codes.filter(Boolean).slice(0, 16));
      span.setStatus({ code: SpanStatusCode.ERROR });
    },
    onResponse({ request, response }) {
      const span = spans.get(request);
      if (!span) return;
      span.setAttribute('http.response.status_code', response.status);
      span.setAttribute('request.id', recordFor(request).id);
      if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    },
  };
}

/**
 * Wraps each loader batch in an active span (`loader <name>` with its size), so that the Atlas calls
 * of the batch are its children: what a resolver's keys cost, batched.
 */
export const loaderBatchSpans =
  (tracing: Tracing) =>
  <T>(loader: string, size: number, run: () => Promise<T>): Promise<T> =>
    tracing.tracer.startActiveSpan(
      `loader ${loader}`,
      { attributes: { 'loader.name': loader, 'loader.batch_size': size } },
      (span) => run().finally(() => span.end()),
    );
