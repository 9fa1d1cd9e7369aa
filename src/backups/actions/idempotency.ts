import { createHash } from 'node:crypto';

/**
 * What a finished action leaves under its idempotency key for the repeats: its result, or the
 * failure whose outcome is unknown (a repeat must not send the write again: it gets that failure).
 * What `settle` stores survives a JSON round trip (a fleet keeps it in Redis): the runner stores such
 * a failure as an OutcomeUnknownRecord. What `release` passes reaches only the duplicates waiting in
 * this process.
 */
export type StoredOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * A write whose outcome is unknown, as stored (plain JSON): what a replay on any replica rethrows as
 * the same typed error.
 */
export interface OutcomeUnknownRecord {
  outcomeUnknown: {
    /** The Atlas operation; absent when a store gave up waiting for another replica's first request. */
    operation?: string | undefined;
    /** What happened, secret-free, e.g. `connection error (ECONNRESET)`. */
    happened: string;
    /** The status Atlas answered with, when it answered (a 5xx). */
    atlasStatus?: number | undefined;
  };
}

/** What claiming a key found. */
export type Claim =
  /**
   * The key is new (or expired): this caller runs the action, then settles or releases the claim
   * (fire and forget: a store that writes elsewhere handles its own failures).
   */
  | { kind: 'new'; settle(outcome: StoredOutcome): void; release(error: unknown): void }
  /** The same key and input ran, or is running: its outcome, once known (0 Atlas calls). */
  | { kind: 'replay'; outcome: Promise<StoredOutcome> }
  /** The same key came with another input. */
  | { kind: 'mismatch' };

/**
 * Where the idempotency keys of the backup actions are kept (a port: in process memory, or in Redis
 * for a fleet — src/fleet/redis-idempotency.ts). Keys are per caller: one caller's key never replays
 * another's result. A claim never fails: a store whose backend fails answers from memory.
 */
export interface IdempotencyStore {
  claim(scopeKey: string, fingerprint: string): Promise<Claim>;
}

interface Entry {
  fingerprint: string;
  expiresAt: number;
  outcome: Promise<StoredOutcome>;
  /**
   * Never evicted before its TTL: while its write is in flight, and when its outcome is unknown
   * (forgetting either would let a repeat send the write again).
   */
  pinned: boolean;
}

/**
 * Idempotency keys in process memory: an entry lives `ttlMs` after its claim, at most `maxKeys`
 * entries (when full, the oldest settled success goes first — never a write in flight or an unknown
 * outcome, which stay until their TTL; docs/backup-actions.md says so). A claim released because
 * the action failed in a way that proves Atlas did nothing frees the key: the same request may be
 * tried again. Concurrent duplicates wait for the first and share its outcome.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxKeys: number,
    private readonly now: () => number = Date.now,
  ) {}

  claim(scopeKey: string, fingerprint: string): Promise<Claim> {
    return Promise.resolve(this.claimNow(scopeKey, fingerprint));
  }

  /** The claim, decided synchronously: concurrent claims of one key cannot both find it new. */
  claimNow(scopeKey: string, fingerprint: string): Claim {
    return this.find(scopeKey, fingerprint) ?? this.#create(scopeKey, fingerprint);
  }

  /** What the key holds now (a replay or a mismatch), without claiming it; undefined when it is free. */
  find(scopeKey: string, fingerprint: string): Claim | undefined {
    const existing = this.#entries.get(scopeKey);
    if (!existing) return undefined;
    if (existing.expiresAt <= this.now()) {
      this.#entries.delete(scopeKey);
      return undefined;
    }
    if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
    return { kind: 'replay', outcome: existing.outcome };
  }

  #create(scopeKey: string, fingerprint: string): Claim {
    const now = this.now();
    this.#evict(now);
    let resolve!: (outcome: StoredOutcome) => void;
    const outcome = new Promise<StoredOutcome>((r) => (resolve = r));
    const entry: Entry = { fingerprint, expiresAt: now + this.ttlMs, outcome, pinned: true };
    this.#entries.set(scopeKey, entry);
    return {
      kind: 'new',
      settle: (settled) => {
        entry.pinned = !settled.ok;
        resolve(settled);
      },
      release: (error) => {
        // The waiting duplicates share this failure; later requests with the key start afresh.
        if (this.#entries.get(scopeKey) === entry) this.#entries.delete(scopeKey);
        resolve({ ok: false, error });
      },
    };
  }

  /** Keys held now (for tests and metrics). */
  get size(): number {
    return this.#entries.size;
  }

  /** Drops expired entries, then, while full, the oldest that are not pinned. */
  #evict(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size < this.maxKeys) break;
      if (entry.expiresAt <= now || !entry.pinned) this.#entries.delete(key);
    }
  }
}

/**
 * The fingerprint of one action's input: its name and the input's JSON with keys sorted, hashed. The
 * fields that do not change what is sent (`clientMutationId`, `idempotencyKey`) are left out.
 */
export function fingerprintOf(action: string, input: Readonly<Record<string, unknown>>): string {
  const { clientMutationId: _id, idempotencyKey: _key, ...rest } = input;
  return createHash('sha256').update(action).update('\0').update(stableJson(rest)).digest('base64url');
}

/** JSON with object keys in sorted order, so that the same input always gives the same text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
