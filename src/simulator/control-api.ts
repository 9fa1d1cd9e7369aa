import type { ServerResponse } from 'node:http';
import { iso } from './cloud-seed-builders.js';
import type { SimOutcome } from './lifecycle.js';
import type { AtlasSimulator } from './server.js';

/**
 * The control endpoints of a simulator in another process (`controlApi: true`), GET or POST alike:
 * - `/__simulator/stats`, `/reset`, `/latency?ms=N`: the counters (after resetting them, or setting
 *   the latency of every call);
 * - `/__simulator/clock?advanceMs=N`, `/clock?fastForward=1`, `/clock`: move the simulator clock
 *   (or only read it); answers `{ now, nowMs, advancedMs }`;
 * - `/__simulator/outcome?next=failed|succeeded[&operation=…][&times=N][&id=…]`: plan how the next
 *   created resources (or the one in flight with that id) end; answers `{ planned: true }`.
 * A bad value answers 400 `{ error }`.
 */
export function serveControl(
  simulator: AtlasSimulator,
  path: string,
  query: URLSearchParams,
  res: ServerResponse,
): void {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  try {
    if (path === '/__simulator/clock') {
      let advancedMs = Number(query.get('advanceMs') ?? 0);
      if (query.get('fastForward') === '1') advancedMs = simulator.clock.fastForward();
      else simulator.clock.advance(advancedMs);
      const nowMs = simulator.clock.now();
      send(200, { now: iso(nowMs), nowMs, advancedMs });
      return;
    }
    if (path === '/__simulator/outcome') {
      const outcome = query.get('next');
      if (outcome !== 'failed' && outcome !== 'succeeded') throw new Error('next must be failed or succeeded');
      const times = query.get('times');
      simulator.planOutcome(outcome satisfies SimOutcome, {
        ...(query.has('id') ? { id: query.get('id')! } : {}),
        ...(query.has('operation') ? { operation: query.get('operation')! } : {}),
        ...(times === null ? {} : { times: Number(times) }),
      });
      send(200, { planned: true });
      return;
    }
  } catch (error) {
    send(400, { error: (error as Error).message });
    return;
  }
  if (path === '/__simulator/reset') simulator.reset();
  if (path === '/__simulator/latency') simulator.faults.latencyMs = Number(query.get('ms') ?? 0);
  const { stats } = simulator;
  send(200, { ...stats, lastCall: undefined, callTimes: undefined, upstreamCalls: simulator.upstreamCalls() });
}
