import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_ERROR_CODES, SimApiError } from './api-error.js';
import type { Fault } from './faults.js';
import type { RateLimitBucket, Route } from './route.js';

/** How the simulator answers a call it was told to fail (see faults.ts). */

/** What a fault needs of the server: its error answers and RateLimit headers. */
export interface Responder {
  sendError: (
    res: ServerResponse,
    error: SimApiError,
    extra?: Record<string, string>,
    pretty?: boolean,
    bucket?: RateLimitBucket,
  ) => void;
  rateLimitHeaders: (bucket?: RateLimitBucket) => Record<string, string>;
}

/** Writes `fault.chunk` until the client goes away: an endless body, paced by the client's reading or `intervalMs`. */
export function streamEndlessly(
  res: ServerResponse,
  fault: Extract<Fault, { kind: 'stream' }>,
  contentType: string,
): void {
  let closed = false;
  res.once('close', () => (closed = true));
  res.writeHead(fault.status ?? 200, { 'Content-Type': fault.contentType ?? contentType });
  if (fault.prefix) res.write(fault.prefix);
  const pump = () => {
    while (!closed) {
      if (!res.write(fault.chunk)) {
        res.once('drain', pump);
        return;
      }
      if (fault.intervalMs) {
        setTimeout(pump, fault.intervalMs);
        return;
      }
    }
  };
  pump();
}

/**
 * Answers a call with `fault` instead of the operation: `calls.body` computes the operation's 200 body
 * (a write is applied), `calls.apply` runs the operation without answering (`drop-after-body` with `apply`).
 */
export function applyFault(
  req: IncomingMessage,
  res: ServerResponse,
  fault: Fault,
  route: Route,
  calls: { body: () => string; apply: () => void },
  responder: Responder,
): void {
  const { sendError, rateLimitHeaders } = responder;
  switch (fault.kind) {
    case 'stream':
      streamEndlessly(res, fault, `${route.mediaType};charset=utf-8`);
      return;
    case 'reset':
      req.socket.destroy();
      return;
    case 'drop-after-body':
      if (fault.apply) calls.apply();
      req.socket.destroy();
      return;
    case 'hang':
      return;
    case 'echo-authorization': {
      const code = DEFAULT_ERROR_CODES[fault.status] ?? 'UNEXPECTED_ERROR';
      const detail = `Authorization: ${req.headers.authorization ?? '(none)'}`;
      sendError(res, new SimApiError(fault.status, code, detail), undefined, false, route.rateLimitBucket);
      return;
    }
    case 'reset-mid-body': {
      const text = calls.body();
      res.writeHead(200, {
        'Content-Type': `${route.mediaType};charset=utf-8`,
        'Content-Length': String(Buffer.byteLength(text)),
      });
      res.write(text.slice(0, Math.floor(text.length / 2)), () => req.socket.destroy());
      return;
    }
    case 'status': {
      if (fault.rawBody !== undefined || fault.body !== undefined) {
        const text = fault.rawBody ?? JSON.stringify(fault.body);
        const rawType = fault.status < 300 ? `${route.mediaType};charset=utf-8` : 'text/html';
        const type = fault.contentType ?? (fault.rawBody !== undefined ? rawType : 'application/json');
        res.writeHead(fault.status, {
          'Content-Type': type,
          ...rateLimitHeaders(route.rateLimitBucket),
          ...fault.headers,
        });
        res.end(text);
        return;
      }
      const code = DEFAULT_ERROR_CODES[fault.status] ?? 'UNEXPECTED_ERROR';
      sendError(
        res,
        new SimApiError(fault.status, code, `Injected ${fault.status} for ${route.name}.`),
        fault.headers,
        false,
        route.rateLimitBucket,
      );
    }
  }
}
