import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

// Issue #15, adversarial review finding 4 — the in-process record cache (on by default without Redis): its LRU bounds
// the answer TEXT it holds (CACHE_MEMORY_MAX_BYTES, 4 MiB: key length + body length), and the docs
// put that beside UPSTREAM_MAX_BYTES_IN_FLIGHT on npm start's 96 MB heap. Every entry also costs a
// Map entry, a Kept record, the entry and answer objects and a generation string, none counted. An
// attacker makes small entries cheaply (`first: 1` pages past the end of a list, distinct snapshot
// ids: one Atlas call each, within CALLER_MAX_ATLAS_CALLS_PER_MINUTE per caller): a cache "full" at
// 4 MiB held about twice that on the heap (8.0 MB for 4 MiB counted, with empty pages as Atlas
// writes them; 3.5× with 60-byte answers) until each entry was counted with its overhead.

const SCRIPT = `
import { MemoryReadCache } from './src/atlas/memory-read-cache.ts';
const maxBytes = 4 * 1048576;
const cache = new MemoryReadCache(maxBytes);
const heap = () => { globalThis.gc(); return process.memoryUsage().heapUsed; };
const scope = '6750cc00000000000000000a/bench-serverless';
const before = heap();
// Pages past the end of a list (\`first: 1\` at ever larger cursors): distinct keys, one Atlas call
// each, every answer an empty page as Atlas writes it (its self link, no results).
const list = '/api/atlas/v2/groups/6750cc00000000000000000a/serverless/bench-serverless/backup/snapshots';
for (let i = 0; i < 100_000; i++) {
  const path = list + '?pageNum=' + (6000 + i) + '&itemsPerPage=1&includeCount=false';
  const key = { scope, identity: 'service', operation: 'listServerlessBackupSnapshots', path };
  const { seen } = await cache.lookup(key);
  const body = '{"links":[{"href":"https://cloud.mongodb.com' + path + '","rel":"self"}],"results":[]}';
  await cache.store(key, { answer: { body: Buffer.from(body).toString() }, storedAt: Date.now() }, 15_000, seen);
}
process.stdout.write(JSON.stringify({ counted: cache.bytes, heap: heap() - before }));
`;

it('the in-process cache holds on the heap not much more than CACHE_MEMORY_MAX_BYTES, however small its entries', () => {
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  const { counted, heap } = JSON.parse(run.stdout) as { counted: number; heap: number };
  console.log(`counted ${counted} bytes, heap ${heap} bytes (${(heap / counted).toFixed(2)}×)`);
  expect(counted).toBeGreaterThan(4_000_000);
  expect(heap).toBeLessThan(counted * 1.5);
}, 60_000);
