// A CPU profiler for a benchmark's server, one profile per measured window (`node --cpu-prof` profiles a
// whole run and is refused in NODE_OPTIONS). Loaded with `--import` (plain JS: the server runs compiled,
// without tsx) when BENCH_CPU_PROFILE_DIR is set; each SIGUSR2 starts the V8 sampling profiler, or stops
// it and writes <dir>/<n>.cpuprofile (n = 1, 2, …), <dir>/<n>.heapprofile — V8's sampling heap
// profiler over the same window, objects collected since included: where the window's allocations were
// made — and <dir>/<n>.loop.json — the window's garbage collections (count, total and longest pause, by
// kind) and event-loop delay (p50, p99, max) — which the harness reads and renames after its scenario.
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('HeapProfiler.enable');
  const heapSampling = {
    samplingInterval: 16_384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  };
  const KINDS = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };
  let gc = { count: 0, totalMs: 0, maxMs: 0, byKind: {} };
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = KINDS[entry.detail?.kind] ?? 'other';
      gc.count += 1;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
      gc.byKind[kind] = (gc.byKind[kind] ?? 0) + entry.duration;
    }
  });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let profiling = false;
  let written = 0;
  const ms = (n) => Number((n / 1e6).toFixed(2));
  process.on('SIGUSR2', () => {
    if (!profiling) {
      profiling = true;
      gc = { count: 0, totalMs: 0, maxMs: 0, byKind: {} };
      gcObserver.observe({ entryTypes: ['gc'] });
      delay.reset();
      delay.enable();
      session.post('HeapProfiler.startSampling', heapSampling);
      session.post('Profiler.start');
      return;
    }
    profiling = false;
    delay.disable();
    gcObserver.disconnect();
    const loop = {
      gc: { ...gc, totalMs: Number(gc.totalMs.toFixed(1)), maxMs: Number(gc.maxMs.toFixed(2)) },
      eventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
    };
    written += 1;
    const n = written;
    // Answered in the order asked: the heap profile and loop.json are written before the CPU profile.
    session.post('HeapProfiler.stopSampling', (heapError, heap) => {
      if (!heapError) writeFileSync(`${dir}/${n}.heapprofile`, JSON.stringify(heap.profile));
    });
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      writeFileSync(`${dir}/${n}.loop.json`, JSON.stringify(loop));
      // Whole or not at all: the harness waits for this name.
      writeFileSync(`${dir}/${n}.cpuprofile.tmp`, JSON.stringify(result.profile));
      renameSync(`${dir}/${n}.cpuprofile.tmp`, `${dir}/${n}.cpuprofile`);
    });
  });
}
