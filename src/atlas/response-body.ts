import type { z } from 'zod';
import { AtlasInvalidBodyError } from './errors.js';
import type { AtlasOperation } from './operation.js';
import { pageOverflowProblem } from './pagination.js';
import { parseJson, upstreamText } from './upstream-text.js';

/** Largest error (non-2xx) body read: an envelope is a few hundred bytes, and its status says enough without it. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * Reads a body as text, or undefined once it passes `maxBytes`: reading stops there (the stream is
 * destroyed), so an endless body costs at most `maxBytes`. `onBytes` may stop it earlier by throwing.
 */
async function readAtMost(
  body: AsyncIterable<Buffer>,
  maxBytes: number,
  onBytes?: (bytes: number) => void,
): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    onBytes?.(chunk.length);
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
}

/** Reads a response body as text, refusing one larger than `maxBytes`; `onBytes` may refuse it earlier by throwing. */
export async function readBody(
  operation: string,
  body: AsyncIterable<Buffer>,
  maxBytes: number,
  onBytes?: (bytes: number) => void,
): Promise<string> {
  const text = await readAtMost(body, maxBytes, onBytes);
  if (text === undefined) throw new AtlasInvalidBodyError(operation, [`body is larger than ${maxBytes} bytes`]);
  return text;
}

/** Reads an error body up to MAX_ERROR_BODY_BYTES; a longer one is dropped ('') and the error goes by its status and headers. */
export async function readErrorBody(body: AsyncIterable<Buffer>, onBytes?: (bytes: number) => void): Promise<string> {
  return (await readAtMost(body, MAX_ERROR_BODY_BYTES, onBytes)) ?? '';
}

/** `application/json` or a versioned `application/vnd.atlas.…+json`, parameters allowed. */
const JSON_MEDIA_TYPE = /^application\/(?:json|vnd\.atlas\.[a-z0-9.-]+\+json)\s*(?:;|$)/i;

/** The problem of a 2xx body that is Atlas's error envelope (`{"error":404,"errorCode":…}`), if it is one. */
function envelopeProblem(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || !('error' in json) || typeof json.error !== 'number')
    return undefined;
  if (!('errorCode' in json) && !('detail' in json)) return undefined;
  const errorCode =
    'errorCode' in json && typeof json.errorCode === 'string' && /^[A-Z0-9_]{1,100}$/.test(json.errorCode)
      ? ` ${upstreamText(json.errorCode)}`
      : '';
  return `body is an Atlas error envelope (error ${json.error}${errorCode}), not the resource`;
}

/** Problems of one invalid body kept; the schemas' bounded arrays already stop after a handful. */
const MAX_BODY_PROBLEMS = 10;

/**
 * Parses a 2xx body answering `path` with the operation's schema, after refusing a non-JSON content
 * type, JSON nested too deep, an error envelope and a list page longer than it was asked to be;
 * the problems name paths, never the body's values.
 */
export function parseBody<Schema extends z.ZodType>(
  operation: AtlasOperation<Schema>,
  body: string,
  contentType: string | undefined,
  path: string,
): z.infer<Schema> {
  if (!JSON_MEDIA_TYPE.test(contentType ?? '')) {
    const shown = contentType === undefined ? 'none' : JSON.stringify(upstreamText(contentType, 100));
    throw new AtlasInvalidBodyError(operation.name, [`content type is not JSON: ${shown}`]);
  }
  const { value: json, problem } = parseJson(body);
  const refused = problem ?? envelopeProblem(json) ?? pageOverflowProblem(json, path);
  if (refused !== undefined) throw new AtlasInvalidBodyError(operation.name, [refused]);
  const parsed = operation.schema.safeParse(json);
  if (!parsed.success) {
    throw new AtlasInvalidBodyError(
      operation.name,
      parsed.error.issues
        .slice(0, MAX_BODY_PROBLEMS)
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return parsed.data;
}

/** The first value of a response header. */
export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
