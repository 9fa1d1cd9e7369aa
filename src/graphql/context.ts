import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { forwardedBearerAuth } from '../atlas/auth.js';
import type { ActionRunner } from '../backups/actions/action-runner.js';
import { watchFor, type LiveStatusDependencies, type Watch } from './live-status.js';
import type { BackupReader } from '../backups/backup-reader.js';
import { createLoaders, lazyLoaders, type LoaderOptions, type Loaders } from '../backups/loaders.js';
import type { Metrics } from '../support/metrics.js';
import { noteCacheRead, recordFor } from './request-record.js';
import type { RequestMeter, UpstreamMemory } from '../backups/upstream-memory.js';
import { CallerRateLimitError, type CallerCallBudget } from '../backups/caller-budget.js';
import { ALL_SCOPES, READ_ONLY, type Scope } from '../config/scopes.js';

/** Who is calling and what it may do (the schema's scope checks read `scopes`, see scope-auth.ts). */
export interface Caller {
  /** Whose budgets the request spends: `key:<digest prefix>`, `jwt:<issuer>/<subject>` or `address:<client address>`. */
  id: string;
  /** For the audit log: the key's name, the JWT's `sub`, else `id`. */
  name: string;
  /** `backups:read` always; the rest as its key or JWT grants (every scope in demo mode). */
  scopes: ReadonlySet<Scope>;
}

/** What every resolver sees: its caller, this request's loaders, the process logger, and the Atlas bytes it holds. */
export interface Context {
  caller: Caller;
  /** This request's id (`x-request-id`): audit lines carry it. */
  requestId: string;
  /**
   * Whose Atlas credentials its calls use: `service` (the server's), or in forward mode `token:<digest>`
   * of the caller's own token (`token:none` without one). What depends on Atlas's answer — idempotent
   * replays, shared pollers — is kept per this, never shared across credentials.
   */
  atlasIdentity: string;
  loaders: Loaders;
  /** The backup actions' runner (mutations), process-wide. */
  actions: ActionRunner;
  /** The live-status events of a resource (subscriptions), from its one shared poller. */
  watch: Watch;
  /** Response keys of the mutations whose action ran (and wrote its own audit line); made on first use. */
  actionsRun?: Set<string>;
  logger: Logger;
  /** Bytes of Atlas responses this request holds; released when it ends (see releaseUpstreamBytes). */
  upstreamBytes: RequestMeter;
  /** The bytes are given back once the response has been written, not when execution ends. */
  bytesHeldUntilSent: boolean;
}

/** Process-wide parts from which each request's context is made. */
export interface ContextDependencies {
  reader: BackupReader;
  /** The live-status pollers. */
  liveStatus: LiveStatusDependencies;
  actions: ActionRunner;
  logger: Logger;
  metrics: Metrics;
  /** Atlas calls in flight at once for one request (UPSTREAM_CONCURRENCY). */
  upstreamConcurrency: number;
  /** Atlas calls one request may make (UPSTREAM_MAX_KEYS). */
  upstreamMaxCalls: number;
  /** Atlas response bytes held by requests in flight, process-wide and per caller. */
  upstreamMemory: UpstreamMemory;
  /** Atlas calls each caller may make per minute (CALLER_MAX_ATLAS_CALLS_PER_MINUTE), and where they are counted. */
  callerCalls: { perMinute: number; budget: CallerCallBudget };
  /** Forward mode: each request's own `Authorization: Bearer` goes to Atlas. */
  forwardAuthorization: boolean;
  /** The longest an Atlas call of a request can still run once its client has gone (ATLAS_TIMEOUT_MS). */
  callDeadlineMs: number;
  /** Demo mode: a caller the door did not name holds every scope (against the simulator), else `backups:read` only. */
  demoMode: boolean;
  /** Runs each loader batch in a span of its own, when tracing. */
  traceBatch?: LoaderOptions['traceBatch'];
}

/** A forwarded Atlas token as an identity: a digest, never the token. */
export const tokenIdentity = (authorization: string | null): string =>
  authorization === null ? 'token:none' : `token:${createHash('sha256').update(authorization).digest('base64url')}`;

/** Each request's byte meter, for the hooks that see the request but not its context (onResponse). */
const meters = new WeakMap<Request, RequestMeter>();

/** The Atlas bytes `request` holds, if a GraphQL context was made for it. */
export const upstreamBytesOf = (request: Request): RequestMeter | undefined => meters.get(request);

/** Refuses a call past `caller`'s Atlas call budget (no call is made). */
const callerBudgetCheck = (deps: ContextDependencies, caller: string) => () => {
  const waitMs = deps.callerCalls.budget.take(caller);
  if (waitMs > 0) throw new CallerRateLimitError(deps.callerCalls.perMinute, waitMs);
};

/**
 * Makes the context of one GraphQL request: fresh loaders bound to the request's abort signal, its
 * upstream budget and, in forward mode, the caller's own token, so tokens never mix between requests.
 * Its caller — whom the caller-auth door accepted, else its client address — has a share of the
 * bytes in flight and an Atlas call budget that other callers' requests do not touch.
 */
export function createContext(
  deps: ContextDependencies,
  request: Request,
  server: { clientAddress?: string; whenSent?: (done: () => void) => void } = {},
): Context {
  const { clientAddress, whenSent } = server;
  const record = recordFor(request);
  const caller = (record.caller ??= `address:${clientAddress ?? 'unknown'}`);
  // No door (demo mode, ALLOW_UNAUTHENTICATED, forward mode without keys): never a write outside demo mode.
  const scopes = record.scopes ?? (deps.demoMode ? ALL_SCOPES : READ_ONLY);
  const upstreamBytes = deps.upstreamMemory.meter(caller);
  meters.set(request, upstreamBytes);
  // The client went away: its calls on the wire still finish into the void, each within its deadline;
  // past that nothing of the request can still hold bytes, whatever became of its execution.
  const releaseLater = () => setTimeout(upstreamBytes.release, deps.callDeadlineMs).unref();
  request.signal.addEventListener('abort', releaseLater, { once: true });
  // A response waiting for a slow reader is still memory: its Atlas bytes stay charged until it is
  // written (or the connection closes), so slow readers run into SERVER_BUSY, not the heap limit.
  whenSent?.(upstreamBytes.release);
  return {
    requestId: record.id,
    atlasIdentity: deps.forwardAuthorization ? tokenIdentity(request.headers.get('authorization')) : 'service',
    caller: { id: caller, name: record.callerName ?? caller, scopes: new Set(scopes) },
    loaders: lazyLoaders(() =>
      createLoaders(deps.reader, {
        concurrency: deps.upstreamConcurrency,
        maxCalls: deps.upstreamMaxCalls,
        signal: request.signal,
        onAttempt: (event) => record.upstream.push(event),
        onCache: (event) => noteCacheRead(record, event),
        onBatch: deps.metrics.observeBatch,
        ...(deps.traceBatch ? { traceBatch: deps.traceBatch } : {}),
        onBodyBytes: upstreamBytes.charge,
        onCall: callerBudgetCheck(deps, caller),
        ...(deps.forwardAuthorization ? { auth: forwardedBearerAuth(request.headers.get('authorization')) } : {}),
      }),
    ),
    actions: deps.actions,
    watch: watchFor(deps.liveStatus, request),
    logger: deps.logger,
    upstreamBytes,
    bytesHeldUntilSent: whenSent !== undefined,
  };
}
