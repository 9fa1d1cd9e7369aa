import { describe, expect, it } from 'vitest';
import { MemoryCallerCallBudget } from '../../src/backups/caller-budget.js';
import { ServerBusyError, UpstreamBytesError, UpstreamMemory } from '../../src/backups/upstream-memory.js';

describe('MemoryCallerCallBudget', () => {
  it('lets a caller burst half of its minute, then refills, and says how long until the next call', () => {
    let now = 1_000_000;
    const budget = new MemoryCallerCallBudget(300, 60_000, () => now);
    expect(Array.from({ length: 150 }, () => budget.take('a')).every((wait) => wait === 0)).toBe(true);
    expect(budget.take('a')).toBe(400); // 150 calls a minute refill: one every 400 ms
    expect(budget.take('b')).toBe(0); // another caller has its own bucket
    now += 400;
    expect(budget.take('a')).toBe(0);
    expect(budget.take('a')).toBeGreaterThan(0);
  });

  it('allows at most its calls per minute in ANY rolling minute, however they are timed', () => {
    // The second attack: 1 call at t=0, 299 at t=58 s and 300 at t=61 s passed a fixed window (599 in 3 s).
    let now = 0;
    const budget = new MemoryCallerCallBudget(300, 60_000, () => now);
    const granted: number[] = [];
    const burst = (at: number, count: number) => {
      now = at;
      for (let i = 0; i < count; i++) if (budget.take('hog') === 0) granted.push(at);
    };
    burst(0, 1);
    burst(58_000, 299);
    burst(61_000, 300);
    for (let t = 61_000; t < 200_000; t += 250) burst(t, 5);
    for (const start of granted) {
      const inMinute = granted.filter((t) => t >= start && t < start + 60_000).length;
      expect(inMinute).toBeLessThanOrEqual(300);
    }
    expect(granted.filter((t) => t >= 58_000 && t <= 61_000).length).toBeLessThanOrEqual(200);
  });
});

describe('UpstreamMemory per caller', () => {
  const limits = { perRequest: 1_000, perCaller: 400, total: 1_000 };

  it('a caller holds at most its share: past it SERVER_BUSY for that caller only; all is given back', () => {
    const memory = new UpstreamMemory(limits);
    const hog = [memory.meter('hog'), memory.meter('hog')];
    hog[0]!.charge(300);
    expect(() => hog[1]!.charge(200)).toThrow(ServerBusyError);
    expect(() => hog[1]!.charge(200)).toThrow(/CALLER_MAX_BYTES_IN_FLIGHT/);
    const other = memory.meter('other');
    other.charge(350);
    expect(memory.inFlight).toBe(650);
    for (const meter of [...hog, other, hog[0]!]) meter.release(); // release is idempotent
    expect(memory.inFlight).toBe(0);
    memory.meter('hog').charge(400);
  });

  it('a caller’s only request is bounded by the per-request cap alone; beside another, by the share', () => {
    const memory = new UpstreamMemory(limits);
    const alone = memory.meter('a');
    alone.charge(900);
    expect(() => alone.charge(101)).toThrow(UpstreamBytesError);
    expect(() => memory.meter('a').charge(1)).toThrow(ServerBusyError);
    alone.release();
    const [first, second] = [memory.meter('a'), memory.meter('a')];
    first.charge(10);
    second.charge(300);
    expect(() => second.charge(100)).toThrow(ServerBusyError); // 410 > 400, and `first` holds some
  });
});

describe('UpstreamMemory admission', () => {
  it('a request that holds nothing starts only while a quarter of the budget is left for those under way', () => {
    const memory = new UpstreamMemory({ perRequest: 1_000, perCaller: 1_000, total: 1_000 });
    const underWay = memory.meter('a');
    underWay.charge(700);
    // 700 + 100 > 750: a new request is refused whole, before it holds anything…
    expect(() => memory.meter('b').charge(100)).toThrow(ServerBusyError);
    expect(memory.inFlight).toBe(700);
    // …while the one under way may use the reserve to finish.
    underWay.charge(250);
    expect(memory.inFlight).toBe(950);
    underWay.release();
    memory.meter('b').charge(750);
  });
});
