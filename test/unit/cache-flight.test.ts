import { describe, expect, it } from 'vitest';
import { Flight, type FlightAnswer } from '../../src/atlas/cache-flight.js';
import { ServerBusyError, UpstreamMemory } from '../../src/backups/upstream-memory.js';

/** A flight whose read is driven by the test: `chunk` is a body chunk arriving, `finish` the answer. */
function flight() {
  let finish!: (found: FlightAnswer) => void;
  let abandoned = 0;
  const f = new Flight('scope', () => (abandoned += 1));
  f.done = new Promise((resolve) => (finish = resolve));
  f.done.then(
    () => (f.settled = true),
    () => undefined,
  );
  const read = f.callOptions({});
  return { f, chunk: (bytes: number) => read.onBodyBytes!(bytes), finish, abandoned: () => abandoned };
}
const ANSWER: FlightAnswer = { answer: { body: 'x'.repeat(300) }, readAt: 0, outcome: 'miss' };

describe('a cached read shared by several requests (Flight)', () => {
  it('charges the payer (the first member) the chunks as they arrive; when it leaves, the next pays what came so far', async () => {
    const memory = new UpstreamMemory({ perRequest: 10_000, perCaller: 10_000, total: 10_000 });
    const { f, chunk, finish } = flight();
    const [a, b] = [memory.meter('a'), memory.meter('b')];
    const left = new AbortController();
    const first = f.join({ onBodyBytes: a.charge, signal: left.signal }, 'op');
    chunk(100);
    const second = f.join({ onBodyBytes: b.charge }, 'op');
    expect(memory.inFlight).toBe(100); // the second is charged the answer when it gets it (cached-reads.ts)
    chunk(200);
    expect(memory.inFlight).toBe(300);
    left.abort(); // the first request went away: its bytes go back, the second now pays what came so far
    a.release();
    await expect(first.answer).rejects.toThrow();
    expect(memory.inFlight).toBe(300);
    chunk(100);
    expect(memory.inFlight).toBe(400);
    finish(ANSWER);
    await expect(second.answer).resolves.toBe(ANSWER);
    expect(second.charged).toBe(400);
  });

  it('a payer its own meter refuses leaves with that error and the next pays; none left → the read stops', async () => {
    const memory = new UpstreamMemory({ perRequest: 10_000, perCaller: 10_000, total: 1_000 });
    const { f, chunk, finish } = flight();
    const rich = memory.meter('rich');
    const poor = {
      charge: (bytes: number) => {
        if (bytes > 100) throw new ServerBusyError(100);
      },
    };
    const refused = f.join({ onBodyBytes: poor.charge }, 'op');
    const kept = f.join({ onBodyBytes: rich.charge }, 'op');
    chunk(500);
    await expect(refused.answer).rejects.toBeInstanceOf(ServerBusyError);
    expect(memory.inFlight).toBe(500); // the second pays now
    finish(ANSWER);
    await expect(kept.answer).resolves.toBe(ANSWER);

    const alone = flight();
    const only = alone.f.join({ onBodyBytes: poor.charge }, 'op');
    expect(() => alone.chunk(500)).toThrow(ServerBusyError); // the body is not read on for no one
    await expect(only.answer).rejects.toBeInstanceOf(ServerBusyError);
    expect(alone.abandoned()).toBe(1);
    expect(alone.f.controller.signal.aborted).toBe(true);
  });

  it('a member whose request is aborted leaves; the last one leaving aborts the read', async () => {
    const { f, abandoned } = flight();
    const [x, y] = [new AbortController(), new AbortController()];
    const one = f.join({ signal: x.signal }, 'op');
    const two = f.join({ signal: y.signal }, 'op');
    x.abort();
    await expect(one.answer).rejects.toThrow();
    expect(f.controller.signal.aborted).toBe(false);
    y.abort();
    await expect(two.answer).rejects.toThrow();
    expect(abandoned()).toBe(1);
    expect(f.controller.signal.aborted).toBe(true);
  });
});
