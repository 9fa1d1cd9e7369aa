import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runBenchmark, SCENARIOS } from './harness.js';
import { runFleetScenario } from './fleet.js';
import { runLiveStatusBenchmark } from './live-status.js';

// `npm run bench [-- --duration 10 --connections 50 --scenarios s1,s3 --name label]`: measures the
// GraphQL server (and the naive Yoga server: naive-s3) against a plain pass-through ceiling in one run,
// CPU per answered request first; prints a table and writes bench/results/<date>[-<name>].json.
// `openloop` (in the default list) then offers a uniform open loop at half of s3's req/s
// (--open-loop-rate N to fix it; --open-loop-seconds 10) with 20 ms Atlas latency to the service, the
// naive Yoga server and the ceiling in turn. --server-node-options=…: the server's node flags (e.g.
// --max-old-space-size=256). --profile-dir DIR: a CPU profile of the service per window (DIR/<scenario>.cpuprofile,
// its top self time, GC and event-loop delay in the results' `profiles`). --server-entry: another build
// of the server (default dist/main.js, built by `npm run bench`), e.g. one of a commit built elsewhere.
// `--scenarios live` runs only the live-status scenario (its own server: --live-subscribers 5000,
// --live-resources 50, --live-per-connection 100, --live-poll-ms 5000, --live-intervals 6,
// --live-node-options to run its server with other node flags than `npm start`'s).
// `--scenarios fleet` (not in the default list) runs the record cache and replicas scenario (bench/fleet.ts).
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    scenarios: {
      type: 'string',
      default: [...SCENARIOS.filter((s) => s.name !== 'ceiling').map((s) => s.name), 'openloop', 'live'].join(','),
    },
    'open-loop-rate': { type: 'string' },
    'open-loop-seconds': { type: 'string', default: '10' },
    'server-node-options': { type: 'string' },
    'profile-dir': { type: 'string' },
    'server-entry': { type: 'string' },
    note: { type: 'string' },
    name: { type: 'string' },
    'live-subscribers': { type: 'string', default: '5000' },
    'live-resources': { type: 'string', default: '50' },
    'live-per-connection': { type: 'string', default: '100' },
    'live-poll-ms': { type: 'string', default: '5000' },
    'live-intervals': { type: 'string', default: '6' },
    // The server's node flags for the live scenario (default: those of `npm start`).
    'live-node-options': { type: 'string' },
    warmup: { type: 'string', default: '2' },
    out: { type: 'string' },
  },
});

const chosen = values.scenarios.split(',');
const http = chosen.filter((name) => name !== 'live' && name !== 'fleet');
const { results, openLoop, profiles, meta } = http.length
  ? await runBenchmark({
      durationSeconds: Number(values.duration),
      connections: Number(values.connections),
      scenarios: http,
      warmupSeconds: Number(values.warmup),
      openLoopRate: values['open-loop-rate'] ? Number(values['open-loop-rate']) : undefined,
      openLoopSeconds: Number(values['open-loop-seconds']),
      serverNodeOptions: values['server-node-options'],
      profileDir: values['profile-dir'],
      serverEntry: values['server-entry'],
      note: values.note,
    })
  : {
      results: [],
      openLoop: undefined,
      profiles: undefined,
      meta: { date: new Date().toISOString(), node: process.version },
    };
// A server that dies (e.g. of heap exhaustion) fails the scenario, not the run: the others are still written.
const liveStatus = chosen.includes('live')
  ? await runLiveStatusBenchmark({
      subscribers: Number(values['live-subscribers']),
      resources: Number(values['live-resources']),
      perConnection: Number(values['live-per-connection']),
      pollMs: Number(values['live-poll-ms']),
      intervals: Number(values['live-intervals']),
      serverNodeOptions: values['live-node-options'],
    }).catch((error: unknown) => ({
      name: 'live' as const,
      failed: error instanceof Error ? error.message : String(error),
    }))
  : undefined;
// Its own processes and a redis-server; prints its table; a failure is written as `fleet.failed`.
const fleet = chosen.includes('fleet')
  ? await runFleetScenario({
      durationSeconds: Number(values.duration),
      connections: Number(values.connections),
      warmupSeconds: Number(values.warmup),
      keys: 100,
      replicas: 3,
      idleSeconds: 2,
      serverEntry: values['server-entry'],
    })
  : undefined;

const rows = results.map((r) => ({
  scenario: r.name,
  conns: r.connections,
  'cpu µs/req': r.cpuMicrosPerRequest,
  'x pass-through': r.cpuRatioToCeiling ?? 1,
  'req/s': r.requestsPerSecond,
  'p50 ms': r.latencyP50Ms,
  'p99 ms': r.latencyP99Ms,
  'Atlas calls/req': r.upstreamCallsPerRequest,
  errors: r.errors,
  'peak RSS MB': r.peakRssMb,
}));
if (rows.length) console.table(rows);
if (openLoop) {
  const { rate, seconds, upstreamLatencyMs } = openLoop[0] ?? { rate: 0, seconds: 0, upstreamLatencyMs: 0 };
  console.log(
    `open loop: ${rate} req/s for ${seconds} s, ${upstreamLatencyMs} ms Atlas latency, latency from due time`,
  );
  console.table(
    openLoop.map((r) => ({
      target: r.target,
      'p50 ms': r.p50Ms,
      'p90 ms': r.p90Ms,
      'p99 ms': r.p99Ms,
      'max ms': r.maxMs,
      completed: r.completed,
      errors: r.errors,
      'late sends': r.lateSends,
      'cpu µs/req': r.cpuMicrosPerRequest,
      'Atlas calls/req': r.upstreamCallsPerRequest,
      'peak RSS MB': r.peakRssMb,
    })),
  );
}
if (liveStatus && 'failed' in liveStatus) console.error(`live: ${liveStatus.failed}`);
else if (liveStatus) {
  const { name, subscribers, resources, connections, pollMs, pollsPerInterval, errors } = liveStatus;
  console.table([
    {
      scenario: name,
      subscribers,
      held: liveStatus.subscriptionsActive,
      resources,
      'ws conns': connections,
      'poll ms': pollMs,
      'polls/interval': pollsPerInterval,
      pollers: liveStatus.pollersActive,
      'CPU ms/interval': liveStatus.cpuMsPerInterval,
      'CPU %': liveStatus.cpuPercentOfOneCore,
      'RSS MB': liveStatus.rssMb,
      'heap MB': liveStatus.heapUsedMb,
      'peak RSS MB': liveStatus.peakRssMb,
      'subscribe ms': liveStatus.subscribeMs,
      errors,
    },
  ]);
  for (const [why, count] of Object.entries(liveStatus.refused))
    console.log(`live: ${count} subscriptions refused (${why})`);
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const file =
  values.out ??
  new URL(
    `./results/${new Date().toISOString().replace(/[:.]/g, '-')}${values.name ? `-${values.name}` : ''}.json`,
    import.meta.url,
  ).pathname;
writeFileSync(
  file,
  `${JSON.stringify({ meta, results, ...(openLoop ? { openLoop } : {}), ...(profiles ? { profiles } : {}), ...(liveStatus ? { liveStatus } : {}), ...(fleet ? { fleet } : {}) }, null, 2)}\n`,
);
console.log(`wrote ${file}`);
