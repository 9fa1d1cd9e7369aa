import { getHeapStatistics } from 'node:v8';
import { forwardedBearerAuth } from '../atlas/auth.js';
import type { BackupReader } from '../backups/backup-reader.js';
import { createLoaders } from '../backups/loaders.js';
import type { PollPlan, WatchEvent } from '../backups/watch/poller.js';
import { SubscriptionLimitError, type WatchHub } from '../backups/watch/watch-hub.js';
import type { PlanSettings } from '../backups/watch/watch-plans.js';
import type { WatchErrorCodec } from '../fleet/watch-wire.js';
import type { Metrics } from '../support/metrics.js';
import { tokenIdentity } from './context.js';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';
import { toGraphQLError, TypedGraphQLError } from './errors.js';

/** What the live-status pollers are made of, process-wide. */
export interface LiveStatusDependencies {
  hub: WatchHub;
  reader: BackupReader;
  metrics: Metrics;
  /** SUBSCRIPTION_POLL_MS and SUBSCRIPTION_IDLE_POLL_MS. */
  pollMs: number;
  idlePollMs: number;
  /** Forward mode: each caller's own `Authorization` goes to Atlas, so pollers are per caller token. */
  forwardAuthorization: boolean;
}

/** What a subscription resolver calls: the events of `resource` polled with `plan`. */
export type Watch = <T>(
  resource: string,
  plan: (settings: PlanSettings) => PollPlan<T>,
) => AsyncIterableIterator<WatchEvent<T>>;

/**
 * The share of the heap limit past which no new subscription is taken: each holds about 20 KB while
 * it lives (docs/live-status.md), so SUBSCRIPTION_MAX_TOTAL alone could outgrow a small heap
 * (npm start's 96 MB) and kill the process; refusing with TOO_MANY_SUBSCRIPTIONS keeps it serving.
 */
const HEAP_SHARE = 0.8;

const heapNearlyFull = (): boolean => {
  const heap = getHeapStatistics();
  return heap.used_heap_size > HEAP_SHARE * heap.heap_size_limit;
};

/** Atlas calls one poll may make (a cluster's activity reads up to three pages, plus routing). */
const POLL_MAX_CALLS = 8;

/**
 * The `watch` of one request. Pollers are shared by resource and Atlas credentials: the server's own
 * credentials for everyone, or in forward mode the caller's token (hashed into the key, never
 * stored as is), so that no caller sees what another's credentials read.
 */
export function watchFor(deps: LiveStatusDependencies, request: Request): Watch {
  return (resource, plan) => {
    if (heapNearlyFull()) throw new SubscriptionLimitError('HEAP', Math.round(HEAP_SHARE * 100));
    const authorization = deps.forwardAuthorization ? request.headers.get('authorization') : null;
    const credentials = deps.forwardAuthorization ? tokenIdentity(authorization) : 'service';
    const auth = authorization === null ? {} : { auth: forwardedBearerAuth(authorization) };
    return deps.hub.watch(`${resource}@${credentials}`, () =>
      plan({
        loaders: () =>
          createLoaders(deps.reader, {
            concurrency: 2,
            maxCalls: POLL_MAX_CALLS,
            onBatch: deps.metrics.observeBatch,
            // A poll is there to see change: it reads Atlas, and what it reads refreshes the record cache.
            freshReads: true,
            ...auth,
          }),
        activeMs: deps.pollMs,
        idleMs: deps.idlePollMs,
      }),
    );
  };
}

const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_CODES, code);

/**
 * A poll's failure between replicas (src/fleet/watch-wire.ts): the typed error a watcher of the
 * polling replica reads (toGraphQLError's code, message and extensions; an unknown failure as
 * INTERNAL_SERVER_ERROR, as Yoga masks it), rebuilt on the others as the same typed error.
 */
export const watchErrorCodec: WatchErrorCodec = {
  encode(error) {
    const typed = toGraphQLError(error);
    if (!(typed instanceof TypedGraphQLError))
      return {
        code: 'INTERNAL_SERVER_ERROR',
        message: `${ERROR_CODES.INTERNAL_SERVER_ERROR.message}.`,
        extensions: {},
      };
    const { code: _code, ...extensions } = typed.extensions;
    return { code: typed.code, message: typed.message, extensions };
  },
  decode: ({ code, message, extensions }) =>
    new TypedGraphQLError(isErrorCode(code) ? code : 'INTERNAL_SERVER_ERROR', message, extensions),
};
