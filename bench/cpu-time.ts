import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { cpuTimeMsOf } from './processes.js';

/**
 * CPU time a process has used so far, every thread's user and system time, in microseconds (Linux).
 * Summed over /proc/<pid>/task/<tid>/schedstat, whose first field is the thread's time on a CPU in
 * nanoseconds — the same total as the process's own `process.cpuUsage()`, without its help and
 * without the 10 ms ticks of /proc/<pid>/stat (too coarse for a few hundred requests). A thread that
 * exited took its time with it; Node's threads (libuv pool, V8 workers) live as long as the process.
 * Falls back to /proc/<pid>/stat where schedstat is missing; 0 once the process is gone.
 */
function cpuMicrosOf(pid: number): number {
  try {
    let nanoseconds = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        nanoseconds += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // The thread ended between the listing and the read.
      }
    }
    if (nanoseconds > 0) return nanoseconds / 1000;
  } catch {
    // No such process, or no schedstat: the coarser clock.
  }
  return cpuTimeMsOf(pid) * 1000;
}

/** A CPU stopwatch on another process: `stop()` gives the microseconds it used since `start`. */
export function cpuStopwatch(pid: number): { stop(): number } {
  const start = cpuMicrosOf(pid);
  return { stop: () => Math.max(0, cpuMicrosOf(pid) - start) };
}

/** The machine a run measured on, for the results' meta: the same numbers mean little elsewhere. */
export function machine(): { cpuModel: string; cores: number; loadAverage: number[] } {
  const list = cpus();
  return {
    cpuModel: list[0]?.model ?? 'unknown',
    cores: list.length,
    loadAverage: loadavg().map((n) => Number(n.toFixed(2))),
  };
}
