import { readFileSync } from 'node:fs';

// Where a window's allocations were made, from V8's sampling heap profiler (bench/cpu-profiler.mjs
// samples every 16 KB allocated, objects already collected included): the allocation rate per request
// is what the young generation's scavenges (and so the GC share of the CPU profile) follow.

/** A window's allocations: the estimated total, per request, and the top allocation sites. */
export interface AllocationSummary {
  /** Estimated bytes allocated in the window, in MB. */
  allocatedMb: number;
  /** The same per request sent in the window, in KB. */
  kbPerRequest: number;
  /** Top allocation sites by bytes allocated in the function itself: `file:function:line`, % and KB per request. */
  top: { fn: string; percent: number; kbPerRequest: number }[];
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** Sums a .heapprofile's sampled sizes by allocating function. */
export function summarizeAllocations(file: string, requests: number, topN = 10): AllocationSummary {
  const { head } = JSON.parse(readFileSync(file, 'utf8')) as { head: HeapNode };
  const bySite = new Map<string, number>();
  let total = 0;
  const stack = [head];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const { url, functionName, lineNumber } = node.callFrame;
    const where = url.replace(/^file:\/\/.*?\/(node_modules|dist|src)\//, '$1/').replace(/^.*node_modules\//, '');
    const site = `${where || '(V8)'}:${functionName || '(anonymous)'}${lineNumber >= 0 ? `:${lineNumber + 1}` : ''}`;
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    total += node.selfSize;
    stack.push(...node.children);
  }
  const perRequest = (bytes: number) => Number((bytes / Math.max(1, requests) / 1024).toFixed(1));
  return {
    allocatedMb: Math.round(total / 2 ** 20),
    kbPerRequest: perRequest(total),
    top: [...bySite]
      .sort((a, b) => b[1] - a[1])
      .slice(0, topN)
      .map(([fn, bytes]) => ({
        fn,
        percent: Number(((100 * bytes) / Math.max(1, total)).toFixed(1)),
        kbPerRequest: perRequest(bytes),
      })),
  };
}
