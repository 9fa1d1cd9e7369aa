import { describe, expect, it } from 'vitest';
import { MemoryCallerCallBudget } from '../../src/backups/caller-budget.js';
import { ServerBusyError, UpstreamBytesError, UpstreamMemory } from '../../src/backups/upstream-memory.js';

describe('MemoryCallerCallBudget', () => {
  it('lets each caller make its calls per window, then says how long until its window has room', () => {
    let now = 1_000_000;
    const budget = new MemoryCallerCallBudget(3, 60_000, () => now);
    expect([1, 2, 3].map(() => budget.take('a'))).toEqual([0, 0, 0]);
    now += 15_000;
    expect(budget.take('a')).toBe(45_000);
    expect(budget.take('b')).toBe(0); // another caller has its own window
    now += 45_000;
    expect(budget.take('a')).toBe(0);
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
