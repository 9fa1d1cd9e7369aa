import type { z } from 'zod';
import type { AtlasOperation } from './operation.js';

// How long the record cache keeps an Atlas answer (docs/fleet.md "Record cache"): by what the
// answer says of itself — a snapshot's `status`, a restore job's end fields, an export's `state`, a
// cluster's `stateName`, a list's `results` — and never past the resource's own expiry.

/** How long each kind of answer is kept, in ms; 0 keeps none of that kind. */
export interface CacheTtls {
  /** A record that changes no more but by retention or deletion: a completed or failed snapshot, a finished job (CACHE_TTL_COMPLETED_S). */
  completedMs: number;
  /** A record still moving: a queued or in-progress snapshot, a running job, a busy cluster (CACHE_TTL_ACTIVE_S). */
  activeMs: number;
  /** A list page, and records that change only by configuration: idle clusters, schedules, buckets, the compliance policy (CACHE_TTL_LIST_S). */
  listMs: number;
  /** A 404 (CACHE_TTL_NOT_FOUND_S). */
  notFoundMs: number;
}

/** Whether the record has reached its end, is still moving, or changes only when someone configures it. */
type Phase = 'settled' | 'active' | 'steady';

/** What the resources of an operation are, from the last fixed segment of its template. */
type Kind = 'snapshot' | 'job' | 'export' | 'cluster' | 'setting';

/** Snapshot and Flex job statuses, lower-cased, after which a record changes no more. */
const DONE_STATUS = new Set(['completed', 'failed']);
/** Export job states (PascalCase on the wire) after which it changes no more. */
const DONE_EXPORT = new Set(['Successful', 'Failed', 'Cancelled']);
/** The fields that say when a resource goes away (a snapshot's retention, a download link's life). */
const EXPIRY_FIELDS = ['expiresAt', 'expiration', 'expirationDate'] as const;

type Fields = Record<string, unknown>;
const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null;

/** The kind of resource an operation reads (its items, for a list). */
function kindOf(template: string): Kind {
  const segments = template.split('/').filter((segment) => !segment.startsWith('{'));
  const last = segments.at(-1) ?? '';
  if (last === 'restoreJobs') return 'job';
  if (last === 'snapshots' || last === 'shardedCluster' || last === 'shardedClusters') return 'snapshot';
  if (last === 'exports') return 'export';
  if (last === 'clusters' || last === 'flexClusters' || last === 'serverless') return 'cluster';
  return 'setting';
}

/** Where one record is in its life, from the fields its kind has. */
function phaseOf(kind: Kind, record: Fields): Phase {
  const status = typeof record.status === 'string' ? record.status.toLowerCase() : undefined;
  switch (kind) {
    case 'snapshot':
      return status !== undefined && DONE_STATUS.has(status) ? 'settled' : 'active';
    case 'job': {
      // Dedicated and serverless jobs have no status: their state is these fields (restoreJobState).
      const ended =
        record.cancelled === true || record.failed === true || record.expired === true || record.finishedAt != null;
      return ended || (status !== undefined && DONE_STATUS.has(status)) ? 'settled' : 'active';
    }
    case 'export':
      return typeof record.state === 'string' && DONE_EXPORT.has(record.state) ? 'settled' : 'active';
    case 'cluster':
      return record.stateName == null || record.stateName === 'IDLE' ? 'steady' : 'active';
    case 'setting':
      return 'steady';
  }
}

/** Ms until the record's own expiry (its earliest expiry field), or undefined when it has none. */
function msToExpiry(record: Fields, now: number): number | undefined {
  let earliest: number | undefined;
  for (const field of EXPIRY_FIELDS) {
    const value = record[field];
    const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (!Number.isNaN(at)) earliest = Math.min(earliest ?? at, at);
  }
  return earliest === undefined ? undefined : earliest - now;
}

/** How long a phase is kept. */
const ttlOfPhase = (phase: Phase, ttls: CacheTtls): number =>
  phase === 'settled' ? ttls.completedMs : phase === 'active' ? ttls.activeMs : ttls.listMs;

/**
 * How long to keep `value`, the parsed answer of `operation`, at `now` (ms since the epoch): a list
 * page CACHE_TTL_LIST_S, no longer than an active record while one of its items is moving, and no
 * later than the first expiry of its items still to come (items past theirs are about to go, which
 * the list's own TTL covers); a record by its phase, never past its own expiry (0 once passed).
 */
export function ttlMsOf(operation: AtlasOperation<z.ZodType>, value: unknown, ttls: CacheTtls, now: number): number {
  if (!isFields(value)) return 0;
  const kind = kindOf(operation.template);
  if (Array.isArray(value.results)) {
    let ttl = ttls.listMs;
    for (const item of value.results) {
      if (!isFields(item)) continue;
      if (phaseOf(kind, item) === 'active') ttl = Math.min(ttl, ttls.activeMs);
      const left = msToExpiry(item, now);
      if (left !== undefined && left > 0) ttl = Math.min(ttl, left);
    }
    return ttl;
  }
  const ttl = ttlOfPhase(phaseOf(kind, value), ttls);
  const left = msToExpiry(value, now);
  return Math.max(0, left === undefined ? ttl : Math.min(ttl, left));
}
