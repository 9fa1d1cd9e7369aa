import type { Logger } from 'pino';
import { forwardedBearerAuth } from './atlas/auth.js';
import type { BackupReader } from './backups/backup-reader.js';
import { createLoaders, type Loaders } from './loaders.js';

/** What every resolver sees: this request's loaders and the process logger. */
export interface Context {
  loaders: Loaders;
  logger: Logger;
}

/** Process-wide parts from which each request's context is made. */
export interface ContextDependencies {
  reader: BackupReader;
  logger: Logger;
  /** @default 8 */
  upstreamConcurrency: number;
  /** Forward mode: each request's own `Authorization: Bearer` goes to Atlas. */
  forwardAuthorization: boolean;
}

/**
 * Makes the context of one GraphQL request: fresh loaders bound to the request's abort signal and,
 * in forward mode, to the caller's own token, so tokens never mix between requests.
 */
export function createContext(deps: ContextDependencies, request: Request): Context {
  return {
    loaders: createLoaders(deps.reader, {
      concurrency: deps.upstreamConcurrency,
      signal: request.signal,
      ...(deps.forwardAuthorization ? { auth: forwardedBearerAuth(request.headers.get('authorization')) } : {}),
    }),
    logger: deps.logger,
  };
}
