import { z } from 'zod';

const text = z.string().nullish().catch(undefined);

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

/** The fields of an Atlas error body that we keep, all optional. */
export interface AtlasErrorEnvelope {
  errorCode?: string;
  reason?: string;
  detail?: string;
  parameters?: unknown[];
}

/**
 * Reads an error body; anything that is not a JSON object (an HTML page from a proxy, an empty body)
 * yields an empty envelope so that the caller still maps by status. The `X-Error-Code` header
 * fills in `errorCode` when the body lacks it.
 */
export function parseErrorEnvelope(body: string, errorCodeHeader?: string): AtlasErrorEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const parsed = envelopeSchema.safeParse(json);
  const envelope: AtlasErrorEnvelope = {};
  if (parsed.success) {
    const { errorCode, reason, detail, parameters } = parsed.data;
    if (errorCode) envelope.errorCode = errorCode;
    if (reason) envelope.reason = reason;
    if (detail) envelope.detail = detail;
    if (parameters) envelope.parameters = parameters;
  }
  if (!envelope.errorCode && errorCodeHeader && /^[A-Z0-9_]{1,100}$/.test(errorCodeHeader)) {
    envelope.errorCode = errorCodeHeader;
  }
  return envelope;
}
