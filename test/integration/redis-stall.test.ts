import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient, type RedisClient } from '../../src/fleet/redis-topology.js';
import { redisSkipReason, startRedis, type TestRedis } from '../redis.js';

// The fleet benchmark (#15) saw replicas whose event loop stalled past REDIS_TIMEOUT_MS (50 ms) take
// Redis answers already in their socket for timeouts, call Redis down and send reads to Atlas.
// A command now fails only if it is still unanswered one turn of the loop after its timer fires:
// an answer that arrived meanwhile is read first. A real Redis, a loop held up on purpose.

/** Holds the event loop for `ms` (a long synchronous task, as a big parse or a GC pause would). */
const block = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
};

describe.skipIf(redisSkipReason !== undefined)('Redis commands and a stalled event loop', () => {
  let redis: TestRedis;
  let client: RedisClient;
  beforeAll(async () => {
    redis = await startRedis();
    client = createRedisClient({ kind: 'server', url: redis.url }, { keyPrefix: 'stall:', timeoutMs: 50 });
    await new Promise((resolve) => client.once('ready', resolve));
    await client.set('k', 'v');
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  it('an answer that arrived while the loop was held past the timeout is taken, not timed out', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => {
        const pending = client.get('k');
        return pending;
      }).map((pending, i) => {
        if (i === 19) block(200); // every answer is in the socket long before the loop runs again
        return pending.catch((error: unknown) => (error as Error).message);
      }),
    );
    expect(answers).toEqual(Array.from({ length: 20 }, () => 'v'));
  });

  it('a command Redis does not answer still fails after the timeout', async () => {
    // Redis holds every client's commands for 1 s (CLIENT PAUSE): this GET gets no answer in time.
    const other = client.duplicate();
    await new Promise((resolve) => other.once('ready', resolve));
    await other.call('CLIENT', 'PAUSE', '1000', 'ALL');
    const failed = await client.get('k').catch((error: unknown) => error as Error);
    other.disconnect();
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toBe('Command timed out');
  });
});
