import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBenchmark, SCENARIOS } from '../../bench/harness.js';
import { runLiveStatusBenchmark } from '../../bench/live-status.js';

// The benchmark harness itself, kept from rotting: a few hundred requests per scenario over the
// real child processes, asserting upstream-call counts only (timing belongs to `npm run bench`).
describe('benchmark harness (smoke)', () => {
  it('runs every scenario and the open loop; each request costs exactly its ideal number of upstream calls', async () => {
    // Through tsx, so `npm test` needs no build; `npm run bench` measures the compiled server.
    const profileDir = mkdtempSync(join(tmpdir(), 'bench-profiles-'));
    const { results, openLoop, profiles } = await runBenchmark({
      durationSeconds: 1,
      amount: 200,
      connections: 5,
      scenarios: [...SCENARIOS.map((s) => s.name), 'openloop'],
      warmupSeconds: 0,
      serverEntry: 'src/main.ts',
      openLoopRate: 40,
      openLoopSeconds: 2,
      profileDir,
    });
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(Object.keys(byName)).toEqual([
      'ceiling',
      'ceiling-s4',
      's1',
      's2',
      's3',
      's3persisted',
      'naive-s3',
      's3lit',
      's4',
      's5',
      's6',
    ]);
    for (const scenario of SCENARIOS) {
      const r = byName[scenario.name]!;
      expect(r.requests, scenario.name).toBe(200);
      expect(r.answered, scenario.name).toBe(200);
      expect(r.errors, `${scenario.name}: ${JSON.stringify(r.errorCodes)}`).toBe(0);
      // The target's own CPU time over the window, per answer: every process did some work.
      expect(r.cpuMicrosPerRequest, scenario.name).toBeGreaterThan(0);
      // One digest challenge per process start may add a sliver; nothing more.
      expect(r.upstreamCallsPerRequest, scenario.name).toBeGreaterThanOrEqual(scenario.idealUpstreamCalls);
      expect(r.upstreamCallsPerRequest, scenario.name).toBeLessThanOrEqual(scenario.idealUpstreamCalls + 0.01);
    }
    expect(byName.s2!.upstreamCallsPerRequest).toBe(5);
    // Sent by id alone to the trusted-only service: answered (no PERSISTED_DOCUMENT_* error), one Atlas GET each.
    expect(byName.s3persisted!.errorCodes).toEqual({});
    expect(byName.s5!.upstreamCallsPerRequest).toBe(10);
    expect(byName.s6!.upstreamCallsPerRequest).toBe(81); // listClusters, then each cluster's snapshots and schedule
    expect(byName.s1!.ratioToCeiling).toBeGreaterThan(0);
    // The headline: CPU per answer against the pass-through's (s4 against ceiling-s4's).
    for (const name of ['s1', 's3', 's3persisted', 'naive-s3', 's4', 's5'])
      expect(byName[name]!.cpuRatioToCeiling, name).toBeGreaterThan(0);
    expect(byName.ceiling!.cpuRatioToCeiling).toBeUndefined();
    expect(byName['naive-s3']!.upstreamCallsPerRequest).toBeLessThanOrEqual(1.01); // one Atlas GET per field, the challenge once

    // The open loop: 40 req/s for 2 s with 20 ms Atlas latency, every request answered by each target.
    expect(openLoop?.map((r) => r.target)).toEqual(['graphql', 'naive', 'ceiling']);
    for (const r of openLoop!) {
      expect(r, r.target).toMatchObject({
        rate: 40,
        seconds: 2,
        sent: 80,
        completed: 80,
        errors: 0,
        upstreamLatencyMs: 20,
      });
      expect(r.connections, r.target).toBe(40);
      // One Atlas GET per request (a digest challenge after a stale nonce would add one).
      expect(r.upstreamCallsPerRequest, r.target).toBeGreaterThanOrEqual(1);
      expect(r.upstreamCallsPerRequest, r.target).toBeLessThanOrEqual(81 / 80);
      expect(r.cpuMicrosPerRequest, r.target).toBeGreaterThan(0);
      // Latency counts from each due time, so every answer includes the Atlas latency (a timer may fire
      // up to a millisecond early).
      expect(r.p50Ms, r.target).toBeGreaterThanOrEqual(19);
      expect(r.p99Ms, r.target).toBeGreaterThanOrEqual(r.p50Ms);
      expect(r.maxMs, r.target).toBeGreaterThanOrEqual(r.p99Ms);
      expect(r.lateSends, r.target).toBeGreaterThanOrEqual(0);
    }

    // One CPU profile of the service per window of its own, summarized (the ceiling and naive server are not profiled).
    // s3persisted: the trusted-only service's window, profiled in a process of its own.
    const profiled = ['s1', 's2', 's3', 's3persisted', 's3lit', 's4', 's5', 's6', 'openloop-graphql'];
    expect(Object.keys(profiles ?? {}).sort()).toEqual([...profiled].sort());
    for (const name of profiled) {
      const profile = profiles![name]!;
      expect(existsSync(join(profileDir, `${name}.cpuprofile`)), name).toBe(true);
      expect(profile.top.length, name).toBe(10);
      expect(profile.busyMs, name).toBeGreaterThan(0);
      // Where the window's allocations were made: something was, per request.
      expect(profile.allocations?.kbPerRequest, name).toBeGreaterThan(0);
      expect(profile.allocations?.top.length, name).toBe(10);
      const loop = profile.loop as { gc: { count: number }; eventLoopDelayMs: { p99: number } };
      expect(loop.gc.count, name).toBeGreaterThanOrEqual(0);
      expect(loop.eventLoopDelayMs.p99, name).toBeGreaterThanOrEqual(0);
    }
    rmSync(profileDir, { recursive: true, force: true });
  }, 180_000);

  it('live status: 200 graphql-ws subscribers over 10 restore jobs poll Atlas about 10 times per interval, not 200', async () => {
    const intervals = 10;
    const r = await runLiveStatusBenchmark({
      subscribers: 200,
      resources: 10,
      perConnection: 20,
      pollMs: 200,
      intervals,
      serverEntry: 'src/main.ts',
    });
    expect(r).toMatchObject({ connections: 10, subscriptionsActive: 200, pollersActive: 10, errors: 0, refused: {} });
    // Nothing changes while measuring: no event after each subscriber's first.
    expect(r.eventsInWindow).toBe(0);
    // One poller per job: at most one read per job per interval (a read's latency only lengthens
    // the period), whatever the number of subscribers; at least half that on a slow machine.
    expect(r.polls).toBeLessThanOrEqual(10 * (intervals + 1));
    expect(r.polls).toBeGreaterThanOrEqual(10 * (intervals / 2));
    expect(r.cpuMsPerInterval).toBeGreaterThan(0);
    expect(r.rssMb).toBeGreaterThan(0);
  }, 120_000);
});
