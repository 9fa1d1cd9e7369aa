import type { z } from 'zod';
import { AtlasInvalidBodyError } from './errors.js';
import type { AtlasOperation } from './operation.js';

/** Reads a response body as text, refusing one larger than `maxBytes`; `onBytes` may refuse it earlier by throwing. */
export async function readBody(
  operation: string,
  body: AsyncIterable<Buffer>,
  maxBytes: number,
  onBytes?: (bytes: number) => void,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    onBytes?.(chunk.length);
    if (size > maxBytes) throw new AtlasInvalidBodyError(operation, [`body is larger than ${maxBytes} bytes`]);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
}

/** Parses a 2xx body with the operation's schema; the problems name paths, never the body's values. */
export function parseBody<Schema extends z.ZodType>(operation: AtlasOperation<Schema>, body: string): z.infer<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new AtlasInvalidBodyError(operation.name, ['body is not JSON']);
  }
  const parsed = operation.schema.safeParse(json);
  if (!parsed.success) {
    throw new AtlasInvalidBodyError(
      operation.name,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return parsed.data;
}

/** The first value of a response header. */
export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
