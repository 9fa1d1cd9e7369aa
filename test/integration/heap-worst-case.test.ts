import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, rssOf, START_NODE_OPTIONS, startChild, type Child } from '../../bench/processes.js';
import { encodeCursor } from '../../src/graphql/schema/pagination.js';
import { DEMO } from '../../src/simulator/seed.js';
import { ATLAS_WITHOUT_RATE_LIMIT, ONE_CLIENT_PLAYS_MANY_CALLERS, WITHOUT_RECORD_CACHE } from '../helpers.js';

// Issue #10, finding 2: no sequence of requests that pass the limits can exhaust the heap. The
// worst case we could construct within the limits — every request fetching four full 500-item Atlas
// pages (two straddling `first: $n` fields, 1,000 items, ~830 KB of Atlas JSON) or fifteen
// straddling aliases — sent 64 at a time at a server started as in production (NODE_ENV=production,
// the heap flags of `npm start`: 128 MB old space). Before the fix 8 such requests ended the process
// with "heap out of memory".

const KEY = { publicKey: 'heapwcpk', privateKey: 'heap-worst-case-private-key' };
const FIELDS =
  'id status createdAt expiresAt frequencyType snapshotType storageSizeBytes mongodVersion serverlessInstanceName links { href rel }';
const at = (alias: string, first: string, after: string) =>
  `${alias}: serverlessSnapshots(groupId: "${DEMO.analyticsGroupId}", clusterName: "${DEMO.benchInstance}", first: ${first}, after: ${after}) { edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage } }`;

/** Two fields of 500 items, each straddling two Atlas pages: four full pages per request. */
const TWO_PAGES = {
  query: `query($n: Int, $c1: String, $c2: String) { ${at('a', '$n', '$c1')} ${at('b', '$n', '$c2')} }`,
  variables: (i: number) => ({
    n: 500,
    c1: encodeCursor((i % 4) * 500 + 249),
    c2: encodeCursor((4 + (i % 4)) * 500 + 249),
  }),
};
/** Fifteen aliases of 66 items, each straddling two pages. */
const FIFTEEN = {
  query: `query($n: Int, ${Array.from({ length: 15 }, (_, k) => `$c${k}: String`).join(', ')}) { ${Array.from({ length: 15 }, (_, k) => at(`f${k}`, '$n', `$c${k}`)).join(' ')} }`,
  variables: (i: number) => ({
    n: 66,
    ...Object.fromEntries(Array.from({ length: 15 }, (_, k) => [`c${k}`, encodeCursor(((i + k * 3) % 70) * 66 + 40)])),
  }),
};

let simulator: Child;
beforeAll(async () => {
  simulator = await startChild('src/simulator/main.ts', {
    SIM_PORT: '0',
    SIM_PUBLIC_KEY: KEY.publicKey,
    SIM_PRIVATE_KEY: KEY.privateKey,
    SIM_BENCH_DATA: 'true',
  });
}, 60_000);
afterAll(async () => {
  await simulator?.stop();
});

// With the record cache (the default: readers of a page share one parse, counted once in the byte
// budget; the LRU holds up to CACHE_MEMORY_MAX_BYTES of pages beside it) and without (every read a
// miss: each request holds its own copy of every page).
describe.each([
  { cache: 'on (the default)', env: {} },
  { cache: 'off (every read calls Atlas)', env: WITHOUT_RECORD_CACHE },
])('the production start under the worst case that passes the limits, record cache $cache', ({ env }) => {
  let server: Child;
  beforeAll(async () => {
    const port = await freePort();
    server = await startChild(
      'src/main.ts',
      {
        PORT: String(port),
        MONGODB_ATLAS_BASE_URL: simulator.url,
        MONGODB_ATLAS_PUBLIC_API_KEY: KEY.publicKey,
        MONGODB_ATLAS_PRIVATE_API_KEY: KEY.privateKey,
        ALLOW_UNAUTHENTICATED: 'true',
        // The 64 workers stand for 64 callers, so the process-wide byte budget is what bounds the heap.
        ...ONE_CLIENT_PLAYS_MANY_CALLERS,
        ...ATLAS_WITHOUT_RATE_LIMIT,
        ATLAS_SNAPSHOT_API: 'serverless',
        LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
        NODE_OPTIONS: START_NODE_OPTIONS,
        ...env,
      },
      /(ALLOW_UNAUTHENTICATED=true)/,
    );
    server.url = `http://127.0.0.1:${port}`;
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('survives 64 concurrent heavy requests for several seconds: every answer is data or a typed error', async () => {
    const pool = new Pool(server.url, { connections: 64 });
    const outcomes = new Map<string, number>();
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(server.process.pid!))), 100);
    const deadline = Date.now() + Number(process.env.HEAP_WORST_CASE_MS ?? 8_000);
    let sent = 0;
    const worker = async () => {
      while (Date.now() < deadline) {
        const i = sent++;
        const shape = i % 2 === 0 ? TWO_PAGES : FIFTEEN;
        let outcome: string;
        try {
          const response = await pool.request({
            path: '/graphql',
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
            body: JSON.stringify({ query: shape.query, variables: shape.variables(i) }),
          });
          const body = (await response.body.json()) as {
            data?: unknown;
            errors?: { extensions?: { code?: string } }[];
          };
          outcome = body.errors
            ? `${response.statusCode} ${body.errors.map((e) => e.extensions?.code ?? 'NO_CODE').sort()[0]}`
            : `${response.statusCode} ok`;
        } catch (error) {
          outcome = `transport ${(error as { code?: string }).code ?? String(error)}`;
        }
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 64 }, worker));
    clearInterval(sampler);
    await pool.close();
    const summary = Object.fromEntries(outcomes);
    console.log(
      `worst case: ${sent} requests, peak RSS ${Math.round(peakRss / 1_048_576)} MB, outcomes ${JSON.stringify(summary)}`,
    );
    expect(server.process.exitCode, JSON.stringify(summary)).toBeNull();
    // Data, or the typed refusal of the byte budget; on a machine busy with other test files a call may
    // also outlast its deadline (UPSTREAM_TIMEOUT). Never a transport error, a 5xx or an untyped error.
    for (const outcome of outcomes.keys()) {
      expect(outcome, JSON.stringify(summary)).toMatch(/^200 (ok|SERVER_BUSY|UPSTREAM_TIMEOUT)$/);
    }
    expect(outcomes.get('200 ok') ?? 0).toBeGreaterThan(0);
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
  }, 60_000);
});
