import { readdirSync, readFileSync } from 'node:fs';
import type { ScenarioResult } from './harness.js';

// `node --import tsx bench/summarize.ts [files…]`: medians over several `npm run bench` results, as
// the Markdown table the README shows. Without arguments: every file in bench/results/.
const dir = new URL('./results/', import.meta.url);
const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => new URL(f, dir).pathname);
// A live-status-only run (`--scenarios live`) has no HTTP results: it is not one of the runs.
const loaded = files
  .map((file) => ({ file, results: (JSON.parse(readFileSync(file, 'utf8')) as { results: ScenarioResult[] }).results }))
  .filter((run) => run.results.length > 0);
const runs = loaded.map((run) => run.results);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const names = runs[0]!.map((r) => r.name);
console.log(`Medians of ${runs.length} runs (${loaded.map((r) => r.file.split('/').pop()).join(', ')}).\n`);
console.log(
  '| scenario | connections | req/s | × ceiling | p50 ms | p99 ms | upstream calls / request | errors | peak RSS MB |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const name of names) {
  const rows = runs.map((run) => run.find((r) => r.name === name)!).filter(Boolean);
  const m = (pick: (r: ScenarioResult) => number) => median(rows.map(pick));
  const ratio = rows[0]!.ratioToCeiling === undefined ? '1' : m((r) => r.ratioToCeiling ?? 0).toFixed(3);
  console.log(
    `| ${name} | ${rows[0]!.connections} | ${Math.round(m((r) => r.requestsPerSecond))} | ${ratio} | ${m((r) => r.latencyP50Ms)} | ${m((r) => r.latencyP99Ms)} | ${m((r) => r.upstreamCallsPerRequest).toFixed(2)} | ${Math.max(...rows.map((r) => r.errors))} | ${Math.max(...rows.map((r) => r.peakRssMb))} |`,
  );
}
