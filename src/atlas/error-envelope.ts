import { z } from 'zod';
import { parseJson, upstreamText } from './upstream-text.js';

/**
 * Envelope text is scrubbed of our credentials and cut on arrival, so that neither an echoed
 * `Authorization` nor a 7 MB `detail` reaches a message or a log line.
 */
const text = z
  .string()
  .nullish()
  .catch(undefined)
  .transform((value) => (value ? upstreamText(value) : value));

/** More `parameters` than any Atlas error carries; the rest are dropped. */
const MAX_PARAMETERS = 20;

/** One `parameters` entry, bounded: strings like the other fields; objects and arrays (Atlas sends none) as JSON text. */
function boundParameter(value: unknown): unknown {
  if (typeof value === 'string') return upstreamText(value);
  return typeof value === 'object' && value !== null ? upstreamText(JSON.stringify(value)) : value;
}

/**
 * Atlas's `ApiError` envelope, parsed leniently: `reason`/`detail` may be null, and `parameters`
 * holds strings and numbers although the spec types them as objects (quirk 1 in the spec notes).
 */
const envelopeSchema = z.object({
  error: z.number().int().optional().catch(undefined),
  errorCode: text,
  reason: text,
  detail: text,
  parameters: z.array(z.unknown()).optional().catch(undefined),
});

/** The fields of an Atlas error body that we keep, all optional, each text scrubbed and at most MAX_UPSTREAM_TEXT_LENGTH characters. */
export interface AtlasErrorEnvelope {
  errorCode?: string;
  reason?: string;
  detail?: string;
  parameters?: unknown[];
}

/**
 * Reads an error body; anything that is not a JSON object (an HTML page from a proxy, an empty body)
 * yields an empty envelope so that the caller still maps by status. The `X-Error-Code` header
 * fills in `errorCode` when the body lacks it. Nesting is bounded as for 2xx bodies.
 */
export function parseErrorEnvelope(body: string, errorCodeHeader?: string): AtlasErrorEnvelope {
  const parsed = envelopeSchema.safeParse(parseJson(body).value);
  const envelope: AtlasErrorEnvelope = {};
  if (parsed.success) {
    const { errorCode, reason, detail, parameters } = parsed.data;
    if (errorCode) envelope.errorCode = errorCode;
    if (reason) envelope.reason = reason;
    if (detail) envelope.detail = detail;
    if (parameters) envelope.parameters = parameters.slice(0, MAX_PARAMETERS).map(boundParameter);
  }
  if (!envelope.errorCode && errorCodeHeader && /^[A-Z0-9_]{1,100}$/.test(errorCodeHeader)) {
    envelope.errorCode = upstreamText(errorCodeHeader);
  }
  return envelope;
}
