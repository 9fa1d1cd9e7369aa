import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import { type AtlasSimulator, startAtlasSimulator } from '../../src/simulator/server.js';
import { SERVERLESS_API_ONLY, sleep, type Stack, startReplica, TEST_KEY, TEST_SERVICE_ACCOUNT } from '../helpers.js';

// Issue #15, adversarial review finding 3: the record cache's coalescing (cache-flight.ts) and the
// Atlas byte budget (upstream-memory.ts). A flight used to charge its body to its FIRST member's
// meter only; when that member's client went away, its meter was released and every later chunk
// streamed into the process charged to no one while the flight went on for the members still
// waiting — N such pairs (one request sent and dropped, one waiting) on N keys held N bodies
// outside every budget. Now each member is charged the chunks as they arrive. Atlas sends the body
// slowly here (a proxy drips the simulator's answer), as a slow link or a large page does, and the
// service's own metric shows the bytes held for the waiting request.

const KEYS = { AUTH_API_KEYS: 'first-key,second-key' };
const list = (first: number) =>
  `{ s: serverlessSnapshots(groupId: "${DEMO.analyticsGroupId}", clusterName: "${DEMO.benchInstance}", first: ${first}) { edges { node { id } } } }`;
const DRIP_MS = 4_000;

let simulator: AtlasSimulator;
let proxy: Server;
let stack: Stack;

/** A proxy to the simulator that sends each snapshot-list body in 40 slices over DRIP_MS (headers at once). */
function startDripProxy(target: URL): Promise<Server> {
  const server = createServer((req, res) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          if (!(answer.statusCode === 200 && req.url?.includes('/backup/snapshots'))) return void res.end(body);
          const slice = Math.ceil(body.length / 40);
          let at = 0;
          const timer = setInterval(() => {
            res.write(body.subarray(at, at + slice));
            at += slice;
            if (at >= body.length) {
              clearInterval(timer);
              res.end();
            }
          }, DRIP_MS / 40);
          res.on('close', () => clearInterval(timer));
        });
      },
    );
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  simulator = await startAtlasSimulator({
    apiKeys: [TEST_KEY],
    serviceAccounts: [TEST_SERVICE_ACCOUNT],
    benchData: true,
  });
  proxy = await startDripProxy(new URL(simulator.url));
  const proxied = { ...simulator, url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` };
  stack = await startReplica(proxied, { ...SERVERLESS_API_ONLY, ...KEYS, LOG_LEVEL: 'warn' });
}, 60_000);
afterAll(async () => {
  await stack?.close();
  proxy?.close();
  await simulator?.close();
});

const held = async () => {
  const metrics = await fetch(new URL('/metrics', stack.app.graphqlUrl), { headers: { 'x-api-key': 'second-key' } });
  return Number(/^graphql_upstream_bytes_in_flight (\d+)$/m.exec(await metrics.text())?.[1]);
};
const ask = (key: string, first: number, signal?: AbortSignal) =>
  fetch(stack.app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ query: list(first) }),
    ...(signal ? { signal } : {}),
  });

it('the bytes a flight reads for a waiting request stay charged after the request that started it went away (each member charged as they arrive)', async () => {
  // Control: one request alone is charged as the body arrives.
  const alone = ask('second-key', 500);
  await sleep(DRIP_MS / 2);
  const heldAlone = await held();
  await (await alone).text();

  // Another page (the cache holds the first one now): a new flight, read from Atlas.
  stack.simulator.reset();
  const first = new AbortController();
  const dropped = ask('first-key', 499, first.signal).catch(() => undefined);
  await sleep(300);
  const waiting = ask('second-key', 499);
  await sleep(300);
  first.abort(); // the flight's first member leaves; the second still waits for the same body
  await dropped;
  const samples: number[] = [];
  for (let i = 0; i < 8; i += 1) {
    await sleep(DRIP_MS / 16);
    samples.push(await held());
  }
  const answer = (await (await waiting).json()) as { data?: { s: { edges: unknown[] } } };
  console.log(`held with one request alone mid-body: ${heldAlone}; after the first member left: ${samples.join(' ')}`);
  expect(heldAlone).toBeGreaterThan(50_000);
  expect(answer.data?.s.edges).toHaveLength(499);
  expect(stack.simulator.stats.byOperation.listServerlessBackupSnapshots).toBe(1); // one flight for both
  // While the body streams for the waiting request, its bytes are held on the heap: they must count.
  expect(Math.max(...samples)).toBeGreaterThan(50_000);
}, 60_000);
