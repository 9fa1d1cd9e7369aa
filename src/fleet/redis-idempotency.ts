import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { z } from 'zod';
import type {
  Claim,
  IdempotencyStore,
  MemoryIdempotencyStore,
  OutcomeUnknownRecord,
  StoredOutcome,
} from '../backups/actions/idempotency.js';
import { errorFields } from '../support/error-fields.js';
import type { SharedRedis } from './redis.js';
import type { RedisClient } from './redis-topology.js';

// The backup actions' idempotency keys shared by the replicas: a mutation retried on another replica
// replays the first result (docs/fleet.md "Idempotency keys").

/**
 * Replaces KEYS[1] by ARGV[2] (deletes it when ARGV[2] is empty), keeping its TTL, only while it
 * still holds ARGV[1]: a claim settles or releases its own entry, never a later claim's.
 */
const REPLACE_IF_UNCHANGED = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then return redis.call('DEL', KEYS[1]) end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
return 1`;

/** What a key holds: a claim running somewhere (`owner` tells claims apart), or its stored outcome. */
const entrySchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('pending'), fingerprint: z.string(), owner: z.string() }),
  z.object({
    state: z.literal('done'),
    fingerprint: z.string(),
    outcome: z.union([
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({ ok: z.literal(false), error: z.unknown() }),
    ]),
  }),
]);
type Entry = z.infer<typeof entrySchema>;

/** The script above, defined on the shared client (so that its key gets REDIS_KEY_PREFIX). */
type WithReplace = RedisClient & { idempotencyReplace(key: string, expected: string, next: string): Promise<number> };

/** The Redis key of a scope key: hashed (the caller's key is free text), under REDIS_KEY_PREFIX. */
const keyOf = (scopeKey: string) => `idempotency:${createHash('sha256').update(scopeKey).digest('base64url')}`;

/** How long a shared claim is kept and how long a duplicate waits for it. */
export interface RedisIdempotencyOptions {
  /** How long a key is kept after its claim (IDEMPOTENCY_TTL_S). */
  ttlMs: number;
  /** How long a duplicate waits for the first request, running on another replica, to finish (ATLAS_TIMEOUT_MS). */
  waitMs: number;
}

/** A claim of this replica still deciding or running: the duplicates arriving here share it. */
interface LocalClaim {
  fingerprint: string;
  duplicates: Promise<Claim>;
}

/**
 * Idempotency keys in Redis, over the in-process store. A claim is `SET key {pending} NX PX ttl`; a
 * duplicate on any replica polls the key until the first settles (then replays its stored outcome),
 * releases (then claims it anew) or `waitMs` passes (then gets an unknown outcome, never a second
 * write); the same key with another input is a mismatch on every replica. Duplicates on one replica
 * share its claim without Redis, and a replica keeps its own outcomes in memory too. When Redis is
 * down, fails or times out, the claim is the in-process store's: the mutation never fails for Redis.
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  readonly #local = new Map<string, LocalClaim>();
  readonly #client: WithReplace;

  constructor(
    private readonly redis: SharedRedis,
    private readonly memory: MemoryIdempotencyStore,
    private readonly options: RedisIdempotencyOptions,
    private readonly logger: Logger,
  ) {
    redis.client.defineCommand('idempotencyReplace', { numberOfKeys: 1, lua: REPLACE_IF_UNCHANGED });
    this.#client = redis.client as WithReplace;
  }

  claim(scopeKey: string, fingerprint: string): Promise<Claim> {
    const known = this.memory.find(scopeKey, fingerprint);
    if (known) return Promise.resolve(known);
    const running = this.#local.get(scopeKey);
    if (running)
      return running.fingerprint === fingerprint ? running.duplicates : Promise.resolve({ kind: 'mismatch' });
    let resolve!: (outcome: StoredOutcome) => void;
    const outcome = new Promise<StoredOutcome>((r) => (resolve = r));
    const forget = () => {
      if (this.#local.get(scopeKey) === local) this.#local.delete(scopeKey);
    };
    const first = this.#claimShared(scopeKey, fingerprint).then((claim): Claim => {
      if (claim.kind !== 'new') {
        forget();
        return claim;
      }
      return {
        kind: 'new',
        settle: (settled) => {
          claim.settle(settled);
          forget();
          resolve(settled);
        },
        release: (error) => {
          claim.release(error);
          forget();
          resolve({ ok: false, error });
        },
      };
    });
    const duplicates = first.then((claim): Claim => (claim.kind === 'new' ? { kind: 'replay', outcome } : claim));
    const local: LocalClaim = { fingerprint, duplicates };
    this.#local.set(scopeKey, local);
    return first;
  }

  /** The claim as Redis decides it, or the in-process store's when Redis cannot. */
  async #claimShared(scopeKey: string, fingerprint: string): Promise<Claim> {
    if (this.redis.state !== 'up') return this.memory.claimNow(scopeKey, fingerprint);
    const key = keyOf(scopeKey);
    const pending = JSON.stringify({ state: 'pending', fingerprint, owner: randomUUID() } satisfies Entry);
    const deadline = performance.now() + this.options.waitMs;
    let elsewhere = false;
    for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
      const found = await this.#take(key, pending);
      if (found === 'taken') return this.#sharedClaim(scopeKey, fingerprint, key, pending);
      // Before another replica's claim was seen, a failure means: this replica alone decides.
      if (found === 'failed' && !elsewhere) return this.memory.claimNow(scopeKey, fingerprint);
      if (found !== 'failed' && found !== null) {
        if (found.fingerprint !== fingerprint) return { kind: 'mismatch' };
        if (found.state === 'done') return { kind: 'replay', outcome: Promise.resolve(found.outcome) };
        elsewhere = true;
      }
      const left = deadline - performance.now();
      if (left <= 0) return this.#unsettled();
      // Null: released (Atlas did nothing) or expired meanwhile: claim it again at once.
      if (found !== null) await sleep(Math.min(pause, left));
    }
  }

  /** `SET NX`: `taken`, else what the key holds (null: nothing), `failed` when Redis did not answer or holds no entry. */
  async #take(key: string, pending: string): Promise<'taken' | 'failed' | Entry | null> {
    try {
      if ((await this.#client.set(key, pending, 'PX', this.options.ttlMs, 'NX')) === 'OK') return 'taken';
      const text = await this.#client.get(key);
      if (text === null) return null;
      const parsed = entrySchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : 'failed';
    } catch (error) {
      this.logger.debug(
        { err: errorFields(error) },
        'idempotency key: Redis did not answer, this replica decides alone',
      );
      return 'failed';
    }
  }

  /** A claim this replica holds in Redis: settled as JSON (kept here too), released by deleting it. */
  #sharedClaim(scopeKey: string, fingerprint: string, key: string, pending: string): Claim {
    return {
      kind: 'new',
      settle: (outcome) => {
        // This replica's repeats replay it without Redis, even while Redis is down.
        const here = this.memory.claimNow(scopeKey, fingerprint);
        if (here.kind === 'new') here.settle(outcome);
        void this.#replace(key, pending, () => JSON.stringify({ state: 'done', fingerprint, outcome } satisfies Entry));
      },
      release: () => void this.#replace(key, pending, () => ''),
    };
  }

  /** Writes the outcome of this replica's claim, or deletes it; a failure leaves it pending until its TTL. */
  async #replace(key: string, pending: string, next: () => string): Promise<void> {
    try {
      await this.#client.idempotencyReplace(key, pending, next());
    } catch (error) {
      // Other replicas then see the key pending: their repeats wait, then get an unknown outcome (never a second write).
      this.logger.debug({ err: errorFields(error) }, 'idempotency key: outcome not written to Redis');
    }
  }

  /** What a duplicate gets when the first request, on another replica, has not finished within the wait. */
  #unsettled(): Claim {
    const record: OutcomeUnknownRecord = {
      outcomeUnknown: {
        happened: `the first request with this idempotencyKey had not finished after ${this.options.waitMs} ms (another replica runs it, or stopped while running it)`,
      },
    };
    return { kind: 'replay', outcome: Promise.resolve({ ok: false, error: record }) };
  }
}
