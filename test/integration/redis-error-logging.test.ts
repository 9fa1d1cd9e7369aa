import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryIdempotencyStore } from '../../src/backups/actions/idempotency.js';
import { SharedRedis } from '../../src/fleet/redis.js';
import { RedisIdempotencyStore } from '../../src/fleet/redis-idempotency.js';
import { createLogger } from '../../src/support/logger.js';
import { sleep } from '../helpers.js';
import { redisSkipReason, startRedis, type TestRedis } from '../redis.js';

// A Redis error in a log line says what failed (name, message) and carries nothing of the command:
// ioredis attaches `command: { name, args }` to a ReplyError, and for an idempotency key the arguments
// are the key, the claim's owner token and the stored mutation outcome. Real redis-server; the key is
// made a list behind the store's back, so that its commands fail with WRONGTYPE.

const PREFIX = 'error-log-test:';
const CANARY = 'outcome-canary-6f1d';

describe.skipIf(redisSkipReason !== undefined)('Redis errors in log lines', () => {
  let redis: TestRedis;
  let shared: SharedRedis;
  let raw: Redis;
  const lines: string[] = [];
  let store: RedisIdempotencyStore;

  beforeAll(async () => {
    redis = await startRedis();
    const logger = createLogger('debug', { write: (line) => void lines.push(line) });
    shared = new SharedRedis({ url: redis.url, keyPrefix: PREFIX, timeoutMs: 500 }, logger);
    store = new RedisIdempotencyStore(
      shared,
      new MemoryIdempotencyStore(60_000, 100),
      { ttlMs: 60_000, waitMs: 300 },
      logger,
    );
    raw = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    raw.on('error', () => undefined);
    for (let i = 0; i < 100 && shared.state !== 'up'; i += 1) await sleep(50);
    expect(shared.state).toBe('up');
  });
  afterAll(async () => {
    raw.disconnect();
    await shared.close();
    await redis.stop();
  });

  /** The log line whose message starts with `msg`, once written (at most 5 s). */
  const lineOf = async (msg: string) => {
    for (let i = 0; i < 100; i += 1) {
      const line = lines.find((text) => (JSON.parse(text) as { msg: string }).msg.startsWith(msg));
      if (line) return line;
      await sleep(50);
    }
    throw new Error(`no "${msg}" line in ${lines.join('')}`);
  };
  /** The Redis key (without the prefix) of a scope key, as RedisIdempotencyStore names it. */
  const keyOf = (scopeKey: string) => `idempotency:${createHash('sha256').update(scopeKey).digest('base64url')}`;
  /** Makes `key` a list: a type the store's commands cannot read, so that they fail with WRONGTYPE. */
  const spoil = (key: string) => raw.multi().del(`${PREFIX}${key}`).lpush(`${PREFIX}${key}`, 'x').exec();
  /** The `err` of a JSON log line. */
  const errOf = (line: string) => (JSON.parse(line) as { err: Record<string, unknown> }).err;

  it('an outcome not written: the error named; the key, the owner token, the outcome not logged', async () => {
    const claim = await store.claim('caller-key-1', 'fingerprint');
    expect(claim.kind).toBe('new');
    await spoil(keyOf('caller-key-1'));
    if (claim.kind === 'new') claim.settle({ ok: true, value: { jobId: CANARY } });
    const line = await lineOf('idempotency key: outcome not written');
    expect(errOf(line)['message']).toMatch(/WRONGTYPE/);
    expect(line).not.toContain(CANARY);
    expect(line).not.toContain(keyOf('caller-key-1'));
    expect(line).not.toContain('pending');
    expect(errOf(line)).not.toHaveProperty('command');
    expect(errOf(line)).toMatchObject({ name: 'ReplyError' });
  });

  it('a claim Redis could not read: the error named, not the key', async () => {
    await spoil(keyOf('caller-key-2'));
    // This replica decides alone: the claim is new here.
    expect((await store.claim('caller-key-2', 'fingerprint')).kind).toBe('new');
    const line = await lineOf('idempotency key: Redis did not answer');
    expect(errOf(line)['message']).toMatch(/WRONGTYPE/);
    expect(line).not.toContain(keyOf('caller-key-2'));
    expect(errOf(line)).not.toHaveProperty('command');
    expect(errOf(line)).toMatchObject({ name: 'ReplyError' });
  });
});
