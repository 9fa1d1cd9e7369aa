import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runBenchmark, SCENARIOS } from './harness.js';
import { runLiveStatusBenchmark } from './live-status.js';

// `npm run bench [-- --duration 10 --connections 50 --scenarios s1,s3]`: measures the GraphQL server
// against a plain pass-through ceiling in one run; prints a table and writes bench/results/<date>.json.
// `--scenarios live` runs only the live-status scenario (its own server: --live-subscribers 5000,
// --live-resources 50, --live-per-connection 100, --live-poll-ms 5000, --live-intervals 6,
// --live-node-options to run its server with other node flags than `npm start`'s).
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    scenarios: {
      type: 'string',
      default: [...SCENARIOS.filter((s) => s.name !== 'ceiling').map((s) => s.name), 'live'].join(','),
    },
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
const http = chosen.filter((name) => name !== 'live');
const { results, meta } = http.length
  ? await runBenchmark({
      durationSeconds: Number(values.duration),
      connections: Number(values.connections),
      scenarios: http,
      warmupSeconds: Number(values.warmup),
    })
  : { results: [], meta: { date: new Date().toISOString(), node: process.version } };
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

const rows = results.map((r) => ({
  scenario: r.name,
  conns: r.connections,
  'req/s': r.requestsPerSecond,
  'x ceiling': r.ratioToCeiling ?? 1,
  'p50 ms': r.latencyP50Ms,
  'p99 ms': r.latencyP99Ms,
  'upstream/req': r.upstreamCallsPerRequest,
  errors: r.errors,
  'peak RSS MB': r.peakRssMb,
}));
if (rows.length) console.table(rows);
if (liveStatus && 'failed' in liveStatus) console.error(`live: ${liveStatus.failed}`);
else if (liveStatus) {
  const { name, subscribers, resources, connections, pollMs, pollsPerInterval, errors } = liveStatus;
  console.table([
    {
      scenario: name,
      subscribers,
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
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const file =
  values.out ?? new URL(`./results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url).pathname;
writeFileSync(file, `${JSON.stringify({ meta, results, ...(liveStatus ? { liveStatus } : {}) }, null, 2)}\n`);
console.log(`wrote ${file}`);
