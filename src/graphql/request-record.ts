import type { CacheReadEvent } from '../atlas/cached-reads.js';
import type { AtlasAttemptEvent } from '../atlas/client.js';
import type { Scope } from '../config/scopes.js';

/** What one HTTP request did, gathered for its log line. */
export interface RequestRecord {
  /** From `x-request-id` when the caller sent a sane one, else generated; echoed in the response. */
  id: string;
  startedAt: number;
  /** The URL path, from the already parsed URL of the request. */
  path?: string;
  operationName?: string;
  /** Who the caller is: `key:<digest prefix>`, `jwt:<issuer>/<subject>` (the door) or `address:<client address>`. */
  caller?: string;
  /** Who the door accepted, for the audit log: the key's name or the JWT's `sub`. */
  callerName?: string;
  /** What the door's caller may do: its key's or JWT's scopes (`backups:read` always). */
  scopes?: readonly Scope[];
  /** Every Atlas attempt this request caused. */
  upstream: AtlasAttemptEvent[];
  /** Its reads through the record cache: answered without an Atlas call of its own (`hits`) or with one, and the oldest answer. */
  cache?: { hits: number; misses: number; maxAgeMs: number };
}

/** Counts one read through the record cache into `record` (a shared call's answer is a hit: this request made no call). */
export function noteCacheRead(record: RequestRecord, { outcome, ageMs }: CacheReadEvent): void {
  const cache = (record.cache ??= { hits: 0, misses: 0, maxAgeMs: 0 });
  if (outcome === 'hit' || outcome === 'shared') {
    cache.hits += 1;
    cache.maxAgeMs = Math.max(cache.maxAgeMs, ageMs);
  } else cache.misses += 1;
}

const records = new WeakMap<Request, RequestRecord>();

/** The record of `request`, made on first use (the request-log plugin makes it first). */
export function recordFor(request: Request, id: () => string = () => crypto.randomUUID()): RequestRecord {
  let record = records.get(request);
  if (!record) {
    record = { id: id(), startedAt: performance.now(), upstream: [] };
    records.set(request, record);
  }
  return record;
}
