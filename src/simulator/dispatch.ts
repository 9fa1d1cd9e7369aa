import type { IncomingMessage } from 'node:http';
import { SimApiError } from './api-error.js';
import type { Route } from './route.js';

/** From a raw request to an operation: its route by method and path, and a write's JSON body. */

/** The largest write body the simulator reads (64 KiB); Atlas's own bodies here are a few hundred bytes. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * The route serving `method` on `path` and its decoded path parameters. Throws the Atlas errors: 404
 * for a path no operation has, 405 for a method the path does not serve, 400 for a bad escape.
 */
export function matchRoute(
  routes: Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } {
  const onPath = routes.filter((route) => route.pattern.test(path));
  if (onPath.length === 0) {
    throw new SimApiError(404, 'RESOURCE_NOT_FOUND', `Cannot find resource ${path}.`, [path]);
  }
  const route = onPath.find((r) => (r.method ?? 'GET') === method);
  if (!route) throw new SimApiError(405, 'METHOD_NOT_ALLOWED', `Method ${method} is not allowed here.`);
  const m = route.pattern.exec(path)!;
  try {
    return {
      route,
      params: Object.fromEntries(route.paramNames.map((name, i) => [name, decodeURIComponent(m[i + 1]!)])),
    };
  } catch {
    throw new SimApiError(400, 'INVALID_PATH', 'The request path is not valid.');
  }
}

/**
 * Reads a request's body as UTF-8, up to 64 KiB; undefined when it is larger (reading stops there,
 * and the caller answers and closes the connection) or the client went away first.
 */
export function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.pause();
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('close', () => resolve(undefined));
    req.once('error', reject);
  });
}

/**
 * A write's body as Atlas reads it: 400 MALFORMED_JSON ("Received JSON is malformed.") for text that
 * is not JSON (an empty body too: every write here declares a required body), 400 INVALID_JSON
 * ("Received JSON does not match expected format.") for JSON that is not an object. Both codes and
 * messages are from Atlas's error-code list (docs "Atlas Administration API Error Codes").
 */
export function parseJsonBody(raw: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new SimApiError(400, 'MALFORMED_JSON', 'Received JSON is malformed.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SimApiError(400, 'INVALID_JSON', 'Received JSON does not match expected format.');
  }
  return value as Record<string, unknown>;
}
