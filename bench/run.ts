import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runBenchmark, SCENARIOS } from './harness.js';

// `npm run bench [-- --duration 10 --connections 50 --scenarios s1,s3]`: measures the GraphQL server
// against a plain pass-through ceiling in one run; prints a table and writes bench/results/<date>.json.
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    scenarios: {
      type: 'string',
      default: SCENARIOS.filter((s) => s.name !== 'ceiling')
        .map((s) => s.name)
        .join(','),
    },
    warmup: { type: 'string', default: '2' },
    out: { type: 'string' },
  },
});

const { results, meta } = await runBenchmark({
  durationSeconds: Number(values.duration),
  connections: Number(values.connections),
  scenarios: values.scenarios.split(','),
  warmupSeconds: Number(values.warmup),
});

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
console.table(rows);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const file =
  values.out ?? new URL(`./results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url).pathname;
writeFileSync(file, `${JSON.stringify({ meta, results }, null, 2)}\n`);
console.log(`wrote ${file}`);
