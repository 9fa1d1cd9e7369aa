import { randomUUID } from 'node:crypto';
import type { TextMapPropagator, Tracer } from '@opentelemetry/api';
import type { ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { Sampler, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Logger } from 'pino';
import type { DeepReadonly } from '../config/deep-freeze.js';
import type { TracingSettings } from '../config/tracing.js';
import { VERSION } from './version.js';

// OpenTelemetry for one process, only when an OTLP endpoint is configured: without one nothing here
// runs and not one SDK module is loaded (they are imported on demand), so the code that makes spans
// finds no tracer and does nothing.

/** What the code that makes spans is given: the tracer, and the W3C propagator for `traceparent`. */
export interface Tracing {
  readonly tracer: Tracer;
  /** W3C Trace Context (`traceparent`, `tracestate`): read from callers, written to Atlas. */
  readonly propagator: TextMapPropagator;
  /** Exports the spans still buffered (waiting at most 5 s for the collector), then stops. */
  shutdown(): Promise<void>;
}

/** The longest a shutdown waits for the last export: a collector that is down must not hold up SIGTERM. */
const SHUTDOWN_WAIT_MS = 5_000;

/** The sampler the settings name (the spec's names; `parentbased_*` follow the caller's sampled flag). */
function samplerOf(
  sdk: typeof import('@opentelemetry/sdk-trace-base'),
  settings: Pick<TracingSettings, 'sampler' | 'ratio'>,
): Sampler {
  const { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler } = sdk;
  const name = settings.sampler.replace(/^parentbased_/, '');
  const root =
    name === 'always_off'
      ? new AlwaysOffSampler()
      : name === 'traceidratio'
        ? new TraceIdRatioBasedSampler(settings.ratio)
        : new AlwaysOnSampler();
  return settings.sampler.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

/**
 * The exporter, logging once per change whether exports fail (a collector down drops spans, never
 * requests: one warning when it starts failing, one line when it answers again).
 */
function watched(exporter: SpanExporter, logger: Logger, success: ExportResultCode): SpanExporter {
  let failing = false;
  const note = (result: ExportResult) => {
    const failed = result.code !== success;
    if (failed === failing) return;
    failing = failed;
    if (failed) logger.warn({ error: result.error?.name }, 'trace export failing: spans are dropped until it succeeds');
    else logger.info('trace export succeeds again');
  };
  return {
    export: (spans, done) =>
      exporter.export(spans, (result) => {
        note(result);
        done(result);
      }),
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}

/**
 * Starts tracing when `settings` say where spans go: a tracer provider of this process (batching
 * spans to OTLP/HTTP JSON), the AsyncLocalStorage context manager (so that spans made deep in a
 * request find their parent), and the W3C propagator. Undefined when tracing is off.
 */
export async function startTracing(
  settings: DeepReadonly<TracingSettings> | undefined,
  logger: Logger,
): Promise<Tracing | undefined> {
  if (!settings) return undefined;
  const [
    api,
    { AsyncLocalStorageContextManager },
    { ExportResultCode, W3CTraceContextPropagator },
    sdk,
    otlp,
    resources,
  ] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  // Process-wide and kept once set (a second app in the same process, as in tests, reuses it).
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const exporter = new otlp.OTLPTraceExporter({
    url: settings.url,
    headers: Object.fromEntries(Object.entries(settings.headers).map(([name, value]) => [name, value.reveal()])),
  });
  const provider = new sdk.BasicTracerProvider({
    resource: resources.resourceFromAttributes({
      ...settings.resourceAttributes,
      'service.name': settings.serviceName,
      'service.version': VERSION,
      'service.instance.id': randomUUID(),
    }),
    sampler: samplerOf(sdk, settings),
    spanProcessors: [new sdk.BatchSpanProcessor(watched(exporter, logger, ExportResultCode.SUCCESS))],
  });
  const target = new URL(settings.url);
  logger.info(
    { traces: `${target.origin}${target.pathname}`, sampler: settings.sampler },
    'exporting traces (OTLP/HTTP)',
  );
  return {
    tracer: provider.getTracer('atlas-backups-graphql', VERSION),
    propagator: new W3CTraceContextPropagator(),
    async shutdown() {
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_WAIT_MS)));
      await Promise.race([provider.shutdown().catch(() => undefined), waited]);
      clearTimeout(timer);
    },
  };
}
