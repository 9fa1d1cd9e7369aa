import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import {
  ANYONE_MAY_CALL,
  atlasCalls,
  ATLAS_WITHOUT_RATE_LIMIT,
  ONE_CLIENT_PLAYS_MANY_CALLERS,
  SERVERLESS_API_ONLY,
  snapshotField,
  type Stack,
  startStack,
} from '../helpers.js';

// A fault soak: many queries over many connections while the simulator misbehaves at random.
// SOAK_QUERIES raises the count for a longer run (e.g. SOAK_QUERIES=20000 npm test -- soak).
const QUERIES = Number(process.env.SOAK_QUERIES ?? 2_000);
const CONNECTIONS = 50;
const STATUS = { completed: 'COMPLETED', inProgress: 'IN_PROGRESS', queued: 'QUEUED', failed: 'FAILED' } as Record<
  string,
  string
>;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

let stack: Stack;
let client: Pool;
beforeAll(async () => {
  stack = await startStack({
    ...SERVERLESS_API_ONLY,
    ...ANYONE_MAY_CALL,
    ...ONE_CLIENT_PLAYS_MANY_CALLERS,
    ...ATLAS_WITHOUT_RATE_LIMIT,
    LOG_LEVEL: 'warn',
  });
  client = new Pool(new URL(stack.app.graphqlUrl).origin, { connections: CONNECTIONS });
});
afterAll(async () => {
  await client.close();
  await stack.close();
});

interface Tally {
  right: number;
  typedErrors: Record<string, number>;
  wrong: string[];
}

async function drive(count: number, tally: Tally): Promise<void> {
  const snapshots = [
    ...stack.simulator.projects.get(DEMO.analyticsGroupId)!.serverless.get('analytics-serverless')!.snapshots,
  ];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const snapshot = snapshots[n % snapshots.length]!;
      const query = `{ ${snapshotField('s', { groupId: DEMO.analyticsGroupId, clusterName: 'analytics-serverless', snapshotId: snapshot.id }, 'id status')} }`;
      try {
        const response = await client.request({
          method: 'POST',
          path: '/graphql',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
          signal: AbortSignal.timeout(15_000),
        });
        const body = (await response.body.json()) as {
          data?: { s: { id: string; status: string } | null };
          errors?: { extensions?: { code?: string } }[];
        };
        const s = body.data?.s;
        const code = body.errors?.[0]?.extensions?.code;
        if (s && !body.errors && s.id === snapshot.id && s.status === STATUS[snapshot.status]) tally.right += 1;
        else if (!s && code && code !== 'INTERNAL_SERVER_ERROR')
          tally.typedErrors[code] = (tally.typedErrors[code] ?? 0) + 1;
        else tally.wrong.push(JSON.stringify(body).slice(0, 200));
      } catch (error) {
        tally.wrong.push(`no answer: ${String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
}

describe('fault soak', () => {
  it(`${QUERIES} queries over ${CONNECTIONS} connections with 5 % 503, 2 % resets, 1 % 429 and 0–200 ms jitter`, async () => {
    await drive(200, { right: 0, typedErrors: {}, wrong: [] }); // warm up: JIT, pools, caches
    const heapBefore = heapAfterGc();
    stack.simulator.reset();
    stack.simulator.faults.mix = {
      faults: [
        { probability: 0.05, fault: { kind: 'status', status: 503 } },
        { probability: 0.02, fault: { kind: 'reset' } },
        { probability: 0.01, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } } },
      ],
      jitterMs: [0, 200],
    };
    const tally: Tally = { right: 0, typedErrors: {}, wrong: [] };
    const started = performance.now();
    await drive(QUERIES, tally);
    const seconds = (performance.now() - started) / 1000;
    stack.simulator.faults.clear();
    const attempts = atlasCalls(stack, 'getServerlessBackupSnapshot');
    const retries = stack.logs.filter((l) => l.msg === 'retrying Atlas call').length;
    // What the test harness itself kept (captured log lines, the simulator's call log) is not the server's.
    stack.logs.length = 0;
    stack.rawLogs.length = 0;
    stack.simulator.reset();
    const heapAfter = heapAfterGc();

    const typed = Object.values(tally.typedErrors).reduce((a, b) => a + b, 0);
    const report = {
      queries: QUERIES,
      right: tally.right,
      typedErrors: tally.typedErrors,
      wrong: tally.wrong.length,
      attempts,
      retriesLogged: retries,
      attemptsPerQuery: Number((attempts / QUERIES).toFixed(3)),
      typedErrorRate: `${((typed / QUERIES) * 100).toFixed(2)} %`,
      seconds: Number(seconds.toFixed(1)),
      heapBeforeMiB: Number((heapBefore / 2 ** 20).toFixed(1)),
      heapAfterMiB: Number((heapAfter / 2 ** 20).toFixed(1)),
      breaker: stack.app.breakerState(),
    };
    console.log('fault soak:', JSON.stringify(report));

    expect(tally.wrong).toEqual([]);
    expect(tally.right + typed).toBe(QUERIES);
    expect(typed / QUERIES).toBeLessThanOrEqual(0.005);
    expect(attempts / QUERIES).toBeLessThanOrEqual(1.15);
    expect(heapAfter).toBeLessThanOrEqual(heapBefore * 1.2);
  }, 120_000);
});
