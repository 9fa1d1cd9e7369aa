import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANYONE_MAY_CALL, startStack, type Stack } from '../helpers.js';
import { redisSkipReason, startRedis, type TestRedis } from '../redis.js';

// Redis is a helper of the fleet, never a requirement: readiness shows its state and stays ready.
describe.skipIf(redisSkipReason !== undefined)('a shared Redis', () => {
  let redis: TestRedis;
  let stack: Stack;
  beforeAll(async () => {
    redis = await startRedis();
    stack = await startStack({ ...ANYONE_MAY_CALL, REDIS_URL: redis.url, REDIS_TIMEOUT_MS: '200' });
  });
  afterAll(async () => {
    await stack.close();
    await redis.stop();
  });

  const readiness = async () => {
    const response = await fetch(stack.app.graphqlUrl.replace('/graphql', '/readiness'));
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100; i += 1) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('condition not met in 5 s');
  };

  it('shows redis up, then down while it is killed (still ready, one warning), then up again', async () => {
    await until(async () => (await readiness()).body.redis === 'up');
    await redis.kill();
    await until(async () => (await readiness()).body.redis === 'down');
    expect((await readiness()).status).toBe(200);
    await redis.start();
    await until(async () => (await readiness()).body.redis === 'up');
    const warnings = stack.logs.filter((line) => String(line.msg).startsWith('Redis is down'));
    expect(warnings).toHaveLength(1);
    expect(stack.rawLogs.join('\n')).not.toContain(redis.url.replace('redis://', ''));
  });
});
