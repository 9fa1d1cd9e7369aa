import { z } from 'zod';
import { Secret } from '../support/secret.js';
import { flagDefault, httpUrl, text } from './variable-types.js';
import type { Environment } from './environment.js';

// The OpenTelemetry variables this service reads (their standard names and meanings, from the OTel
// SDK configuration spec) and the tracing settings made of them. Unset endpoint: no tracing at all.

/** The samplers of the spec that need nothing but this process (no remote sampler). */
const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/** Which sampler decides whether a new trace is recorded, and its ratio for the ratio samplers. */
export type SamplerName = (typeof SAMPLERS)[number];

/** A `key=value,key=value` list (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES): values percent-decoded. */
const keyValueList = (what: string) =>
  text.transform((value, ctx) => {
    const pairs: [string, string][] = [];
    for (const [index, entry] of (value ?? '').split(',').entries()) {
      if (entry.trim() === '') continue;
      const at = entry.indexOf('=');
      const key = entry.slice(0, at).trim();
      let decoded: string | undefined;
      try {
        decoded = at > 0 && /^[\w.-]+$/.test(key) ? decodeURIComponent(entry.slice(at + 1).trim()) : undefined;
      } catch {
        decoded = undefined;
      }
      // A problem names the entry by its position only: a header's value may be a secret.
      if (decoded === undefined) {
        ctx.issues.push({ code: 'custom', message: `entry ${index + 1} is not ${what}`, input: undefined });
        continue;
      }
      pairs.push([key, decoded]);
    }
    return pairs;
  });

/** The OpenTelemetry variables, section "Tracing" of the environment. */
export const tracingVariables = {
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional().meta({
    description:
      'OTLP/HTTP collector, e.g. `http://otel-collector:4318`: spans go to `<it>/v1/traces` as OTLP JSON. Unset (with `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` unset too): no tracing at all, no SDK loaded (docs/fleet.md).',
    defaultText: 'unset',
  }),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl.optional().meta({
    description: 'The full URL spans are posted to, used as is; wins over `OTEL_EXPORTER_OTLP_ENDPOINT`.',
    defaultText: 'unset',
  }),
  OTEL_EXPORTER_OTLP_HEADERS: keyValueList('`name=value`')
    .transform((pairs) => Object.fromEntries(pairs.map(([name, value]) => [name, new Secret(value)])))
    .meta({
      description:
        'Headers sent with every export, `name=value,name=value` (values percent-encoded), e.g. a tracing backend’s API key; kept secret.',
      defaultText: 'none',
    }),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.string().optional().meta({
    description:
      'Spans are always sent as `http/json` (which every OTLP/HTTP receiver accepts); any other value is noted at start-up.',
    defaultText: '`http/json`',
  }),
  OTEL_SERVICE_NAME: z
    .string()
    .regex(/^\S{1,128}$/, { error: 'must be 1 to 128 characters without spaces' })
    .default('atlas-backups-graphql')
    .describe('`service.name` of the spans (wins over one in `OTEL_RESOURCE_ATTRIBUTES`).'),
  OTEL_RESOURCE_ATTRIBUTES: keyValueList('`key=value`')
    .transform((pairs) => Object.fromEntries(pairs))
    .meta({
      description:
        'More resource attributes, `key=value,key=value`, e.g. `deployment.environment.name=prod`. Each replica adds a random `service.instance.id`.',
      defaultText: 'none',
    }),
  OTEL_TRACES_SAMPLER: z
    .enum(SAMPLERS, { error: `must be one of ${SAMPLERS.join(', ')}` })
    .default('parentbased_always_on')
    .describe(
      'Which traces are recorded. `parentbased_*` follow the caller’s `traceparent` sampled flag when there is one.',
    ),
  OTEL_TRACES_SAMPLER_ARG: z.coerce
    .number()
    .min(0)
    .max(1)
    .optional()
    .meta({ description: 'The ratio of the `*traceidratio` samplers, 0 to 1.', defaultText: '`1`' }),
  OTEL_SDK_DISABLED: flagDefault(false).describe('`true`: no tracing, whatever the endpoint says.'),
};

/** Where spans go and how they are made; undefined in the config when tracing is off. */
export interface TracingSettings {
  /** The URL spans are POSTed to (OTLP JSON). */
  url: string;
  /** Sent with every export, e.g. a tracing backend's API key. */
  headers: Record<string, Secret>;
  serviceName: string;
  resourceAttributes: Record<string, string>;
  sampler: SamplerName;
  /** For the ratio samplers. */
  ratio: number;
}

/** The tracing settings of `e`, or undefined when no endpoint is set (or OTEL_SDK_DISABLED); notes what it ignores. */
export function tracingFrom(e: Environment, notes: string[]): TracingSettings | undefined {
  const base = e.OTEL_EXPORTER_OTLP_ENDPOINT;
  const url = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (url === undefined || e.OTEL_SDK_DISABLED) return undefined;
  const protocol = e.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (protocol !== undefined && protocol !== 'http/json')
    notes.push(`OTEL_EXPORTER_OTLP_PROTOCOL=${protocol.slice(0, 20)} is not supported: spans are sent as http/json`);
  return {
    url,
    headers: e.OTEL_EXPORTER_OTLP_HEADERS,
    serviceName: e.OTEL_SERVICE_NAME,
    resourceAttributes: e.OTEL_RESOURCE_ATTRIBUTES,
    sampler: e.OTEL_TRACES_SAMPLER,
    ratio: e.OTEL_TRACES_SAMPLER_ARG ?? 1,
  };
}
