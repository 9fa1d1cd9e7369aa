import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import type { AtlasAuth } from './auth.js';
import type { AtlasAttemptEvent, AtlasCallOptions } from './client.js';
import { AtlasAbortedError, AtlasTimeoutError } from './errors.js';
import type { AtlasOperation } from './operation.js';

/** One call in progress: what every attempt of it shares. */
export interface Call<Schema extends z.ZodType> {
  operation: AtlasOperation<Schema>;
  path: string;
  /** A write's JSON body, serialised once: every attempt sends these same bytes. */
  body: string | undefined;
  auth: AtlasAuth;
  onAttempt: ((event: AtlasAttemptEvent) => void) | undefined;
  onBodyBytes: ((bytes: number) => void) | undefined;
  /** Handed the text of a 2xx body once it parsed (the record cache keeps it). */
  onBody?: ((text: string) => void) | undefined;
  /**
   * What undici sees: aborts at the total deadline only, since aborting a request tears its socket
   * down (even one still queued in the pool, when it reaches a socket).
   */
  signal: AbortSignal;
  /** Aborts on the caller's signal or the deadline, whichever comes first: ends every wait. */
  waits: AbortSignal;
  caller: AbortSignal | undefined;
  /** Set when the total deadline passed (then `signal` is aborted too). */
  deadline: { readonly aborted: boolean };
  /** The total deadline, all attempts and back-off included, in ms. */
  timeoutMs: number;
  startedAt: number;
  /** The rate-limit hold this call falls under: endpoint family and project. */
  holdKey: string;
  /** The rate budget it spends: the hold's key, and the credentials' identity when they have one (forward mode). */
  budgetKey: string;
}

/** Atlas rate-limits per endpoint family and project: `serverless:<groupId>`. */
const holdKeyOf = (operation: AtlasOperation<z.ZodType>, path: string): string =>
  `${operation.family}:${/\/groups\/([^/?]+)/.exec(path)?.[1] ?? ''}`;

/**
 * Sets up one call: its deadline timer and the signals that end its waits; `end` clears them once
 * the call is over, whatever its outcome.
 */
export function startCall<Schema extends z.ZodType>(
  operation: AtlasOperation<Schema>,
  path: string,
  options: AtlasCallOptions,
  settings: { auth: AtlasAuth; timeoutMs: number; body?: string | undefined },
): { call: Call<Schema>; end: () => void } {
  const caller = options.signal;
  const auth = options.auth ?? settings.auth;
  const holdKey = holdKeyOf(operation, path);
  // Controllers, not AbortSignal.timeout()/any(): those cost a DOMException and a transferable
  // wrapper each, which shows on the hot path.
  const wire = new AbortController();
  const waits = new AbortController();
  const deadline = { aborted: false };
  const timer = setTimeout(() => {
    deadline.aborted = true;
    wire.abort();
    waits.abort();
  }, settings.timeoutMs);
  const onCallerAbort = () => waits.abort();
  caller?.addEventListener('abort', onCallerAbort, { once: true });
  const call: Call<Schema> = {
    operation,
    path,
    body: settings.body,
    auth,
    onAttempt: options.onAttempt,
    onBodyBytes: options.onBodyBytes,
    signal: wire.signal,
    waits: waits.signal,
    caller,
    deadline,
    timeoutMs: settings.timeoutMs,
    startedAt: performance.now(),
    holdKey,
    budgetKey: auth.identity === undefined ? holdKey : `${holdKey}@${auth.identity}`,
  };
  const end = () => {
    clearTimeout(timer);
    caller?.removeEventListener('abort', onCallerAbort);
  };
  return { call, end };
}

/** Milliseconds left before the call's total deadline. */
export const remainingMs = (call: Call<z.ZodType>): number => call.timeoutMs - (performance.now() - call.startedAt);

/** Why a wait of the call ended early: its deadline passed, or its caller left. */
export const waitEndedError = (call: Call<z.ZodType>): AtlasTimeoutError | AtlasAbortedError =>
  call.deadline.aborted
    ? new AtlasTimeoutError(call.operation.name, call.timeoutMs, 'total', true)
    : new AtlasAbortedError(call.operation.name);

/** Sleeps `ms`, unless the caller leaves or the deadline passes first. */
export async function pause(ms: number, call: Call<z.ZodType>): Promise<void> {
  try {
    await sleep(ms, undefined, { signal: call.waits });
  } catch {
    throw waitEndedError(call);
  }
}
