import type { ProfileSummary } from './cpu-profile.js';
import { cpuStopwatch } from './cpu-time.js';
import { openLoop, type OpenLoopResult } from './open-loop.js';
import { rssOf } from './processes.js';
import { ceilingRequest, s3Request, type Target } from './scenarios.js';
import { simulatorStats, type Stack } from './stack.js';

// Latency at a fixed offered load (issue #16): the same uniform open loop, at the same rate and with
// the same Atlas latency, against this service (the s3 document), the naive Yoga server (the same
// document) and the pass-through (the same GET), one after the other, with each one's CPU per answer.

/** How the comparison runs. */
export interface OpenLoopCompareOptions {
  /** Requests per second offered to each target. */
  rate: number;
  /** Seconds measured per target. */
  seconds: number;
  /** Seconds of the same load before measuring (not counted). */
  warmupSeconds: number;
  /** Latency the simulator adds to every Atlas call. @default 20 */
  upstreamLatencyMs?: number;
  /** Profiles the service's window (bench/cpu-profile.ts). */
  profiler?: { start(): void; stop(name: string, requests: number): Promise<ProfileSummary> };
}

/** One target's open-loop row. */
export interface OpenLoopRow extends OpenLoopResult {
  target: Target;
  upstreamLatencyMs: number;
  /** The target process's CPU time (all threads) over the window, per completed request. */
  cpuMicrosPerRequest: number;
  upstreamCallsPerRequest: number;
  peakRssMb: number;
  /** The service's CPU profile of the window, when asked (moved to the run's `profiles`). */
  profile?: ProfileSummary;
}

/** A GraphQL body is an answer when it carries no `errors`. */
const noGraphQLErrors = (body: string) => !body.includes('"errors"');

/** Runs the open loop against each target the stack has: the service, the naive Yoga server, the ceiling. */
export async function compareOpenLoop(stack: Stack, options: OpenLoopCompareOptions): Promise<OpenLoopRow[]> {
  const upstreamLatencyMs = options.upstreamLatencyMs ?? 20;
  const rows: OpenLoopRow[] = [];
  let n = 0;
  const next = () => n++;
  await simulatorStats(stack.sim, 'latency', `?ms=${upstreamLatencyMs}`);
  try {
    for (const target of ['graphql', 'naive', 'ceiling'] as const) {
      const proc = stack.targets[target];
      if (!proc) continue;
      const pid = proc.child.process.pid!;
      const load = {
        origin: proc.origin,
        rate: options.rate,
        request: target === 'ceiling' ? ceilingRequest(next) : s3Request(next),
        isAnswer: target === 'ceiling' ? undefined : noGraphQLErrors,
      };
      if (options.warmupSeconds > 0) await openLoop({ ...load, seconds: options.warmupSeconds });
      const before = await simulatorStats(stack.sim);
      const profiler = target === 'graphql' ? options.profiler : undefined;
      let stopwatch: { stop(): number } | undefined;
      let cpuMicros = 0;
      let peak = rssOf(pid);
      const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 200);
      const result = await openLoop({
        ...load,
        seconds: options.seconds,
        onWindow: {
          start: () => {
            profiler?.start();
            stopwatch = cpuStopwatch(pid);
          },
          end: () => (cpuMicros = stopwatch?.stop() ?? 0),
        },
      }).finally(() => clearInterval(sampler));
      const profile = await profiler?.stop(`openloop-${target}`, result.sent);
      const after = await simulatorStats(stack.sim);
      rows.push({
        target,
        upstreamLatencyMs,
        ...result,
        cpuMicrosPerRequest: result.completed ? Math.round(cpuMicros / result.completed) : 0,
        upstreamCallsPerRequest: result.sent
          ? Number(((after.upstreamCalls - before.upstreamCalls) / result.sent).toFixed(3))
          : 0,
        peakRssMb: Math.round(peak / 2 ** 20),
        ...(profile ? { profile } : {}),
      });
    }
  } finally {
    await simulatorStats(stack.sim, 'latency', '?ms=0');
  }
  return rows;
}
